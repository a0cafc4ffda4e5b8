// The tables of a plan and of ranked options, as numpy columns (see
// columns.h), with string ids, theme codes and each person's territory.
// Needs the GIL.

#ifndef MAILLAGE_BINDINGS_PYTHON_SRC_PLAN_COLUMNS_H_
#define MAILLAGE_BINDINGS_PYTHON_SRC_PLAN_COLUMNS_H_

#include <vector>

#include "maillage/allocate.h"
#include "maillage/export.h"
#include "maillage/network.h"
#include "maillage/rank.h"
#include "pybind11/pybind11.h"

namespace maillage::python {

namespace py = pybind11;

// The columns of assignments.csv (export.h WritePlan), in order; score
// parts NaN for a pinned support.
py::dict AssignmentColumns(const Network& net, const Plan& plan);

// The columns of unmatched.csv (WritePlan), in order; the counts nullable
// integers (NA where not computed).
py::dict UnmatchedColumns(const Network& net, const Plan& plan);

// The columns of plan_needs.csv (WritePlan): one row per need, in need
// order.
py::dict NeedColumns(const Network& net, const Plan& plan);

// service_id, partner_id, capacity_available, pinned_places, free_places,
// assigned (new referrals of the plan), scaled, people, needs, urgency,
// score.
py::dict ShadowPriceColumns(const Network& net, const Plan& plan);

// One row of a ranking: an option, or a need without any (`option.service`
// invalid) and why.
struct RankRow {
  Option option;
  Unmatched why;  // for a need without options
};

// person_id, thematique, urgency (NA for a theme that is not a need of the
// person), rank (1-based within a person's theme; NA without option),
// service_id, partner_id, score, capacity, proximity, complementarity,
// link, cover, novelty, distance_km, remote, full, capacity_known, reason
// and filter (of a need without option).
py::dict OptionColumns(const Network& net, const std::vector<RankRow>& rows);

// A partner view: the columns of kReferralColumns (export.h), in order.
py::dict ReferralColumns(const std::vector<Referral>& referrals);

}  // namespace maillage::python

#endif  // MAILLAGE_BINDINGS_PYTHON_SRC_PLAN_COLUMNS_H_
