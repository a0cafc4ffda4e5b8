// `maillage session ...` (cli/session_command.h).

#include "cli/session_command.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/csv.h"
#include "base/file.h"
#include "cli/commands.h"
#include "maillage/journal.h"

namespace maillage::cli {

CLI::App* AddSessionCommand(CLI::App& app, SessionArgs* a) {
  CLI::App* cmd = app.add_subcommand(
      "session",
      "Referrals day after day: a plan kept optimal as events come, in a "
      "durable journal (docs/session.md)");
  cmd->require_subcommand(1);
  a->init = cmd->add_subcommand(
      "init", "Create a journal for a network folder, with its plan");
  a->init->add_option("dir", a->dir, "Network folder")->required();
  a->init->add_option("--journal", a->journal, "Journal file to create")
      ->required();
  a->init
      ->add_option("--expiry-days", a->expiry_days,
                   "Days without an answer after which a sent referral "
                   "expires (les emplois de l'inclusion: 30)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);

  a->apply = cmd->add_subcommand(
      "apply",
      "Apply an events file: every line is checked; the good ones are "
      "written one by one, a rejected line changes nothing");
  a->apply->add_option("journal", a->journal, "Journal file")->required();
  a->apply->add_option("events", a->events, "Events CSV file")->required();

  a->plan = cmd->add_subcommand(
      "plan", "Write the current plan: session_plan.csv, session_summary.json");
  a->plan->add_option("journal", a->journal, "Journal file")->required();
  a->plan->add_option("--out", a->out, "Output folder")->required();

  a->history = cmd->add_subcommand(
      "history", "Print the events (CSV), or those of one person");
  a->history->add_option("journal", a->journal, "Journal file")->required();
  a->history->add_option("--person", a->person, "Only this person_id");
  a->history->add_option("--out", a->out, "Write to this file instead");

  a->compact = cmd->add_subcommand(
      "compact", "Write a snapshot, so that opening the journal is fast");
  a->compact->add_option("journal", a->journal, "Journal file")->required();

  a->erase = cmd->add_subcommand(
      "erase",
      "Remove every trace of a person who has left (right to erasure)");
  a->erase->add_option("journal", a->journal, "Journal file")->required();
  a->erase->add_option("--person", a->person, "person_id")->required();
  return cmd;
}

namespace {

int Init(const SessionArgs& a, std::ostream& out, std::ostream& err) {
  absl::optional<Network> net = LoadValid(a.dir, "session init", err);
  if (!net) return 1;
  JournalOptions o;
  o.expiry = absl::Seconds(static_cast<int64_t>(a.expiry_days * 86400));
  absl::StatusOr<Journal> j = Journal::Create(a.journal, *net, o);
  if (!j.ok()) return Fail(err, "session init", j.status().message());
  const SessionObjective obj = j->session().objective();
  out << "session init: " << a.journal << ": " << j->session().num_people()
      << " people, " << j->session().num_needs() << " needs, "
      << obj.needs_covered << " covered"
      << (j->session().stable()
              ? ""
              : "; stable re-planning off (too large for 64-bit costs)")
      << (j->session().score_scale() == AllocateOptions{}.score_scale
              ? ""
              : absl::StrCat("; scores rounded to 1/",
                             j->session().score_scale(),
                             " (64-bit costs; allocate keeps 1/",
                             AllocateOptions{}.score_scale, ")"))
      << "\n";
  return 0;
}

int Apply(const SessionArgs& a, std::ostream& out, std::ostream& err) {
  absl::StatusOr<EventFile> f = ReadEventsFile(a.events);
  if (!f.ok()) return Fail(err, "session apply", f.status().message());
  absl::StatusOr<Journal> j = Journal::Open(a.journal);
  if (!j.ok()) return Fail(err, "session apply", j.status().message());
  int64_t applied = 0, skipped = 0, rejected = 0;
  // Every rejected line, in line order at the end.
  std::vector<std::pair<int64_t, std::string>> problems;
  for (const EventLineProblem& p : f->problems) {
    problems.emplace_back(p.line, p.ToString());
  }
  auto print = [&]() {
    std::stable_sort(
        problems.begin(), problems.end(),
        [](const auto& x, const auto& y) { return x.first < y.first; });
    int64_t last = -1;
    for (const auto& [line, text] : problems) {
      err << a.events << ":" << text << "\n";
      rejected += line != last;
      last = line;
    }
  };
  for (size_t i = 0; i < f->events.size(); ++i) {
    absl::StatusOr<EventOutcome> r = j->Apply(f->events[i]);
    if (r.ok()) {
      (r->skipped ? skipped : applied)++;
      continue;
    }
    if (!absl::IsInvalidArgument(r.status()) &&
        !absl::IsFailedPrecondition(r.status())) {
      // The journal cannot go on (another writer, a write error).
      problems.emplace_back(
          f->lines[i],
          absl::StrCat("line ", f->lines[i], ": ", r.status().message()));
      print();
      out << "session apply: " << applied << " applied, " << skipped
          << " skipped (already in the journal), stopped at line "
          << f->lines[i] << "\n";
      return 1;
    }
    problems.emplace_back(f->lines[i], absl::StrCat("line ", f->lines[i], ": ",
                                                    r.status().message()));
  }
  print();
  out << "session apply: " << applied << " applied, " << skipped
      << " skipped (already in the journal), " << rejected << " rejected\n";
  return rejected > 0 ? 1 : 0;
}

int Plan(const SessionArgs& a, std::ostream& out, std::ostream& err) {
  absl::StatusOr<Journal> j = Journal::OpenReadOnly(a.journal);
  if (!j.ok()) return Fail(err, "session plan", j.status().message());
  if (absl::Status s = WriteSessionPlan(*j, a.out); !s.ok()) {
    return Fail(err, "session plan", s.message());
  }
  const SessionObjective o = j->session().objective();
  out << "session plan: " << a.out << ": " << o.needs_covered
      << " needs covered (" << o.needs_pinned << " pinned), "
      << o.people_covered << " people covered, after event " << j->last_seq()
      << "\n";
  return 0;
}

int History(const SessionArgs& a, std::ostream& out, std::ostream& err) {
  absl::StatusOr<Journal> j = Journal::OpenReadOnly(a.journal);
  if (!j.ok()) return Fail(err, "session history", j.status().message());
  absl::StatusOr<std::vector<HistoryRow>> rows = j->History(a.person);
  if (!rows.ok()) return Fail(err, "session history", rows.status().message());
  std::string csv;
  base::AppendCsvRecord({"seq", "time", "event", "origin", "event_id",
                         "person_id", "thematique", "service_id", "partner_id",
                         "reason", "urgency", "places", "from_service_id"},
                        &csv);
  auto opt = [](const absl::optional<int64_t>& v) {
    return v ? absl::StrCat(*v) : std::string();
  };
  for (const HistoryRow& r : *rows) {
    const std::string seq = absl::StrCat(r.seq), u = opt(r.urgency),
                      p = opt(r.places);
    base::AppendCsvRecord(
        {seq, r.time, r.event, r.origin, r.event_id, r.person_id, r.thematique,
         r.service_id, r.partner_id, r.reason, u, p, r.from_service_id},
        &csv);
  }
  if (a.out.empty()) {
    out << csv;
  } else if (absl::Status s = base::WriteFile(a.out, csv); !s.ok()) {
    return Fail(err, "session history", s.message());
  }
  return 0;
}

int Compact(const SessionArgs& a, std::ostream& out, std::ostream& err) {
  absl::StatusOr<Journal> j = Journal::Open(a.journal);
  if (!j.ok()) return Fail(err, "session compact", j.status().message());
  const int64_t replayed = j->replayed();
  if (absl::Status s = j->Compact(); !s.ok()) {
    return Fail(err, "session compact", s.message());
  }
  out << "session compact: snapshot after event " << j->snapshot_seq() << " ("
      << replayed << " events were replayed to open it)\n";
  return 0;
}

int Erase(const SessionArgs& a, std::ostream& out, std::ostream& err) {
  absl::StatusOr<Journal> j = Journal::Open(a.journal);
  if (!j.ok()) return Fail(err, "session erase", j.status().message());
  absl::StatusOr<int64_t> n = j->ErasePerson(a.person);
  if (!n.ok()) return Fail(err, "session erase", n.status().message());
  out << "session erase: " << *n << " events of the person removed; the "
      << "journal was rebuilt without them\n";
  return 0;
}

}  // namespace

int Session(const SessionArgs& a, std::ostream& out, std::ostream& err) {
  if (*a.init) return Init(a, out, err);
  if (*a.apply) return Apply(a, out, err);
  if (*a.plan) return Plan(a, out, err);
  if (*a.history) return History(a, out, err);
  if (*a.compact) return Compact(a, out, err);
  if (*a.erase) return Erase(a, out, err);
  return 2;
}

}  // namespace maillage::cli
