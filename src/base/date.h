// Calendar dates as data·inclusion and HSDS write them (ISO 8601).

#ifndef MAILLAGE_SRC_BASE_DATE_H_
#define MAILLAGE_SRC_BASE_DATE_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "absl/types/optional.h"

namespace maillage::base {

// The day of "YYYY-MM-DD", optionally followed by a time ("T10:00:00Z",
// " 10:00"), as days since 1970-01-01 (proleptic Gregorian calendar; years
// 1000 to 9999). nullopt for anything else, such as "2024-02-30".
absl::optional<int32_t> ParseIsoDay(absl::string_view text);

}  // namespace maillage::base

#endif  // MAILLAGE_SRC_BASE_DATE_H_
