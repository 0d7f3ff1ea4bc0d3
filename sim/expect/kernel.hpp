// The expectations of one booking class of `detsim expect`: people of one
// facility, offense category and path (pretrial or sentenced), whose stay
// S, lodge delay D and ICE response R are independent draws.
//
// Counting (docs/model.md). Bookings arrive on [-W, T) at the base rate
// lambda times the multiplier r(b) of their day (expect/profile.hpp, A1 and
// A2 its integrals). A quantity whose event happens `v` hours after booking
// is counted when the booking time b has b + v in [0, T): a measure
// g(v) = A1(T - v) - A1(-v) of booking times (with r = 1:
// (T - (v - W)+)+). A decision at X hours after booking with an outcome h
// hours later is counted when b + X >= 0 and the outcome is seen when
// b + X + h < T: measure A1(T - X - h) - A1(-X). Each component below is
// such a measure, averaged over the class's random draws: multiplied by
// lambda (bookings per hour) it is an expected count over the horizon.
#pragma once

#include "expect/math.hpp"
#include "expect/profile.hpp"

namespace detsim::expect_detail {

// The scenario's window and release rules, hours.
struct Window {
  double horizon = 0;     // T
  double warmup = 0;      // W
  double limit = 48;      // L, the hold limit
  double grace = 0;       // G, release_grace_hours
  double lead = 0;        // notice_lead_hours (sentenced path only)
  double multiplier = 1;  // detainer_stay_multiplier (pretrial path only)
};

// Components of a class kernel. "Active" components are averages over
// people with a lodged detainer, restricted to the detainer arriving before
// release (D < S); the others are over everyone of the class or over those
// with a lodged detainer (kLodged, kLate, kLate*).
enum Component : std::size_t {
  kAllCustody,     // E[min(S, T + W)]: in custody at the end, people without a detainer
  kAllOccupancy,   // E[o(S)], o(Y) = integral over [0, T) of min(Y, t + W): custody-hours in the
                   // window
  kLateCustody,    // E[min(S, T + W) ; D >= S]
  kLateOccupancy,  // E[o(S) ; D >= S]
  kLodged,         // E[g(D) ; D < S]: detainers lodged (active) in the window
  kLate,           // E[g(D) ; D >= S]: late detainers in the window
  kInCustodyWithDetainer,  // E[(min(X, T + W) - D)+ ; D < S]
  kDecisions,              // E[U+ ; D < S]
  kHonorTransfers,         // honor: picked up by the deadline, seen before T
  kHonorLapses,            // honor: lapsed before T
  kHonorHours,             // honor: hours held, open holds up to T
  kHonorCustody,           // honor: in custody at the end
  kHonorOccupancy,         // honor: custody-hours in the window
  kHonorArrests,           // honor: at-large arrests after lapses
  kNotifyTransfers,        // notify: picked up at release or in the grace, seen before T
  kNotifyMissed,           // notify: missed notices before T
  kNotifyCustody,
  kNotifyOccupancy,
  kNotifyArrests,
  kPlainCustody,  // decline or 287(g) transfer: released or transferred at X
  kPlainOccupancy,
  kDeclineArrests,  // decline: at-large arrests
  kExtraStay,       // E[o(X) - o(S) ; D < S]: custody-hours the stay multiplier adds in the window
  // Lifted detainers (DetainerEnd; zero without lifts): a lift before the
  // release X ends the detainer, and the person is released at X with no
  // decision.
  kLifted,           // E[g(D + M) ; M < X - D]: lifts in the window (M: time to the lift)
  kLiftedCustody,    // lifted: in custody at the end
  kLiftedOccupancy,  // lifted: custody-hours in the window
  kComponents
};

using Kernel = Vec<kComponents>;

// How an active detainer can end before the decision, for one group of
// people (docs/model.md, lifted detainers and proof of status): ICE lifts it
// with probability `lift` after a delay of law `lift_delay`; the person
// proves status with probability `proof` after `proof_delay` (both from the
// detainer's arrival), which lifts the detainer too when `proof_lifts` (a
// citizen, with ice.lift_citizen_on_proof), else makes `status_proven` true
// when before the notice. The kernel's decision components then cover only
// the people whose detainer is still active at the release, and of them
// those proven (`proven` 1) or not proven (0); the others (lifts, custody,
// lodging) are the same for both.
struct DetainerEnd {
  double lift = 0;
  const Law* lift_delay = nullptr;  // REQUIRES: set when lift > 0
  double proof = 0;
  const Law* proof_delay = nullptr;  // REQUIRES: set when proof > 0
  bool proof_lifts = false;
  int proven = 0;

  bool any() const { return lift > 0 || proof > 0; }
  // Both a lift by ICE and a lift by proof: the time to the first has no
  // closed form here, so the counts that need it (kLifted and
  // kInCustodyWithDetainer) are not computed (zero).
  bool two_lifts() const { return lift > 0 && proof > 0 && proof_lifts; }
};

struct ClassLaws {
  const Law& stay;      // S: pretrial_stay or sentenced_stay
  const Law& delay;     // D: ice.lodge_delay
  const Law& response;  // R: ice.pickup.delay
  const Law* arrest;    // at-large delay (exponential), or nullptr without arrests
  bool sentenced;
  DetainerEnd end{};  // default: detainers end only at the decision
};

// The kernel of one class booked with the multipliers of `profile` (see
// Component), every integral to a relative accuracy of about 1e-9 of its
// component's largest possible value. REQUIRES: `profile` covers
// [-window.warmup, window.horizon); with at-large arrests, its exponential
// table is set to their rate.
Kernel class_kernel(const Window& window, const ClassLaws& laws, const BookingProfile& profile);

}  // namespace detsim::expect_detail
