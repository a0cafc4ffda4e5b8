// A Plan as bytes and back, so that a plan travels to another process
// (pickle) with everything VerifyPlan needs: assignments, reasons, objective,
// scaling, shadow prices and the solver's potentials.
//
// The encoding is a private, versioned binary layout (native byte order:
// pickles move between processes of the same machine or cluster, not
// architectures). Decoding checks the layout and that every id is one of the
// network's.

#ifndef MAILLAGE_BINDINGS_PYTHON_SRC_PLAN_CODEC_H_
#define MAILLAGE_BINDINGS_PYTHON_SRC_PLAN_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "maillage/allocate.h"
#include "maillage/network.h"

namespace maillage::python {

std::string EncodePlan(const Plan& plan);

// InvalidArgument when `bytes` is not an encoded plan of `network`.
absl::StatusOr<Plan> DecodePlan(absl::string_view bytes,
                                const Network& network);

}  // namespace maillage::python

#endif  // MAILLAGE_BINDINGS_PYTHON_SRC_PLAN_CODEC_H_
