#include "model/pickup_queue.hpp"

#include <algorithm>

namespace detsim {
namespace {

// EDF: earliest deadline first, then the older request; FIFO: key is 0.
struct LaterRequest {
  bool operator()(const PickupRequest& a, const PickupRequest& b) const {
    if (a.key != b.key) return a.key > b.key;
    return a.seq > b.seq;
  }
};

}  // namespace

PickupQueue::PickupQueue(const Pickup& config, const Calendar& calendar, double horizon)
    : config_(config), calendar_(calendar), horizon_(horizon), free_teams_(config.teams) {}

std::optional<PickupRequest> PickupQueue::request(PersonId person, double deadline, double t) {
  const PickupRequest r{config_.discipline == Discipline::kEdf ? deadline : 0.0, seq_++, t, person};
  if (config_.teams == 0 || free_teams_ > 0) return r;
  waiting_.push_back(r);
  std::push_heap(waiting_.begin(), waiting_.end(), LaterRequest{});
  return std::nullopt;
}

// The arrival moves to the next business hour when ICE keeps business hours.
Trip PickupQueue::dispatch(const PickupRequest& r, double t, double response) {
  Trip trip{0, kNever};
  if (config_.teams > 0) {
    --free_teams_;
    if (r.requested_at >= 0) {
      wait_sum_ += t - r.requested_at;
      wait_count_ += 1;
    }
    team_busy_ += std::max(0.0, std::min(t + response, horizon_) - std::max(t, 0.0));
    trip.team_free = t + response;
  }
  trip.arrival = calendar_.next_business_time(t + response, config_.business_hours);
  return trip;
}

PickupRequest PickupQueue::pop_waiting() {
  std::pop_heap(waiting_.begin(), waiting_.end(), LaterRequest{});
  const PickupRequest r = waiting_.back();
  waiting_.pop_back();
  return r;
}

}  // namespace detsim
