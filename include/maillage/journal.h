// Journal: an AllocationSession (maillage/session.h) kept in a SQLite
// database, so that an application loses nothing when it stops or crashes.
//
// Every event is written to the database and committed (WAL,
// synchronous=FULL: on disk) before Apply returns; an event that the session
// rejects changes nothing and is not written. Opening a journal restores its
// last snapshot and replays the events written after it, which gives the
// state the session had after the last acknowledged event: the same plan,
// referral states and objective, and the same answers to every later event
// (a snapshot restores the session exactly: AllocationSession::Snapshot).
// `Compact()` writes a new snapshot so that opening stays fast; events are
// kept for the history.
//
// An event may carry an `event_id` chosen by the client: an event whose id is
// already in the journal is skipped (Apply says so), and one that was
// rejected is rejected again with the same answer (whatever the state is
// now), so that a client can send a file of events again after a crash and
// every event gets the answer it got the first time: nothing is applied
// twice, nothing rejected is applied later.
//
// One writer at a time: each Apply checks, in its write transaction, that no
// other process wrote since this one read the journal (Aborted otherwise:
// open it again). Readers (OpenReadOnly, or any SQLite client) may read
// while the writer runs; each read is one transaction, so it sees the state
// after some acknowledged event, never part of one.
//
// The database holds the network the journal was created on (its tables as
// CSV text), the events, and the snapshots: pseudonymous ids and codes,
// never free text about a person. `ErasePerson` removes every trace of one
// person (GDPR right to erasure, docs/session.md). The schema is versioned
// (PRAGMA user_version) and documented in docs/session.md.
//
// Example:
//   absl::StatusOr<maillage::Journal> j =
//       maillage::Journal::Create("lyon.journal", network);
//   maillage::SessionEvent e;
//   e.time = absl::FromCivil(absl::CivilSecond(2026, 12, 7, 9, 0, 0),
//                            absl::UTCTimeZone());
//   e.kind = maillage::SessionEventKind::kSend;
//   e.person_id = "p-0001";
//   e.thematique = "sante";  // service_id empty: the plan's proposal
//   absl::StatusOr<maillage::EventOutcome> out = j->Apply(e);

#ifndef MAILLAGE_JOURNAL_H_
#define MAILLAGE_JOURNAL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "maillage/allocate.h"
#include "maillage/ids.h"
#include "maillage/network.h"
#include "maillage/referral.h"
#include "maillage/schema.h"
#include "maillage/session.h"

namespace maillage {

// The events of an events file (docs/session.md), one per line.
enum class SessionEventKind : uint8_t {
  kArrive,     // a person arrives (persons.csv columns), maybe with a need
  kLeave,      // a person leaves: all their needs are closed
  kAddNeed,    // person_id, thematique, urgency
  kCloseNeed,  // person_id, thematique
  kCapacity,   // service_id, places (its new capacity_available)
  kPropose,    // person_id, thematique, service_id: recorded, holds nothing
  kSend,       // person_id, thematique, service_id (empty: the proposal)
  kAccept,     // person_id, thematique, service_id (empty: the referral's)
  kRefuse,     // person_id, thematique, service_id, reason
  kExpire,     // person_id, thematique; or no person: every referral due
  kStart,      // person_id, thematique
  kComplete,   // person_id, thematique
  kCancel,     // person_id, thematique
};
inline constexpr int kNumSessionEventKinds = 13;
// "arrive", "leave", "add-need", "close-need", "capacity", "propose", "send",
// "accept", "refuse", "expire", "start", "complete", "cancel".
absl::string_view SessionEventCode(SessionEventKind k);
absl::optional<SessionEventKind> ParseSessionEventKind(absl::string_view code);

// One event. Ids are the pseudonymous ids of the native format: person_id
// (persons.csv), service_id (services.csv); a need is named by its person
// and thematique.
struct SessionEvent {
  absl::Time time;  // explicit: the journal never reads the clock
  SessionEventKind kind = SessionEventKind::kPropose;
  std::string event_id;  // optional; unique in the journal
  // arrive: the person's row (person.id is the event's person_id); the
  // other events use person.id only.
  PersonRow person;
  std::string thematique;
  absl::optional<int64_t> urgency;
  std::string service_id;
  absl::optional<int64_t> places;
  absl::optional<RefusalReason> reason;  // refuse: kOther when absent
  friend bool operator==(const SessionEvent&, const SessionEvent&) = default;
};

// A line of an events file that could not be read: its line and why (the
// value of a personal cell is never quoted).
struct EventLineProblem {
  int64_t line = 0;
  int64_t record = 0;  // 0-based, after the header (a DataFrame's row)
  std::string field;
  std::string reason;
  std::string ToString() const;
};
struct EventFile {
  std::vector<SessionEvent> events;
  std::vector<int64_t> lines;    // the line of each event
  std::vector<int64_t> records;  // its record, 0-based after the header
  std::vector<EventLineProblem> problems;
};
// Reads an events file (CSV, header `time,event,event_id,person_id,...`,
// docs/session.md). Every line that cannot be read is a problem and gives no
// event. NotFound or InvalidArgument only for an unreadable file or header.
absl::StatusOr<EventFile> ReadEventsFile(const std::string& path);
absl::StatusOr<EventFile> ParseEvents(absl::string_view csv_text);
// The time of an events file: RFC 3339 with an explicit offset
// ("2026-12-07T09:30:00Z", "2026-12-07T10:30:00+01:00").
absl::optional<absl::Time> ParseEventTime(absl::string_view text);
std::string FormatEventTime(absl::Time t);  // UTC, "...Z"

// A need whose service an event changed (the event's own need, or one the
// re-planning moved, covered or uncovered): the service it had and the one
// it has ("" for none).
struct PlanChange {
  std::string person_id, thematique;
  std::string from_service_id, to_service_id;
  friend bool operator==(const PlanChange&, const PlanChange&) = default;
};

// What Apply did.
struct EventOutcome {
  int64_t seq = 0;       // the event's position in the journal
  bool skipped = false;  // its event_id was already there (seq: that one's)
  // The service the event concerns after it ran (a send or accept without
  // service_id: the one chosen), "" when none.
  std::string service_id;
  // expire without person: the referrals it expired, as person_id and
  // thematique.
  std::vector<std::pair<std::string, std::string>> expired;
  // The needs whose service the event changed, in need order. The session
  // re-plans stably (AllocationSession::stable): none moves without a gain.
  std::vector<PlanChange> changes;
};

// One row of a journal's history: an event (origin "event"), a referral
// that an expire event without person expired (event "expire", origin
// "due"), or a need whose service the event changed (event "change", origin
// "plan": from_service_id to service_id), after the event that caused it.
struct HistoryRow {
  int64_t seq = 0;
  std::string time;  // as written, RFC 3339 UTC
  std::string event;
  std::string origin;  // "event", or "due"
  std::string event_id, person_id, thematique, service_id, partner_id;
  std::string reason;
  absl::optional<int64_t> urgency, places;
  std::string from_service_id;  // a change: the service before ("" none)
};

struct JournalOptions {
  // A sent referral that got no answer for this long expires at the next
  // expire event without person (les emplois de l'inclusion: 30 days).
  // Fixed when the journal is created; Open reads it from the journal.
  absl::Duration expiry = absl::Hours(24) * kDefaultExpiryDays;
  // How long a write waits for another connection's lock.
  absl::Duration busy_timeout = absl::Seconds(10);
  // true: PRAGMA synchronous=FULL, each event is on disk (fsync) before
  // Apply returns, and survives a power cut. false: synchronous=NORMAL, an
  // event survives the crash of the process (it is in the operating
  // system's hands when Apply returns) but the last ones may be lost in a
  // power cut; Apply is then as fast as the session (docs/session.md has
  // the figures).
  bool sync_each_event = true;
  // Apply writes a snapshot (Compact) once this many events were written
  // since the last one, so that opening replays at most that many (0:
  // only on request). A failed automatic compaction fails nothing: the
  // event is written, and the journal opens from the previous snapshot.
  int64_t compact_every = 1000;
};

// The database's schema version (PRAGMA user_version).
inline constexpr int kJournalSchemaVersion = 1;

class Journal {
 public:
  // Creates the journal at `path` (which must not exist) for `network`, with
  // the session of its plan.
  static absl::StatusOr<Journal> Create(const std::string& path,
                                        const Network& network,
                                        const JournalOptions& options = {});
  // Opens a journal to apply events: its last snapshot, then the events
  // after it. NotFound when there is none; InvalidArgument when the file is
  // not a journal or is of another schema version; DataLoss when its
  // contents are inconsistent.
  static absl::StatusOr<Journal> Open(const std::string& path,
                                      const JournalOptions& options = {});
  // Opens a journal to read: the state after its last committed event, read
  // in one transaction. Apply, Compact and ErasePerson then fail.
  static absl::StatusOr<Journal> OpenReadOnly(const std::string& path);

  Journal(Journal&&) noexcept;
  Journal& operator=(Journal&&) noexcept;
  ~Journal();

  // Applies one event and writes it; returns when it is on disk.
  // InvalidArgument / FailedPrecondition from the session or for an unknown
  // id, with nothing applied (an event with an event_id is then written as
  // rejected, with that answer); Aborted when another process wrote to the
  // journal (reopen it); Internal on a write error (the journal must then be
  // reopened: nothing of the failed event is kept).
  absl::StatusOr<EventOutcome> Apply(const SessionEvent& event);
  // Writes a snapshot of the current state; the session continues from it.
  absl::Status Compact();
  // Removes every trace of a person who has left: their rows in the network
  // the journal was created on, their events and every snapshot. The
  // journal is rebuilt from the network without them and the other events,
  // in a new file that replaces the old one, so that nothing of them
  // remains in the file, its WAL or its free pages; the other people's
  // plan is recomputed as if the person had never been there. Returns the
  // number of their events removed. FailedPrecondition when the person has
  // not left; NotFound for an unknown person_id.
  absl::StatusOr<int64_t> ErasePerson(absl::string_view person_id);

  // Every event as it was written (a send or accept with the service it
  // went to), in order, with its position.
  struct WrittenEvent {
    int64_t seq = 0;
    SessionEvent event;
  };
  absl::StatusOr<std::vector<WrittenEvent>> Events() const;
  // The events and due expiries, in order; only those of one person when
  // person_id is not empty.
  absl::StatusOr<std::vector<HistoryRow>> History(
      absl::string_view person_id = "") const;

  const AllocationSession& session() const;
  // The network the journal was created on (arrivals are in the session).
  const Network& network() const;
  // The need of a person and theme (open, pinned, or the last one closed).
  absl::optional<NeedId> FindNeed(absl::string_view person_id,
                                  absl::string_view thematique) const;
  // The person of a person_id (nullopt when unknown).
  absl::optional<PersonId> FindPerson(absl::string_view person_id) const;
  // The position of the last event, and of the last snapshot (0: none).
  int64_t last_seq() const;
  int64_t snapshot_seq() const;
  // The events replayed when the journal was opened (after the snapshot).
  int64_t replayed() const;
  absl::Duration expiry() const;
  const std::string& path() const;

 private:
  struct Impl;
  explicit Journal(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One need of a journal's current plan: every open or pinned need of the
// people present.
struct SessionPlanRow {
  std::string person_id, thematique;
  int32_t urgency = 1;
  // "proposed", "sent", "accepted", "started"; "" for a need the plan
  // leaves unmatched.
  std::string referral_state;
  std::string service_id, partner_id;  // "" when unmatched
  bool pinned = false;
};
std::vector<SessionPlanRow> SessionPlan(const Journal& journal);
// Writes `session_plan.csv` (the columns of SessionPlanRow) and
// `session_summary.json` (the objective's levels and the journal's
// positions) into `dir` (created if needed).
absl::Status WriteSessionPlan(const Journal& journal, const std::string& dir);

}  // namespace maillage

#endif  // MAILLAGE_JOURNAL_H_
