// A reproducible stream of session events (maillage/journal.h) on a
// network, for the journal's tests: every kind of event, on people, needs
// and services that exist and some that do not, so that some events are
// rejected, as in real use. And the state of a journal as comparable values.

#ifndef MAILLAGE_TESTS_EVENT_STREAM_H_
#define MAILLAGE_TESTS_EVENT_STREAM_H_

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "maillage/journal.h"
#include "maillage/network.h"
#include "maillage/referral.h"
#include "maillage/vocabulary.h"

namespace maillage::testing_events {

inline std::vector<SessionEvent> EventStream(const Network& net, size_t count,
                                             uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](size_t n) {
    return static_cast<size_t>(rng() % static_cast<uint64_t>(n));
  };
  std::vector<std::string> people;
  std::vector<std::pair<std::string, std::string>> needs;  // person, theme
  std::vector<std::string> themes;
  for (const Person& p : net.persons()) people.push_back(p.id);
  for (const Need& n : net.needs()) {
    needs.emplace_back(net.person(n.person).id,
                       std::string(ThemeCode(n.theme)));
    themes.emplace_back(ThemeCode(n.theme));
  }
  absl::Time t = absl::FromUnixSeconds(1767225600);  // 2026-01-01T00:00:00Z
  std::vector<SessionEvent> out;
  int arrivals = 0;
  for (size_t i = 0; i < count; ++i) {
    t += absl::Minutes(static_cast<int64_t>(1 + pick(600)));
    SessionEvent e;
    e.time = t;
    e.event_id = absl::StrCat("ev-", seed, "-", i);
    const size_t r = pick(100);
    auto need = [&]() {
      const auto& n = needs[pick(needs.size())];
      e.person.id = n.first;
      e.thematique = n.second;
    };
    if (r < 8) {
      e.kind = SessionEventKind::kArrive;
      e.person.id = absl::StrCat("p-arr-", seed, "-", arrivals++);
      const Site& site = net.sites()[pick(net.sites().size())];
      e.person.site_id = site.id;
      e.person.lat = site.lat + 0.01 * (static_cast<double>(pick(21)) - 10);
      e.person.lng = site.lng + 0.01 * (static_cast<double>(pick(21)) - 10);
      e.person.age = static_cast<int64_t>(18 + pick(45));
      if (pick(2) == 0) e.person.publics = {"jeunes", "femmes"};
      e.thematique = themes[pick(themes.size())];
      e.urgency = static_cast<int64_t>(1 + pick(3));
      people.push_back(e.person.id);
      needs.emplace_back(e.person.id, e.thematique);
    } else if (r < 11) {
      e.kind = SessionEventKind::kLeave;
      e.person.id = people[pick(people.size())];
    } else if (r < 17) {
      e.kind = SessionEventKind::kAddNeed;
      e.person.id = people[pick(people.size())];
      e.thematique = themes[pick(themes.size())];
      e.urgency = static_cast<int64_t>(1 + pick(3));
      needs.emplace_back(e.person.id, e.thematique);
    } else if (r < 21) {
      e.kind = SessionEventKind::kCloseNeed;
      need();
    } else if (r < 30) {
      e.kind = SessionEventKind::kCapacity;
      e.service_id = net.services()[pick(net.services().size())].id;
      e.places = static_cast<int64_t>(pick(6));
    } else if (r < 34) {
      e.kind = SessionEventKind::kPropose;
      need();
    } else if (r < 56) {
      e.kind = SessionEventKind::kSend;
      need();
    } else if (r < 68) {
      e.kind = SessionEventKind::kAccept;
      need();
    } else if (r < 80) {
      e.kind = SessionEventKind::kRefuse;
      need();
      e.reason = static_cast<RefusalReason>(pick(kNumRefusalReasons));
    } else if (r < 86) {
      e.kind = SessionEventKind::kExpire;
      if (pick(2) == 0) need();
    } else if (r < 93) {
      e.kind = SessionEventKind::kStart;
      need();
    } else if (r < 97) {
      e.kind = SessionEventKind::kComplete;
      need();
    } else {
      e.kind = SessionEventKind::kCancel;
      need();
    }
    if (pick(50) == 0) e.person.id += "-unknown";
    out.push_back(std::move(e));
  }
  return out;
}

// Everything a journal's user can see of its state.
struct State {
  SessionObjective objective;
  std::vector<SessionPlanRow> plan;
  int32_t people = 0, needs = 0;
  friend bool operator==(const State& a, const State& b) {
    auto key = [](const SessionObjective& o) {
      return std::make_tuple(o.people_covered, o.needs_covered, o.needs_pinned,
                             o.urgency_level, o.total_score_scaled,
                             o.flow_cost);
    };
    if (key(a.objective) != key(b.objective) || a.people != b.people ||
        a.needs != b.needs || a.plan.size() != b.plan.size()) {
      return false;
    }
    for (size_t i = 0; i < a.plan.size(); ++i) {
      const SessionPlanRow &x = a.plan[i], &y = b.plan[i];
      if (std::tie(x.person_id, x.thematique, x.urgency, x.referral_state,
                   x.service_id, x.pinned) !=
          std::tie(y.person_id, y.thematique, y.urgency, y.referral_state,
                   y.service_id, y.pinned)) {
        return false;
      }
    }
    return true;
  }
};

inline State StateOf(const Journal& j) {
  State s;
  s.objective = j.session().objective();
  s.plan = SessionPlan(j);
  s.people = j.session().num_people();
  s.needs = j.session().num_needs();
  return s;
}

// How the state differs, for a failure message.
inline std::string Diff(const State& a, const State& b) {
  std::string out =
      absl::StrCat("flow cost ", a.objective.flow_cost, " vs ",
                   b.objective.flow_cost, "; needs ", a.needs, " vs ", b.needs,
                   "; rows ", a.plan.size(), " vs ", b.plan.size());
  int shown = 0;
  for (size_t i = 0; i < std::min(a.plan.size(), b.plan.size()) && shown < 5;
       ++i) {
    const SessionPlanRow &x = a.plan[i], &y = b.plan[i];
    if (x.service_id != y.service_id || x.referral_state != y.referral_state) {
      absl::StrAppend(&out, "; ", x.person_id, "/", x.thematique, ": ",
                      x.service_id, " ", x.referral_state, " vs ", y.service_id,
                      " ", y.referral_state);
      ++shown;
    }
  }
  return out;
}

}  // namespace maillage::testing_events

#endif  // MAILLAGE_TESTS_EVENT_STREAM_H_
