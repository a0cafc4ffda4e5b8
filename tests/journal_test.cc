// The journal (maillage/journal.h): events written before Apply returns,
// opening = snapshot + replay giving the same state, event ids applied once,
// rejected events not written, one writer, readers, erasure; and the events
// file reader.

#include "maillage/journal.h"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "event_stream.h"
#include "gtest/gtest.h"
#include "maillage/io.h"
#include "maillage/synth.h"

namespace maillage {
namespace {

using testing_events::EventStream;
using testing_events::State;
using testing_events::StateOf;

namespace fs = std::filesystem;

std::string TempPath(const std::string& name) {
  const fs::path dir =
      fs::path(::testing::TempDir()) / absl::StrCat("journal_test_", getpid());
  fs::create_directories(dir);
  const std::string p = (dir / name).string();
  for (const char* s : {"", "-wal", "-shm"}) fs::remove(p + s);
  return p;
}

const Network& Rouen() {
  static const Network* net = [] {
    SynthOptions o;
    o.territories = {"rouen"};
    o.seed = 3;
    absl::StatusOr<Network> n = Generate(o);
    EXPECT_TRUE(n.ok()) << n.status();
    return new Network(*std::move(n));
  }();
  return *net;
}

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Applies each event; returns how many were written.
int64_t ApplyAll(Journal& j, const std::vector<SessionEvent>& events) {
  int64_t written = 0;
  for (const SessionEvent& e : events) {
    absl::StatusOr<EventOutcome> r = j.Apply(e);
    if (r.ok()) {
      written += r->skipped ? 0 : 1;
    } else {
      EXPECT_TRUE(absl::IsInvalidArgument(r.status()) ||
                  absl::IsFailedPrecondition(r.status()))
          << r.status();
    }
  }
  return written;
}

TEST(JournalTest, ReopeningGivesTheSameStateAndEveryEventIsWritten) {
  const std::string path = TempPath("reopen.journal");
  absl::StatusOr<Journal> j = Journal::Create(path, Rouen());
  ASSERT_TRUE(j.ok()) << j.status();
  const std::vector<SessionEvent> events = EventStream(Rouen(), 400, 7);
  const int64_t written = ApplyAll(*j, events);
  // The stream has every kind of event, accepted and rejected.
  EXPECT_GT(written, 100);
  EXPECT_LT(written, 400);
  EXPECT_EQ(j->last_seq(), written);
  EXPECT_TRUE(j->session().Verify().ok());
  const State live = StateOf(*j);

  absl::StatusOr<Journal> again = Journal::Open(path);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->replayed(), written);
  EXPECT_EQ(again->last_seq(), written);
  EXPECT_TRUE(StateOf(*again) == live)
      << testing_events::Diff(StateOf(*again), live);

  absl::StatusOr<Journal> reader = Journal::OpenReadOnly(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_TRUE(StateOf(*reader) == live);
  EXPECT_TRUE(absl::IsFailedPrecondition(reader->Apply(events[0]).status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(reader->Compact()));

  // The plan's referral states are those the events left.
  absl::StatusOr<std::vector<HistoryRow>> h = j->History();
  ASSERT_TRUE(h.ok());
  int64_t event_rows = 0;
  for (const HistoryRow& r : *h) event_rows += r.origin == "event";
  EXPECT_EQ(event_rows, written);
}

// A snapshot restores the session exactly: a journal that compacts and
// reopens every 25 events stays equal, event after event, to one that
// never does.
TEST(JournalTest, SnapshotsRestoreTheSessionExactly) {
  const std::string a_path = TempPath("a.journal");
  const std::string b_path = TempPath("b.journal");
  absl::StatusOr<Journal> a = Journal::Create(a_path, Rouen());
  absl::StatusOr<Journal> b = Journal::Create(b_path, Rouen());
  ASSERT_TRUE(a.ok() && b.ok());
  const std::vector<SessionEvent> events = EventStream(Rouen(), 300, 11);
  for (size_t i = 0; i < events.size(); ++i) {
    absl::StatusOr<EventOutcome> ra = a->Apply(events[i]);
    absl::StatusOr<EventOutcome> rb = b->Apply(events[i]);
    ASSERT_EQ(ra.status(), rb.status()) << "event " << i;
    ASSERT_TRUE(a->session().Verify().ok())
        << "event " << i << " " << SessionEventCode(events[i].kind) << ": "
        << a->session().Verify() << " / " << ra.status();
    ASSERT_TRUE(StateOf(*a) == StateOf(*b))
        << "event " << i << ": "
        << testing_events::Diff(StateOf(*a), StateOf(*b));
    if (i % 25 == 24) {
      ASSERT_TRUE(a->Compact().ok());
      absl::StatusOr<Journal> reopened = Journal::Open(a_path);
      ASSERT_TRUE(reopened.ok()) << reopened.status();
      EXPECT_EQ(reopened->replayed(), 0);
      EXPECT_EQ(reopened->snapshot_seq(), a->last_seq());
      a = std::move(reopened);
    }
  }
  EXPECT_TRUE(a->session().Verify().ok());
  absl::StatusOr<int64_t> full = a->session().FullResolveCost();
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(a->session().objective().flow_cost, *full);
}

TEST(JournalTest, AnEventIdIsAppliedOnce) {
  const std::string path = TempPath("ids.journal");
  absl::StatusOr<Journal> j = Journal::Create(path, Rouen());
  ASSERT_TRUE(j.ok());
  SessionEvent e;
  e.time = absl::FromUnixSeconds(1767225600);
  e.kind = SessionEventKind::kCapacity;
  e.event_id = "cap-1";
  e.service_id = Rouen().services()[0].id;
  e.places = 4;
  absl::StatusOr<EventOutcome> first = j->Apply(e);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->skipped);
  e.places = 0;  // the same id: skipped whatever it says
  absl::StatusOr<EventOutcome> second = j->Apply(e);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->skipped);
  EXPECT_EQ(second->seq, first->seq);
  EXPECT_EQ(j->last_seq(), 1);
  absl::StatusOr<Journal> again = Journal::Open(path);
  ASSERT_TRUE(again.ok());
  absl::StatusOr<EventOutcome> third = again->Apply(e);
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->skipped);
}

TEST(JournalTest, ARejectedEventChangesNothingAndKeepsItsAnswer) {
  const std::string path = TempPath("rejected.journal");
  absl::StatusOr<Journal> j = Journal::Create(path, Rouen());
  ASSERT_TRUE(j.ok());
  const State before = StateOf(*j);
  SessionEvent e;
  e.time = absl::FromUnixSeconds(1767225600);
  e.kind = SessionEventKind::kArrive;
  e.event_id = "bad-arrival";
  e.person.id = "p-new";
  e.person.site_id = "no-such-site";
  e.thematique = "sante";
  absl::StatusOr<EventOutcome> r = j->Apply(e);
  EXPECT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
  e.kind = SessionEventKind::kSend;
  e.person = PersonRow();
  e.person.id = Rouen().persons()[0].id;
  e.thematique = "not-a-theme";
  EXPECT_TRUE(absl::IsInvalidArgument(j->Apply(e).status()));
  EXPECT_EQ(j->last_seq(), 0);
  EXPECT_TRUE(StateOf(*j) == before);
  absl::StatusOr<Journal> again = Journal::Open(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->last_seq(), 0);
  // An id gets one answer: sent again, even corrected, it is rejected
  // again with the first answer.
  SessionEvent cap;
  cap.time = e.time;
  cap.kind = SessionEventKind::kCapacity;
  cap.event_id = "bad-arrival";
  cap.service_id = Rouen().services()[0].id;
  cap.places = 1;
  absl::StatusOr<EventOutcome> again_r = again->Apply(cap);
  EXPECT_TRUE(absl::IsInvalidArgument(again_r.status()));
  EXPECT_TRUE(absl::StrContains(again_r.status().message(),
                                "rejected before: AddPerson: site_id"))
      << again_r.status();
  EXPECT_EQ(again->last_seq(), 0);
  // Without an id, nothing is kept of a rejected event.
  cap.event_id = "";
  absl::StatusOr<EventOutcome> ok = again->Apply(cap);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(again->last_seq(), 1);
}

TEST(JournalTest, OneWriterAtATime) {
  const std::string path = TempPath("writers.journal");
  ASSERT_TRUE(Journal::Create(path, Rouen()).ok());
  absl::StatusOr<Journal> a = Journal::Open(path);
  absl::StatusOr<Journal> b = Journal::Open(path);
  ASSERT_TRUE(a.ok() && b.ok());
  SessionEvent e;
  e.time = absl::FromUnixSeconds(1767225600);
  e.kind = SessionEventKind::kCapacity;
  e.service_id = Rouen().services()[1].id;
  e.places = 2;
  ASSERT_TRUE(a->Apply(e).ok());
  EXPECT_TRUE(absl::IsAborted(b->Apply(e).status()));
  EXPECT_TRUE(absl::IsAborted(b->Compact()));
  absl::StatusOr<Journal> c = Journal::Open(path);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->last_seq(), 1);
}

TEST(JournalTest, RefusesWhatIsNotAJournal) {
  EXPECT_TRUE(absl::IsNotFound(Journal::Open(TempPath("none")).status()));
  const std::string text = TempPath("text.journal");
  std::ofstream(text) << "person_id\np1\n";
  EXPECT_FALSE(Journal::Open(text).ok());
  // A SQLite database of another schema version.
  const std::string other = TempPath("other.journal");
  ASSERT_TRUE(Journal::Create(other, Rouen()).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  absl::StatusOr<Journal> j = Journal::Open(other);
  EXPECT_TRUE(absl::IsInvalidArgument(j.status())) << j.status();
  EXPECT_TRUE(absl::StrContains(j.status().message(), "version 99"));
  // A database that is not a journal.
  const std::string plain = TempPath("plain.db");
  ASSERT_EQ(sqlite3_open(plain.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_TRUE(absl::IsInvalidArgument(Journal::Open(plain).status()));
  EXPECT_TRUE(absl::IsAlreadyExists(Journal::Create(plain, Rouen()).status()));
}

TEST(JournalTest, DueReferralsExpireAfterTheJournalsDelay) {
  const std::string path = TempPath("expiry.journal");
  JournalOptions o;
  o.expiry = absl::Hours(24) * 10;
  absl::StatusOr<Journal> j = Journal::Create(path, Rouen(), o);
  ASSERT_TRUE(j.ok());
  // A need the plan proposes a service for.
  NeedId need;
  for (int32_t n = 0; n < j->session().num_needs(); ++n) {
    if (j->session().referral_state(NeedId(n)) == ReferralState::kProposed) {
      need = NeedId(n);
      break;
    }
  }
  ASSERT_TRUE(need.valid());
  const Need& nd = Rouen().need(need);
  SessionEvent send;
  send.time = absl::FromUnixSeconds(1767225600);
  send.kind = SessionEventKind::kSend;
  send.person.id = Rouen().person(nd.person).id;
  send.thematique = std::string(ThemeCode(nd.theme));
  absl::StatusOr<EventOutcome> sent = j->Apply(send);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_FALSE(sent->service_id.empty());
  SessionEvent due;
  due.kind = SessionEventKind::kExpire;
  due.time = send.time + absl::Hours(24) * 9;
  absl::StatusOr<EventOutcome> early = j->Apply(due);
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->expired.empty());
  EXPECT_EQ(j->session().referral_state(need), ReferralState::kSent);
  due.time = send.time + absl::Hours(24) * 10;
  absl::StatusOr<EventOutcome> late = j->Apply(due);
  ASSERT_TRUE(late.ok());
  ASSERT_EQ(late->expired.size(), 1u);
  EXPECT_EQ(late->expired[0].first, send.person.id);
  EXPECT_NE(j->session().referral_state(need), ReferralState::kSent);
  absl::StatusOr<std::vector<HistoryRow>> h = j->History(send.person.id);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 2u);  // the send and the due expiry
  EXPECT_EQ((*h)[1].origin, "due");
  EXPECT_EQ((*h)[1].service_id, sent->service_id);
  EXPECT_FALSE((*h)[1].partner_id.empty());
  // The delay is the journal's, whatever the options of a later opening.
  JournalOptions other;
  other.expiry = absl::Hours(1);
  absl::StatusOr<Journal> again = Journal::Open(path, other);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->expiry(), absl::Hours(24) * 10);
}

// The right to erasure: nothing of the person remains in the file, and the
// journal is the one that the network and events without them give.
TEST(JournalTest, ErasingAPersonLeavesNoTrace) {
  const std::string path = TempPath("erase.journal");
  absl::StatusOr<Journal> j = Journal::Create(path, Rouen());
  ASSERT_TRUE(j.ok());
  std::vector<SessionEvent> events = EventStream(Rouen(), 200, 5);
  // Two people to erase: one of the network, one who arrived.
  const std::string base_id = Rouen().persons()[3].id;
  std::string arrived_id;
  for (const SessionEvent& e : events) {
    if (e.kind == SessionEventKind::kArrive) {
      arrived_id = e.person.id;
      break;
    }
  }
  ASSERT_FALSE(arrived_id.empty());
  ApplyAll(*j, events);
  EXPECT_TRUE(absl::IsFailedPrecondition(j->ErasePerson(base_id).status()));
  EXPECT_TRUE(absl::IsNotFound(j->ErasePerson("p-nobody").status()));
  absl::Time t = events.back().time;
  for (const std::string& id : {base_id, arrived_id}) {
    SessionEvent leave;
    leave.time = (t += absl::Minutes(1));
    leave.kind = SessionEventKind::kLeave;
    leave.person.id = id;
    absl::StatusOr<EventOutcome> r = j->Apply(leave);
    // The stream may have made them leave already.
    EXPECT_TRUE(r.ok() || absl::IsFailedPrecondition(r.status())) << r.status();
  }
  ASSERT_TRUE(j->Compact().ok());
  EXPECT_TRUE(
      absl::StrContains(FileBytes(path) + FileBytes(path + "-wal"), base_id));
  absl::StatusOr<std::vector<Journal::WrittenEvent>> written = j->Events();
  ASSERT_TRUE(written.ok());
  absl::StatusOr<int64_t> removed = j->ErasePerson(base_id);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_GT(*removed, 0);
  absl::StatusOr<int64_t> removed2 = j->ErasePerson(arrived_id);
  ASSERT_TRUE(removed2.ok()) << removed2.status();
  EXPECT_GT(*removed2, 0);
  for (const std::string& id : {base_id, arrived_id}) {
    EXPECT_FALSE(absl::StrContains(FileBytes(path), id)) << id;
    EXPECT_FALSE(fs::exists(path + "-wal") &&
                 absl::StrContains(FileBytes(path + "-wal"), id));
    EXPECT_FALSE(j->FindPerson(id));
    absl::StatusOr<std::vector<HistoryRow>> h = j->History(id);
    ASSERT_TRUE(h.ok());
    EXPECT_TRUE(h->empty());
  }
  // The same state as a journal made without them.
  NetworkRows rows = RowsOf(Rouen());
  std::erase_if(rows.persons,
                [&](const PersonRow& p) { return p.id == base_id; });
  std::erase_if(rows.needs,
                [&](const NeedRow& n) { return n.person_id == base_id; });
  std::erase_if(rows.supports,
                [&](const SupportRow& s) { return s.person_id == base_id; });
  absl::StatusOr<Network> without = BuildNetwork(std::move(rows));
  ASSERT_TRUE(without.ok());
  const std::string ref_path = TempPath("erase-ref.journal");
  absl::StatusOr<Journal> ref = Journal::Create(ref_path, *without);
  ASSERT_TRUE(ref.ok());
  // The events as written (a send with the service it went to), but theirs.
  std::vector<SessionEvent> others;
  for (const Journal::WrittenEvent& w : *written) {
    if (w.event.person.id != base_id && w.event.person.id != arrived_id) {
      others.push_back(w.event);
    }
  }
  EXPECT_EQ(ApplyAll(*ref, others), static_cast<int64_t>(others.size()));
  EXPECT_TRUE(StateOf(*ref) == StateOf(*j))
      << testing_events::Diff(StateOf(*ref), StateOf(*j));
  absl::StatusOr<Journal> reopened = Journal::Open(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_TRUE(StateOf(*reopened) == StateOf(*j));
}

TEST(EventsFileTest, ReadsEveryEventAndReportsEveryBadLine) {
  const std::string csv =
      "time,event,event_id,person_id,site_id,insee_com,lat,lng,age,publics,"
      "max_distance_km,thematique,urgency,service_id,places,reason\n"
      "2026-12-07T09:00:00Z,arrive,a1,p9,S1,69123,45.7,4.8,31,jeunes|femmes,"
      "12,sante,2,,,\n"
      "2026-12-07T10:00:00+01:00,capacity,,,,,,,,,,,,SV1,3,\n"
      "2026-12-07T09:10:00Z,refuse,,p9,,,,,,,,sante,,SV1,,cannot_travel\n"
      "2026-12-07T09:20:00Z,expire,,,,,,,,,,,,,,\n"
      "2026-12-07,send,,p9,,,,,,,,sante,,,,\n"                   // line 6
      "2026-12-07T09:30:00Z,sned,,p9,,,,,,,,sante,,,,\n"         // line 7
      "2026-12-07T09:30:00Z,send,,,,,,,,,,sante,,,,\n"           // line 8
      "2026-12-07T09:30:00Z,leave,,p9,,69123,,,,,,,,,,\n"        // line 9
      "2026-12-07T09:30:00Z,refuse,,p9,,,,,,,,sante,,SV1,,no\n"  // line 10
      "2026-12-07T09:30:00Z,arrive,,p8,S1,,north,,,,,,,,,\n"     // line 11
      "2026-12-07T09:30:00Z,capacity,,,,,,,,,,,,SV1,,\n"         // line 12
      "2026-12-07T09:30:00Z,expire,,p9,,,,,,,,,,,,\n"            // line 13
      "2026-12-07T09:30:00Z,send\n";                             // line 14
  absl::StatusOr<EventFile> f = ParseEvents(csv);
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->events.size(), 4u);
  EXPECT_EQ(f->lines, (std::vector<int64_t>{2, 3, 4, 5}));
  const SessionEvent& a = f->events[0];
  EXPECT_EQ(a.kind, SessionEventKind::kArrive);
  EXPECT_EQ(a.person.id, "p9");
  EXPECT_EQ(a.person.publics, (std::vector<std::string>{"jeunes", "femmes"}));
  EXPECT_EQ(a.person.age, 31);
  EXPECT_EQ(a.urgency, 2);
  EXPECT_EQ(f->events[1].time, f->events[0].time);  // 10:00+01:00 = 09:00Z
  EXPECT_EQ(f->events[2].reason, RefusalReason::kCannotTravel);
  std::vector<int64_t> bad;
  for (const EventLineProblem& p : f->problems) {
    bad.push_back(p.line);
    // A personal cell's value is never quoted.
    EXPECT_FALSE(absl::StrContains(p.ToString(), "north"));
    EXPECT_FALSE(absl::StrContains(p.ToString(), "69123"));
  }
  bad.erase(std::unique(bad.begin(), bad.end()), bad.end());
  EXPECT_EQ(bad, (std::vector<int64_t>{6, 7, 8, 9, 10, 11, 12, 13, 14}));
  EXPECT_TRUE(absl::StrContains(f->problems[0].ToString(), "line 6: time"));

  EXPECT_TRUE(
      absl::IsInvalidArgument(ParseEvents("time,event,colour\n").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseEvents("event\n").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseEvents("").status()));
}

TEST(EventsFileTest, TimesNeedAnOffset) {
  EXPECT_TRUE(ParseEventTime("2026-12-07T09:30:00Z"));
  EXPECT_TRUE(ParseEventTime("2026-12-07T09:30:00.250+02:00"));
  EXPECT_FALSE(ParseEventTime("2026-12-07T09:30:00"));
  EXPECT_FALSE(ParseEventTime("2026-12-07"));
  EXPECT_FALSE(ParseEventTime("07/12/2026 09:30"));
  EXPECT_EQ(FormatEventTime(*ParseEventTime("2026-12-07T10:30:00+01:00")),
            "2026-12-07T09:30:00Z");
  for (int k = 0; k < kNumSessionEventKinds; ++k) {
    const auto kind = static_cast<SessionEventKind>(k);
    EXPECT_EQ(ParseSessionEventKind(SessionEventCode(kind)), kind);
  }
}

}  // namespace
}  // namespace maillage
