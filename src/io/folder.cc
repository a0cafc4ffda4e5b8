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
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/csv.h"
#include "base/encoding.h"
#include "base/file.h"
#include "base/status_macros.h"
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

// The delimiter of a table's file, from its first line: the one of ',', ';'
// and tab that splits it into the most column names of the table (',' on a
// tie). A spreadsheet saves "CSV" with ';' where the decimal mark is a
// comma (French settings).
char DetectDelimiter(Table t, std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::string_view first = text.substr(0, text.find('\n'));
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  if (first.find('\r') != std::string_view::npos) {
    first = first.substr(0, first.find('\r'));  // CR-only line ends
  }
  char best = ',';
  int best_count = -1;
  for (char d : {',', ';', '\t'}) {
    int count = 0;
    for (absl::string_view name :
         absl::StrSplit(absl::string_view(first.data(), first.size()), d)) {
      if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
        name = name.substr(1, name.size() - 2);
      }
      count += ColumnIndex(t, name) >= 0;
    }
    if (count > best_count) {
      best = d;
      best_count = count;
    }
  }
  return best;
}

// With ';' as delimiter, a spreadsheet writes decimals with a comma: in
// number columns, "45,76" is read as 45.76. A cell with both marks, or
// digit groups ("1.234,5", "1 234,5"), is left as is and reported as
// malformed by the cell reader.
void ReadDecimalCommas(Table t, base::CsvTable* table) {
  if (table->records.empty()) return;
  std::vector<size_t> numbers;
  const std::vector<std::string>& header = table->records[0].fields;
  for (size_t i = 0; i < header.size(); ++i) {
    const int c = ColumnIndex(t, header[i]);
    if (c >= 0 &&
        TableColumns(t)[static_cast<size_t>(c)].type == CellType::kNumber) {
      numbers.push_back(i);
    }
  }
  for (size_t r = 1; r < table->records.size(); ++r) {
    std::vector<std::string>& fields = table->records[r].fields;
    for (size_t i : numbers) {
      if (i >= fields.size()) continue;
      std::string& cell = fields[i];
      const size_t comma = cell.find(',');
      if (comma == std::string::npos ||
          cell.find(',', comma + 1) != std::string::npos ||
          cell.find('.') != std::string::npos) {
        continue;
      }
      cell[comma] = '.';
    }
  }
}

// A problem of a whole file (line 0, column 0).
Problem FileProblem(const std::string& file, std::string reason,
                    bool warning = false) {
  return Problem{file, 0, 0, "", std::move(reason), warning};
}

// Reads a table's file as a spreadsheet may have saved it (docs/format.md,
// "Files saved by a spreadsheet"): its encoding turned into UTF-8 and its
// delimiter detected, each with a warning of the file when it is not the
// native one.
absl::StatusOr<base::CsvTable> ReadTableFile(Table t, const std::string& file,
                                             std::vector<Problem>* problems) {
  absl::StatusOr<std::string> bytes = base::ReadFile(file, "CSV file");
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<base::DecodedText> decoded =
      base::DecodeText(*std::move(bytes));
  if (!decoded.ok()) return decoded.status();
  const char delimiter = DetectDelimiter(t, decoded->text);
  base::CsvTable table = base::ParseCsv(decoded->text, delimiter);
  if (delimiter == ';') ReadDecimalCommas(t, &table);
  std::vector<std::string> read_as;
  if (decoded->encoding != base::Encoding::kUtf8) {
    const std::string_view name = base::EncodingName(decoded->encoding);
    read_as.push_back(absl::StrCat(absl::string_view(name.data(), name.size()),
                                   " text (not UTF-8)"));
  }
  if (delimiter == ';') {
    read_as.push_back("';' as delimiter and ',' as decimal mark");
  } else if (delimiter == '\t') {
    read_as.push_back("tab as delimiter");
  }
  if (!read_as.empty()) {
    problems->push_back(FileProblem(
        file,
        absl::StrCat(
            "read as a spreadsheet saves it: ", absl::StrJoin(read_as, ", "),
            "; save it as CSV UTF-8 with ',' to silence this "
            "warning"),
        /*warning=*/true));
  }
  return table;
}

// Why the file at `path` cannot be read as a table, or "" when it can or
// does not exist (*exists tells which).
std::string Unreadable(const fs::path& path, bool* exists) {
  std::error_code ec;
  const fs::file_status link = fs::symlink_status(path, ec);
  *exists = !ec && link.type() != fs::file_type::not_found;
  if (!*exists) return "";
  const fs::file_status target = fs::status(path, ec);
  if (ec == std::errc::too_many_symbolic_link_levels) {
    return "symbolic link loop: the file cannot be read";
  }
  if (ec || target.type() == fs::file_type::not_found) {
    return fs::is_symlink(link) ? "broken symbolic link: its target does not "
                                  "exist"
                                : "cannot be read";
  }
  return "";
}

// Reads one table into the builder. A missing required file, and a file that
// cannot be read, is a problem of the result; the other tables are read.
template <typename Row>
void LoadTable(const fs::path& dir, NetworkBuilder& b, FileReport* report,
               std::vector<Problem>* file_problems) {
  const Table t = TableOf<Row>();
  const fs::path path = dir / std::string(TableFileName(t));
  report->file = path.string();
  b.SetFileName(t, report->file);
  bool exists = false;
  if (std::string why = Unreadable(path, &exists); !why.empty()) {
    report->present = true;
    file_problems->push_back(FileProblem(report->file, std::move(why)));
    return;
  }
  if (!exists) {
    if (!IsOptionalTable(t)) {
      file_problems->push_back(
          FileProblem(report->file, "required file is missing"));
    }
    return;
  }
  report->present = true;
  absl::StatusOr<base::CsvTable> table =
      ReadTableFile(t, report->file, file_problems);
  if (!table.ok()) {
    // The reason without the path, which the problem gives.
    std::string message(table.status().message());
    const size_t at = message.rfind(report->file + ": ");
    if (at != std::string::npos) message.erase(0, at + report->file.size() + 2);
    file_problems->push_back(FileProblem(report->file, std::move(message)));
    return;
  }
  if (table->records.empty()) {
    b.AddProblemAt(t, 1, 0, "empty file: a header row is required");
    return;
  }
  AddRecords<Row>(*table, b);
}

// The files of maillage's outputs, which may share a folder with a network
// (`maillage demo --out`): not reported as unknown.
bool IsOutputFile(absl::string_view name) {
  return name == "options.csv" || name == "assignments.csv" ||
         name == "unmatched.csv" || name == "plan_needs.csv" ||
         name == "summary.json";
}

// Problems for the files of the folder that are not tables: an error for a
// table's name written with other capitals (it would be read on some
// systems and not others), a warning for another .csv file (a misspelt
// table: not read).
void CheckOtherFiles(const fs::path& dir, std::vector<Problem>* problems) {
  std::error_code ec;
  std::vector<std::string> names;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    if (name.empty() || name[0] == '.' || IsOutputFile(name)) continue;
    const std::string lower = absl::AsciiStrToLower(name);
    bool known = false;
    for (Table t : kTables) {
      if (name == TableFileName(t)) {
        known = true;
      } else if (lower == TableFileName(t)) {
        known = true;
        problems->push_back(FileProblem(
            (dir / name).string(),
            absl::StrCat("a table's file named with other capitals: rename "
                         "it ",
                         TableFileName(t), " (not read)")));
      }
    }
    if (!known && absl::EndsWith(lower, ".csv")) {
      problems->push_back(FileProblem(
          (dir / name).string(),
          absl::StrCat("not a table of the native format (",
                       absl::StrJoin(kTables, ", ",
                                     [](std::string* out, Table t) {
                                       absl::StrAppend(out, TableFileName(t));
                                     }),
                       "): not read"),
          /*warning=*/true));
    }
  }
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
  return base::ExhaustedOnBadAlloc(
      "LoadFolder", [&]() -> absl::StatusOr<LoadResult> {
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) {
          return absl::NotFoundError(absl::StrCat(dir, ": not a folder"));
        }
        NetworkBuilder b;
        LoadResult result;
        std::vector<Problem> file_problems;
        NetworkRows none;
        ForEachTable(none, [&](Table t, auto& rows) {
          using Row = typename std::decay_t<decltype(rows)>::value_type;
          LoadTable<Row>(dir, b, &result.files[static_cast<size_t>(t)],
                         &file_problems);
        });
        BuildReport report = std::move(b).BuildWithReport();
        result.network = std::move(report.network);
        // Per table, the problems of its file as a whole, then those of its
        // rows (in line order, as the builder gives them); then the other
        // files.
        absl::flat_hash_map<std::string, size_t> table_of_file;
        for (size_t t = 0; t < result.files.size(); ++t) {
          table_of_file[result.files[t].file] = t;
        }
        CheckOtherFiles(dir, &file_problems);
        result.problems = std::move(file_problems);
        result.problems.insert(result.problems.end(), report.problems.begin(),
                               report.problems.end());
        auto order = [&](const Problem& p) {
          auto it = table_of_file.find(p.file);
          return it == table_of_file.end() ? kNumTables : it->second;
        };
        std::stable_sort(result.problems.begin(), result.problems.end(),
                         [&](const Problem& x, const Problem& y) {
                           return order(x) < order(y);
                         });
        for (Table t : kTables) {
          result.files[static_cast<size_t>(t)].counts =
              report.counts[static_cast<size_t>(t)];
        }
        return result;
      });
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

std::vector<TableText> NetworkTables(const Network& net) {
  const NetworkRows rows = RowsOf(net);
  std::vector<TableText> out;
  ForEachTable(rows, [&](Table t, const auto& table) {
    if (IsOptionalTable(t) && table.empty()) return;
    out.push_back({std::string(TableFileName(t)), TableCsv(table)});
  });
  return out;
}

absl::StatusOr<Network> NetworkFromTables(
    const std::vector<TableText>& tables) {
  return base::ExhaustedOnBadAlloc(
      "NetworkFromTables", [&]() -> absl::StatusOr<Network> {
        for (const TableText& t : tables) {
          if (std::none_of(kTables.begin(), kTables.end(), [&](Table x) {
                return TableFileName(x) == t.file;
              })) {
            return absl::InvalidArgumentError(
                absl::StrCat(t.file, ": not a table of the native format"));
          }
        }
        NetworkBuilder b;
        std::vector<Problem> problems;
        NetworkRows none;
        ForEachTable(none, [&](Table t, auto& rows) {
          using Row = typename std::decay_t<decltype(rows)>::value_type;
          const std::string file(TableFileName(t));
          auto it =
              std::find_if(tables.begin(), tables.end(),
                           [&](const TableText& x) { return x.file == file; });
          if (it == tables.end()) {
            if (!IsOptionalTable(t)) {
              problems.push_back(FileProblem(file, "required file is missing"));
            }
            return;
          }
          b.SetFileName(t, file);
          base::CsvTable table = base::ParseCsv(it->text);
          if (table.records.empty()) {
            b.AddProblemAt(t, 1, 0, "empty file: a header row is required");
            return;
          }
          AddRecords<Row>(table, b);
        });
        BuildReport report = std::move(b).BuildWithReport();
        problems.insert(problems.end(), report.problems.begin(),
                        report.problems.end());
        bool ok = true;
        for (const Problem& p : problems) ok = ok && p.warning;
        for (const TableCounts& c : report.counts) ok = ok && c.rejected == 0;
        if (!ok) {
          return absl::InvalidArgumentError(
              ProblemsMessage(problems, "", "problem(s)"));
        }
        return std::move(report.network);
      });
}

}  // namespace maillage
