#include "import/importer.h"

#include <algorithm>
#include <cassert>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/json.h"
#include "base/text.h"
#include "maillage/network.h"

namespace maillage {

std::string ImportProblem::ToString() const {
  return absl::StrCat(file, ":", record, ":", field, ": ",
                      warning ? "warning: " : "", reason);
}

int64_t ImportReport::errors() const {
  return std::count_if(problems.begin(), problems.end(),
                       [](const ImportProblem& p) { return !p.warning; });
}

int64_t ImportReport::warnings() const {
  return static_cast<int64_t>(problems.size()) - errors();
}

std::string ImportReport::ToJson() const {
  using base::JsonString;
  std::string out = "{\n  \"files\": [";
  for (size_t i = 0; i < files.size(); ++i) {
    const ImportCounts& f = files[i];
    absl::StrAppend(
        &out, i ? ",\n    " : "\n    ", "{\"file\": ", JsonString(f.file),
        ", \"table\": ", JsonString(f.table), ", \"read\": ", f.read,
        ", \"imported\": ", f.imported, ", \"rejected\": ", f.rejected, "}");
  }
  absl::StrAppend(&out, files.empty() ? "" : "\n  ",
                  "],\n  \"errors\": ", errors(),
                  ",\n  \"warnings\": ", warnings(), ",\n  \"mappings\": {");
  for (size_t i = 0; i < mappings.size(); ++i) {
    absl::StrAppend(&out, i ? ",\n    " : "\n    ",
                    JsonString(mappings[i].name), ": ", mappings[i].records);
  }
  absl::StrAppend(&out, mappings.empty() ? "" : "\n  ", "},\n  \"ignored\": {");
  for (size_t i = 0; i < ignored.size(); ++i) {
    absl::StrAppend(&out, i ? ",\n    " : "\n    ", JsonString(ignored[i].name),
                    ": ", ignored[i].records);
  }
  absl::StrAppend(&out, ignored.empty() ? "" : "\n  ", "},\n  \"problems\": [");
  for (size_t i = 0; i < problems.size(); ++i) {
    const ImportProblem& p = problems[i];
    absl::StrAppend(
        &out, i ? ",\n    " : "\n    ", "{\"file\": ", JsonString(p.file),
        ", \"record\": ", p.record, ", \"field\": ", JsonString(p.field),
        ", \"warning\": ", p.warning ? "true" : "false",
        ", \"reason\": ", JsonString(p.reason), "}");
  }
  absl::StrAppend(&out, problems.empty() ? "" : "\n  ", "]\n}\n");
  return out;
}

namespace import {

Where::Where(Importer* importer, int source, int64_t position,
             std::string prefix)
    : importer_(importer),
      source_(source),
      position_(position),
      prefix_(std::move(prefix)) {}

void Where::Warn(absl::string_view field, std::string reason) {
  importer_->AddProblem(source_, position_, absl::StrCat(prefix_, field),
                        std::move(reason), true);
}

void Where::Reject(absl::string_view field, std::string reason) {
  importer_->AddProblem(
      source_, position_,
      field.empty() ? std::string() : absl::StrCat(prefix_, field),
      std::move(reason), false);
  if (!rejected_) importer_->CountRejected(source_);
  rejected_ = true;
}

void Where::Map(absl::string_view mapping) { importer_->Map(mapping); }

const ImportOptions& Where::options() const { return importer_->options(); }

int Importer::AddSource(std::string file, std::string table) {
  files_.push_back(ImportCounts{std::move(file), std::move(table), 0, 0, 0});
  ignored_.emplace_back();
  return static_cast<int>(files_.size()) - 1;
}

void Importer::AddProblem(int source, int64_t position, std::string field,
                          std::string reason, bool warning) {
  problems_.push_back(ImportProblem{files_[static_cast<size_t>(source)].file,
                                    position, std::move(field),
                                    std::move(reason), warning});
  problem_source_.push_back(source);
}

void Importer::Ignore(int source, absl::string_view field) {
  ++ignored_[static_cast<size_t>(source)][std::string(field)];
}

bool Importer::AddPartner(PartnerRow row, Where& where) {
  if (const auto it = partner_index_.find(row.id); it != partner_index_.end()) {
    const Origin& first = partners_[it->second].origin;
    where.Reject("id",
                 absl::StrCat("duplicate structure id ", base::Quoted(row.id),
                              " (first in ", file(first.source), " record ",
                              first.position, "): rejected"));
    return false;
  }
  partner_index_.emplace(row.id, partners_.size());
  partners_.push_back(
      PendingPartner{std::move(row), Origin{where.source(), where.position()}});
  return true;
}

bool Importer::AddService(PendingService service, Where& where) {
  if (const auto it = service_index_.find(service.row.id);
      it != service_index_.end()) {
    const Origin& first = services_[it->second].origin;
    where.Reject("id", absl::StrCat("duplicate service id ",
                                    base::Quoted(service.row.id), " (first in ",
                                    file(first.source), " record ",
                                    first.position, "): rejected"));
    return false;
  }
  service.origin = Origin{where.source(), where.position()};
  service_index_.emplace(service.row.id, services_.size());
  services_.push_back(std::move(service));
  return true;
}

PendingPartner* Importer::FindPartner(absl::string_view id) {
  const auto it = partner_index_.find(id);
  return it == partner_index_.end() ? nullptr : &partners_[it->second];
}

PendingService* Importer::FindService(absl::string_view id) {
  const auto it = service_index_.find(id);
  return it == service_index_.end() ? nullptr : &services_[it->second];
}

void Importer::RejectRow(Origin origin, bool* rejected, std::string field,
                         std::string reason) {
  AddProblem(origin.source, origin.position, std::move(field),
             std::move(reason), false);
  if (!*rejected) CountRejected(origin.source);
  *rejected = true;
}

namespace {

// A service rejected after its capacity row was applied: that row is
// rejected too.
void RejectService(Importer& imp, PendingService& s, std::string field,
                   std::string reason) {
  if (s.rejected) return;
  imp.RejectRow(s.origin, &s.rejected, std::move(field), std::move(reason));
  if (s.capacity.source >= 0) {
    bool capacity_rejected = false;
    imp.RejectRow(
        s.capacity, &capacity_rejected, "service_id",
        absl::StrCat("its service ", base::Quoted(s.row.id), " was rejected"));
  }
}

bool HasPlace(const std::string& insee_com, const absl::optional<double>& lat) {
  return !insee_com.empty() || lat.has_value();
}

}  // namespace

ImportResult Importer::Finish() && {
  // Each service's structure.
  std::vector<std::vector<size_t>> services_of(partners_.size());
  for (size_t i = 0; i < services_.size(); ++i) {
    PendingService& s = services_[i];
    if (s.rejected) continue;
    size_t p = 0;
    auto it = partner_index_.find(s.structure_ref);
    if (it == partner_index_.end() && !s.source_name.empty()) {
      it = partner_index_.find(
          absl::StrCat(s.source_name, "--", s.structure_ref));
    }
    if (it == partner_index_.end()) {
      RejectService(*this, s, "structure_id",
                    absl::StrCat("structure_id ", base::Quoted(s.structure_ref),
                                 " refers to no structure"));
      continue;
    }
    p = it->second;
    s.row.partner_id = partners_[p].row.id;
    services_of[p].push_back(i);
  }
  // A partner without any place takes that of its first service with one.
  for (size_t p = 0; p < partners_.size(); ++p) {
    PendingPartner& partner = partners_[p];
    if (partner.rejected || HasPlace(partner.row.insee_com, partner.row.lat)) {
      continue;
    }
    for (size_t i : services_of[p]) {
      const ServiceRow& s = services_[i].row;
      if (services_[i].rejected || !HasPlace(s.insee_com, s.lat)) continue;
      partner.row.insee_com = s.insee_com;
      partner.row.lat = s.lat;
      partner.row.lng = s.lng;
      Map("structure without location -> located at its service");
      AddProblem(partner.origin.source, partner.origin.position, "",
                 absl::StrCat("no location (coordinates, code_insee or "
                              "code_postal): placed at its service ",
                              base::Quoted(s.id)),
                 true);
      break;
    }
    if (!HasPlace(partner.row.insee_com, partner.row.lat)) {
      RejectRow(partner.origin, &partner.rejected, "",
                "no location: no valid coordinates, code_insee or code_postal, "
                "and no service with one");
    }
  }
  for (size_t p = 0; p < partners_.size(); ++p) {
    if (!partners_[p].rejected) continue;
    for (size_t i : services_of[p]) {
      RejectService(*this, services_[i], "structure_id",
                    absl::StrCat("structure_id ",
                                 base::Quoted(services_[i].structure_ref),
                                 " refers to a rejected structure (",
                                 file(partners_[p].origin.source), " record ",
                                 partners_[p].origin.position, ")"));
    }
  }

  // The builder's checks, on the rows still accepted; line = index + 2.
  std::vector<size_t> partner_rows, service_rows;
  NetworkBuilder b;
  b.SetFileName(Table::kPartners, "partners");
  b.SetFileName(Table::kServices, "services");
  for (size_t p = 0; p < partners_.size(); ++p) {
    if (partners_[p].rejected) continue;
    b.Add(partners_[p].row,
          RowOrigin{static_cast<int64_t>(partner_rows.size()) + 2});
    partner_rows.push_back(p);
  }
  for (size_t i = 0; i < services_.size(); ++i) {
    if (services_[i].rejected) continue;
    b.Add(services_[i].row,
          RowOrigin{static_cast<int64_t>(service_rows.size()) + 2});
    service_rows.push_back(i);
  }
  BuildReport built = std::move(b).BuildWithReport();
  for (const Problem& problem : built.problems) {
    const bool partner = problem.file == "partners";
    const std::vector<size_t>& rows = partner ? partner_rows : service_rows;
    const int64_t k = problem.line - 2;
    if (problem.file != "partners" && problem.file != "services") continue;
    if (k < 0 || k >= static_cast<int64_t>(rows.size())) continue;
    const size_t index = rows[static_cast<size_t>(k)];
    const std::string field = problem.field;
    if (problem.warning) {
      const Origin o =
          partner ? partners_[index].origin : services_[index].origin;
      AddProblem(o.source, o.position, field, problem.reason, true);
    } else if (partner) {
      RejectRow(partners_[index].origin, &partners_[index].rejected, field,
                problem.reason);
    } else {
      RejectService(*this, services_[index], field, problem.reason);
    }
  }

  ImportResult result;
  result.network = std::move(built.network);
  result.rows = RowsOf(result.network);
  // Counts: imported rows by the record they came from.
  for (const PendingPartner& p : partners_) {
    if (!p.rejected) ++files_[static_cast<size_t>(p.origin.source)].imported;
  }
  for (const PendingService& s : services_) {
    if (s.rejected) continue;
    ++files_[static_cast<size_t>(s.origin.source)].imported;
    if (s.capacity.source >= 0) {
      ++files_[static_cast<size_t>(s.capacity.source)].imported;
    }
  }
  ImportReport& report = result.report;
  // Problems by source file (in the order files were first read), then
  // record.
  std::vector<size_t> order(problems_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<int> file_rank(files_.size());
  for (size_t s = 0; s < files_.size(); ++s) {
    file_rank[s] = static_cast<int>(s);
    for (size_t t = 0; t < s; ++t) {
      if (files_[t].file == files_[s].file) {
        file_rank[s] = file_rank[t];
        break;
      }
    }
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const int fx = file_rank[static_cast<size_t>(problem_source_[x])];
    const int fy = file_rank[static_cast<size_t>(problem_source_[y])];
    if (fx != fy) return fx < fy;
    return problems_[x].record < problems_[y].record;
  });
  report.problems.reserve(problems_.size());
  for (size_t i : order) report.problems.push_back(std::move(problems_[i]));
  for (const auto& [name, n] : mappings_) report.mappings.push_back({name, n});
  for (size_t s = 0; s < files_.size(); ++s) {
    for (const auto& [name, n] : ignored_[s]) {
      report.ignored.push_back({absl::StrCat(files_[s].table, ".", name), n});
    }
  }
  report.files = std::move(files_);
  for ([[maybe_unused]] const ImportCounts& f : report.files) {
    assert(f.read == f.imported + f.rejected);
  }
  return result;
}

}  // namespace import
}  // namespace maillage
