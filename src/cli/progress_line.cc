// ProgressLine (cli/progress_line.h).

#include "cli/progress_line.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace maillage::cli {
namespace {

// What the library's stages are called on the line, and their units.
struct StageName {
  const char* stage;
  const char* label;
  const char* unit;
};
constexpr StageName kStages[] = {
    {"rank", "ranking the options", "needs"},
    {"solve", "solving the flow problem", ""},
    {"explain", "explaining unmatched needs", "needs"},
    {"verify", "verifying the certificate", "needs"}};

std::string Thousands(int64_t v) {
  std::string digits = absl::StrCat(v);
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

ProgressLine::ProgressLine(std::ostream& err, absl::string_view command,
                           bool enabled)
    : err_(err), command_(command), enabled_(enabled) {}

ProgressLine::~ProgressLine() { Clear(); }

bool ProgressLine::OnTerminal() {
  const char* term = std::getenv("TERM");
  return isatty(STDERR_FILENO) == 1 &&
         (term == nullptr || std::strcmp(term, "dumb") != 0);
}

void ProgressLine::Show(std::string text) {
  if (!enabled_) return;
  // Carriage return, the line, then erase what a longer line left.
  err_ << "\r" << command_ << ": " << text << "\x1b[K" << std::flush;
  shown_ = true;
}

void ProgressLine::Stage(absl::string_view stage) {
  Show(absl::StrCat(stage, "..."));
}

ProgressCallback ProgressLine::Callback() {
  if (!enabled_) return {};
  return [this](absl::string_view stage, int64_t done, int64_t total) {
    const auto now = std::chrono::steady_clock::now();
    // At most about ten lines a second, and every stage's first and last.
    if (done != 0 && done != total &&
        now - last_ < std::chrono::milliseconds(100)) {
      return true;
    }
    last_ = now;
    const char* label = nullptr;
    const char* unit = "";
    for (const StageName& s : kStages) {
      if (stage == s.stage) {
        label = s.label;
        unit = s.unit;
      }
    }
    std::string text = label != nullptr ? label : std::string(stage);
    if (total > 1) {
      absl::StrAppend(
          &text, " ", Thousands(done), "/", Thousands(total),
          *unit != '\0' ? " " : "", unit,
          absl::StrFormat(" (%d%%)", static_cast<int>(100 * done / total)));
    } else {
      absl::StrAppend(&text, "...");
    }
    Show(std::move(text));
    return true;
  };
}

void ProgressLine::Clear() {
  if (!shown_) return;
  err_ << "\r\x1b[K" << std::flush;
  shown_ = false;
}

}  // namespace maillage::cli
