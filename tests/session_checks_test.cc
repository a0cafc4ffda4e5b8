// The events of an AllocationSession are checked as the loader checks rows:
// every person and need row of the test corpus (tests/testdata), fed to a
// session as arrivals and new needs, is accepted or refused exactly as
// `LoadFolder` accepts or rejects it, for the same fields.

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/cells.h"
#include "base/csv.h"
#include "gtest/gtest.h"
#include "maillage/io.h"
#include "maillage/session.h"
#include "network/cells.h"

namespace maillage {
namespace {

namespace fs = std::filesystem;

std::string TestData() { return MAILLAGE_TESTDATA; }

// The rows of one file that its reader turns into rows without a problem of
// its own (CSV syntax, field count, malformed cell): what the loader's
// checks receive. With their line.
template <typename Row>
std::vector<std::pair<Row, int64_t>> ReadableRows(const std::string& dir) {
  std::vector<std::pair<Row, int64_t>> out;
  const Table t = TableOf<Row>();
  absl::StatusOr<base::CsvTable> table =
      base::ReadCsvFile(dir + "/" + std::string(TableFileName(t)));
  if (!table.ok() || table->records.empty() || table->bad[0]) return out;
  const std::vector<std::string>& header = table->records[0].fields;
  const std::vector<int> positions = network::PositionsOf(t, header);
  absl::Span<const Column<Row>> columns = Columns<Row>();
  for (size_t i = 1; i < table->records.size(); ++i) {
    const base::CsvRecord& rec = table->records[i];
    if (table->bad[i] || rec.fields.size() != header.size()) continue;
    Row row;
    bool readable = true;
    for (size_t k = 0; k < columns.size(); ++k) {
      if (positions[k] < 0) continue;
      const std::string& cell = rec.fields[static_cast<size_t>(positions[k])];
      const Column<Row>& c = columns[k];
      if (c.text != nullptr) row.*c.text = cell;
      if (c.list != nullptr) {
        for (std::string_view item : base::SplitList(cell)) {
          readable &= !item.empty();
          (row.*c.list).emplace_back(item);
        }
      }
      if (c.number != nullptr && !cell.empty()) {
        double v = 0;
        readable &= base::ParseNumber(cell, &v);
        row.*c.number = v;
      }
      if (c.integer != nullptr && !cell.empty()) {
        int64_t v = 0;
        readable &= base::ParseInteger(cell, &v);
        row.*c.integer = v;
      }
    }
    if (readable) out.emplace_back(std::move(row), rec.line);
  }
  return out;
}

// The fields of the loader's errors on one line of one file; empty when the
// row was accepted.
std::set<std::string> LoaderFields(const LoadResult& r, const std::string& file,
                                   int64_t line) {
  std::set<std::string> fields;
  for (const Problem& p : r.problems) {
    if (!p.warning && p.file == file && p.line == line) fields.insert(p.field);
  }
  return fields;
}

// The fields an event's error names ("AddPerson: age: ...; site_id: ...").
std::set<std::string> EventFields(const absl::Status& s) {
  std::set<std::string> fields;
  if (s.ok()) return fields;
  std::string_view m(s.message().data(), s.message().size());
  m.remove_prefix(m.find(": ") + 2);
  while (!m.empty()) {
    fields.insert(std::string(m.substr(0, m.find(": "))));
    const size_t next = m.find("; ");
    if (next == std::string_view::npos) break;
    m.remove_prefix(next + 2);
  }
  return fields;
}

// True when the loader rejected the whole file for its header: its rows never
// reached the checks.
bool HeaderRejected(const LoadResult& r, const std::string& file) {
  for (const Problem& p : r.problems) {
    if (!p.warning && p.file == file && p.line <= 1) return true;
  }
  return false;
}

class SessionChecksTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SessionChecksTest, EventsGetTheLoadersVerdicts) {
  const std::string dir = TestData() + "/" + GetParam();
  absl::StatusOr<LoadResult> loaded = LoadFolder(dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  // The session starts on the folder's network without its people: they
  // arrive as events.
  NetworkRows base = RowsOf(loaded->network);
  base.persons.clear();
  base.needs.clear();
  base.supports.clear();
  absl::StatusOr<Network> net = BuildNetwork(std::move(base));
  ASSERT_TRUE(net.ok()) << net.status();
  absl::StatusOr<Ranker> ranker = Ranker::Create(*net);
  ASSERT_TRUE(ranker.ok());
  absl::StatusOr<AllocationSession> s = AllocationSession::Start(*ranker);
  ASSERT_TRUE(s.ok()) << s.status();

  const std::string persons_file = dir + "/persons.csv";
  std::vector<std::pair<std::string, PersonId>> arrived;
  int checked = 0;
  if (HeaderRejected(*loaded, persons_file)) GTEST_SKIP() << "header";
  for (const auto& [row, line] : ReadableRows<PersonRow>(dir)) {
    absl::StatusOr<PersonId> id = s->AddPerson(row, std::vector<NeedRow>{});
    const std::set<std::string> loader =
        LoaderFields(*loaded, persons_file, line);
    EXPECT_EQ(id.ok(), loader.empty())
        << persons_file << ":" << line << " " << id.status();
    EXPECT_EQ(EventFields(id.status()), loader) << persons_file << ":" << line;
    if (id.ok()) arrived.emplace_back(row.id, *id);
    ++checked;
  }
  const std::string needs_file = dir + "/needs.csv";
  for (const auto& [row, line] :
       HeaderRejected(*loaded, needs_file)
           ? std::vector<std::pair<NeedRow, int64_t>>{}
           : ReadableRows<NeedRow>(dir)) {
    const std::set<std::string> loader =
        LoaderFields(*loaded, needs_file, line);
    PersonId person = PersonId::Invalid();
    for (const auto& [id, p] : arrived) {
      if (id == row.person_id) person = p;
    }
    if (!person.valid()) {
      // A need of a person the session does not know: the loader rejects it
      // too, for its person_id.
      EXPECT_TRUE(loader.contains("person_id")) << needs_file << ":" << line;
      continue;
    }
    absl::StatusOr<NeedId> need = s->AddNeed(person, row);
    EXPECT_EQ(need.ok(), loader.empty())
        << needs_file << ":" << line << " " << need.status();
    EXPECT_EQ(EventFields(need.status()), loader) << needs_file << ":" << line;
    ++checked;
  }
  EXPECT_GT(checked, 0);
  EXPECT_EQ(s->objective().flow_cost, *s->FullResolveCost());
}

std::vector<std::string> Corpus() {
  std::vector<std::string> out = {"valid", "valid_crlf_bom", "warnings_only"};
  for (const auto& e : fs::directory_iterator(TestData() + "/bad")) {
    out.push_back("bad/" + e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Corpus, SessionChecksTest,
                         ::testing::ValuesIn(Corpus()),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name) {
                             if (!isalnum(static_cast<unsigned char>(c))) {
                               c = '_';
                             }
                           }
                           return name;
                         });

// A session on the corpus's valid network.
struct ValidSession {
  Network net;
  absl::StatusOr<AllocationSession> s = absl::UnknownError("not started");

  ValidSession() {
    absl::StatusOr<Network> loaded = LoadFolderStrict(TestData() + "/valid");
    if (!loaded.ok()) return;
    net = *loaded;
    absl::StatusOr<Ranker> ranker = Ranker::Create(net);
    if (ranker.ok()) s = AllocationSession::Start(*ranker);
  }
};

TEST(SessionChecksTest, CapacityIsCheckedAsInServicesCsv) {
  ValidSession v;
  ASSERT_TRUE(v.s.ok()) << v.s.status();
  const Network* net = &v.net;
  AllocationSession* s = &*v.s;
  const ServiceId sv(0);
  const int32_t max = net->service(sv).capacity_max;
  const absl::Status above = s->SetCapacity(sv, max + 1);
  EXPECT_EQ(above.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(above.message(),
            "SetCapacity: capacity_available: capacity_available is greater "
            "than capacity_max");
  EXPECT_EQ(s->SetCapacity(sv, -1).message(),
            "SetCapacity: capacity_available: negative capacity_available");
  EXPECT_TRUE(s->SetCapacity(sv, max + 1, max + 1).ok());
  EXPECT_TRUE(s->SetCapacity(sv, max + 1).ok());  // the new maximum holds
  EXPECT_EQ(s->objective().flow_cost, *s->FullResolveCost());
}

TEST(SessionChecksTest, ArrivalsAreAllOrNothing) {
  ValidSession v;
  ASSERT_TRUE(v.s.ok()) << v.s.status();
  const Network* net = &v.net;
  AllocationSession* s = &*v.s;
  const int32_t people = s->num_people(), needs = s->num_needs();
  PersonRow p;
  p.id = "arrival";
  p.site_id = net->sites()[0].id;
  p.age = 30;
  // One good need, one of an unknown theme, one repeating the first theme.
  const std::vector<NeedRow> rows = {
      {"", "sante", 2}, {"", "pas-un-theme", 1}, {"", "sante", 3}};
  absl::StatusOr<PersonId> id = s->AddPerson(p, rows);
  EXPECT_EQ(id.status().message(),
            "AddPerson: thematique: unknown data·inclusion theme (the codes: "
            "docs/format.md); thematique: duplicate need of the same person "
            "and theme");
  EXPECT_EQ(s->num_people(), people);
  EXPECT_EQ(s->num_needs(), needs);
  // The same person with valid needs arrives; their id is then taken.
  id = s->AddPerson(p, std::vector<NeedRow>{{"", "sante", 2}});
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(s->AddPerson(p, std::vector<NeedRow>{}).status().message(),
            "AddPerson: person_id: duplicate person_id 'arrival' (already in "
            "the session)");
  // A second need of the same theme is refused; another theme is not.
  EXPECT_FALSE(s->AddNeed(*id, {"", "sante", 1}).ok());
  EXPECT_TRUE(s->AddNeed(*id, {"arrival", "mobilite", 1}).ok());
  EXPECT_FALSE(s->AddNeed(*id, {"someone-else", "famille", 1}).ok());
  EXPECT_EQ(s->objective().flow_cost, *s->FullResolveCost());
}

}  // namespace
}  // namespace maillage
