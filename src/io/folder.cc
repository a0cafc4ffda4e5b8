// Loading and writing the native folder format, table by table from the
// schema (maillage/schema.h).

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/csv.h"
#include "base/file.h"
#include "maillage/io.h"
#include "network/cells.h"

namespace maillage {
namespace {

namespace fs = std::filesystem;

// The fields of one CSV record as a source of cells for network::ReadRow.
class RecordCells {
 public:
  explicit RecordCells(network::TextCells* text) : text_(text) {}
  void Set(const base::CsvRecord& record) {
    record_ = &record;
    text_->SetLine(record.line);
  }
  template <typename T>
  void Read(int i, absl::string_view field, T* out) {
    text_->Parse(record_->fields[static_cast<size_t>(i)], field, out);
  }

 private:
  network::TextCells* text_;
  const base::CsvRecord* record_ = nullptr;
};

// The id of a record of a table whose rows have one ("" otherwise), so that
// references to a row that cannot be read say that they refer to a rejected
// row.
std::string RecordId(Table t, const std::vector<int>& positions,
                     const base::CsvRecord& record) {
  const bool has_id = t == Table::kSites || t == Table::kPartners ||
                      t == Table::kServices || t == Table::kPersons;
  const int i = positions[0];
  if (!has_id || i < 0 || static_cast<size_t>(i) >= record.fields.size()) {
    return "";
  }
  return record.fields[static_cast<size_t>(i)];
}

// The records of one table's file into the builder.
template <typename Row>
void AddRecords(const base::CsvTable& table, NetworkBuilder& b) {
  const Table t = TableOf<Row>();
  const base::CsvRecord& header = table.records[0];
  const bool header_ok = b.CheckHeader(t, header.fields) && !table.bad[0];
  b.SetColumns(t, header.fields);
  const std::vector<int> positions = network::PositionsOf(t, header.fields);
  for (const base::CsvError& e : table.errors) {
    b.AddProblemAt(t, e.line, static_cast<int32_t>(e.column), e.message);
  }
  network::TextCells text(&b, t);
  RecordCells cells(&text);
  for (size_t i = 1; i < table.records.size(); ++i) {
    const base::CsvRecord& rec = table.records[i];
    if (!header_ok || table.bad[i]) {
      // The header problem or the syntax error says why.
      b.AddRejected(t, rec.line, RecordId(t, positions, rec));
      continue;
    }
    if (rec.fields.size() != header.fields.size()) {
      b.AddProblemAt(t, rec.line, 0,
                     absl::StrCat("expected ", header.fields.size(),
                                  " fields, found ", rec.fields.size()));
      b.AddRejected(t, rec.line, RecordId(t, positions, rec));
      continue;
    }
    cells.Set(rec);
    b.Add(network::ReadRow<Row>(positions, cells), RowOrigin{rec.line});
  }
}

// Reads one table into the builder; a missing required file is a problem.
template <typename Row>
absl::Status LoadTable(const fs::path& dir, NetworkBuilder& b,
                       FileReport* report, std::vector<Problem>* missing) {
  const Table t = TableOf<Row>();
  const fs::path path = dir / std::string(TableFileName(t));
  report->file = path.string();
  b.SetFileName(t, report->file);
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    if (!IsOptionalTable(t)) {
      missing->push_back(
          Problem{report->file, 0, 0, "", "required file is missing", false});
    }
    return absl::OkStatus();
  }
  absl::StatusOr<base::CsvTable> table = base::ReadCsvFile(report->file);
  if (!table.ok()) return table.status();
  report->present = true;
  if (table->records.empty()) {
    b.AddProblemAt(t, 1, 0, "empty file: a header row is required");
    return absl::OkStatus();
  }
  AddRecords<Row>(*table, b);
  return absl::OkStatus();
}

// One table as CSV text: the header of TableColumns, then a record a row.
template <typename Row>
std::string TableCsv(const std::vector<Row>& rows) {
  absl::Span<const Column<Row>> columns = Columns<Row>();
  std::string text;
  std::vector<std::string> cells(columns.size());
  std::vector<std::string_view> views(columns.size());
  for (size_t k = 0; k < columns.size(); ++k) {
    views[k] = {columns[k].info.name.data(), columns[k].info.name.size()};
  }
  base::AppendCsvRecord(views, &text);
  for (const Row& row : rows) {
    for (size_t k = 0; k < columns.size(); ++k) {
      cells[k] = network::CellText(row, columns[k]);
      views[k] = cells[k];
    }
    base::AppendCsvRecord(views, &text);
  }
  return text;
}

}  // namespace

bool LoadResult::ok() const {
  for (const Problem& p : problems) {
    if (!p.warning) return false;
  }
  for (const FileReport& f : files) {
    if (f.counts.rejected > 0) return false;
  }
  return true;
}

absl::StatusOr<LoadResult> LoadFolder(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat(dir, ": not a folder"));
  }
  NetworkBuilder b;
  LoadResult result;
  std::vector<Problem> missing;
  absl::Status status;
  NetworkRows none;
  ForEachTable(none, [&](Table t, auto& rows) {
    using Row = typename std::decay_t<decltype(rows)>::value_type;
    if (!status.ok()) return;
    status =
        LoadTable<Row>(dir, b, &result.files[static_cast<size_t>(t)], &missing);
  });
  if (!status.ok()) return status;
  BuildReport report = std::move(b).BuildWithReport();
  result.network = std::move(report.network);
  result.problems = std::move(missing);
  result.problems.insert(result.problems.end(), report.problems.begin(),
                         report.problems.end());
  // By file (table order), then line.
  absl::flat_hash_map<std::string, size_t> table_of_file;
  for (size_t t = 0; t < result.files.size(); ++t) {
    table_of_file[result.files[t].file] = t;
  }
  std::stable_sort(result.problems.begin(), result.problems.end(),
                   [&](const Problem& x, const Problem& y) {
                     return std::pair(table_of_file[x.file], x.line) <
                            std::pair(table_of_file[y.file], y.line);
                   });
  for (Table t : kTables) {
    result.files[static_cast<size_t>(t)].counts =
        report.counts[static_cast<size_t>(t)];
  }
  return result;
}

absl::StatusOr<Network> LoadFolderStrict(const std::string& dir) {
  absl::StatusOr<LoadResult> r = LoadFolder(dir);
  if (!r.ok()) return r.status();
  if (!r->ok()) {
    return absl::InvalidArgumentError(
        ProblemsMessage(r->problems, absl::StrCat(dir, ": "), "problem(s)"));
  }
  return std::move(r->network);
}

absl::Status WriteFolder(const Network& net, const std::string& dir) {
  if (absl::Status s = base::MakeFolder(dir); !s.ok()) return s;
  const NetworkRows rows = RowsOf(net);
  absl::Status status;
  ForEachTable(rows, [&](Table t, const auto& table) {
    // Optional tables are written only when not empty.
    if (!status.ok() || (IsOptionalTable(t) && table.empty())) return;
    status = base::WriteFile(
        (fs::path(dir) / std::string(TableFileName(t))).string(),
        TableCsv(table));
  });
  return status;
}

}  // namespace maillage
