// Loading and writing the native folder format.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/cells.h"
#include "base/csv.h"
#include "maillage/io.h"

namespace maillage {
namespace {

namespace fs = std::filesystem;

// The cells of one record, by column name, with typed parsing that reports
// malformed values through the builder.
class Cells {
 public:
  Cells(NetworkBuilder* builder, Table table, const base::CsvRecord& record,
        const absl::flat_hash_map<std::string, size_t>& columns)
      : builder_(builder), table_(table), record_(record), columns_(columns) {}

  std::string Str(absl::string_view column) const {
    auto it = columns_.find(column);
    if (it == columns_.end()) return "";
    return record_.fields[it->second];
  }

  std::vector<std::string> List(absl::string_view column) {
    std::vector<std::string> out;
    const std::string cell = Str(column);
    for (std::string_view item : base::SplitList(cell)) {
      if (item.empty()) {
        Fail(column, "empty item in a '|' list");
        continue;
      }
      out.emplace_back(item);
    }
    return out;
  }

  absl::optional<double> Double(absl::string_view column) {
    const std::string cell = Str(column);
    if (cell.empty()) return absl::nullopt;
    double v = 0;
    auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
    if (ec != std::errc() || p != cell.data() + cell.size() ||
        !std::isfinite(v)) {
      Fail(column, absl::StrCat("malformed number", Quote(cell)));
      return absl::nullopt;
    }
    return v;
  }

  absl::optional<int64_t> Int(absl::string_view column) {
    const std::string cell = Str(column);
    if (cell.empty()) return absl::nullopt;
    int64_t v = 0;
    auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
    if (ec != std::errc() || p != cell.data() + cell.size()) {
      Fail(column, absl::StrCat("malformed integer", Quote(cell)));
      return absl::nullopt;
    }
    return v;
  }

  RowOrigin origin() const { return RowOrigin{record_.line}; }

 private:
  std::string Quote(absl::string_view value) const {
    if (IsPersonalTable(table_)) return "";
    return absl::StrCat(" '", value, "'");
  }
  void Fail(absl::string_view column, std::string reason) {
    builder_->AddProblem(table_, record_.line, column, std::move(reason));
  }

  NetworkBuilder* builder_;
  Table table_;
  const base::CsvRecord& record_;
  const absl::flat_hash_map<std::string, size_t>& columns_;
};

void AddRow(NetworkBuilder& b, Table t, Cells& c) {
  switch (t) {
    case Table::kSites:
      b.AddSite({c.Str("site_id"), c.Str("name"), c.Str("territory"),
                 c.Str("insee_com"), c.Double("lat"), c.Double("lng")},
                c.origin());
      break;
    case Table::kPartners:
      b.AddPartner({c.Str("partner_id"), c.Str("name"), c.Str("kind"),
                    c.Str("insee_com"), c.Double("lat"), c.Double("lng")},
                   c.origin());
      break;
    case Table::kServices: {
      ServiceRow r;
      r.id = c.Str("service_id");
      r.partner_id = c.Str("partner_id");
      r.name = c.Str("name");
      r.thematiques = c.List("thematiques");
      r.publics = c.List("publics");
      r.modes_accueil = c.List("modes_accueil");
      r.zone_eligibilite = c.List("zone_eligibilite");
      r.insee_com = c.Str("insee_com");
      r.lat = c.Double("lat");
      r.lng = c.Double("lng");
      r.capacity_available = c.Int("capacity_available");
      r.capacity_max = c.Int("capacity_max");
      r.min_age = c.Int("min_age");
      r.max_age = c.Int("max_age");
      r.updated = c.Str("updated");
      b.AddService(std::move(r), c.origin());
      break;
    }
    case Table::kPersons: {
      PersonRow r;
      r.id = c.Str("person_id");
      r.site_id = c.Str("site_id");
      r.insee_com = c.Str("insee_com");
      r.lat = c.Double("lat");
      r.lng = c.Double("lng");
      r.age = c.Int("age");
      r.publics = c.List("publics");
      r.max_distance_km = c.Double("max_distance_km");
      b.AddPerson(std::move(r), c.origin());
      break;
    }
    case Table::kNeeds:
      b.AddNeed({c.Str("person_id"), c.Str("thematique"), c.Int("urgency")},
                c.origin());
      break;
    case Table::kSupports:
      b.AddSupport({c.Str("person_id"), c.Str("service_id"),
                    c.Str("thematique"), c.Str("status")},
                   c.origin());
      break;
    case Table::kPartnerships:
      b.AddPartnership({c.Str("from_id"), c.Str("to_id"), c.Str("kind"),
                        c.Double("strength")},
                       c.origin());
      break;
    case Table::kTravelTimes:
      b.AddTravelTime(
          {c.Str("from_insee_com"), c.Str("service_id"), c.Double("minutes")},
          c.origin());
      break;
  }
}

// Reads one table into the builder. Returns false when the file is missing.
absl::Status LoadTable(const fs::path& dir, Table t, NetworkBuilder& b,
                       FileReport* report, std::vector<Problem>* missing) {
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
    b.AddProblem(t, 1, "", "empty file: a header row is required");
    return absl::OkStatus();
  }
  // Header.
  const base::CsvRecord& header = table->records[0];
  bool header_ok = b.CheckHeader(t, header.fields) && !table->bad[0];
  // Known columns by name (the first of duplicates, already reported).
  absl::flat_hash_map<std::string, size_t> columns;
  absl::Span<const absl::string_view> known = TableColumns(t);
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string& name = header.fields[i];
    if (std::find(known.begin(), known.end(), name) != known.end()) {
      columns.emplace(name, i);
    }
  }
  b.SetColumns(t, header.fields);
  // Syntax errors of the CSV reader.
  for (const base::CsvError& e : table->errors) {
    b.AddProblem(t, e.line, "",
                 absl::StrCat("column ", e.column, ": ", e.message));
  }
  for (size_t i = 1; i < table->records.size(); ++i) {
    const base::CsvRecord& rec = table->records[i];
    // The id of a row that cannot be read, so that references to it say
    // that they refer to a rejected row.
    std::string id;
    const absl::string_view id_column = TableColumns(t)[0];
    if (auto it = columns.find(id_column);
        it != columns.end() && it->second < rec.fields.size() &&
        (t == Table::kSites || t == Table::kPartners || t == Table::kServices ||
         t == Table::kPersons)) {
      id = rec.fields[it->second];
    }
    if (!header_ok) {
      b.AddRejected(t, rec.line, id);  // the header problem says why
      continue;
    }
    if (table->bad[i]) {
      b.AddRejected(t, rec.line, id);  // reported with the syntax errors
      continue;
    }
    if (rec.fields.size() != header.fields.size()) {
      b.AddProblem(t, rec.line, "",
                   absl::StrCat("expected ", header.fields.size(),
                                " fields, found ", rec.fields.size()));
      b.AddRejected(t, rec.line, id);
      continue;
    }
    Cells cells(&b, t, rec, columns);
    AddRow(b, t, cells);
  }
  return absl::OkStatus();
}

// Problems that carry a column in their reason ("column N: ...") get it as
// their column.
void MoveColumnsFromReasons(std::vector<Problem>* problems) {
  for (Problem& p : *problems) {
    if (p.column != 0 || p.reason.rfind("column ", 0) != 0) continue;
    const size_t colon = p.reason.find(": ");
    int32_t col = 0;
    const char* b = p.reason.data() + 7;
    const char* e = p.reason.data() + colon;
    if (colon != std::string::npos && std::from_chars(b, e, col).ptr == e) {
      p.column = col;
      p.reason.erase(0, colon + 2);
    }
  }
}

std::string FormatDouble(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, p);
}

template <typename T>
std::string Opt(const absl::optional<T>& v) {
  if (!v) return "";
  if constexpr (std::is_floating_point_v<T>) {
    return FormatDouble(*v);
  } else {
    return absl::StrCat(*v);
  }
}

class TableWriter {
 public:
  explicit TableWriter(Table t) {
    std::vector<std::string_view> header;
    for (absl::string_view c : TableColumns(t))
      header.emplace_back(c.data(), c.size());
    base::AppendCsvRecord(header, &text_);
  }
  void Row(const std::vector<std::string>& fields) {
    std::vector<std::string_view> views(fields.begin(), fields.end());
    base::AppendCsvRecord(views, &text_);
  }
  absl::Status Save(const fs::path& path) const {
    std::ofstream out(path, std::ios::binary);
    out.write(text_.data(), static_cast<std::streamsize>(text_.size()));
    out.close();
    if (!out) {
      return absl::UnavailableError(
          absl::StrCat("cannot write ", path.string()));
    }
    return absl::OkStatus();
  }

 private:
  std::string text_;
};

std::string JoinCodes(const ThemeSet& themes) {
  std::vector<std::string> codes;
  for (ThemeId t : themes.ToVector()) codes.emplace_back(ThemeCode(t));
  return absl::StrJoin(codes, "|");
}

std::string JoinPublics(PublicSet publics) {
  std::vector<std::string> codes;
  for (int p = 0; p < NumPublics(); ++p) {
    if (publics & (1u << p))
      codes.emplace_back(PublicCode(static_cast<PublicId>(p)));
  }
  return absl::StrJoin(codes, "|");
}

std::string JoinModes(ModeSet modes) {
  std::vector<std::string> codes;
  if (modes & kRemoteBit) codes.emplace_back(ModeCode(Mode::kRemote));
  if (modes & kInPersonBit) codes.emplace_back(ModeCode(Mode::kInPerson));
  return absl::StrJoin(codes, "|");
}

std::string JoinZone(const Zone& z) {
  std::vector<std::string> codes;
  if (z.france) codes.emplace_back("france");
  codes.insert(codes.end(), z.departements.begin(), z.departements.end());
  codes.insert(codes.end(), z.communes.begin(), z.communes.end());
  return absl::StrJoin(codes, "|");
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
  for (int t = 0; t < kNumTables; ++t) {
    absl::Status s = LoadTable(dir, static_cast<Table>(t), b,
                               &result.files[static_cast<size_t>(t)], &missing);
    if (!s.ok()) return s;
  }
  BuildReport report = std::move(b).BuildWithReport();
  result.network = std::move(report.network);
  result.problems = std::move(missing);
  result.problems.insert(result.problems.end(), report.problems.begin(),
                         report.problems.end());
  MoveColumnsFromReasons(&result.problems);
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
  for (int t = 0; t < kNumTables; ++t) {
    result.files[static_cast<size_t>(t)].counts =
        report.counts[static_cast<size_t>(t)];
  }
  return result;
}

absl::StatusOr<Network> LoadFolderStrict(const std::string& dir) {
  absl::StatusOr<LoadResult> r = LoadFolder(dir);
  if (!r.ok()) return r.status();
  if (!r->ok()) {
    std::string msg =
        ProblemsMessage(r->problems, absl::StrCat(dir, ": "), "problem(s)");
    return absl::InvalidArgumentError(msg);
  }
  return std::move(r->network);
}

absl::Status WriteFolder(const Network& net, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot create folder ", dir, ": ", ec.message()));
  }
  const fs::path root(dir);
  {
    TableWriter w(Table::kSites);
    for (const Site& s : net.sites()) {
      w.Row({s.id, s.name, s.territory, s.insee_com, FormatDouble(s.lat),
             FormatDouble(s.lng)});
    }
    if (auto st = w.Save(root / "sites.csv"); !st.ok()) return st;
  }
  {
    TableWriter w(Table::kPartners);
    for (const Partner& p : net.partners()) {
      w.Row({p.id, p.name, p.kind, p.insee_com, FormatDouble(p.lat),
             FormatDouble(p.lng)});
    }
    if (auto st = w.Save(root / "partners.csv"); !st.ok()) return st;
  }
  {
    TableWriter w(Table::kServices);
    for (const Service& s : net.services()) {
      w.Row({s.id, net.partner(s.partner).id, s.name, JoinCodes(s.themes),
             JoinPublics(s.publics), JoinModes(s.modes), JoinZone(s.zone),
             s.insee_com, s.has_location ? FormatDouble(s.lat) : "",
             s.has_location ? FormatDouble(s.lng) : "",
             absl::StrCat(s.capacity_available), absl::StrCat(s.capacity_max),
             Opt(s.min_age), Opt(s.max_age), s.updated});
    }
    if (auto st = w.Save(root / "services.csv"); !st.ok()) return st;
  }
  {
    TableWriter w(Table::kPersons);
    for (const Person& p : net.persons()) {
      w.Row({p.id, net.site(p.site).id, p.insee_com, FormatDouble(p.lat),
             FormatDouble(p.lng), Opt(p.age), JoinPublics(p.publics),
             Opt(p.max_distance_km)});
    }
    if (auto st = w.Save(root / "persons.csv"); !st.ok()) return st;
  }
  {
    TableWriter w(Table::kNeeds);
    for (const Need& n : net.needs()) {
      w.Row({net.person(n.person).id, std::string(ThemeCode(n.theme)),
             absl::StrCat(n.urgency)});
    }
    if (auto st = w.Save(root / "needs.csv"); !st.ok()) return st;
  }
  if (!net.supports().empty()) {
    TableWriter w(Table::kSupports);
    for (const Support& s : net.supports()) {
      w.Row({net.person(s.person).id, net.service(s.service).id,
             std::string(ThemeCode(s.theme)),
             std::string(SupportStatusCode(s.status))});
    }
    if (auto st = w.Save(root / "supports.csv"); !st.ok()) return st;
  }
  if (!net.partnerships().empty()) {
    TableWriter w(Table::kPartnerships);
    for (const Partnership& p : net.partnerships()) {
      const bool conv = p.kind == PartnershipKind::kConvention;
      w.Row({conv ? net.site(p.site).id : net.partner(p.partner_a).id,
             conv ? net.partner(p.partner_a).id : net.partner(p.partner_b).id,
             std::string(PartnershipKindCode(p.kind)),
             FormatDouble(p.strength)});
    }
    if (auto st = w.Save(root / "partnerships.csv"); !st.ok()) return st;
  }
  if (!net.travel_times().empty()) {
    TableWriter w(Table::kTravelTimes);
    for (const TravelTime& t : net.travel_times()) {
      w.Row({t.from_insee_com, net.service(t.service).id,
             FormatDouble(t.minutes)});
    }
    if (auto st = w.Save(root / "travel_times.csv"); !st.ok()) return st;
  }
  return absl::OkStatus();
}

void WriteOptionsCsv(const Network& net, absl::Span<const Option> options,
                     std::ostream& out) {
  std::string text =
      "person_id,thematique,rank,service_id,score,capacity,proximity,"
      "complementarity,distance_km\n";
  int rank = 0;
  for (size_t i = 0; i < options.size(); ++i) {
    const Option& o = options[i];
    const bool same = i > 0 && options[i - 1].person == o.person &&
                      options[i - 1].theme == o.theme;
    rank = same ? rank + 1 : 1;
    const absl::string_view theme = ThemeCode(o.theme);
    base::AppendCsvField(net.person(o.person).id, &text);
    text += ',';
    base::AppendCsvField(std::string_view(theme.data(), theme.size()), &text);
    text += ',';
    absl::StrAppend(&text, rank, ",");
    base::AppendCsvField(net.service(o.service).id, &text);
    absl::StrAppend(&text,
                    absl::StrFormat(",%.6f,%.6f,%.6f,%.6f,", o.score,
                                    o.capacity, o.proximity, o.complementarity),
                    o.remote || std::isnan(o.distance_km)
                        ? ""
                        : absl::StrFormat("%.3f", o.distance_km),
                    "\n");
  }
  out << text;
}

}  // namespace maillage
