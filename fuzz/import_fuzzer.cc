// libFuzzer target: the data·inclusion importer, on an export packed in one
// input: the parts between 0x1E bytes are the structures file, the services
// file and the capacities file (a missing part: no such file). Each part is
// read as JSON or CSV from its content, as the importer does.
//
// Invariants: no crash; for every input file and kind of record
// read == imported + rejected; the imported rows build a network without a
// rejected row (the importer guarantees that the folder it writes passes
// `maillage validate`); the report's JSON is produced.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "maillage/import.h"
#include "maillage/network.h"

namespace fs = std::filesystem;
using namespace maillage;

namespace {

const fs::path& Scratch() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() /
                 ("maillage_import_fuzz_" + std::to_string(getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

void Check(bool ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "invariant violated: %s\n", what);
    abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (parts.size() < 3) {
    const size_t end = input.find('\x1e', start);
    parts.push_back(input.substr(start, end == std::string_view::npos
                                            ? std::string_view::npos
                                            : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  const char* names[] = {"structures", "services", "capacities"};
  DataInclusionFiles files;
  std::string* paths[] = {&files.structures, &files.services,
                          &files.capacities};
  for (size_t i = 0; i < 3; ++i) {
    const fs::path p = Scratch() / names[i];
    fs::remove(p);
    if (i < parts.size()) {
      std::ofstream(p, std::ios::binary) << parts[i];
      *paths[i] = p.string();
    }
  }
  if (files.services.empty()) return 0;
  ImportOptions options;
  options.max_file_bytes = 1 << 20;
  absl::StatusOr<ImportResult> r = ImportDataInclusion(files, options);
  if (!r.ok()) return 0;  // an unreadable file: a clear error, no result
  for (const ImportCounts& c : r->report.files) {
    Check(c.read == c.imported + c.rejected, "read == imported + rejected");
    Check(c.read >= 0 && c.imported >= 0 && c.rejected >= 0, "counts >= 0");
  }
  BuildReport built = [&] {
    NetworkBuilder b;
    b.AddRows(r->rows);
    return std::move(b).BuildWithReport();
  }();
  Check(built.ok(), "the imported rows build without a rejected row");
  Check(!r->report.ToJson().empty(), "the report's JSON");
  return 0;
}
