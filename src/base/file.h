// Whole-file reading and writing, with errors that name the file.

#ifndef MAILLAGE_BASE_FILE_H_
#define MAILLAGE_BASE_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace maillage::base {

// Files larger than this are refused rather than read into memory.
inline constexpr int64_t kMaxFileBytes = int64_t{2} << 30;  // 2 GiB

// The whole content of the regular file at `path`. `what` names the kind of
// file in messages ("cannot read CSV file PATH: reason"). NotFound when the
// file (or a folder on its path) does not exist; Unavailable when it cannot
// be opened or read, or is not a regular file (a folder, a named pipe, a
// device: they are refused before being opened, so that nothing blocks or
// reads without end); ResourceExhausted when it is larger than `max_bytes`.
absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     absl::string_view what,
                                     int64_t max_bytes = kMaxFileBytes);

// Writes `text` to `path`, replacing the file. Unavailable when it cannot be
// written.
absl::Status WriteFile(const std::string& path, std::string_view text);

// Creates `dir` and its parents when missing. Unavailable on failure.
absl::Status MakeFolder(const std::string& dir);

}  // namespace maillage::base

#endif  // MAILLAGE_BASE_FILE_H_
