#include "maillage/import.h"

namespace maillage {

absl::StatusOr<ImportResult> ImportHsds(const std::string& dir,
                                        const ImportOptions&) {
  return absl::UnimplementedError(dir);
}

}  // namespace maillage
