// Rows from cells and cells from rows, column by column by the schema
// (maillage/schema.h): what the folder reader and writer and the DataFrame
// conversions of the Python package share.
//
// A reader gives a source of cells (`Text`, `List`, `Number`, `Integer` for a
// position of its input) and `ReadRow` fills each field of a row from the
// column of the same name; `TextCells` parses cells written as text, reporting
// a malformed one to the NetworkBuilder (the cell is then left absent).

#ifndef MAILLAGE_SRC_NETWORK_CELLS_H_
#define MAILLAGE_SRC_NETWORK_CELLS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "base/cells.h"
#include "maillage/network.h"
#include "maillage/schema.h"

namespace maillage::network {

// For each column of TableColumns(t), its position in `names` (the first
// one when repeated), or -1.
std::vector<int> PositionsOf(Table t, const std::vector<std::string>& names);

// Cells written as text (a CSV field, a str in a DataFrame), parsed as the
// native format reads them. A malformed cell is reported on `line` and read
// as absent; values of personal tables are never quoted.
class TextCells {
 public:
  TextCells(NetworkBuilder* builder, Table table)
      : builder_(builder), table_(table) {}
  void SetLine(int64_t line) { line_ = line; }
  int64_t line() const { return line_; }

  std::vector<std::string> List(std::string_view text,
                                absl::string_view field);
  absl::optional<double> Number(std::string_view text,
                                absl::string_view field);
  absl::optional<int64_t> Integer(std::string_view text,
                                  absl::string_view field);
  // Reports a malformed cell of `field`: "<what> 'value'" (the value left
  // out in a personal table or when empty).
  void Malformed(absl::string_view field, absl::string_view what,
                 std::string_view value);
  // Reports another problem of a cell (its value never quoted).
  void Fail(absl::string_view field, std::string reason);

 private:
  NetworkBuilder* builder_;
  Table table_;
  int64_t line_ = 0;
};

// A row of `Row`'s table from `cells`, which answers Text(i, field),
// List(i, field), Number(i, field) and Integer(i, field) for the input
// position i; `positions` are PositionsOf(TableOf<Row>(), ...). Columns at
// position -1 stay absent.
template <typename Row, typename Cells>
Row ReadRow(absl::Span<const int> positions, Cells& cells) {
  Row row;
  absl::Span<const Column<Row>> columns = Columns<Row>();
  for (size_t k = 0; k < columns.size(); ++k) {
    const int i = positions[k];
    if (i < 0) continue;
    const Column<Row>& c = columns[k];
    switch (c.info.type) {
      case CellType::kText:
        row.*c.text = cells.Text(i, c.info.name);
        break;
      case CellType::kList:
        row.*c.list = cells.List(i, c.info.name);
        break;
      case CellType::kNumber:
        row.*c.number = cells.Number(i, c.info.name);
        break;
      case CellType::kInteger:
        row.*c.integer = cells.Integer(i, c.info.name);
        break;
    }
  }
  return row;
}

// The text of a cell as the native format writes it: a list joined by '|',
// the shortest number that reads back exactly, "" for an absent value.
template <typename Row>
std::string CellText(const Row& row, const Column<Row>& c) {
  switch (c.info.type) {
    case CellType::kText:
      return row.*c.text;
    case CellType::kList:
      return base::JoinList(row.*c.list);
    case CellType::kNumber: {
      const absl::optional<double>& v = row.*c.number;
      return v ? base::FormatNumber(*v) : std::string();
    }
    case CellType::kInteger: {
      const absl::optional<int64_t>& v = row.*c.integer;
      return v ? std::to_string(*v) : std::string();
    }
  }
  return {};
}

}  // namespace maillage::network

#endif  // MAILLAGE_SRC_NETWORK_CELLS_H_
