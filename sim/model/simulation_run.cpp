// The event loop, ICE pickups, occupancy, the daily series and the end of the
// horizon (MODEL.md section 2 steps 5 and 6).
#include <algorithm>
#include <cassert>
#include <cmath>

#include "engine/distributions.hpp"
#include "model/simulation.hpp"

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

ReplicationMetrics Simulation::run() {
  for (std::size_t f = 0; f < sc_.facilities.size(); ++f) {
    occupancy_[f].last_change = start_;
    booking_[f].next_time = start_;
    booking_[f].day = std::floor(start_ / 24.0);
    next_arrival(static_cast<int>(f));
  }
  occupancy_.back().last_change = start_;

  // Bookings are the lowest-precedence kind (event_queue.hpp), kept out of
  // the queue: the next one is the earliest of each facility's next booking
  // (the lower facility index first), taken when strictly before the queue's
  // next event.
  // te, the queue's next time, changes only when the queue does: after an
  // event, or a booking that enters custody.
  int booking_facility = next_booking_facility();
  const auto next_event_time = [this] { return queue_.empty() ? kNever : queue_.top().time; };
  double te = next_event_time();
  for (;;) {
    const double tb = booking_[booking_facility].next_time;
    if (std::min(tb, te) >= horizon_) break;
    if (tb < te && tb < 0 && skip_on_) {
      const std::uint64_t skipped = skip_warmup_bookings(booking_facility, std::min(te, 0.0));
      if (skipped > 0) {
        events_ += skipped;
        booking_facility = next_booking_facility();
        continue;
      }
    }
    ++events_;
    if (tb < te) {
      if (series_on_ && tb >= next_midnight_) emit_days_until(tb);
      if (on_booking(booking_facility, tb)) te = next_event_time();
      booking_facility = next_booking_facility();
    } else {
      handle(queue_.pop());
      te = next_event_time();
    }
  }
  if (series_on_) emit_days_until(horizon_);
  finish();

  ReplicationMetrics out;
  const std::size_t nf = sc_.facilities.size();
  out.facility.assign(nf, MetricValues{});
  out.offense.assign(categories_, MetricValues{});
  const auto is_max = [](std::size_t m) { return m == index(Metric::max_hold_hours); };
  for (std::size_t f = 0; f < nf; ++f) {
    for (std::size_t c = 0; c < categories_; ++c) {
      const double* v = &cells_[cell(static_cast<int>(f), static_cast<int>(c))];
      for (std::size_t m = 0; m < kMetricCount; ++m) {
        const auto add = [&](MetricValues& to) {
          to[m] = is_max(m) ? std::max(to[m], v[m]) : to[m] + v[m];
        };
        add(out.facility[f]);
        add(out.offense[c]);
        add(out.total);
      }
    }
  }
  // decisions, transfers and released_despite_detainer are counted where they
  // happen, not derived, so the identities of MODEL.md section 7 are checks.
  const auto derive = [&](MetricValues& v, double bed_day_cost) {
    v[index(Metric::hold_bed_days)] = v[index(Metric::hold_hours)] / 24.0;
    if (bed_day_cost >= 0)
      v[index(Metric::hold_cost)] = v[index(Metric::hold_bed_days)] * bed_day_cost;
  };
  for (std::size_t f = 0; f < nf; ++f) {
    derive(out.facility[f], sc_.facilities[f].bed_day_cost);
    const Occupancy& o = occupancy_[f];
    out.facility[f][index(Metric::mean_occupancy)] = o.area / horizon_;
    out.facility[f][index(Metric::peak_occupancy)] = o.peak;
    out.facility[f][index(Metric::over_capacity_hours)] = o.over_capacity;
  }
  // Costs differ by facility: an offense's and the total's cost are sums of
  // the cells' costs, not hold_bed_days times one rate.
  for (std::size_t c = 0; c < categories_; ++c) {
    derive(out.offense[c], -1);
    double cost = 0;
    for (std::size_t f = 0; f < nf; ++f)
      cost += cells_[cell(static_cast<int>(f), static_cast<int>(c)) + index(Metric::hold_hours)] /
              24.0 * sc_.facilities[f].bed_day_cost;
    out.offense[c][index(Metric::hold_cost)] = cost;
  }
  derive(out.total, -1);
  double cost = 0, over = 0;
  for (std::size_t f = 0; f < nf; ++f) {
    cost += out.facility[f][index(Metric::hold_cost)];
    over += out.facility[f][index(Metric::over_capacity_hours)];
  }
  out.total[index(Metric::hold_cost)] = cost;
  out.total[index(Metric::over_capacity_hours)] = over;
  const Occupancy& all = occupancy_[nf == 1 ? 0 : nf];
  out.total[index(Metric::mean_occupancy)] = all.area / horizon_;
  out.total[index(Metric::peak_occupancy)] = all.peak;
  out.total[index(Metric::ice_mean_wait_hours)] = wait_count_ > 0 ? wait_sum_ / wait_count_ : 0.0;
  out.total[index(Metric::ice_team_utilization)] =
      sc_.ice.pickup.teams > 0 ? team_busy_ / (sc_.ice.pickup.teams * horizon_) : 0.0;
  return out;
}

void Simulation::handle(const Event& e) {
  if (series_on_ && e.time >= next_midnight_) emit_days_until(e.time);
  const EventKind kind = e.kind();
  if (kind == EventKind::kTeamFree) {
    on_team_free(e.time);
    return;
  }
  if (people_[e.slot].generation != e.generation) return;  // stale: the person left
  switch (kind) {
    case EventKind::kPickupArrival:
      on_pickup_arrival(e.slot, e.time);
      break;
    case EventKind::kRelease:
      on_release(e.slot, e.time);
      break;
    case EventKind::kDeadline:
      on_deadline(e.slot, e.time);
      break;
    case EventKind::kNotice:
      on_notice(e.slot, e.time);
      break;
    case EventKind::kMove:
      on_move(e.slot, e.time);
      break;
    default:
      assert(false);
  }
}

int Simulation::next_booking_facility() const {
  int best = 0;
  for (std::size_t f = 1; f < booking_.size(); ++f)
    if (booking_[f].next_time < booking_[best].next_time) best = static_cast<int>(f);
  return best;
}

// ---------------------------------------------------------------------------
// ICE pickups

double Simulation::ice_response(const Person& p) const {
  if (script_)
    return (*script_)[script_index_[p.booked_facility][p.booking_index]].draws.ice_response;
  Stream s(sc_.seed, rep_, p.booked_facility, Purpose::kIceResponse, p.booking_index);
  return draw(sc_.ice.pickup.delay, s);
}

void Simulation::request_pickup(std::uint32_t slot, double t) {
  const Person& p = people_[slot];
  const PickupRequest r{sc_.ice.pickup.discipline == Discipline::kEdf ? p.deadline : 0.0,
                        request_seq_++, t, slot, p.generation};
  if (sc_.ice.pickup.teams == 0 || free_teams_ > 0) {
    dispatch(r, t);
    return;
  }
  waiting_.push_back(r);
  std::push_heap(waiting_.begin(), waiting_.end(), LaterRequest{});
}

// A team (or unlimited capacity) leaves at t for the request's person. The
// team is busy exactly the response time; the arrival moves to the next
// business hour when ICE keeps business hours.
void Simulation::dispatch(const PickupRequest& r, double t) {
  const Person& p = people_[r.slot];
  const double response = ice_response(p);
  if (sc_.ice.pickup.teams > 0) {
    --free_teams_;
    if (r.requested_at >= 0) {
      wait_sum_ += t - r.requested_at;
      wait_count_ += 1;
    }
    team_busy_ += std::max(0.0, std::min(t + response, horizon_) - std::max(t, 0.0));
    queue_.push(t + response, EventKind::kTeamFree, 0, 0);
  }
  const double arrival = calendar_.next_business_time(t + response, sc_.ice.pickup.business_hours);
  queue_.push(arrival, EventKind::kPickupArrival, r.slot, r.generation);
}

// A freed team takes the next request still waiting for its person; requests
// whose person has left (deadline passed) are dropped.
void Simulation::on_team_free(double t) {
  ++free_teams_;
  while (!waiting_.empty()) {
    std::pop_heap(waiting_.begin(), waiting_.end(), LaterRequest{});
    const PickupRequest r = waiting_.back();
    waiting_.pop_back();
    const Person& p = people_[r.slot];
    if (p.generation != r.generation || p.deadline <= t) continue;
    dispatch(r, t);
    return;
  }
}

// ---------------------------------------------------------------------------
// Occupancy and the series

void Simulation::accumulate_occupancy(int f, double t) {
  Occupancy& o = occupancy_[f];
  const double from = std::max(o.last_change, 0.0);
  const double to = std::min(t, horizon_);
  if (to > from) {
    o.area += o.people * (to - from);
    o.peak = std::max(o.peak, o.people);
    if (o.capacity >= 0 && o.people > o.capacity) o.over_capacity += to - from;
  }
  o.last_change = t;
}

// With one facility the total is that facility's (copied at the end), so
// only one account is kept.
void Simulation::change_occupancy(int f, int delta, double t) {
  const int total = occupancy_.size() == 2 ? f : static_cast<int>(occupancy_.size() - 1);
  for (int which : {f, total}) {
    Occupancy& o = occupancy_[which];
    if (t <= 0) {  // warm-up: nothing to integrate yet
      o.people += delta;
      o.last_change = t;
    } else {
      accumulate_occupancy(which, t);
      o.people += delta;
      o.peak = std::max(o.peak, o.people);
    }
    if (which == total) break;
  }
}

void Simulation::emit_days_until(double t) {
  while (next_midnight_ <= t && next_midnight_ <= horizon_) {
    for (std::size_t f = 0; f < sc_.facilities.size(); ++f) {
      SeriesRecord r;
      r.replication = rep_;
      r.date = sc_.start + static_cast<Day>(next_midnight_ / 24.0) - 1;
      r.facility = static_cast<int>(f);
      r.occupancy = occupancy_[f].people;
      r.holds_active = occupancy_[f].holds;
      const DayCounts& d = day_[f];
      r.decisions = d.decisions;
      r.honored = d.honored;
      r.notified = d.notified;
      r.declined = d.declined;
      r.transfers = d.transfers;
      r.lapsed = d.lapsed;
      observer_->on_day(r);
      day_[f] = DayCounts{};
    }
    next_midnight_ += 24.0;
  }
}

// Stocks at the end of the horizon; holds still open count their hours up
// to the horizon.
void Simulation::finish() {
  for (std::size_t f = 0; f < occupancy_.size(); ++f)
    accumulate_occupancy(static_cast<int>(f), horizon_);
  for (std::uint32_t slot = 0; slot < people_.size(); ++slot) {
    Person& p = people_[slot];
    if (!p.in_use) continue;
    count(p, Metric::in_custody_at_end) += 1;
    double held = 0;
    if (p.stage == Stage::kHeld && p.counted) {
      held = horizon_ - p.release_at;
      count(p, Metric::holds_open_at_end) += 1;
      count(p, Metric::hold_hours) += held;
      double& mx = count(p, Metric::max_hold_hours);
      mx = std::max(mx, held);
    } else if (p.stage == Stage::kGrace && p.counted) {
      count(p, Metric::notices_open_at_end) += 1;
    }
    if (p.active_detainer && p.detainer_at < horizon_ && p.release_at >= horizon_)
      count(p, Metric::detainers_in_custody_at_end) += 1;
    if (trace_on_) trace(p, horizon_, "in_custody", held);
  }
}

void Simulation::trace(const Person& p, double t, const char* outcome, double hold_hours) {
  TraceRecord r;
  r.replication = rep_;
  r.id = (std::uint64_t{p.booked_facility} << 40) | p.booking_index;
  r.facility = p.facility;
  r.booked_at_facility = p.booked_facility;
  r.offense = p.category;
  r.citizen = p.citizen;
  r.convicted = p.convicted;
  r.booked_at = p.booked_at;
  r.scheduled_release = p.release_at;
  r.detainer = p.active_detainer;
  r.judicial_warrant = p.judicial_warrant;
  r.action = p.active_detainer && p.action_chosen ? static_cast<int>(p.action) : -1;
  r.outcome = outcome;
  r.outcome_at = t;
  r.hold_hours = hold_hours;
  observer_->on_person(r);
}

}  // namespace detsim
