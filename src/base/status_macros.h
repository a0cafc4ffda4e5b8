// Early return on errors, and memory exhaustion as an error.

#ifndef MAILLAGE_BASE_STATUS_MACROS_H_
#define MAILLAGE_BASE_STATUS_MACROS_H_

#include <new>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

// Returns the status of `expr` from the current function when it is not OK.
#define MAILLAGE_RETURN_IF_ERROR(expr)                                    \
  do {                                                                    \
    if (absl::Status maillage_status_ = (expr); !maillage_status_.ok()) { \
      return maillage_status_;                                            \
    }                                                                     \
  } while (false)

// Evaluates `expr` (an absl::StatusOr<T>): returns its status when it is not
// OK, else moves its value into `lhs` (a declaration or an lvalue).
#define MAILLAGE_ASSIGN_OR_RETURN(lhs, expr) \
  MAILLAGE_ASSIGN_OR_RETURN_IMPL_(           \
      MAILLAGE_STATUS_CONCAT_(maillage_statusor_, __LINE__), lhs, expr)
#define MAILLAGE_ASSIGN_OR_RETURN_IMPL_(var, lhs, expr) \
  auto var = (expr);                                    \
  if (!var.ok()) return std::move(var).status();        \
  lhs = *std::move(var)
#define MAILLAGE_STATUS_CONCAT_(a, b) MAILLAGE_STATUS_CONCAT_IMPL_(a, b)
#define MAILLAGE_STATUS_CONCAT_IMPL_(a, b) a##b

namespace maillage::base {

// f() (an absl::Status or absl::StatusOr<T>), or ResourceExhausted when it
// runs out of memory: an input too large for the machine is an error of
// the call, never an abort of the application.
template <typename F>
auto ExhaustedOnBadAlloc(absl::string_view what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError(
        absl::StrCat(what, ": out of memory"));
  }
}

}  // namespace maillage::base

#endif  // MAILLAGE_BASE_STATUS_MACROS_H_
