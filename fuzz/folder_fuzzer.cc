// libFuzzer target: the folder loader, on a folder packed in one input: the
// parts between 0x1E bytes are sites.csv, partners.csv, ... travel_times.csv
// in table order (the tables after the last part are absent).
//
// Invariants: no crash; for every file read == loaded + rejected; a folder
// loaded without error writes back (WriteFolder) to a folder that loads to
// an equal network; no message quotes a value of a person's row: a cell of
// persons.csv, needs.csv or supports.csv outside the id columns that holds
// the canary "SECRET" never appears in a problem.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/csv.h"
#include "maillage/io.h"

namespace fs = std::filesystem;
using namespace maillage;

namespace {

const fs::path& Scratch() {
  static const fs::path dir =
      fs::temp_directory_path() / ("maillage_fuzz_" + std::to_string(getpid()));
  return dir;
}

bool IsIdColumn(const std::string& name) {
  return name == "person_id" || name == "site_id" || name == "service_id";
}

// Cells of personal tables, outside id columns, that carry the canary; and
// the text that messages may quote (ids, the other tables) in *allowed.
void CollectSecrets(Table t, std::string_view text,
                    std::vector<std::string>* out, std::string* allowed) {
  if (!IsPersonalTable(t)) {
    allowed->append(text);
    return;
  }
  const base::CsvTable table = base::ParseCsv(text);
  if (table.records.empty()) return;
  const std::vector<std::string>& header = table.records[0].fields;
  for (const std::string& h : header) *allowed += h + '\n';
  for (size_t r = 1; r < table.records.size(); ++r) {
    const std::vector<std::string>& f = table.records[r].fields;
    for (size_t c = 0; c < f.size(); ++c) {
      const bool id = c < header.size() && IsIdColumn(header[c]);
      if (id) {
        *allowed += f[c] + '\n';
      } else if (f[c].find("SECRET") != std::string::npos) {
        out->push_back(f[c]);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const fs::path& dir = Scratch();
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::vector<std::string> secrets;
  std::string allowed;
  size_t begin = 0;
  for (Table t : kTables) {
    if (begin > input.size()) break;
    size_t end = input.find('\x1e', begin);
    if (end == std::string_view::npos) end = input.size();
    const std::string_view part = input.substr(begin, end - begin);
    std::ofstream(dir / std::string(TableFileName(t)), std::ios::binary)
        .write(part.data(), static_cast<std::streamsize>(part.size()));
    CollectSecrets(t, part, &secrets, &allowed);
    begin = end + 1;
  }
  absl::StatusOr<LoadResult> r = LoadFolder(dir.string());
  if (!r.ok()) std::abort();  // the folder exists
  for (const FileReport& f : r->files) {
    if (f.counts.read != f.counts.loaded + f.counts.rejected) std::abort();
  }
  for (const Problem& p : r->problems) {
    const std::string line = p.ToString();
    for (const std::string& s : secrets) {
      if (allowed.find(s) == std::string::npos &&
          line.find(s) != std::string::npos) {
        std::abort();
      }
    }
  }
  if (r->ok()) {
    const fs::path again = dir / "again";
    if (!WriteFolder(r->network, again.string()).ok()) std::abort();
    absl::StatusOr<LoadResult> back = LoadFolder(again.string());
    if (!back.ok() || !back->ok() || !(back->network == r->network)) {
      std::abort();
    }
  }
  return 0;
}
