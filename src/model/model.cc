#include "maillage/model.h"

#include "base/codes.h"

namespace maillage {
namespace {

constexpr base::Code<SupportStatus> kSupportStatuses[] = {
    {SupportStatus::kCurrent, "current"},
    {SupportStatus::kAccepted, "accepted"},
    {SupportStatus::kRefused, "refused"},
    {SupportStatus::kCompleted, "completed"},
    {SupportStatus::kSent, "sent"},
    {SupportStatus::kExpired, "expired"},
    {SupportStatus::kCancelled, "cancelled"},
};

constexpr base::Code<PartnershipKind> kPartnershipKinds[] = {
    {PartnershipKind::kConvention, "convention"},
    {PartnershipKind::kCooperation, "cooperation"},
};

}  // namespace

absl::string_view SupportStatusCode(SupportStatus s) {
  return base::CodeOf(kSupportStatuses, s);
}

absl::optional<SupportStatus> ParseSupportStatus(absl::string_view code) {
  return base::ParseCode(kSupportStatuses, code);
}

bool PinsItsNeed(SupportStatus s) {
  return s == SupportStatus::kCurrent || s == SupportStatus::kAccepted ||
         s == SupportStatus::kSent;
}

bool IsSupportOfRecord(SupportStatus s) {
  return PinsItsNeed(s) || s == SupportStatus::kCompleted;
}

absl::string_view PartnershipKindCode(PartnershipKind k) {
  return base::CodeOf(kPartnershipKinds, k);
}

absl::optional<PartnershipKind> ParsePartnershipKind(absl::string_view code) {
  return base::ParseCode(kPartnershipKinds, code);
}

}  // namespace maillage
