// ICE pickups (docs/model.md): requests for people ICE is told
// about, served by a limited number of teams (or at once with unlimited
// capacity), in FIFO or earliest-deadline-first order; arrivals wait for
// business hours when ICE keeps them. The queue knows people only by id and
// deadline; the caller draws each response time and queues the events a
// dispatch implies (Trip).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "detsim/scenario.hpp"
#include "engine/calendar.hpp"
#include "model/custody.hpp"

namespace detsim {

// A waiting pickup request.
struct PickupRequest {
  double key;  // EDF: deadline; FIFO: 0
  std::uint64_t seq;
  double requested_at;
  PersonId person;
};

// Where a dispatched team goes and when it is back.
struct Trip {
  double arrival;    // ICE at the facility (after business hours apply)
  double team_free;  // the team is free again, or kNever with unlimited teams
};

class PickupQueue {
 public:
  PickupQueue(const Pickup& config, const Calendar& calendar, double horizon);

  // A request at t for `person`, whose hold or grace ends at `deadline`.
  // Returns the request when a team leaves now (dispatch it), or nothing
  // when it waits for a team.
  std::optional<PickupRequest> request(PersonId person, double deadline, double t);

  // A team (or unlimited capacity) leaves at t for r's person and takes
  // `response` hours: it is busy exactly that long.
  Trip dispatch(const PickupRequest& r, double t, double response);

  // A team is free at t: returns the next waiting request that is `still_due`
  // (its person is still in custody and its deadline after t), dropping the
  // others, or nothing (the team stays free).
  template <class StillDue>
  std::optional<PickupRequest> team_free(double t, StillDue&& still_due) {
    ++free_teams_;
    while (!waiting_.empty()) {
      const PickupRequest r = pop_waiting();
      if (still_due(r.person, t)) return r;
    }
    return std::nullopt;
  }

  double mean_wait_hours() const { return wait_count_ > 0 ? wait_sum_ / wait_count_ : 0.0; }
  // Busy team-hours inside the window over available team-hours.
  double utilization() const {
    return config_.teams > 0 ? team_busy_ / (config_.teams * horizon_) : 0.0;
  }

 private:
  PickupRequest pop_waiting();

  const Pickup& config_;
  const Calendar& calendar_;
  double horizon_;
  int free_teams_;
  std::uint64_t seq_ = 0;
  std::vector<PickupRequest> waiting_;  // heap
  double wait_sum_ = 0, wait_count_ = 0, team_busy_ = 0;
};

}  // namespace detsim
