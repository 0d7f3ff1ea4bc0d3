#include <catch2/catch.hpp>
#include <cmath>
#include <queue>

#include "engine/event_queue.hpp"
#include "engine/rng.hpp"

using namespace detsim;

TEST_CASE("the calendar queue pops in exactly the order of one binary heap") {
  // Random pushes ahead of the last pop (near, same hour, same time, and far
  // beyond the ring), peeks that look ahead, then pushes earlier than the
  // peeked event (into an earlier bucket than the sorted one, too): the pop
  // order must equal a reference heap's.
  EventQueue q(-1000.5);
  std::priority_queue<Event, std::vector<Event>, EventLater> ref;
  Stream s(3, 0, 0, Purpose::kStay, 0);
  std::uint64_t seq = 0;
  double now = -1000.5;
  const auto push = [&](double t, EventPriority k) {
    q.push(t, k, static_cast<std::uint32_t>(seq), 0);
    ref.push(Event{t, (std::uint64_t{k} << 56) | seq, static_cast<std::uint32_t>(seq), 0});
    ++seq;
  };
  for (int i = 0; i < 300000; ++i) {
    // Phases that drain the queue (so at times only far events are left)
    // alternate with phases that fill it.
    const bool draining = (i / 5000) % 2 == 1;
    const double u = draining ? 0.3 + 0.7 * s.uniform() : s.uniform();
    const auto kind = static_cast<EventPriority>(s.uniform() * 6);
    if (u < 0.45 || q.empty()) {
      const double r = s.uniform();
      // Same time, within the hour (joining the sorted current bucket),
      // hours ahead, and beyond the ring.
      const double ahead = r < 0.1    ? 0.0
                           : r < 0.35 ? -std::log(s.uniform()) * 0.3
                           : r < 0.75 ? -std::log(s.uniform()) * 20
                                      : -std::log(s.uniform()) * 20000;
      push(now + ahead, kind);
    } else if (u < 0.55) {
      const double next = q.top().time;  // look ahead, then push before it
      REQUIRE(next == ref.top().time);
      push(now + (next - now) * s.uniform(), kind);
    } else {
      const Event a = q.pop();
      const Event b = ref.top();
      ref.pop();
      REQUIRE(a.time == b.time);
      REQUIRE(a.order == b.order);
      now = a.time;
    }
  }
  while (!q.empty()) {
    const Event a = q.pop();
    REQUIRE(a.order == ref.top().order);
    ref.pop();
  }
  CHECK(ref.empty());
}

TEST_CASE("simultaneous events follow their priority (lower first), then insertion order") {
  EventQueue q(0);
  q.push(5, 2, 1, 0);
  q.push(5, 3, 2, 0);
  q.push(5, 0, 3, 0);
  q.push(5, 1, 4, 0);
  q.push(5, 0, 5, 0);
  q.push(5, 255, 6, 0);
  q.push(4.5, 255, 7, 0);
  std::vector<std::uint32_t> order;
  while (!q.empty()) order.push_back(q.pop().slot);
  CHECK(order == std::vector<std::uint32_t>{7, 3, 5, 4, 1, 2, 6});
}
