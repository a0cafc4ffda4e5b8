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

// person_id, territory, thematique, category, urgency, service_id,
// partner_id, score, capacity, proximity, complementarity, distance_km,
// remote, pinned (score parts NaN for a pinned support).
py::dict AssignmentColumns(const Network& net, const Plan& plan);

// person_id, territory, thematique, category, urgency, reason, filter (for
// not_eligible), detail, suggested_service_id, distance_km.
py::dict UnmatchedColumns(const Network& net, const Plan& plan);

// service_id, partner_id, capacity_available, pinned_places, free_places,
// assigned (new referrals of the plan), scaled, people, needs, urgency,
// score.
py::dict ShadowPriceColumns(const Network& net, const Plan& plan);

// person_id, thematique, rank (1-based within a person's theme), service_id,
// partner_id, score, capacity, proximity, complementarity, distance_km,
// remote, full.
py::dict OptionColumns(const Network& net, const std::vector<Option>& options);

// A partner view: the columns of kReferralColumns (export.h), in order.
py::dict ReferralColumns(const std::vector<Referral>& referrals);

}  // namespace maillage::python

#endif  // MAILLAGE_BINDINGS_PYTHON_SRC_PLAN_COLUMNS_H_
