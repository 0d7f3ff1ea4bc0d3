// The release flow of docs/model.md: moves between
// facilities, decisions, holds and grace periods, ICE pickups, and the ways
// a person leaves custody.
#include <algorithm>
#include <cassert>
#include <cmath>

#include "engine/distributions.hpp"
#include "engine/rng.hpp"
#include "model/simulation.hpp"

namespace detsim {

void Simulation::handle(const Event& e) {
  series_.emit_until(e.time, occupancy_);
  const EventKind kind = kind_of(e);
  if (kind == EventKind::kTeamFree) {
    on_team_free(e.time);
    return;
  }
  if (kind == EventKind::kRebooking) {
    on_rebooking(e.slot, e.time);
    return;
  }
  const PersonId id{e.slot, e.generation};
  if (!custody_.current(id)) return;  // stale: the person left
  switch (kind) {
    case EventKind::kPickupArrival:
      on_pickup_arrival(id, e.time);
      break;
    case EventKind::kRelease:
      on_release(id, e.time);
      break;
    case EventKind::kDeadline:
      on_deadline(id, e.time);
      break;
    case EventKind::kNotice:
      if (custody_[id].active_detainer) choose_action(id, e.time);  // not after a lift
      break;
    case EventKind::kLift:
      on_lift(id, e.time);
      break;
    case EventKind::kMove:
      on_move(id, e.time);
      break;
    default:
      assert(false);
  }
}

void Simulation::on_move(PersonId id, double t) {
  Person& p = custody_[id];
  const int to = sc_.facilities[p.booked_facility].offenses[p.offense].transfer_to;
  occupancy_.change(p.facility, -1, t);
  p.facility = static_cast<std::uint16_t>(to);
  occupancy_.change(to, +1, t);
  schedule_release(id, t);
}

// ---------------------------------------------------------------------------
// Decisions and outcomes

double Simulation::compliance_draw(const Person& p) const {
  if (const PersonDraws* d = scripted_draws(p)) return d->compliance;
  const auto w =
      Stream(sc_.seed, rep_, p.booked_facility, Purpose::kDetainer, p.booking_index, p.rebooking)
          .first_words();
  return Stream::low_unit(w[0]);
}

// The decision, at the notice or else at the release: honored people are
// held until the hold deadline, notified people until the end of grace, and
// ICE is asked to pick both up.
void Simulation::choose_action(PersonId id, double t) {
  Person& p = custody_[id];
  const Facility& fac = sc_.facilities[p.facility];
  const Policy& policy = policies_.at(p.facility, p.release_at);
  p.status_proven = status_proven(p, t);
  const DecisionFacts facts{p.judicial_warrant,
                            p.convicted,
                            p.prior_serious,
                            p.category,
                            sc_.offense_severities[p.category],
                            fac.kind,
                            compliance_draw(p),
                            warrant_of(p),
                            !p.convicted,
                            p.status_proven};
  p.action = decide(policy, facts);
  p.action_chosen = true;
  if (p.action == Action::kHonor) {
    p.deadline = calendar_.hold_deadline(p.release_at, sc_.hold.limit_hours,
                                         sc_.hold.exclude_weekends_holidays);
  } else if (p.action == Action::kNotify) {
    p.deadline = p.release_at + sc_.ice.release_grace_hours;
  }
  if (p.action == Action::kHonor || p.action == Action::kNotify) request_pickup(id, t);
}

void Simulation::on_release(PersonId id, double t) {
  Person& p = custody_[id];
  if (!p.active_detainer) {
    leave(id, t, Outcome::kReleased);
    return;
  }
  if (!p.action_chosen) choose_action(id, t);
  p.counted = t >= 0;
  if (p.counted) {
    count(p, Metric::decisions);
    series_.add(p.facility, &DailySeries::Counts::decisions);
    switch (p.action) {
      case Action::kHonor:
        count(p, Metric::honored);
        if (p.citizen) count(p, Metric::citizens_held);
        series_.add(p.facility, &DailySeries::Counts::honored);
        break;
      case Action::kNotify:
        count(p, Metric::notified);
        series_.add(p.facility, &DailySeries::Counts::notified);
        break;
      case Action::kDecline:
        count(p, Metric::declined);
        series_.add(p.facility, &DailySeries::Counts::declined);
        break;
      case Action::kTransfer:
        count(p, Metric::transferred_287g);
        break;
    }
  }
  switch (p.action) {
    case Action::kDecline:
      released_despite(p, t);
      leave(id, t, Outcome::kDeclinedReleased);
      return;
    case Action::kTransfer:
      transfer_to_ice(id, t, Outcome::kTransferred287g);
      return;
    case Action::kHonor:
      if (p.ice_present) {
        transfer_to_ice(id, t, Outcome::kTransferredFromHold);
        return;
      }
      p.stage = Stage::kHeld;
      occupancy_.hold_started(p.facility);
      break;
    case Action::kNotify:
      if (p.ice_present) {
        transfer_to_ice(id, t, Outcome::kTransferredOnNotice);
        return;
      }
      p.stage = Stage::kGrace;
      break;
  }
  push(p.deadline, EventKind::kDeadline, id);
}

// ICE arrives: before the release it waits for it; during a hold or grace it
// takes custody.
void Simulation::on_pickup_arrival(PersonId id, double t) {
  Person& p = custody_[id];
  switch (p.stage) {
    case Stage::kInCustody:
      p.ice_present = true;
      return;
    case Stage::kHeld:
      end_hold(p, t);
      transfer_to_ice(id, t, Outcome::kTransferredFromHold);
      return;
    case Stage::kGrace:
      transfer_to_ice(id, t, Outcome::kTransferredOnNotice);
      return;
  }
}

// The hold deadline (a lapse) or the end of grace (a missed notice).
void Simulation::on_deadline(PersonId id, double t) {
  Person& p = custody_[id];
  if (p.stage == Stage::kHeld) {
    end_hold(p, t);
    if (p.counted) {
      count(p, Metric::lapsed);
      series_.add(p.facility, &DailySeries::Counts::lapsed);
    }
    released_despite(p, t);
    leave(id, t, Outcome::kLapsed);
  } else {
    assert(p.stage == Stage::kGrace);
    if (p.counted) count(p, Metric::missed_notices);
    released_despite(p, t);
    leave(id, t, Outcome::kMissedNotice);
  }
}

// A hold ends at t (ICE arrived or the deadline passed): its hours count
// with the decision's cohort. Returns the hours held.
double Simulation::end_hold(Person& p, double t) {
  const double hours = t - p.release_at;
  if (p.counted) counters_.add_hold_hours(p.facility, p.category, hours);
  occupancy_.hold_ended(p.facility);
  return hours;
}

// A release despite a detainer at t: counted with its decision's cohort, and
// an at-large arrest `at_large_delay` later when it falls in the window and
// comes before any re-booking (whichever comes first takes the person out of
// the community).
void Simulation::released_despite(Person& p, double t) {
  if (p.counted) {
    count(p, Metric::released_despite_detainer);
    if (p.convicted) count(p, Metric::released_despite_detainer_convicted);
  }
  const double arrest = at_large_at(p, t);
  const double rebooked = rebooking_at(p, t);
  if (arrest < rebooked && arrest >= 0 && arrest < horizon_) count(p, Metric::at_large_arrests);
  if (sc_.recording) record_release(p, t, std::min(arrest, rebooked));
}

// Counting as recorded (docs/model.md), for a release despite a
// detainer at t (warm-up releases included): recorded with probability
// release_recorded, `lag` later, and counted by the record's date; a release
// not recorded by the end, within open_record_days before it and not arrested
// at large or re-booked since (`left_at`: the first of the two), is still on
// the agency's list of active detainers (those in custody are added by
// derive_recorded). The draws have their own purpose.
void Simulation::record_release(const Person& p, double t, double left_at) {
  const Recording& rec = *sc_.recording;
  Stream s(sc_.seed, rep_, p.booked_facility, Purpose::kRecord, p.booking_index, p.rebooking);
  double recorded_at = kNever;
  if (s.uniform() < rec.release_recorded) recorded_at = t + draw(rec.lag, s);
  if (recorded_at >= 0 && recorded_at < horizon_) {
    count(p, Metric::released_despite_detainer_recorded);
    if (p.convicted) count(p, Metric::released_despite_detainer_recorded_convicted);
  }
  if (recorded_at >= horizon_ && horizon_ - t <= rec.open_record_days * 24.0 && left_at >= horizon_)
    count(p, Metric::detainers_active_recorded_at_end);
}

// ICE takes custody: `outcome` says from where (hold, notice, 287(g)).
void Simulation::transfer_to_ice(PersonId id, double t, Outcome outcome) {
  const Person& p = custody_[id];
  if (p.counted) {
    if (outcome == Outcome::kTransferredFromHold) count(p, Metric::transfers_from_hold);
    if (outcome == Outcome::kTransferredOnNotice) count(p, Metric::transfers_on_notice);
    count(p, Metric::transfers);
  }
  if (t >= 0) series_.add(p.facility, &DailySeries::Counts::transfers);
  leave(id, t, outcome);
}

void Simulation::leave(PersonId id, double t, Outcome outcome) {
  const Person& p = custody_[id];
  if (trace_on_ && t >= 0) {
    const double held = p.stage == Stage::kHeld ? t - p.release_at : 0.0;
    trace(p, t, outcome, held);
  }
  // A person released to the community may be booked again; one
  // transferred to ICE is not (removal is outside the model).
  if (rebooks_[p.booked_facility] &&
      (outcome == Outcome::kReleased || outcome == Outcome::kDeclinedReleased ||
       outcome == Outcome::kLapsed || outcome == Outcome::kMissedNotice))
    after_release(p, t, outcome != Outcome::kReleased);
  occupancy_.change(p.facility, -1, t);
  custody_.discharge(id);
}

// ---------------------------------------------------------------------------
// ICE pickups

double Simulation::ice_response(const Person& p) const {
  if (const PersonDraws* d = scripted_draws(p)) return d->ice_response;
  Stream s(sc_.seed, rep_, p.booked_facility, Purpose::kIceResponse, p.booking_index, p.rebooking);
  return draw(sc_.ice.pickup.delay, s);
}

void Simulation::request_pickup(PersonId id, double t) {
  if (const auto r = pickups_.request(id, custody_[id].deadline, t)) dispatch(*r, t);
}

// A team (or unlimited capacity) leaves at t for the request's person.
void Simulation::dispatch(const PickupRequest& r, double t) {
  const Trip trip = pickups_.dispatch(r, t, ice_response(custody_[r.person]));
  if (trip.team_free < kNever) queue_.push(trip.team_free, priority(EventKind::kTeamFree), 0, 0);
  push(trip.arrival, EventKind::kPickupArrival, r.person);
}

// A freed team takes the next request still waiting for its person; requests
// whose person has left (deadline passed) are dropped.
void Simulation::on_team_free(double t) {
  const auto still_due = [this](PersonId id, double now) {
    return custody_.current(id) && custody_[id].deadline > now;
  };
  if (const auto r = pickups_.team_free(t, still_due)) dispatch(*r, t);
}

}  // namespace detsim
