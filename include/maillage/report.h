// The coordinator's report: one self-contained HTML page (inline CSS and
// SVG, no script, no font or image from elsewhere; its Content-Security-
// Policy forbids any request), printable on A4, in French by default.
//
// It opens on a summary per territory (people, needs, needs covered, needs
// left unmatched, people without any covered need), then for each territory
// analysed (GapReport::options.territories), on a page of its own:
//   * a map: the services (circles sized by their places, full ones and
//     unknown capacities marked), the sites, and the unmatched needs counted
//     by the person's commune and drawn at the commune's centre (never a
//     person's own location); equirectangular projection centred on the
//     territory's sites, with a scale bar in km;
//   * coverage by theme category and unmatched needs by reason (bars);
//   * the recommended places and recruitments, with their expected and
//     verified gains;
//   * what would help the unmatched needs, counted by kind of change;
//   * the partner-graph findings: isolated partners, sites without a
//     partner in a category of their needs, brokers, possible duplicates,
//     complementary pairs, missing conventions with their value.
//
// Aggregates only: no person id, no person's location, age or public. By
// default, any count of people or needs from 1 to 4 (a summary cell, a bar,
// a commune of the map, a table cell) is shown as "< 5" and its bar is not
// drawn (`exact_small_counts` shows them); 0 is shown. Gains (changes of the
// plan's totals) are never masked. Masking is for display: it is not a
// secondary suppression, so a masked count may sometimes be worked out by
// subtraction from the figures around it (docs/report.md).
//
// For tests and tools, the summary cells carry their figures as data
// attributes: `data-territory` (absent on the total row, which has
// `data-total`), `data-field` ("people", "needs", "needs_covered",
// "unmatched", "people_without_covered_need"), and `data-value`: the exact
// integer, or "<5" when the cell is masked. The bars of unmatched needs by
// reason carry `data-field` "unmatched.<reason code>" the same way.
//
// Every text from the data (names of sites, partners, services; codes) is
// HTML-escaped. The output depends only on its arguments (no date).
//
// Example:
//   absl::StatusOr<maillage::GapReport> r = maillage::AnalyzeGaps(ranker);
//   absl::StatusOr<std::string> html = maillage::RenderReport(*r);
//   absl::Status s = maillage::WriteReport(*r, "report.html", {.lang = "en"});
//
// O(size of the network + size of the report); thread-safe.

#ifndef MAILLAGE_REPORT_H_
#define MAILLAGE_REPORT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "maillage/gaps.h"

namespace maillage {

struct ReportOptions {
  std::string lang = "fr";  // "fr" or "en"
  // Show counts from 1 to 4 as they are instead of "< 5".
  bool exact_small_counts = false;
  std::string title;  // empty: a default title in the report's language
};

// The page. InvalidArgument for a language other than "fr" and "en".
absl::StatusOr<std::string> RenderReport(const GapReport& report,
                                         const ReportOptions& options = {});

// RenderReport, written to `path`. InvalidArgument as RenderReport;
// Unavailable when it cannot be written.
absl::Status WriteReport(const GapReport& report, const std::string& path,
                         const ReportOptions& options = {});

}  // namespace maillage

#endif  // MAILLAGE_REPORT_H_
