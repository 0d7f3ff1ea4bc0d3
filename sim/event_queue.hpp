// The event core: a binary heap of small POD events ordered by time, then by
// the precedence of their kind, then by insertion sequence (never by
// comparing computed times alone). An event names a slot and the slot's
// generation; an event whose generation no longer matches is stale and is
// skipped by the model: that is the engine's only form of cancel.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <vector>

namespace detsim {

// Event kinds, in order of precedence at equal times (lower first):
//   1. an ICE arrival comes before the release or deadline of the same
//      instant, so arriving exactly at the deadline is "by the deadline";
//   2. a release (and its decision) before the deadline it may set;
//   3. a deadline (lapse, end of grace) before a team becomes free, so a
//      request dropped at its deadline never takes the freed team;
//   4. notices, moves between facilities and bookings last.
enum class EventKind : std::uint8_t {
  kPickupArrival = 0,
  kRelease = 1,
  kDeadline = 2,
  kTeamFree = 3,
  kNotice = 4,
  kMove = 5,
  kBooking = 6,
};

struct Event {
  double time;
  std::uint64_t order;  // kind << 56 | sequence
  std::uint32_t slot;
  std::uint32_t generation;

  EventKind kind() const { return static_cast<EventKind>(order >> 56); }
};

class EventQueue {
 public:
  void reserve(std::size_t n) { heap_.reserve(n); }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Event& top() const { return heap_.front(); }

  void push(double time, EventKind kind, std::uint32_t slot, std::uint32_t generation) {
    assert(time >= last_ && "time must not run backwards");
    heap_.push_back(Event{time, (std::uint64_t{static_cast<std::uint8_t>(kind)} << 56) | seq_++,
                          slot, generation});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }

  Event pop() {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    const Event e = heap_.back();
    heap_.pop_back();
    assert(e.time >= last_);
#ifndef NDEBUG
    last_ = e.time;
#endif
    return e;
  }

  void clear() {
    heap_.clear();
    seq_ = 0;
    last_ = -1e300;
  }

 private:
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      if (a.time != b.time) return a.time > b.time;
      return a.order > b.order;
    }
  };
  std::vector<Event> heap_;
  std::uint64_t seq_ = 0;
  double last_ = -1e300;
};

}  // namespace detsim
