// Journal (maillage/journal.h): an AllocationSession in a SQLite database.
//
// Schema (version 1, docs/session.md):
//   meta(key PRIMARY KEY, value)       format, expiry_seconds
//   network(file PRIMARY KEY, text)    the tables the journal was created on
//   events(seq PRIMARY KEY, time, event, event_id UNIQUE, person_id, ...)
//   expiries(seq, person_id, thematique, service_id)  referrals expired by
//                                      the expire event `seq` (no person)
//   snapshots(seq PRIMARY KEY, state)  AllocationSession::Snapshot() after
//                                      event `seq` (0: at creation)

#include "maillage/journal.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/cells.h"
#include "base/csv.h"
#include "base/file.h"
#include "base/status_macros.h"
#include "base/text.h"
#include "maillage/io.h"
#include "maillage/rank.h"
#include "maillage/vocabulary.h"
#include "nlohmann/json.hpp"

namespace maillage {
namespace {

constexpr absl::string_view kFormat = "maillage session journal";

// A prepared statement; binds are 1-based as in SQLite.
class Stmt {
 public:
  Stmt(sqlite3* db, absl::string_view sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()),
                             &stmt_, nullptr);
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  absl::Status status() const {
    if (rc_ == SQLITE_OK) return absl::OkStatus();
    return absl::InternalError(absl::StrCat("journal: ", sqlite3_errmsg(db_)));
  }
  void Bind(int i, absl::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
  }
  void BindOrNull(int i, absl::string_view v) {
    if (v.empty()) {
      sqlite3_bind_null(stmt_, i);
    } else {
      Bind(i, v);
    }
  }
  void BindBlob(int i, absl::string_view v) {
    sqlite3_bind_blob64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT);
  }
  void Bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  template <typename T>
  void Bind(int i, const absl::optional<T>& v) {
    if (!v) {
      sqlite3_bind_null(stmt_, i);
    } else if constexpr (std::is_floating_point_v<T>) {
      sqlite3_bind_double(stmt_, i, *v);
    } else {
      sqlite3_bind_int64(stmt_, i, static_cast<int64_t>(*v));
    }
  }
  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int Step() {
    if (rc_ != SQLITE_OK) return rc_;
    return sqlite3_step(stmt_);
  }
  absl::Status Run() {
    const int rc = Step();
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) return absl::OkStatus();
    return Error(rc);
  }
  absl::Status Error(int rc) const {
    return absl::InternalError(absl::StrCat("journal: ", sqlite3_errstr(rc),
                                            ": ", sqlite3_errmsg(db_)));
  }
  bool Null(int c) const {
    return sqlite3_column_type(stmt_, c) == SQLITE_NULL;
  }
  int64_t Int(int c) const { return sqlite3_column_int64(stmt_, c); }
  double Real(int c) const { return sqlite3_column_double(stmt_, c); }
  std::string Text(int c) const {
    const auto* p = sqlite3_column_text(stmt_, c);
    return p == nullptr
               ? std::string()
               : std::string(
                     reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, c)));
  }
  std::string Blob(int c) const {
    const void* p = sqlite3_column_blob(stmt_, c);
    return p == nullptr
               ? std::string()
               : std::string(
                     static_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, c)));
  }
  template <typename T>
  absl::optional<T> Opt(int c) const {
    if (Null(c)) return absl::nullopt;
    if constexpr (std::is_floating_point_v<T>) {
      return Real(c);
    } else {
      return static_cast<T>(Int(c));
    }
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

absl::Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    absl::Status s = absl::InternalError(
        absl::StrCat("journal: ", err == nullptr ? "error" : err));
    sqlite3_free(err);
    return s;
  }
  return absl::OkStatus();
}

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;

absl::StatusOr<Db> OpenDb(const std::string& path, int flags,
                          absl::Duration busy) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    return absl::InternalError(absl::StrCat(
        path, ": ", raw == nullptr ? sqlite3_errstr(rc) : sqlite3_errmsg(raw)));
  }
  sqlite3_busy_timeout(db.get(),
                       static_cast<int>(absl::ToInt64Milliseconds(busy)));
  sqlite3_extended_result_codes(db.get(), 1);
  return db;
}

constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE network(file TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE events(
  seq INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  event TEXT NOT NULL,
  event_id TEXT UNIQUE,
  person_id TEXT, site_id TEXT, insee_com TEXT, lat REAL, lng REAL,
  age INTEGER, publics TEXT, max_distance_km REAL,
  thematique TEXT, urgency INTEGER, service_id TEXT, places INTEGER,
  reason TEXT);
CREATE INDEX events_person ON events(person_id);
CREATE TABLE expiries(
  seq INTEGER NOT NULL REFERENCES events(seq),
  person_id TEXT NOT NULL, thematique TEXT NOT NULL, service_id TEXT NOT NULL);
CREATE INDEX expiries_person ON expiries(person_id);
CREATE TABLE changes(
  seq INTEGER NOT NULL REFERENCES events(seq),
  person_id TEXT NOT NULL, thematique TEXT NOT NULL,
  from_service_id TEXT, to_service_id TEXT);
CREATE INDEX changes_person ON changes(person_id);
CREATE TABLE snapshots(seq INTEGER PRIMARY KEY, state BLOB NOT NULL);
CREATE TABLE rejected(
  event_id TEXT PRIMARY KEY, after_seq INTEGER NOT NULL, time TEXT NOT NULL,
  event TEXT NOT NULL, person_id TEXT, code INTEGER NOT NULL,
  message TEXT NOT NULL);
CREATE INDEX rejected_person ON rejected(person_id);
)sql";

constexpr const char* kEventColumns =
    "seq, time, event, event_id, person_id, site_id, insee_com, lat, lng, "
    "age, publics, max_distance_km, thematique, urgency, service_id, places, "
    "reason";

absl::Status InsertEvent(sqlite3* db, int64_t seq, const SessionEvent& e) {
  Stmt st(db, absl::StrCat("INSERT INTO events(", kEventColumns,
                           ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  MAILLAGE_RETURN_IF_ERROR(st.status());
  st.Bind(1, seq);
  st.Bind(2, FormatEventTime(e.time));
  st.Bind(3, SessionEventCode(e.kind));
  st.BindOrNull(4, e.event_id);
  st.BindOrNull(5, e.person.id);
  st.BindOrNull(6, e.person.site_id);
  st.BindOrNull(7, e.person.insee_com);
  st.Bind(8, e.person.lat);
  st.Bind(9, e.person.lng);
  st.Bind(10, e.person.age);
  st.BindOrNull(11, base::JoinList(e.person.publics));
  st.Bind(12, e.person.max_distance_km);
  st.BindOrNull(13, e.thematique);
  st.Bind(14, e.urgency);
  st.BindOrNull(15, e.service_id);
  st.Bind(16, e.places);
  st.BindOrNull(17, e.reason ? RefusalReasonCode(*e.reason) : "");
  return st.Run();
}

// The event of a row of `SELECT kEventColumns FROM events`.
absl::StatusOr<SessionEvent> EventOfRow(const Stmt& st) {
  SessionEvent e;
  const absl::optional<absl::Time> t = ParseEventTime(st.Text(1));
  const absl::optional<SessionEventKind> k = ParseSessionEventKind(st.Text(2));
  if (!t || !k) {
    return absl::DataLossError(
        absl::StrCat("journal: event ", st.Int(0), " is malformed"));
  }
  e.time = *t;
  e.kind = *k;
  e.event_id = st.Text(3);
  e.person.id = st.Text(4);
  e.person.site_id = st.Text(5);
  e.person.insee_com = st.Text(6);
  e.person.lat = st.Opt<double>(7);
  e.person.lng = st.Opt<double>(8);
  e.person.age = st.Opt<int64_t>(9);
  const std::string publics = st.Text(10);  // SplitList views into it
  for (std::string_view p : base::SplitList(publics)) {
    e.person.publics.emplace_back(p);
  }
  e.person.max_distance_km = st.Opt<double>(11);
  e.thematique = st.Text(12);
  e.urgency = st.Opt<int64_t>(13);
  e.service_id = st.Text(14);
  e.places = st.Opt<int64_t>(15);
  if (!st.Null(16)) {
    e.reason = ParseRefusalReason(st.Text(16));
    if (!e.reason) {
      return absl::DataLossError(
          absl::StrCat("journal: event ", st.Int(0), " has an unknown reason"));
    }
  }
  return e;
}

absl::StatusOr<std::string> MetaValue(sqlite3* db, absl::string_view key) {
  Stmt st(db, "SELECT value FROM meta WHERE key = ?");
  MAILLAGE_RETURN_IF_ERROR(st.status());
  st.Bind(1, key);
  if (st.Step() != SQLITE_ROW) {
    return absl::DataLossError(absl::StrCat("journal: no ", key, " in meta"));
  }
  return st.Text(0);
}

absl::StatusOr<int64_t> MaxSeq(sqlite3* db) {
  Stmt st(db, "SELECT COALESCE(MAX(seq), 0) FROM events");
  MAILLAGE_RETURN_IF_ERROR(st.status());
  if (st.Step() != SQLITE_ROW) return st.Error(SQLITE_ERROR);
  return st.Int(0);
}

// Rolls back an open transaction unless Commit() was called.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  absl::Status Begin(const char* sql) {
    MAILLAGE_RETURN_IF_ERROR(Exec(db_, sql));
    open_ = true;
    return absl::OkStatus();
  }
  absl::Status Commit() {
    open_ = false;
    return Exec(db_, "COMMIT");
  }

 private:
  sqlite3* db_;
  bool open_ = false;
};

// The expiries and changes of an applied event, in its transaction.
absl::Status WriteEffects(sqlite3* db, int64_t seq, const EventOutcome& out) {
  for (const auto& [person, theme] : out.expired) {
    // The service is no longer in the session: the last send says it.
    Stmt ins(db,
             "INSERT INTO expiries(seq, person_id, thematique, service_id) "
             "SELECT ?, ?, ?, COALESCE((SELECT service_id FROM events "
             "WHERE person_id = ? AND thematique = ? AND event = 'send' "
             "ORDER BY seq DESC LIMIT 1), '')");
    MAILLAGE_RETURN_IF_ERROR(ins.status());
    ins.Bind(1, seq);
    ins.Bind(2, person);
    ins.Bind(3, theme);
    ins.Bind(4, person);
    ins.Bind(5, theme);
    MAILLAGE_RETURN_IF_ERROR(ins.Run());
  }
  for (const PlanChange& c : out.changes) {
    Stmt ins(db,
             "INSERT INTO changes(seq, person_id, thematique, from_service_id, "
             "to_service_id) VALUES(?, ?, ?, ?, ?)");
    MAILLAGE_RETURN_IF_ERROR(ins.status());
    ins.Bind(1, seq);
    ins.Bind(2, c.person_id);
    ins.Bind(3, c.thematique);
    ins.BindOrNull(4, c.from_service_id);
    ins.BindOrNull(5, c.to_service_id);
    MAILLAGE_RETURN_IF_ERROR(ins.Run());
  }
  return absl::OkStatus();
}

}  // namespace

struct Journal::Impl {
  std::string path;
  Db db;
  bool read_only = false;
  bool broken = false;
  absl::Duration expiry;
  JournalOptions options;
  absl::optional<Ranker> ranker;
  absl::optional<AllocationSession> session;
  int64_t last_seq = 0;
  int64_t snapshot_seq = 0;
  int64_t replayed = 0;
  absl::flat_hash_map<std::string, PersonId> people;
  // (person, theme) -> the person's last need of that theme.
  absl::flat_hash_map<std::pair<int32_t, ThemeId>, NeedId> needs;

  void IndexSession() {
    people.clear();
    needs.clear();
    const AllocationSession& s = *session;
    for (int32_t p = 0; p < s.num_people(); ++p) {
      people[s.person_id(PersonId(p))] = PersonId(p);
    }
    for (int32_t n = 0; n < s.num_needs(); ++n) {
      const SessionNeed info = *s.need(NeedId(n));
      needs[{info.person.value(), info.theme}] = NeedId(n);
    }
  }

  absl::StatusOr<PersonId> PersonOf(const SessionEvent& e) const {
    auto it = people.find(e.person.id);
    if (it == people.end()) {
      return absl::InvalidArgumentError(absl::StrCat("person_id: no person ",
                                                     base::Quoted(e.person.id),
                                                     " in the journal"));
    }
    return it->second;
  }
  absl::StatusOr<NeedId> NeedOf(const SessionEvent& e) const {
    MAILLAGE_ASSIGN_OR_RETURN(PersonId p, PersonOf(e));
    const absl::optional<ThemeId> theme = ParseTheme(e.thematique);
    if (!theme) {
      return absl::InvalidArgumentError(
          "thematique: not a theme of the data·inclusion vocabulary");
    }
    auto it = needs.find({p.value(), *theme});
    if (it == needs.end() ||
        session->need(it->second)->state == SessionNeed::State::kClosed) {
      return absl::FailedPreconditionError(
          absl::StrCat("person ", base::Quoted(e.person.id),
                       " has no open need of that thematique"));
    }
    return it->second;
  }
  absl::StatusOr<ServiceId> ServiceOf(absl::string_view id) const {
    absl::optional<ServiceId> s = ranker->network().FindService(id);
    if (!s) {
      return absl::InvalidArgumentError(absl::StrCat(
          "service_id: no service ", base::Quoted(id), " in the network"));
    }
    return *s;
  }
  // The service an event names, or else the need's current one (the
  // proposal, or the referral's service).
  absl::StatusOr<ServiceId> ServiceOrCurrent(const SessionEvent& e,
                                             NeedId need) const {
    if (!e.service_id.empty()) return ServiceOf(e.service_id);
    if (absl::optional<ServiceId> s = session->assignment(need)) return *s;
    return absl::FailedPreconditionError(
        "service_id: empty, and the plan proposes no service for this need");
  }

  // Applies `e` to the session; fills `out` (service_id, expired). The
  // session changes nothing when this fails with InvalidArgument or
  // FailedPrecondition.
  absl::Status ApplyToSession(const SessionEvent& e, EventOutcome* out) {
    MAILLAGE_RETURN_IF_ERROR(ApplyEvent(e, out));
    if (e.kind == SessionEventKind::kPropose) return absl::OkStatus();
    const AllocationSession& s = *session;
    const Network& net = ranker->network();
    auto id = [&](ServiceId v) {
      return v.valid() ? net.service(v).id : std::string();
    };
    for (const NeedChange& c : s.last_event_changes()) {
      const SessionNeed info = *s.need(c.need);
      out->changes.push_back({s.person_id(info.person),
                              std::string(ThemeCode(info.theme)), id(c.from),
                              id(c.to)});
    }
    return absl::OkStatus();
  }

  absl::Status ApplyEvent(const SessionEvent& e, EventOutcome* out) {
    AllocationSession& s = *session;
    const Network& net = ranker->network();
    switch (e.kind) {
      case SessionEventKind::kArrive: {
        std::vector<NeedRow> rows;
        if (!e.thematique.empty()) {
          rows.push_back({e.person.id, e.thematique, e.urgency});
        }
        const int32_t first = s.num_needs();
        MAILLAGE_ASSIGN_OR_RETURN(PersonId p, s.AddPerson(e.person, rows));
        people[e.person.id] = p;
        for (int32_t n = first; n < s.num_needs(); ++n) {
          needs[{p.value(), s.need(NeedId(n))->theme}] = NeedId(n);
        }
        return absl::OkStatus();
      }
      case SessionEventKind::kLeave: {
        MAILLAGE_ASSIGN_OR_RETURN(PersonId p, PersonOf(e));
        return s.RemovePerson(p);
      }
      case SessionEventKind::kAddNeed: {
        MAILLAGE_ASSIGN_OR_RETURN(PersonId p, PersonOf(e));
        MAILLAGE_ASSIGN_OR_RETURN(
            NeedId n, s.AddNeed(p, {e.person.id, e.thematique, e.urgency}));
        needs[{p.value(), s.need(n)->theme}] = n;
        return absl::OkStatus();
      }
      case SessionEventKind::kCloseNeed: {
        MAILLAGE_ASSIGN_OR_RETURN(NeedId n, NeedOf(e));
        return s.CloseNeed(n);
      }
      case SessionEventKind::kCapacity: {
        MAILLAGE_ASSIGN_OR_RETURN(ServiceId sv, ServiceOf(e.service_id));
        if (!e.places || *e.places < 0 || *e.places > (int64_t{1} << 30)) {
          return absl::InvalidArgumentError(
              "places: required, an integer >= 0");
        }
        out->service_id = e.service_id;
        return s.SetCapacity(sv, static_cast<int32_t>(*e.places));
      }
      case SessionEventKind::kPropose: {
        MAILLAGE_ASSIGN_OR_RETURN(NeedId n, NeedOf(e));
        MAILLAGE_ASSIGN_OR_RETURN(ServiceId sv, ServiceOrCurrent(e, n));
        out->service_id = net.service(sv).id;
        return absl::OkStatus();
      }
      case SessionEventKind::kSend: {
        MAILLAGE_ASSIGN_OR_RETURN(NeedId n, NeedOf(e));
        MAILLAGE_ASSIGN_OR_RETURN(ServiceId sv, ServiceOrCurrent(e, n));
        out->service_id = net.service(sv).id;
        return s.Send(n, sv, e.time);
      }
      case SessionEventKind::kAccept: {
        MAILLAGE_ASSIGN_OR_RETURN(NeedId n, NeedOf(e));
        MAILLAGE_ASSIGN_OR_RETURN(ServiceId sv, ServiceOrCurrent(e, n));
        out->service_id = net.service(sv).id;
        return s.Accept(n, sv);
      }
      case SessionEventKind::kRefuse: {
        MAILLAGE_ASSIGN_OR_RETURN(NeedId n, NeedOf(e));
        MAILLAGE_ASSIGN_OR_RETURN(ServiceId sv, ServiceOrCurrent(e, n));
        out->service_id = net.service(sv).id;
        return s.Refuse(n, sv, e.reason.value_or(RefusalReason::kOther));
      }
      case SessionEventKind::kExpire: {
        if (!e.person.id.empty()) {
          MAILLAGE_ASSIGN_OR_RETURN(NeedId n, NeedOf(e));
          if (absl::optional<ServiceId> sv = s.assignment(n)) {
            out->service_id = net.service(*sv).id;
          }
          return s.Expire(n);
        }
        MAILLAGE_ASSIGN_OR_RETURN(std::vector<NeedId> expired,
                                  s.ExpireDue(e.time, expiry));
        for (NeedId n : expired) {
          const SessionNeed info = *s.need(n);
          out->expired.emplace_back(s.person_id(info.person),
                                    std::string(ThemeCode(info.theme)));
        }
        return absl::OkStatus();
      }
      case SessionEventKind::kStart: {
        MAILLAGE_ASSIGN_OR_RETURN(NeedId n, NeedOf(e));
        return s.Start(n);
      }
      case SessionEventKind::kComplete: {
        MAILLAGE_ASSIGN_OR_RETURN(NeedId n, NeedOf(e));
        return s.Complete(n);
      }
      case SessionEventKind::kCancel: {
        MAILLAGE_ASSIGN_OR_RETURN(NeedId n, NeedOf(e));
        return s.Cancel(n);
      }
    }
    return absl::InternalError("unknown event");
  }

  // Loads the network, the last snapshot and replays the events after it,
  // all in the current read transaction.
  absl::Status Load() {
    MAILLAGE_ASSIGN_OR_RETURN(std::string format,
                              MetaValue(db.get(), "format"));
    if (format != kFormat) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": not a maillage session journal"));
    }
    MAILLAGE_ASSIGN_OR_RETURN(std::string secs,
                              MetaValue(db.get(), "expiry_seconds"));
    int64_t expiry_seconds = 0;
    if (!base::ParseInteger(secs, &expiry_seconds) || expiry_seconds < 0) {
      return absl::DataLossError("journal: bad expiry_seconds");
    }
    expiry = absl::Seconds(expiry_seconds);
    std::vector<TableText> tables;
    {
      Stmt st(db.get(), "SELECT file, text FROM network ORDER BY file");
      MAILLAGE_RETURN_IF_ERROR(st.status());
      while (st.Step() == SQLITE_ROW)
        tables.push_back({st.Text(0), st.Text(1)});
    }
    absl::StatusOr<Network> net = NetworkFromTables(tables);
    if (!net.ok()) {
      return absl::DataLossError(absl::StrCat(
          "journal: its network does not load: ", net.status().message()));
    }
    MAILLAGE_ASSIGN_OR_RETURN(Ranker r, Ranker::Create(*std::move(net)));
    ranker.emplace(std::move(r));
    {
      Stmt st(db.get(),
              "SELECT seq, state FROM snapshots ORDER BY seq DESC LIMIT 1");
      MAILLAGE_RETURN_IF_ERROR(st.status());
      if (st.Step() != SQLITE_ROW) {
        return absl::DataLossError("journal: no snapshot");
      }
      snapshot_seq = st.Int(0);
      absl::StatusOr<AllocationSession> s =
          AllocationSession::FromSnapshot(*ranker, st.Blob(1));
      if (!s.ok()) {
        return absl::DataLossError(absl::StrCat(
            "journal: snapshot ", snapshot_seq, ": ", s.status().message()));
      }
      session.emplace(*std::move(s));
    }
    IndexSession();
    last_seq = snapshot_seq;
    replayed = 0;
    Stmt st(db.get(), absl::StrCat("SELECT ", kEventColumns,
                                   " FROM events WHERE seq > ? ORDER BY seq"));
    MAILLAGE_RETURN_IF_ERROR(st.status());
    st.Bind(1, snapshot_seq);
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      MAILLAGE_ASSIGN_OR_RETURN(SessionEvent e, EventOfRow(st));
      EventOutcome ignored;
      if (absl::Status s = ApplyToSession(e, &ignored); !s.ok()) {
        return absl::DataLossError(absl::StrCat(
            "journal: event ", st.Int(0), " fails on replay: ", s.message()));
      }
      last_seq = st.Int(0);
      ++replayed;
    }
    if (rc != SQLITE_DONE) return st.Error(rc);
    return absl::OkStatus();
  }

  absl::Status WriteSnapshot() {
    const std::string state = session->Snapshot();
    Stmt ins(db.get(),
             "INSERT OR REPLACE INTO snapshots(seq, state) VALUES(?, ?)");
    MAILLAGE_RETURN_IF_ERROR(ins.status());
    ins.Bind(1, last_seq);
    ins.BindBlob(2, state);
    MAILLAGE_RETURN_IF_ERROR(ins.Run());
    Stmt del(db.get(), "DELETE FROM snapshots WHERE seq < ?");
    MAILLAGE_RETURN_IF_ERROR(del.status());
    del.Bind(1, last_seq);
    return del.Run();
  }

  absl::Status CheckWritable() const {
    if (read_only) {
      return absl::FailedPreconditionError("the journal is open read-only");
    }
    if (broken) {
      return absl::FailedPreconditionError(
          "a write to the journal failed: open it again");
    }
    return absl::OkStatus();
  }
  // In a write transaction: no other process wrote since we read.
  absl::Status CheckNoOtherWriter() const {
    MAILLAGE_ASSIGN_OR_RETURN(int64_t seq, MaxSeq(db.get()));
    if (seq != last_seq) {
      return absl::AbortedError(
          "another process wrote to the journal: open it again");
    }
    return absl::OkStatus();
  }
};

namespace {

absl::Status ConfigureWriter(sqlite3* db, const JournalOptions& o) {
  MAILLAGE_RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode=WAL"));
  return Exec(db, o.sync_each_event ? "PRAGMA synchronous=FULL"
                                    : "PRAGMA synchronous=NORMAL");
}

absl::Status CreateAt(sqlite3* db, const std::vector<TableText>& tables,
                      absl::Duration expiry) {
  Transaction tx(db);
  MAILLAGE_RETURN_IF_ERROR(tx.Begin("BEGIN IMMEDIATE"));
  MAILLAGE_RETURN_IF_ERROR(Exec(db, kSchema));
  MAILLAGE_RETURN_IF_ERROR(Exec(
      db, absl::StrCat("PRAGMA user_version=", kJournalSchemaVersion).c_str()));
  {
    Stmt st(db, "INSERT INTO meta(key, value) VALUES('format', ?)");
    MAILLAGE_RETURN_IF_ERROR(st.status());
    st.Bind(1, kFormat);
    MAILLAGE_RETURN_IF_ERROR(st.Run());
  }
  {
    Stmt st(db, "INSERT INTO meta(key, value) VALUES('expiry_seconds', ?)");
    MAILLAGE_RETURN_IF_ERROR(st.status());
    st.Bind(1, absl::StrCat(absl::ToInt64Seconds(expiry)));
    MAILLAGE_RETURN_IF_ERROR(st.Run());
  }
  for (const TableText& t : tables) {
    Stmt st(db, "INSERT INTO network(file, text) VALUES(?, ?)");
    MAILLAGE_RETURN_IF_ERROR(st.status());
    st.Bind(1, t.file);
    st.Bind(2, t.text);
    MAILLAGE_RETURN_IF_ERROR(st.Run());
  }
  return tx.Commit();
}

absl::Status CheckSchema(sqlite3* db, const std::string& path) {
  Stmt st(db, "PRAGMA user_version");
  MAILLAGE_RETURN_IF_ERROR(st.status());
  if (st.Step() != SQLITE_ROW) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a maillage session journal"));
  }
  const int64_t v = st.Int(0);
  if (v != kJournalSchemaVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ",
                     v == 0 ? std::string("not a maillage session journal")
                            : absl::StrCat("journal schema version ", v,
                                           "; this library "
                                           "reads version ",
                                           kJournalSchemaVersion)));
  }
  return absl::OkStatus();
}

}  // namespace

Journal::Journal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Journal::Journal(Journal&&) noexcept = default;
Journal& Journal::operator=(Journal&&) noexcept = default;
Journal::~Journal() = default;

absl::StatusOr<Journal> Journal::Create(const std::string& path,
                                        const Network& network,
                                        const JournalOptions& options) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    return absl::AlreadyExistsError(absl::StrCat(path, ": already exists"));
  }
  if (options.expiry < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("expiry must be >= 0");
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  MAILLAGE_ASSIGN_OR_RETURN(
      impl->db, OpenDb(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                       options.busy_timeout));
  sqlite3* db = impl->db.get();
  MAILLAGE_RETURN_IF_ERROR(ConfigureWriter(db, options));
  const std::vector<TableText> tables = NetworkTables(network);
  // The session starts from the network as the journal will load it.
  absl::StatusOr<Network> reloaded = NetworkFromTables(tables);
  if (!reloaded.ok()) return reloaded.status();
  MAILLAGE_ASSIGN_OR_RETURN(Ranker r, Ranker::Create(*std::move(reloaded)));
  impl->ranker.emplace(std::move(r));
  MAILLAGE_ASSIGN_OR_RETURN(AllocationSession s,
                            AllocationSession::Start(*impl->ranker));
  impl->session.emplace(std::move(s));
  impl->expiry = options.expiry;
  absl::Status st = [&]() -> absl::Status {
    MAILLAGE_RETURN_IF_ERROR(CreateAt(db, tables, options.expiry));
    Transaction tx(db);
    MAILLAGE_RETURN_IF_ERROR(tx.Begin("BEGIN IMMEDIATE"));
    MAILLAGE_RETURN_IF_ERROR(impl->WriteSnapshot());
    return tx.Commit();
  }();
  if (!st.ok()) {
    impl->db.reset();
    std::filesystem::remove(path, ec);
    return st;
  }
  impl->IndexSession();
  return Journal(std::move(impl));
}

absl::StatusOr<Journal> Journal::Open(const std::string& path,
                                      const JournalOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return absl::NotFoundError(absl::StrCat(path, ": no journal"));
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  MAILLAGE_ASSIGN_OR_RETURN(
      impl->db, OpenDb(path, SQLITE_OPEN_READWRITE, options.busy_timeout));
  sqlite3* db = impl->db.get();
  MAILLAGE_RETURN_IF_ERROR(CheckSchema(db, path));
  MAILLAGE_RETURN_IF_ERROR(ConfigureWriter(db, options));
  Transaction tx(db);
  MAILLAGE_RETURN_IF_ERROR(tx.Begin("BEGIN"));
  MAILLAGE_RETURN_IF_ERROR(impl->Load());
  MAILLAGE_RETURN_IF_ERROR(tx.Commit());
  return Journal(std::move(impl));
}

absl::StatusOr<Journal> Journal::OpenReadOnly(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return absl::NotFoundError(absl::StrCat(path, ": no journal"));
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->read_only = true;
  MAILLAGE_ASSIGN_OR_RETURN(impl->db, OpenDb(path, SQLITE_OPEN_READONLY,
                                             JournalOptions().busy_timeout));
  sqlite3* db = impl->db.get();
  MAILLAGE_RETURN_IF_ERROR(CheckSchema(db, path));
  Transaction tx(db);
  MAILLAGE_RETURN_IF_ERROR(tx.Begin("BEGIN"));
  MAILLAGE_RETURN_IF_ERROR(impl->Load());
  MAILLAGE_RETURN_IF_ERROR(tx.Commit());
  return Journal(std::move(impl));
}

absl::StatusOr<EventOutcome> Journal::Apply(const SessionEvent& event) {
  Impl& j = *impl_;
  MAILLAGE_RETURN_IF_ERROR(j.CheckWritable());
  sqlite3* db = j.db.get();
  Transaction tx(db);
  MAILLAGE_RETURN_IF_ERROR(tx.Begin("BEGIN IMMEDIATE"));
  MAILLAGE_RETURN_IF_ERROR(j.CheckNoOtherWriter());
  EventOutcome out;
  if (!event.event_id.empty()) {
    Stmt st(db, "SELECT seq FROM events WHERE event_id = ?");
    MAILLAGE_RETURN_IF_ERROR(st.status());
    st.Bind(1, event.event_id);
    if (st.Step() == SQLITE_ROW) {
      out.seq = st.Int(0);
      out.skipped = true;
      return out;
    }
    // An id gets one answer: a rejected event stays rejected.
    Stmt rej(db, "SELECT code, message FROM rejected WHERE event_id = ?");
    MAILLAGE_RETURN_IF_ERROR(rej.status());
    rej.Bind(1, event.event_id);
    if (rej.Step() == SQLITE_ROW) {
      return absl::Status(static_cast<absl::StatusCode>(rej.Int(0)),
                          absl::StrCat("rejected before: ", rej.Text(1)));
    }
  }
  if (absl::Status s = j.ApplyToSession(event, &out); !s.ok()) {
    if (!absl::IsInvalidArgument(s) && !absl::IsFailedPrecondition(s)) {
      j.broken = true;
      return s;
    }
    if (!event.event_id.empty()) {
      // Written, so that the same id sent again gets the same answer.
      Stmt ins(db,
               "INSERT INTO rejected(event_id, after_seq, time, event, "
               "person_id, code, message) VALUES(?, ?, ?, ?, ?, ?, ?)");
      MAILLAGE_RETURN_IF_ERROR(ins.status());
      ins.Bind(1, event.event_id);
      ins.Bind(2, j.last_seq);
      ins.Bind(3, FormatEventTime(event.time));
      ins.Bind(4, SessionEventCode(event.kind));
      ins.BindOrNull(5, event.person.id);
      ins.Bind(6, static_cast<int64_t>(s.code()));
      ins.Bind(7, s.message());
      MAILLAGE_RETURN_IF_ERROR(ins.Run());
      MAILLAGE_RETURN_IF_ERROR(tx.Commit());
    }
    return s;
  }
  // From here the session has changed: a failure must not let it go on.
  j.broken = true;
  SessionEvent stored = event;
  stored.service_id =
      out.service_id.empty() ? event.service_id : out.service_id;
  const int64_t seq = j.last_seq + 1;
  MAILLAGE_RETURN_IF_ERROR(InsertEvent(db, seq, stored));
  MAILLAGE_RETURN_IF_ERROR(WriteEffects(db, seq, out));
  MAILLAGE_RETURN_IF_ERROR(tx.Commit());
  j.broken = false;
  j.last_seq = seq;
  out.seq = seq;
  if (j.options.compact_every > 0 &&
      j.last_seq - j.snapshot_seq >= j.options.compact_every) {
    (void)Compact();
  }
  return out;
}

absl::Status Journal::Compact() {
  Impl& j = *impl_;
  MAILLAGE_RETURN_IF_ERROR(j.CheckWritable());
  {
    Transaction tx(j.db.get());
    MAILLAGE_RETURN_IF_ERROR(tx.Begin("BEGIN IMMEDIATE"));
    MAILLAGE_RETURN_IF_ERROR(j.CheckNoOtherWriter());
    MAILLAGE_RETURN_IF_ERROR(j.WriteSnapshot());
    MAILLAGE_RETURN_IF_ERROR(tx.Commit());
  }
  j.snapshot_seq = j.last_seq;
  return absl::OkStatus();
}

absl::StatusOr<int64_t> Journal::ErasePerson(absl::string_view person_id) {
  Impl& j = *impl_;
  MAILLAGE_RETURN_IF_ERROR(j.CheckWritable());
  auto it = j.people.find(person_id);
  if (person_id.empty() || it == j.people.end()) {
    return absl::NotFoundError(
        absl::StrCat("no person ", base::Quoted(person_id), " in the journal"));
  }
  if (j.session->active(it->second)) {
    return absl::FailedPreconditionError(
        absl::StrCat("person ", base::Quoted(person_id),
                     " has not left: apply a leave event before erasing them"));
  }
  sqlite3* db = j.db.get();
  // The network without the person's rows (persons, needs, supports): the
  // journal's network, as Load read it from its tables.
  NetworkRows rows = RowsOf(j.ranker->network());
  auto drop = [&](auto& v) {
    std::erase_if(v, [&](const auto& r) {
      if constexpr (requires { r.person_id; }) {
        return r.person_id == person_id;
      } else {
        return r.id == person_id;
      }
    });
  };
  drop(rows.persons);
  drop(rows.needs);
  drop(rows.supports);
  NetworkBuilder b;
  b.AddRows(std::move(rows));
  MAILLAGE_ASSIGN_OR_RETURN(Network without, std::move(b).Build());

  const std::string tmp = absl::StrCat(j.path, ".erase-", getpid());
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(tmp + suffix, ec);
  }
  int64_t removed = 0;
  absl::Status built = [&]() -> absl::Status {
    MAILLAGE_ASSIGN_OR_RETURN(Journal fresh, Create(tmp, without, [&] {
                                JournalOptions o = j.options;
                                o.expiry = j.expiry;
                                return o;
                              }()));
    Impl& f = *fresh.impl_;
    Transaction tx(f.db.get());
    MAILLAGE_RETURN_IF_ERROR(tx.Begin("BEGIN IMMEDIATE"));
    MAILLAGE_ASSIGN_OR_RETURN(std::vector<WrittenEvent> events, Events());
    for (const WrittenEvent& w : events) {
      if (w.event.person.id == person_id) {
        ++removed;
        continue;
      }
      EventOutcome out;
      if (absl::Status s = f.ApplyToSession(w.event, &out); !s.ok()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "without the person, event ", w.seq, " no longer applies (",
            s.message(), "); nothing was erased"));
      }
      MAILLAGE_RETURN_IF_ERROR(InsertEvent(f.db.get(), w.seq, w.event));
      MAILLAGE_RETURN_IF_ERROR(WriteEffects(f.db.get(), w.seq, out));
      f.last_seq = w.seq;
    }
    // The answers given to the others' rejected events.
    Stmt rej(db,
             "SELECT event_id, after_seq, time, event, person_id, code, "
             "message FROM rejected WHERE person_id IS NULL OR person_id <> ?");
    MAILLAGE_RETURN_IF_ERROR(rej.status());
    rej.Bind(1, person_id);
    int rc;
    while ((rc = rej.Step()) == SQLITE_ROW) {
      Stmt ins(f.db.get(),
               "INSERT INTO rejected(event_id, after_seq, time, event, "
               "person_id, code, message) VALUES(?, ?, ?, ?, ?, ?, ?)");
      MAILLAGE_RETURN_IF_ERROR(ins.status());
      ins.Bind(1, rej.Text(0));
      ins.Bind(2, rej.Int(1));
      ins.Bind(3, rej.Text(2));
      ins.Bind(4, rej.Text(3));
      ins.BindOrNull(5, rej.Text(4));
      ins.Bind(6, rej.Int(5));
      ins.Bind(7, rej.Text(6));
      MAILLAGE_RETURN_IF_ERROR(ins.Run());
    }
    if (rc != SQLITE_DONE) return rej.Error(rc);
    MAILLAGE_RETURN_IF_ERROR(f.WriteSnapshot());
    MAILLAGE_RETURN_IF_ERROR(tx.Commit());
    MAILLAGE_RETURN_IF_ERROR(
        Exec(f.db.get(), "PRAGMA wal_checkpoint(TRUNCATE)"));
    return absl::OkStatus();
  }();  // `fresh` is closed here: its WAL folded into the file
  if (!built.ok()) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(tmp + suffix, ec);
    }
    return built;
  }
  // The old file goes: close it (its WAL folded and removed), then the new
  // one takes its name.
  MAILLAGE_RETURN_IF_ERROR(Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)"));
  j.db.reset();
  std::filesystem::rename(tmp, j.path, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat(j.path, ": cannot replace the journal: ", ec.message()));
  }
  for (const char* suffix : {"-wal", "-shm"}) {
    std::filesystem::remove(j.path + suffix, ec);
    std::filesystem::remove(tmp + suffix, ec);
  }
  MAILLAGE_ASSIGN_OR_RETURN(Journal reopened, Open(j.path, j.options));
  impl_ = std::move(reopened.impl_);
  return removed;
}

absl::StatusOr<std::vector<Journal::WrittenEvent>> Journal::Events() const {
  sqlite3* db = impl_->db.get();
  Transaction tx(db);
  MAILLAGE_RETURN_IF_ERROR(tx.Begin("BEGIN"));
  Stmt st(db,
          absl::StrCat("SELECT ", kEventColumns, " FROM events ORDER BY seq"));
  MAILLAGE_RETURN_IF_ERROR(st.status());
  std::vector<WrittenEvent> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    MAILLAGE_ASSIGN_OR_RETURN(SessionEvent e, EventOfRow(st));
    out.push_back({st.Int(0), std::move(e)});
  }
  if (rc != SQLITE_DONE) return st.Error(rc);
  MAILLAGE_RETURN_IF_ERROR(tx.Commit());
  return out;
}

absl::StatusOr<std::vector<HistoryRow>> Journal::History(
    absl::string_view person_id) const {
  const Impl& j = *impl_;
  sqlite3* db = j.db.get();
  Transaction tx(db);
  MAILLAGE_RETURN_IF_ERROR(tx.Begin("BEGIN"));
  const std::string where = person_id.empty() ? "" : " WHERE person_id = ?";
  Stmt st(db, absl::StrCat(
                  "SELECT seq, time, event, origin, event_id, person_id, "
                  "thematique, service_id, reason, urgency, places, "
                  "from_service_id FROM ("
                  "SELECT seq, 0 AS k, time, event, 'event' AS origin, "
                  "event_id, person_id, thematique, service_id, reason, "
                  "urgency, places, NULL AS from_service_id FROM events "
                  "UNION ALL "
                  "SELECT x.seq, 1, e.time, 'expire', 'due', NULL, "
                  "x.person_id, x.thematique, x.service_id, NULL, NULL, NULL, "
                  "NULL FROM expiries x JOIN events e ON e.seq = x.seq "
                  "UNION ALL "
                  "SELECT c.seq, 2, e.time, 'change', 'plan', NULL, "
                  "c.person_id, c.thematique, c.to_service_id, NULL, NULL, "
                  "NULL, c.from_service_id "
                  "FROM changes c JOIN events e ON e.seq = c.seq)",
                  where, " ORDER BY seq, k"));
  MAILLAGE_RETURN_IF_ERROR(st.status());
  if (!person_id.empty()) st.Bind(1, person_id);
  const Network& net = j.ranker->network();
  std::vector<HistoryRow> out;
  int rc;
  while ((rc = st.Step()) == SQLITE_ROW) {
    HistoryRow r;
    r.seq = st.Int(0);
    r.time = st.Text(1);
    r.event = st.Text(2);
    r.origin = st.Text(3);
    r.event_id = st.Text(4);
    r.person_id = st.Text(5);
    r.thematique = st.Text(6);
    r.service_id = st.Text(7);
    if (!r.service_id.empty()) {
      if (absl::optional<ServiceId> s = net.FindService(r.service_id)) {
        r.partner_id = net.partner(net.service(*s).partner).id;
      }
    }
    r.reason = st.Text(8);
    r.urgency = st.Opt<int64_t>(9);
    r.places = st.Opt<int64_t>(10);
    r.from_service_id = st.Text(11);
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return st.Error(rc);
  MAILLAGE_RETURN_IF_ERROR(tx.Commit());
  return out;
}

const AllocationSession& Journal::session() const { return *impl_->session; }
const Network& Journal::network() const { return impl_->ranker->network(); }
absl::optional<NeedId> Journal::FindNeed(absl::string_view person_id,
                                         absl::string_view thematique) const {
  const Impl& j = *impl_;
  auto p = j.people.find(person_id);
  const absl::optional<ThemeId> theme = ParseTheme(thematique);
  if (p == j.people.end() || !theme) return absl::nullopt;
  auto n = j.needs.find({p->second.value(), *theme});
  if (n == j.needs.end()) return absl::nullopt;
  return n->second;
}
absl::optional<PersonId> Journal::FindPerson(
    absl::string_view person_id) const {
  auto p = impl_->people.find(person_id);
  if (p == impl_->people.end()) return absl::nullopt;
  return p->second;
}
int64_t Journal::last_seq() const { return impl_->last_seq; }
int64_t Journal::snapshot_seq() const { return impl_->snapshot_seq; }
int64_t Journal::replayed() const { return impl_->replayed; }
absl::Duration Journal::expiry() const { return impl_->expiry; }
const std::string& Journal::path() const { return impl_->path; }

std::vector<SessionPlanRow> SessionPlan(const Journal& journal) {
  const AllocationSession& s = journal.session();
  const Network& net = journal.network();
  std::vector<SessionPlanRow> rows;
  for (int32_t i = 0; i < s.num_needs(); ++i) {
    const NeedId n(i);
    const SessionNeed info = *s.need(n);
    if (info.state == SessionNeed::State::kClosed) continue;
    SessionPlanRow r;
    r.person_id = s.person_id(info.person);
    r.thematique = std::string(ThemeCode(info.theme));
    r.urgency = info.urgency;
    r.pinned = info.state == SessionNeed::State::kPinned;
    if (absl::optional<ReferralState> st = s.referral_state(n)) {
      r.referral_state = std::string(ReferralStateCode(*st));
    }
    if (absl::optional<ServiceId> sv = s.assignment(n)) {
      r.service_id = net.service(*sv).id;
      r.partner_id = net.partner(net.service(*sv).partner).id;
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

absl::Status WriteSessionPlan(const Journal& journal, const std::string& dir) {
  MAILLAGE_RETURN_IF_ERROR(base::MakeFolder(dir));
  std::string csv;
  base::AppendCsvRecord({"person_id", "thematique", "urgency", "referral_state",
                         "service_id", "partner_id", "pinned"},
                        &csv);
  int64_t open = 0, covered = 0;
  for (const SessionPlanRow& r : SessionPlan(journal)) {
    const std::string urgency = absl::StrCat(r.urgency);
    base::AppendCsvRecord(
        {r.person_id, r.thematique, urgency, r.referral_state, r.service_id,
         r.partner_id, r.pinned ? "true" : "false"},
        &csv);
    ++open;
    covered += !r.service_id.empty();
  }
  MAILLAGE_RETURN_IF_ERROR(base::WriteFile(
      (std::filesystem::path(dir) / "session_plan.csv").string(), csv));
  const SessionObjective o = journal.session().objective();
  nlohmann::ordered_json j;
  j["format"] = "maillage session plan";
  j["last_seq"] = journal.last_seq();
  j["snapshot_seq"] = journal.snapshot_seq();
  j["needs"] = open;
  j["needs_covered"] = covered;
  j["needs_unmatched"] = open - covered;
  j["needs_pinned"] = o.needs_pinned;
  j["people_covered"] = o.people_covered;
  j["urgency_level"] = o.urgency_level;
  j["total_score_scaled"] = o.total_score_scaled;
  j["flow_cost"] = o.flow_cost;
  j["expiry_days"] = absl::ToDoubleHours(journal.expiry()) / 24;
  j["stable_replanning"] = journal.session().stable();
  j["score_scale"] = journal.session().score_scale();
  return base::WriteFile(
      (std::filesystem::path(dir) / "session_summary.json").string(),
      j.dump(2) + "\n");
}

}  // namespace maillage
