// Events files (maillage/journal.h, docs/session.md): reading and checking
// their lines.

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "base/cells.h"
#include "base/csv.h"
#include "base/encoding.h"
#include "base/file.h"
#include "base/text.h"
#include "maillage/journal.h"

namespace maillage {
namespace {

constexpr std::array<absl::string_view, kNumSessionEventKinds> kEventCodes = {
    "arrive", "leave",  "add-need", "close-need", "capacity", "propose", "send",
    "accept", "refuse", "expire",   "start",      "complete", "cancel"};

// The columns of an events file, in the documented order.
constexpr std::array<absl::string_view, 16> kColumns = {"time",
                                                        "event",
                                                        "event_id",
                                                        "person_id",
                                                        "site_id",
                                                        "insee_com",
                                                        "lat",
                                                        "lng",
                                                        "age",
                                                        "publics",
                                                        "max_distance_km",
                                                        "thematique",
                                                        "urgency",
                                                        "service_id",
                                                        "places",
                                                        "reason"};
enum Col {
  kTime,
  kEvent,
  kEventId,
  kPersonId,
  kSiteId,
  kInseeCom,
  kLat,
  kLng,
  kAge,
  kPublics,
  kMaxDistance,
  kThematique,
  kUrgency,
  kServiceId,
  kPlaces,
  kReason
};

// Which columns each event needs (beyond time and event) and which it may
// have.
struct Needs {
  bool person = false, theme = false, service = false, places = false;
};
Needs NeedsOf(SessionEventKind k) {
  switch (k) {
    case SessionEventKind::kArrive:
    case SessionEventKind::kLeave:
      return {true, false, false, false};
    case SessionEventKind::kCapacity:
      return {false, false, true, true};
    case SessionEventKind::kExpire:
      return {false, false, false, false};
    default:
      return {true, true, false, false};
  }
}
bool HasPersonRow(SessionEventKind k) { return k == SessionEventKind::kArrive; }
bool MayHaveTheme(SessionEventKind k) {
  return k != SessionEventKind::kLeave && k != SessionEventKind::kCapacity;
}
bool MayHaveService(SessionEventKind k) {
  switch (k) {
    case SessionEventKind::kCapacity:
    case SessionEventKind::kPropose:
    case SessionEventKind::kSend:
    case SessionEventKind::kAccept:
    case SessionEventKind::kRefuse:
      return true;
    default:
      return false;
  }
}

}  // namespace

absl::string_view SessionEventCode(SessionEventKind k) {
  return kEventCodes[static_cast<size_t>(k)];
}

absl::optional<SessionEventKind> ParseSessionEventKind(absl::string_view code) {
  for (size_t i = 0; i < kEventCodes.size(); ++i) {
    if (kEventCodes[i] == code) return static_cast<SessionEventKind>(i);
  }
  return absl::nullopt;
}

std::string EventLineProblem::ToString() const {
  return field.empty() ? absl::StrCat("line ", line, ": ", reason)
                       : absl::StrCat("line ", line, ": ", field, ": ", reason);
}

absl::optional<absl::Time> ParseEventTime(absl::string_view text) {
  absl::Time t;
  std::string err;
  // RFC3339_full requires the offset ("Z" or "+01:00").
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &err)) {
    return absl::nullopt;
  }
  return t;
}

std::string FormatEventTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

absl::StatusOr<EventFile> ParseEvents(absl::string_view csv_text) {
  absl::StatusOr<base::DecodedText> decoded =
      base::DecodeText(std::string(csv_text));
  if (!decoded.ok()) return decoded.status();
  base::CsvTable table = base::ParseCsv(decoded->text);
  if (table.records.empty()) {
    return absl::InvalidArgumentError(
        "empty events file: a header row is required");
  }
  // The header: known columns, each once; time and event required.
  std::array<int, kColumns.size()> pos;
  pos.fill(-1);
  const std::vector<std::string>& header = table.records[0].fields;
  for (size_t i = 0; i < header.size(); ++i) {
    auto it = std::find(kColumns.begin(), kColumns.end(), header[i]);
    if (it == kColumns.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "events file header: unknown column ", base::Quoted(header[i]),
          " (the columns: ", absl::StrJoin(kColumns, ", "), ")"));
    }
    int& p = pos[static_cast<size_t>(it - kColumns.begin())];
    if (p >= 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "events file header: column ", header[i], " appears twice"));
    }
    p = static_cast<int>(i);
  }
  if (pos[kTime] < 0 || pos[kEvent] < 0) {
    return absl::InvalidArgumentError(
        "events file header: the columns time and event are required");
  }
  EventFile out;
  std::vector<int64_t> syntax_lines;
  auto record_at = [&](int64_t line) -> int64_t {
    for (size_t r = table.records.size(); r-- > 1;) {
      if (table.records[r].line <= line) return static_cast<int64_t>(r) - 1;
    }
    return 0;
  };
  for (const base::CsvError& e : table.errors) {
    out.problems.push_back({e.line, record_at(e.line), "", e.message});
    syntax_lines.push_back(e.line);
  }
  for (size_t r = 1; r < table.records.size(); ++r) {
    const base::CsvRecord& rec = table.records[r];
    if (table.bad[r]) {
      if (std::find(syntax_lines.begin(), syntax_lines.end(), rec.line) ==
          syntax_lines.end()) {
        out.problems.push_back({rec.line, static_cast<int64_t>(r) - 1, "",
                                "malformed CSV record"});
      }
      continue;
    }
    if (rec.fields.size() != header.size()) {
      out.problems.push_back(
          {rec.line, static_cast<int64_t>(r) - 1, "",
           absl::StrCat("expected ", header.size(), " fields, found ",
                        rec.fields.size())});
      continue;
    }
    const size_t before = out.problems.size();
    auto cell = [&](Col c) -> std::string_view {
      return pos[c] < 0
                 ? std::string_view()
                 : std::string_view(rec.fields[static_cast<size_t>(pos[c])]);
    };
    auto acell = [&](Col c) {
      const std::string_view v = cell(c);
      return absl::string_view(v.data(), v.size());
    };
    auto fail = [&](Col c, std::string why) {
      out.problems.push_back({rec.line, static_cast<int64_t>(r) - 1,
                              std::string(kColumns[static_cast<size_t>(c)]),
                              std::move(why)});
    };
    SessionEvent e;
    if (absl::optional<absl::Time> t = ParseEventTime(acell(kTime))) {
      e.time = *t;
    } else {
      fail(kTime, cell(kTime).empty()
                      ? "required"
                      : "not an RFC 3339 time with its offset "
                        "(2026-12-07T09:30:00Z or 2026-12-07T10:30:00+01:00)");
    }
    const absl::optional<SessionEventKind> kind =
        ParseSessionEventKind(acell(kEvent));
    if (!kind) {
      fail(kEvent,
           cell(kEvent).empty()
               ? std::string("required")
               : absl::StrCat(
                     "unknown event ", base::Quoted(acell(kEvent)),
                     " (the events: ", absl::StrJoin(kEventCodes, ", "), ")"));
      continue;
    }
    e.kind = *kind;
    e.event_id = std::string(cell(kEventId));
    e.person.id = std::string(cell(kPersonId));
    e.thematique = std::string(cell(kThematique));
    e.service_id = std::string(cell(kServiceId));
    const Needs needs = NeedsOf(e.kind);
    const absl::string_view code = SessionEventCode(e.kind);
    if (needs.person && e.person.id.empty()) fail(kPersonId, "required");
    if (needs.theme && e.thematique.empty()) fail(kThematique, "required");
    if (needs.service && e.service_id.empty()) fail(kServiceId, "required");
    if (e.kind == SessionEventKind::kExpire &&
        e.person.id.empty() != e.thematique.empty()) {
      fail(e.person.id.empty() ? kPersonId : kThematique,
           "an expire event names both person_id and thematique, or neither "
           "(every referral due)");
    }
    // Cells an event does not use must be empty: nothing is dropped
    // silently.
    auto unused = [&](Col c) {
      if (!cell(c).empty()) {
        fail(c, absl::StrCat("not used by a ", code, " event; leave it empty"));
      }
    };
    if (!HasPersonRow(e.kind)) {
      for (Col c :
           {kSiteId, kInseeCom, kLat, kLng, kAge, kPublics, kMaxDistance}) {
        unused(c);
      }
    }
    if (!MayHaveTheme(e.kind)) unused(kThematique);
    if (!MayHaveService(e.kind)) unused(kServiceId);
    if (!needs.places) unused(kPlaces);
    if (e.kind != SessionEventKind::kRefuse) unused(kReason);
    if (e.kind != SessionEventKind::kArrive &&
        e.kind != SessionEventKind::kAddNeed) {
      unused(kUrgency);
    }
    if (e.kind == SessionEventKind::kArrive && e.thematique.empty()) {
      unused(kUrgency);
    }
    // Typed cells; personal values are never quoted.
    auto number = [&](Col c, absl::optional<double>* v) {
      if (cell(c).empty()) return;
      double d;
      if (base::ParseNumber(cell(c), &d)) {
        *v = d;
      } else {
        fail(c, "not a number");
      }
    };
    auto integer = [&](Col c, absl::optional<int64_t>* v) {
      if (cell(c).empty()) return;
      int64_t i;
      if (base::ParseInteger(cell(c), &i)) {
        *v = i;
      } else {
        fail(c, "not an integer");
      }
    };
    if (HasPersonRow(e.kind)) {
      e.person.site_id = std::string(cell(kSiteId));
      e.person.insee_com = std::string(cell(kInseeCom));
      number(kLat, &e.person.lat);
      number(kLng, &e.person.lng);
      integer(kAge, &e.person.age);
      for (std::string_view p : base::SplitList(cell(kPublics))) {
        e.person.publics.emplace_back(p);
      }
      number(kMaxDistance, &e.person.max_distance_km);
    }
    integer(kUrgency, &e.urgency);
    integer(kPlaces, &e.places);
    if (needs.places && cell(kPlaces).empty()) fail(kPlaces, "required");
    if (!cell(kReason).empty()) {
      e.reason = ParseRefusalReason(acell(kReason));
      if (!e.reason) {
        std::vector<std::string> codes;
        for (int i = 0; i < kNumRefusalReasons; ++i) {
          codes.emplace_back(RefusalReasonCode(static_cast<RefusalReason>(i)));
        }
        fail(kReason,
             absl::StrCat("unknown reason ", base::Quoted(acell(kReason)),
                          " (the reasons: ", absl::StrJoin(codes, ", "), ")"));
      }
    }
    if (out.problems.size() != before) continue;
    out.events.push_back(std::move(e));
    out.lines.push_back(rec.line);
    out.records.push_back(static_cast<int64_t>(r) - 1);
  }
  std::stable_sort(out.problems.begin(), out.problems.end(),
                   [](const EventLineProblem& a, const EventLineProblem& b) {
                     return a.line < b.line;
                   });
  return out;
}

absl::StatusOr<EventFile> ReadEventsFile(const std::string& path) {
  absl::StatusOr<std::string> text = base::ReadFile(path, "events file");
  if (!text.ok()) return text.status();
  absl::StatusOr<EventFile> f = ParseEvents(*text);
  if (!f.ok()) {
    return absl::Status(f.status().code(),
                        absl::StrCat(path, ": ", f.status().message()));
  }
  return f;
}

}  // namespace maillage
