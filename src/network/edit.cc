// NetworkEdit: scenarios as a rebuild of the edited rows.

#include "maillage/edit.h"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/text.h"

namespace maillage {
namespace {

// The change an added row came from, for messages: "AddService 'svc-9'".
std::string AddedName(Table t, const NetworkRows& added, size_t i) {
  switch (t) {
    case Table::kPartners:
      return absl::StrCat("AddPartner ", base::Quoted(added.partners[i].id));
    case Table::kServices:
      return absl::StrCat("AddService ", base::Quoted(added.services[i].id));
    case Table::kPartnerships:
      return absl::StrCat("AddPartnership ",
                          base::Quoted(added.partnerships[i].from_id), " - ",
                          base::Quoted(added.partnerships[i].to_id));
    default:
      return "edit";
  }
}

}  // namespace

NetworkEdit& NetworkEdit::SetPlaces(std::string service_id,
                                    int64_t capacity_available) {
  places_.emplace_back(std::move(service_id), capacity_available);
  return *this;
}
NetworkEdit& NetworkEdit::RemovePartner(std::string partner_id) {
  removed_partners_.push_back(std::move(partner_id));
  return *this;
}
NetworkEdit& NetworkEdit::RemoveService(std::string service_id) {
  removed_services_.push_back(std::move(service_id));
  return *this;
}
NetworkEdit& NetworkEdit::AddPartner(PartnerRow row) {
  added_.partners.push_back(std::move(row));
  return *this;
}
NetworkEdit& NetworkEdit::AddService(ServiceRow row) {
  added_.services.push_back(std::move(row));
  return *this;
}
NetworkEdit& NetworkEdit::AddPartnership(PartnershipRow row) {
  added_.partnerships.push_back(std::move(row));
  return *this;
}
NetworkEdit& NetworkEdit::AddConvention(std::string site_id,
                                        std::string partner_id,
                                        double strength) {
  return AddPartnership(
      {std::move(site_id), std::move(partner_id), "convention", strength});
}

bool NetworkEdit::empty() const {
  return places_.empty() && removed_partners_.empty() &&
         removed_services_.empty() && added_ == NetworkRows{};
}

absl::StatusOr<Network> NetworkEdit::Apply(const Network& net) const {
  // Checked before copying the rows: a typo fails fast on a large network.
  for (const auto& [id, n] : places_) {
    if (!net.FindService(id)) {
      return absl::InvalidArgumentError(
          absl::StrCat("SetPlaces: no service with id ", base::Quoted(id)));
    }
    if (n < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "SetPlaces: negative number of places for ", base::Quoted(id)));
    }
  }
  absl::flat_hash_set<std::string> partners, services;
  for (const std::string& id : removed_partners_) {
    if (!net.FindPartner(id)) {
      return absl::InvalidArgumentError(
          absl::StrCat("RemovePartner: no partner with id ", base::Quoted(id)));
    }
    partners.insert(id);
  }
  for (const std::string& id : removed_services_) {
    if (!net.FindService(id)) {
      return absl::InvalidArgumentError(
          absl::StrCat("RemoveService: no service with id ", base::Quoted(id)));
    }
    services.insert(id);
  }

  NetworkRows rows = RowsOf(net);
  for (const auto& [id, n] : places_) {
    ServiceRow& r =
        rows.services[static_cast<size_t>(net.FindService(id)->value())];
    r.capacity_available = n;
    if (r.capacity_max && *r.capacity_max < n) r.capacity_max = n;
  }
  for (const ServiceRow& r : rows.services) {
    if (partners.contains(r.partner_id)) services.insert(r.id);
  }
  std::erase_if(rows.partners,
                [&](const PartnerRow& r) { return partners.contains(r.id); });
  std::erase_if(rows.services,
                [&](const ServiceRow& r) { return services.contains(r.id); });
  std::erase_if(rows.supports, [&](const SupportRow& r) {
    return services.contains(r.service_id);
  });
  std::erase_if(rows.partnerships, [&](const PartnershipRow& r) {
    return partners.contains(r.from_id) || partners.contains(r.to_id);
  });
  std::erase_if(rows.travel_times, [&](const TravelTimeRow& r) {
    return services.contains(r.service_id);
  });

  // Added rows come after the network's: line - 2 - (rows kept) is their
  // index among the added ones.
  std::array<size_t, kNumTables> kept{};
  ForEachTable(rows, [&](Table t, const auto& table) {
    kept[static_cast<size_t>(t)] = table.size();
  });
  NetworkRows added = added_;
  rows.partners.insert(rows.partners.end(), added.partners.begin(),
                       added.partners.end());
  rows.services.insert(rows.services.end(), added.services.begin(),
                       added.services.end());
  rows.partnerships.insert(rows.partnerships.end(), added.partnerships.begin(),
                           added.partnerships.end());
  // The service rows SetPlaces changed, by their line in the rebuilt table.
  absl::flat_hash_map<int64_t, std::string> changed;
  for (size_t i = 0; i < rows.services.size(); ++i) {
    for (const auto& [id, n] : places_) {
      if (rows.services[i].id == id) {
        changed[static_cast<int64_t>(i) + 2] = id;
      }
    }
  }
  NetworkBuilder b;
  b.AddRows(std::move(rows));
  BuildReport report = std::move(b).BuildWithReport();
  if (report.ok()) return std::move(report.network);

  // No file is involved: each problem names the change it comes from.
  std::vector<std::string> lines;
  for (const Problem& p : report.problems) {
    if (p.warning) continue;
    Table t = Table::kSites;
    for (Table u : kTables) {
      if (p.file == TableFileName(u)) t = u;
    }
    const int64_t index =
        p.line - 2 - static_cast<int64_t>(kept[static_cast<size_t>(t)]);
    std::string where;
    if (index >= 0) {
      where = AddedName(t, added, static_cast<size_t>(index));
    } else if (auto it = changed.find(p.line);
               t == Table::kServices && it != changed.end()) {
      where = absl::StrCat("SetPlaces ", base::Quoted(it->second));
    } else {
      where = absl::StrCat(TableName(t), " row ", p.line - 1);
    }
    lines.push_back(absl::StrCat(where, ": ", p.field,
                                 p.field.empty() ? "" : ": ", p.reason));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "the edited network is invalid:\n", absl::StrJoin(lines, "\n")));
}

absl::StatusOr<Network> WithCapacity(
    const Network& network,
    absl::Span<const std::pair<std::string, int64_t>> places) {
  NetworkEdit edit;
  for (const auto& [id, n] : places) edit.SetPlaces(id, n);
  return edit.Apply(network);
}

absl::StatusOr<Network> Without(const Network& network,
                                absl::Span<const std::string> partner_ids,
                                absl::Span<const std::string> service_ids) {
  NetworkEdit edit;
  for (const std::string& id : partner_ids) edit.RemovePartner(id);
  for (const std::string& id : service_ids) edit.RemoveService(id);
  return edit.Apply(network);
}

}  // namespace maillage
