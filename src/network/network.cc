#include "maillage/network.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "network/network_data.h"

namespace maillage {

Network::Network() : data_(std::make_shared<internal::NetworkData>()) {}

Network::Network(std::shared_ptr<const internal::NetworkData> data)
    : data_(std::move(data)) {}

absl::Span<const Site> Network::sites() const { return data_->sites; }
absl::Span<const Partner> Network::partners() const { return data_->partners; }
absl::Span<const Service> Network::services() const { return data_->services; }
absl::Span<const Person> Network::persons() const { return data_->persons; }
absl::Span<const Need> Network::needs() const { return data_->needs; }
absl::Span<const Support> Network::supports() const { return data_->supports; }
absl::Span<const Partnership> Network::partnerships() const {
  return data_->partnerships;
}
absl::Span<const TravelTime> Network::travel_times() const {
  return data_->travel_times;
}

NeedId Network::first_need(PersonId p) const {
  return NeedId(data_->need_begin[p.value()]);
}
NeedId Network::end_need(PersonId p) const {
  return NeedId(data_->need_begin[p.value() + 1]);
}

namespace {
template <typename Id>
absl::optional<Id> Find(const absl::flat_hash_map<std::string, int32_t>& map,
                        absl::string_view id) {
  auto it = map.find(id);
  if (it == map.end()) return absl::nullopt;
  return Id(it->second);
}
}  // namespace

absl::optional<SiteId> Network::FindSite(absl::string_view id) const {
  return Find<SiteId>(data_->site_index, id);
}
absl::optional<PartnerId> Network::FindPartner(absl::string_view id) const {
  return Find<PartnerId>(data_->partner_index, id);
}
absl::optional<ServiceId> Network::FindService(absl::string_view id) const {
  return Find<ServiceId>(data_->service_index, id);
}
absl::optional<PersonId> Network::FindPerson(absl::string_view id) const {
  return Find<PersonId>(data_->person_index, id);
}

absl::optional<ServiceId> Network::pinned_service(NeedId need) const {
  const int32_t s = data_->pinned_service[need.value()];
  if (s < 0) return absl::nullopt;
  return ServiceId(s);
}

int32_t Network::pinned_places(ServiceId s) const {
  return data_->pinned_places[s.value()];
}

int32_t Network::free_places(ServiceId s) const {
  return std::max(0, service(s).capacity_available - pinned_places(s));
}

absl::Span<const Support> Network::supports_of(PersonId p) const {
  const int32_t b = data_->support_begin[p.value()];
  const int32_t e = data_->support_begin[p.value() + 1];
  return absl::MakeConstSpan(data_->supports).subspan(b, e - b);
}

bool Network::IsRefused(PersonId p, ServiceId s, ThemeId theme) const {
  for (const Support& sup : supports_of(p)) {
    if (sup.status != SupportStatus::kRefused || sup.service != s) continue;
    if (sup.theme == theme) return true;
    // A category and one of its subthemes.
    if (IsCategory(sup.theme) && CategoryOf(theme) == sup.theme) return true;
    if (IsCategory(theme) && CategoryOf(sup.theme) == theme) return true;
  }
  return false;
}

namespace {
// Index in the CSR reach table of (site, partner), or -1.
int32_t ReachIndex(const graph::PartnerReach& r, SiteId site,
                   PartnerId partner) {
  const auto b = r.partner.begin() + r.begin[site.value()];
  const auto e = r.partner.begin() + r.begin[site.value() + 1];
  auto it = std::lower_bound(b, e, partner.value());
  if (it == e || *it != partner.value()) return -1;
  return static_cast<int32_t>(it - r.partner.begin());
}
}  // namespace

int Network::HopDistance(SiteId site, PartnerId partner) const {
  const int32_t i = ReachIndex(data_->reach, site, partner);
  return i < 0 ? kNoPath : data_->reach.hops[static_cast<size_t>(i)];
}

double Network::ConventionStrength(SiteId site, PartnerId partner) const {
  const int32_t i = ReachIndex(data_->reach, site, partner);
  return i < 0 ? 0.0 : data_->reach.strength[static_cast<size_t>(i)];
}

absl::optional<double> Network::TravelMinutes(absl::string_view insee_com,
                                              ServiceId s) const {
  const auto& tt = data_->travel_times;
  auto it = std::lower_bound(
      tt.begin(), tt.end(), std::pair(insee_com, s),
      [](const TravelTime& t,
         const std::pair<absl::string_view, ServiceId>& k) {
        return std::pair(absl::string_view(t.from_insee_com), t.service) < k;
      });
  if (it == tt.end() || it->from_insee_com != insee_com || it->service != s) {
    return absl::nullopt;
  }
  return it->minutes;
}

std::vector<std::string> Network::Territories() const {
  std::set<std::string> names;
  for (const Site& s : data_->sites) names.insert(s.territory);
  return {names.begin(), names.end()};
}

}  // namespace maillage

namespace maillage {

bool operator==(const Network& a, const Network& b) {
  return a.data_ == b.data_ || RowsOf(a) == RowsOf(b);
}

}  // namespace maillage
