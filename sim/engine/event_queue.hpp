// The event core: small POD events ordered by time, then by a priority the
// caller supplies (an integer, lower first), then by insertion sequence
// (never by comparing computed times alone). The queue gives priorities no
// meaning; the model writes its order of simultaneous events in one place
// (sim/model/events.hpp). An event names a slot and the slot's generation;
// an event whose generation no longer matches is stale and is skipped by
// the caller: that is the engine's only form of cancel.
//
// The queue is a bucketed calendar queue for hour-scale times: a ring of
// one-hour buckets covering the next kRingHours, each an unsorted vector
// until it becomes current, and a binary heap for events further ahead,
// moved into the ring as time advances. The current bucket is sorted,
// latest first, so its next event is at the back (a pop costs no
// comparisons); events that join it later go to a small heap beside it
// (`near_`), so a crowded hour never costs more than a heap would. The
// order of pops is exactly that of one binary heap on (time, priority,
// sequence).
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <vector>

namespace detsim {

// An event's priority among events at the same time: lower first.
using EventPriority = std::uint8_t;

struct Event {
  double time;
  std::uint64_t order;  // priority << 56 | sequence
  std::uint32_t slot;
  std::uint32_t generation;

  EventPriority priority() const { return static_cast<EventPriority>(order >> 56); }
};

// Heap comparator: true when a comes after b.
struct EventLater {
  bool operator()(const Event& a, const Event& b) const {
    if (a.time != b.time) return a.time > b.time;
    return a.order > b.order;
  }
};

class EventQueue {
 public:
  static constexpr std::int64_t kRingHours = 4096;  // one bucket per hour

  // REQUIRES: every pushed time >= origin.
  explicit EventQueue(double origin = 0) : origin_(origin), ring_(kRingHours) {
    for (auto& v : ring_) v.reserve(8);
  }

  // Empties the queue; later times are measured from `origin`.
  void reset(double origin) {
    for (auto& v : ring_) v.clear();
    far_.clear();
    near_.clear();
    origin_ = origin;
    current_ = 0;
    peek_ = kNone;
    sorted_ = kNone;
    size_ = 0;
    seq_ = 0;
    last_ = -1e300;
  }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  // REQUIRES: time >= the time of the last popped event.
  void push(double time, EventPriority priority, std::uint32_t slot, std::uint32_t generation) {
    assert(time >= last_ && "time must not run backwards");
    const Event e{time, (std::uint64_t{priority} << 56) | seq_++, slot, generation};
    const std::int64_t b = bucket_of(time);
    assert(b >= current_);
    ++size_;
    if (b >= current_ + kRingHours) {
      far_.push_back(e);
      std::push_heap(far_.begin(), far_.end(), EventLater{});
      return;
    }
    add_to_ring(b, e);
    if (peek_ != kNone && b < peek_) peek_ = b;
  }

  // The next event. REQUIRES: !empty(). Does not move the queue's present,
  // so events earlier than the returned one may still be pushed.
  const Event& top() {
    const std::int64_t b = next_bucket();
    if (b == kFar) return far_.front();
    const std::vector<Event>& v = ring_[ring_index(b)];
    return from_near(v) ? near_.front() : v.back();
  }

  Event pop() {
    if (next_bucket() == kFar) {  // only far events: popping moves the present to them
      advance_to(bucket_of(far_.front().time));
      peek_ = kNone;
    }
    const std::int64_t b = next_bucket();
    std::vector<Event>& v = ring_[ring_index(b)];
    Event e;
    if (from_near(v)) {
      std::pop_heap(near_.begin(), near_.end(), EventLater{});
      e = near_.back();
      near_.pop_back();
    } else {
      e = v.back();
      v.pop_back();
    }
    --size_;
    if (v.empty() && near_.empty()) peek_ = kNone;
    advance_to(b);
#ifndef NDEBUG
    assert(e.time >= last_);
    last_ = e.time;
#endif
    return e;
  }

 private:
  static constexpr std::int64_t kNone = -1;
  static constexpr std::int64_t kFar = -2;

  // Times are never before the origin, so truncation is the floor, and
  // buckets are never negative.
  std::int64_t bucket_of(double time) const {
    assert(time >= origin_);
    return static_cast<std::int64_t>(time - origin_);
  }
  std::size_t ring_index(std::int64_t b) const {
    static_assert((kRingHours & (kRingHours - 1)) == 0, "a power of two");
    return static_cast<std::size_t>(b) & (kRingHours - 1);
  }

  // Adds e to ring bucket b: to near_ if b is the sorted bucket.
  void add_to_ring(std::int64_t b, const Event& e) {
    if (b == sorted_) {
      near_.push_back(e);
      std::push_heap(near_.begin(), near_.end(), EventLater{});
    } else {
      ring_[ring_index(b)].push_back(e);
    }
  }

  // Whether the next event of the sorted bucket (vector v) is near_'s.
  bool from_near(const std::vector<Event>& v) const {
    return !near_.empty() && (v.empty() || EventLater{}(v.back(), near_.front()));
  }

  // The first non-empty ring bucket, sorted, or kFar when every event is
  // in the far heap. Never moves the present. REQUIRES: !empty().
  std::int64_t next_bucket() {
    assert(size_ > 0);
    if (peek_ != kNone && sorted_ == peek_) return peek_;  // the usual case, inlined
    return find_next_bucket();
  }

  // next_bucket's search (and sort) when the first bucket is not known.
  std::int64_t find_next_bucket() {
    if (peek_ == kNone) {
      if (far_.size() == size_) return kFar;
      std::int64_t b = current_;
      while (ring_[ring_index(b)].empty() && (b != sorted_ || near_.empty())) ++b;
      assert(b < current_ + kRingHours);
      peek_ = b;
    }
    if (sorted_ != peek_) {
      // An earlier bucket became the first: the old sorted bucket takes its
      // near_ events back, unsorted.
      if (!near_.empty()) {
        std::vector<Event>& old = ring_[ring_index(sorted_)];
        old.insert(old.end(), near_.begin(), near_.end());
        near_.clear();
      }
      std::vector<Event>& v = ring_[ring_index(peek_)];
      std::sort(v.begin(), v.end(), EventLater{});
      sorted_ = peek_;
    }
    return peek_;
  }

  // Moves the present to bucket b (no event is earlier) and pulls the far
  // events that now fall inside the ring.
  void advance_to(std::int64_t b) {
    if (b <= current_) return;
    current_ = b;
    while (!far_.empty() && bucket_of(far_.front().time) < current_ + kRingHours) {
      std::pop_heap(far_.begin(), far_.end(), EventLater{});
      const Event e = far_.back();
      far_.pop_back();
      const std::int64_t fb = bucket_of(e.time);
      add_to_ring(fb, e);
      if (peek_ != kNone && fb < peek_) peek_ = fb;
    }
  }

  double origin_;
  std::vector<std::vector<Event>> ring_;
  std::vector<Event> far_;       // heap of events at least kRingHours ahead
  std::vector<Event> near_;      // heap of events added to the sorted bucket
  std::int64_t current_ = 0;     // no event is in an earlier bucket
  std::int64_t peek_ = kNone;    // the first non-empty bucket, when known
  std::int64_t sorted_ = kNone;  // the bucket kept sorted
  std::size_t size_ = 0;
  std::uint64_t seq_ = 0;
  double last_ = -1e300;
};

}  // namespace detsim
