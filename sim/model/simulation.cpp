// One replication: construction, the event loop, and the end of the horizon
// (docs/model.md). Bookings are in simulation_bookings.cpp, the
// release flow and ICE pickups in simulation_release.cpp.
#include "model/simulation.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "engine/rng.hpp"

namespace detsim {

Simulation::Simulation(const Scenario& scenario, int replication, Observer* observer,
                       const std::vector<ScriptedBooking>* script, std::optional<double> warmup)
    : sc_(scenario),
      rep_(replication),
      observer_(observer),
      trace_on_(observer && observer->wants_trace()),
      calendar_(scenario.start, scenario.holidays),
      policies_(scenario),
      horizon_(scenario.horizon_hours()),
      script_(script),
      counters_(scenario.facilities.size(), scenario.offense_ids.size()),
      occupancy_(scenario, horizon_),
      series_(scenario, replication, observer, horizon_),
      pickups_(scenario.ice.pickup, calendar_, horizon_) {
  const std::size_t nf = sc_.facilities.size();
  start_ = -(warmup ? *warmup : warmup_hours(sc_));
  booking_.resize(nf);
  if (script_) {
    script_index_.resize(nf);
    for (std::size_t i = 0; i < script_->size(); ++i)
      script_index_[(*script_)[i].facility].push_back(i);
    for (auto& v : script_index_)
      std::stable_sort(v.begin(), v.end(), [&](std::size_t a, std::size_t b) {
        return (*script_)[a].at < (*script_)[b].at;
      });
  }
  for (const Facility& fac : sc_.facilities)
    max_offenses_ = std::max(max_offenses_, fac.offenses.size());
  warmup_bound_.resize(nf * max_offenses_ * 2);
  // The attributes' probabilities as half-word bounds (Stream::below).
  facility_bounds_.resize(nf);
  offense_bounds_.resize(nf * max_offenses_);
  for (std::size_t f = 0; f < nf; ++f) {
    const Facility& fac = sc_.facilities[f];
    facility_bounds_[f] = {Stream::below(fac.population.noncitizen_share),
                           Stream::below(fac.population.erroneous_detainer_rate)};
    double share = 0;  // running sum, added in the order the offenses are listed
    for (std::size_t i = 0; i < fac.offenses.size(); ++i) {
      const Offense& o = fac.offenses[i];
      share += o.share;
      offense_bounds_[f * max_offenses_ + i] = {
          Stream::below(share), Stream::below(o.prior_serious), Stream::below(o.pretrial_release),
          Stream::below(o.lodge_probability), o.transfer_to >= 0};
    }
  }
  match_bound_ = Stream::below(sc_.ice.match_probability);
  rebooks_.assign(nf, 0);
  for (std::size_t f = 0; f < nf; ++f)
    for (double r : sc_.facilities[f].population.rebooking_per_year)
      if (r > 0) rebooks_[f] = 1;
  queue_.reset(start_);
}

ReplicationMetrics Simulation::run() {
  occupancy_.start_at(start_);
  for (std::size_t f = 0; f < sc_.facilities.size(); ++f) {
    booking_[f].next_time = start_;
    booking_[f].day = std::floor(start_ / 24.0);
    next_arrival(static_cast<int>(f));
  }

  // Bookings are the lowest-precedence kind (events.hpp), kept out of
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
      series_.emit_until(tb, occupancy_);
      if (on_booking(booking_facility, tb)) te = next_event_time();
      booking_facility = next_booking_facility();
    } else {
      handle(queue_.pop());
      te = next_event_time();
    }
  }
  series_.emit_until(horizon_, occupancy_);
  finish();

  ReplicationMetrics out = counters_.results(sc_);
  derive_recorded(out);
  occupancy_.report(out);
  out.total[index(Metric::ice_mean_wait_hours)] = pickups_.mean_wait_hours();
  out.total[index(Metric::ice_team_utilization)] = pickups_.utilization();
  return out;
}

int Simulation::next_booking_facility() const {
  int best = 0;
  for (std::size_t f = 1; f < booking_.size(); ++f)
    if (booking_[f].next_time < booking_[best].next_time) best = static_cast<int>(f);
  return best;
}

// Stocks at the end of the horizon; holds still open count their hours up
// to the horizon.
void Simulation::finish() {
  occupancy_.finish();
  custody_.for_each([&](PersonId, const Person& p) {
    count(p, Metric::in_custody_at_end);
    double held = 0;
    if (p.stage == Stage::kHeld && p.counted) {
      held = horizon_ - p.release_at;
      count(p, Metric::holds_open_at_end);
      counters_.add_hold_hours(p.facility, p.category, held);
    } else if (p.stage == Stage::kGrace && p.counted) {
      count(p, Metric::notices_open_at_end);
    }
    if (p.active_detainer && p.detainer_at < horizon_ && p.release_at >= horizon_)
      count(p, Metric::detainers_in_custody_at_end);
    if (trace_on_) trace(p, horizon_, Outcome::kInCustody, held);
  });
}

// The recorded metrics: without `recording:` the true ones; with it, the
// counts made at each release (record_release). The agency's active list
// adds the people in custody with an active detainer, whose number is also a
// metric of its own.
void Simulation::derive_recorded(ReplicationMetrics& out) const {
  const auto derive = [this](MetricValues& v) {
    if (!sc_.recording) {
      v[index(Metric::released_despite_detainer_recorded)] =
          v[index(Metric::released_despite_detainer)];
      v[index(Metric::released_despite_detainer_recorded_convicted)] =
          v[index(Metric::released_despite_detainer_convicted)];
    }
    const double in_custody = v[index(Metric::detainers_in_custody_at_end)] +
                              v[index(Metric::holds_open_at_end)] +
                              v[index(Metric::notices_open_at_end)];
    v[index(Metric::detainers_in_custody_total_at_end)] = in_custody;
    v[index(Metric::detainers_active_recorded_at_end)] += in_custody;
  };
  derive(out.total);
  for (MetricValues& v : out.facility) derive(v);
  for (MetricValues& v : out.offense) derive(v);
}

void Simulation::trace(const Person& p, double t, Outcome outcome, double hold_hours) {
  TraceRecord r;
  r.replication = rep_;
  // A re-booked person keeps their identity; the re-booking's number (mod
  // 256) is in the top byte, so each booking has its own id.
  r.id = (std::uint64_t{p.rebooking & 0xffu} << 56) | (std::uint64_t{p.booked_facility} << 40) |
         p.booking_index;
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
  r.outcome = to_string(outcome);
  r.outcome_at = t;
  r.hold_hours = hold_hours;
  observer_->on_person(r);
}

}  // namespace detsim
