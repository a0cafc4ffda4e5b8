// Early return on errors.

#ifndef MAILLAGE_BASE_STATUS_MACROS_H_
#define MAILLAGE_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"

// Returns the status of `expr` from the current function when it is not OK.
#define MAILLAGE_RETURN_IF_ERROR(expr)                                    \
  do {                                                                    \
    if (absl::Status maillage_status_ = (expr); !maillage_status_.ok()) { \
      return maillage_status_;                                            \
    }                                                                     \
  } while (false)

#endif  // MAILLAGE_BASE_STATUS_MACROS_H_
