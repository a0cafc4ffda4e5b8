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
#include <type_traits>
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

  // The value of a cell of `field` written `text`, by the type of *out.
  void Parse(std::string_view text, absl::string_view field, std::string* out);
  void Parse(std::string_view text, absl::string_view field,
             std::vector<std::string>* out);
  void Parse(std::string_view text, absl::string_view field,
             absl::optional<double>* out);
  void Parse(std::string_view text, absl::string_view field,
             absl::optional<int64_t>* out);
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

// Calls f(field) with the field of `row` that holds column `c`: a
// std::string, std::vector<std::string>, absl::optional<double> or
// absl::optional<int64_t> (const when `row` is).
template <typename R, typename F>
void VisitCell(R& row, const Column<std::remove_const_t<R>>& c, F&& f) {
  if (c.text != nullptr) {
    f(row.*c.text);
  } else if (c.list != nullptr) {
    f(row.*c.list);
  } else if (c.number != nullptr) {
    f(row.*c.number);
  } else {
    f(row.*c.integer);
  }
}

// A row of `Row`'s table from `cells`, which answers Read(i, field, &value)
// for the input position i and each type of field; `positions` are
// PositionsOf(TableOf<Row>(), ...). Columns at position -1 stay absent.
template <typename Row, typename Cells>
Row ReadRow(absl::Span<const int> positions, Cells& cells) {
  Row row;
  absl::Span<const Column<Row>> columns = Columns<Row>();
  for (size_t k = 0; k < columns.size(); ++k) {
    if (positions[k] < 0) continue;
    VisitCell(row, columns[k], [&](auto& value) {
      cells.Read(positions[k], columns[k].info.name, &value);
    });
  }
  return row;
}

// The text of a cell as the native format writes it: a list joined by '|',
// the shortest number that reads back exactly, "" for an absent value.
inline std::string CellText(const std::string& v) { return v; }
inline std::string CellText(const std::vector<std::string>& v) {
  return base::JoinList(v);
}
inline std::string CellText(const absl::optional<double>& v) {
  return v ? base::FormatNumber(*v) : std::string();
}
inline std::string CellText(const absl::optional<int64_t>& v) {
  return v ? std::to_string(*v) : std::string();
}
template <typename Row>
std::string CellText(const Row& row, const Column<Row>& c) {
  std::string text;
  VisitCell(row, c, [&](const auto& value) { text = CellText(value); });
  return text;
}

}  // namespace maillage::network

#endif  // MAILLAGE_SRC_NETWORK_CELLS_H_
