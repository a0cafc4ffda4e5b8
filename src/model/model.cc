#include "maillage/model.h"

namespace maillage {

absl::string_view SupportStatusCode(SupportStatus s) {
  switch (s) {
    case SupportStatus::kCurrent:
      return "current";
    case SupportStatus::kAccepted:
      return "accepted";
    case SupportStatus::kRefused:
      return "refused";
    case SupportStatus::kCompleted:
      return "completed";
  }
  return "";
}

absl::optional<SupportStatus> ParseSupportStatus(absl::string_view code) {
  if (code == "current") return SupportStatus::kCurrent;
  if (code == "accepted") return SupportStatus::kAccepted;
  if (code == "refused") return SupportStatus::kRefused;
  if (code == "completed") return SupportStatus::kCompleted;
  return absl::nullopt;
}

absl::string_view PartnershipKindCode(PartnershipKind k) {
  return k == PartnershipKind::kConvention ? "convention" : "cooperation";
}

absl::optional<PartnershipKind> ParsePartnershipKind(absl::string_view code) {
  if (code == "convention") return PartnershipKind::kConvention;
  if (code == "cooperation") return PartnershipKind::kCooperation;
  return absl::nullopt;
}

}  // namespace maillage
