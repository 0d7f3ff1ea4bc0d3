// The model's events and their order at equal times, written once: the
// engine's queue orders by (time, priority, insertion), and the priority of
// each kind is its value here.
#pragma once

#include <cstdint>

#include "engine/event_queue.hpp"

namespace detsim {

// Event kinds, in order of precedence at equal times (lower first):
//   1. an ICE arrival comes before the release or deadline of the same
//      instant, so arriving exactly at the deadline is "by the deadline";
//   2. a release (and its decision) before the deadline it may set;
//   3. a deadline (hold lapse, end of grace) before a team becomes free, so
//      a request dropped at its deadline never takes the freed team;
//   4. notices, moves between facilities and bookings last (bookings are
//      not queued: the model takes one only when it is strictly earlier
//      than the queue's next event);
//   5. a lift after a notice of the same instant (the notice is then
//      withdrawn; a lift is only queued strictly before the release), and
//      re-bookings (queued, unlike first bookings) after everything else.
enum class EventKind : EventPriority {
  kPickupArrival = 0,
  kRelease = 1,
  kDeadline = 2,
  kTeamFree = 3,
  kNotice = 4,
  kMove = 5,
  kBooking = 6,
  kLift = 7,       // ICE lifts a detainer (or a citizen's proof does), before the release
  kRebooking = 8,  // slot: index of the pending re-booking, not a person
};

constexpr EventPriority priority(EventKind kind) {
  return static_cast<EventPriority>(kind);
}
inline EventKind kind_of(const Event& e) {
  return static_cast<EventKind>(e.priority());
}

}  // namespace detsim
