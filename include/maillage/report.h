// The coordinator's report: one self-contained HTML page (inline CSS and
// SVG, no script from elsewhere, no request leaves it), printable on A4, in
// French by default.
//
// It opens on a summary per territory, then for each territory: a map
// (services sized by places, full ones marked, unmatched needs counted by
// commune at the commune's centre, never a person's own location), coverage
// by theme category and by reason, the recommended places and recruitments
// with their verified gains, and the partner-graph findings. Counts are
// aggregates; by default any count of people or needs below 5 in a table
// or on the map is shown as "< 5" (`exact_small_counts` shows them).
//
// Example:
//   absl::StatusOr<maillage::GapReport> r = maillage::AnalyzeGaps(ranker);
//   std::string html = maillage::RenderReport(*r);
//
// Thread-safe.

#ifndef MAILLAGE_REPORT_H_
#define MAILLAGE_REPORT_H_

#include <string>

#include "absl/status/status.h"
#include "maillage/gaps.h"

namespace maillage {

struct ReportOptions {
  std::string lang = "fr";  // "fr" or "en"
  bool exact_small_counts = false;
  std::string title;  // empty: a default title in the report's language
};

// InvalidArgument for a language other than "fr" and "en".
absl::StatusOr<std::string> RenderReport(const GapReport& report,
                                         const ReportOptions& options = {});

// RenderReport, written to `path`. Unavailable when it cannot be written.
absl::Status WriteReport(const GapReport& report, const std::string& path,
                         const ReportOptions& options = {});

}  // namespace maillage

#endif  // MAILLAGE_REPORT_H_
