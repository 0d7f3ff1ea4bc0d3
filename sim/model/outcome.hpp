// How a person's time in custody ends (the trace's `outcome` column).
#pragma once

#include <cstdint>

namespace detsim {

enum class Outcome : std::uint8_t {
  kReleased,             // no active detainer at release
  kTransferredFromHold,  // honored: ICE took custody during the hold (or at release)
  kLapsed,               // honored: the hold ended without ICE
  kTransferredOnNotice,  // notified: ICE took custody in the grace period
  kMissedNotice,         // notified: the grace period ended without ICE
  kTransferred287g,      // transferred directly under a 287(g) agreement
  kDeclinedReleased,     // declined: released despite the detainer
  kInCustody,            // still in custody at the horizon
};

inline constexpr const char* kOutcomeNames[] = {
    "released",
    "transferred_from_hold",
    "lapsed",
    "transferred_on_notice",
    "missed_notice",
    "transferred_287g",
    "declined_released",
    "in_custody",
};

constexpr const char* to_string(Outcome o) {
  return kOutcomeNames[static_cast<int>(o)];
}

}  // namespace detsim
