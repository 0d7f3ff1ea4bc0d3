// Bookings and person attributes (docs/model.md), up to
// the scheduled release.
#include <algorithm>
#include <cmath>

#include "engine/distributions.hpp"
#include "engine/rng.hpp"
#include "model/simulation.hpp"

namespace detsim {

// Moves facility f's booking process from its current booking to the next:
// a Poisson process whose rate is constant within each day, an Exp(1) draw
// consumed day by day (exact, no thinning). The day is carried along with
// the time, so no booking's day is found by division.
void Simulation::next_arrival(int f) {
  BookingProcess& bp = booking_[f];
  if (script_) {
    const auto& mine = script_index_[f];
    bp.next_time = bp.next_index < mine.size() ? (*script_)[mine[bp.next_index]].at : kNever;
    return;
  }
  // Each block gives four bookings' Exp(1) draws; they are taken kBatch at
  // a time (the same draws, and a refill branch that is rarely taken).
  constexpr std::size_t kBatch = BookingProcess::kArrivalBatch;
  const std::uint64_t batch = bp.next_index / kBatch;
  if (batch != bp.arrival_batch) {
    for (std::size_t b = 0; b < kBatch / 4; ++b) {
      const auto w =
          Stream(sc_.seed, rep_, f, Purpose::kArrivals, batch * (kBatch / 4) + b).first_words();
      double* need = &bp.arrival_need[4 * b];
      need[0] = -std::log(Stream::to_unit(w[0]));
      need[1] = -std::log(Stream::to_unit(w[1]));
      need[2] = -std::log(Stream::to_unit(w[2]));
      need[3] = -std::log(Stream::to_unit(w[3]));
    }
    bp.arrival_batch = batch;
  }
  double need = bp.arrival_need[bp.next_index % kBatch];
  double t = bp.next_time, day = bp.day;
  while (t < horizon_) {
    const double rate = hourly_rate(f, day);
    const double day_end = (day + 1.0) * 24.0;
    if (rate > 0) {
      const double at = t + need / rate;
      if (at < day_end) {
        bp.next_time = at;
        bp.day = day;
        return;
      }
      need -= rate * (day_end - t);
    }
    t = day_end;
    day += 1.0;
  }
  bp.next_time = kNever;
}

// Bookings per hour at facility f on day `day` (days since start).
double Simulation::hourly_rate(int f, double day) {
  BookingProcess& bp = booking_[f];
  if (day != bp.rate_day) {
    const Facility& fac = sc_.facilities[f];
    const Day date = sc_.start + static_cast<Day>(day);
    bp.rate_day = day;
    bp.rate = fac.bookings_per_day * fac.day_of_week[weekday(date)] *
              fac.month[civil_from_days(date).month - 1] / 24.0;
  }
  return bp.rate;
}

bool Simulation::on_booking(int f, double t) {
  BookingProcess& bp = booking_[f];
  const std::uint64_t booking = bp.next_index++;
  // (Warm-up bookings that leaves_in_warmup tells apart are taken by
  // skip_warmup_bookings; drawn in full here, they end the same way, below.)
  PersonDraws d;
  if (script_) {
    d = script_->at(script_index_[f][booking]).draws;
  } else {
    const auto w = Stream(sc_.seed, rep_, f, Purpose::kAttributes, booking).first_words();
    d = attributes(f, w);
    lengths(f, booking, Stream::to_unit(w[3]), d);
  }
  next_arrival(f);
  Person drawn;
  draw_person(drawn, f, booking, t, d);
  return enter_custody(drawn, d, t);
}

// The person drawn at t enters custody, is counted as a booking and has
// their move or release (and a lift before it) queued. A warm-up booking
// released before the window without an active detainer changes no metric
// (occupancy is measured from the start): it was drawn, so every other draw
// stays the same, but it never enters custody; only a re-booking after its
// release is queued. Returns true when the queue changed.
bool Simulation::enter_custody(const Person& drawn, const PersonDraws& d, double t) {
  if (drawn.release_at < 0 && !drawn.active_detainer) {
    if (!rebooks_[drawn.booked_facility]) return false;
    const std::size_t before = queue_.size();
    after_release(drawn, drawn.release_at, false);
    return queue_.size() != before;
  }
  const int f = drawn.facility;
  const PersonId id = custody_.admit(drawn);
  occupancy_.change(f, +1, t);
  if (t >= 0) {
    count(drawn, Metric::bookings);
    if (!drawn.citizen) count(drawn, Metric::noncitizen_bookings);
    if (drawn.rebooking > 0) {
      count(drawn, Metric::rebookings);
      if (drawn.after_release_despite)
        count(drawn, Metric::rebookings_after_release_despite_detainer);
    }
  }
  if (drawn.active_detainer) {
    const double lift = lift_at(drawn, d);
    if (lift < drawn.release_at) push(lift, EventKind::kLift, id);
  }
  if (drawn.move_at < kNever) {
    push(drawn.move_at, EventKind::kMove, id);
  } else {
    schedule_release(id, t);
  }
  return true;
}

// Skips facility f's next bookings, before `limit` (<= 0), while they are
// warm-up bookings that surely leave before the window with no detainer
// (leaves_in_warmup). Such a booking changes nothing but its facility's
// booking process, so it needs no place in the order of events: these run
// in a tight loop, and the first booking that may matter is left for the
// event loop. Returns how many were skipped.
std::uint64_t Simulation::skip_warmup_bookings(int f, double limit) {
  if (script_ || rebooks_[f]) return 0;  // a release in the warm-up may be re-booked
  BookingProcess& bp = booking_[f];
  const std::uint64_t first = bp.next_index;
  while (bp.next_time < limit) {
    const auto w = Stream(sc_.seed, rep_, f, Purpose::kAttributes, bp.next_index).first_words();
    if (!leaves_in_warmup(f, attributes(f, w), Stream::to_unit(w[3]), (bp.day + 1.0) * 24.0)) break;
    ++bp.next_index;
    next_arrival(f);
  }
  return bp.next_index - first;
}

// The draws at booking come from the person's own streams
// (or from the script). Draws that a person cannot need are skipped; the
// streams are keyed by purpose, so skipping changes no other draw.
//
// First the attributes, from the kAttributes block: offense, citizen,
// prior_serious, path and whether a detainer is lodged.
PersonDraws Simulation::attributes(int f, const std::array<std::uint64_t, 4>& w) const {
  const std::size_t n = sc_.facilities[f].offenses.size();
  const OffenseBounds* offenses = &offense_bounds_[static_cast<std::size_t>(f) * max_offenses_];
  const FacilityBounds& fac = facility_bounds_[f];
  PersonDraws d;
  // The offense: how many running shares the draw reaches (branch-free: the
  // draw is unpredictable by design).
  const std::uint64_t h_offense = Stream::high_half(w[0]);
  std::size_t offense = 0;
  for (std::size_t i = 0; i + 1 < n; ++i) offense += h_offense >= offenses[i].share;
  d.offense = offense;
  const OffenseBounds& off = offenses[offense];
  d.citizen = Stream::low_half(w[0]) >= fac.noncitizen;
  d.prior_serious = Stream::high_half(w[1]) < off.prior_serious;
  d.pretrial = Stream::low_half(w[1]) < off.pretrial;
  // Detainer: identified and lodged (noncitizen), or erroneous (citizen).
  const std::uint64_t h_match = Stream::high_half(w[2]);
  d.lodged = d.citizen ? h_match < fac.erroneous
                       : (h_match < match_bound_ && Stream::low_half(w[2]) < off.lodge);
  return d;
}

// Then the lengths: the stay (its first uniform `u_stay` from the same
// block), the stay after a transfer, and the detainer's warrant and delay.
void Simulation::lengths(int f, std::uint64_t booking, double u_stay, PersonDraws& d,
                         std::uint16_t rebooking) const {
  const Offense& off = sc_.facilities[f].offenses[d.offense];
  Stream more(sc_.seed, rep_, f, Purpose::kStay, booking, rebooking);  // used by gamma only
  d.stay = draw(d.pretrial ? off.pretrial_stay : off.sentenced_stay, u_stay, more);
  if (!d.pretrial && off.transfer_to >= 0) {
    Stream ts(sc_.seed, rep_, f, Purpose::kTransferStay, booking, rebooking);
    d.transfer_stay = draw(off.transfer_stay, ts);
  }
  if (d.lodged) {
    const auto dw = Stream(sc_.seed, rep_, f, Purpose::kDetainer, booking, rebooking).first_words();
    // One uniform gives the warrant: judicial, else federal criminal, else none.
    const double u_warrant = Stream::high_unit(dw[0]);
    d.judicial_warrant = u_warrant < sc_.ice.judicial_warrant_share;
    d.federal_criminal_warrant =
        !d.judicial_warrant &&
        u_warrant < sc_.ice.judicial_warrant_share + sc_.ice.federal_criminal_warrant_share;
    Stream ld(sc_.seed, rep_, f, Purpose::kLodgeDelay, booking, rebooking);
    d.lodge_delay = draw(sc_.ice.lodge_delay, ld);
    detainer_end_draws(f, booking, rebooking, d);
  }
}

// True when a warm-up booking before `day_end` (the end of its day) surely
// leaves before the window with no detainer: not lodged, not moved, and a
// first stay uniform for which the stay is shorter than -day_end. Such a
// booking would not enter custody anyway (on_booking); telling it from
// u_stay alone saves the stay's draw for most of the warm-up. The bounds are
// cached per facility, offense, path and day.
bool Simulation::leaves_in_warmup(int f, const PersonDraws& d, double u_stay, double day_end) {
  const bool moves = offense_bounds_[static_cast<std::size_t>(f) * max_offenses_ + d.offense].moves;
  if (d.lodged | (!d.pretrial & moves)) return false;
  if (day_end >= 0) return false;
  WarmupBound& b = warmup_bound_[(static_cast<std::size_t>(f) * max_offenses_ + d.offense) * 2 +
                                 (d.pretrial ? 1 : 0)];
  if (b.day_end != day_end) {
    b.day_end = day_end;
    const Offense& off = sc_.facilities[f].offenses[d.offense];
    b.short_stays = draws_below(d.pretrial ? off.pretrial_stay : off.sentenced_stay, -day_end);
  }
  return b.short_stays.contains(u_stay);
}

void Simulation::draw_person(Person& p, int f, std::uint64_t booking, double t,
                             const PersonDraws& d, std::uint16_t rebooking) {
  const Offense& off = sc_.facilities[f].offenses[d.offense];
  p.booked_at = t;
  p.booking_index = booking;
  p.rebooking = rebooking;
  p.had_detainer = d.lodged;
  p.after_release_despite = false;
  p.facility = p.booked_facility = static_cast<std::uint16_t>(f);
  p.offense = static_cast<std::uint16_t>(d.offense);
  p.category = static_cast<std::uint16_t>(off.category);
  p.stage = Stage::kInCustody;
  p.action = Action::kDecline;
  p.citizen = d.citizen;
  p.prior_serious = d.prior_serious;
  p.convicted = !d.pretrial;
  p.action_chosen = p.ice_present = p.counted = false;
  p.deadline = kNever;
  p.move_at = kNever;
  p.release_at = t + d.stay;
  const bool moves = !d.pretrial && off.transfer_to >= 0;
  if (moves) {
    p.move_at = p.release_at;
    p.release_at += d.transfer_stay;
  }
  p.active_detainer = p.judicial_warrant = p.federal_criminal_warrant = p.status_proven = false;
  p.detainer_at = kNever;
  if (!d.lodged) return;
  p.judicial_warrant = d.judicial_warrant;
  p.federal_criminal_warrant = d.federal_criminal_warrant && !d.judicial_warrant;
  const double arrival = t + d.lodge_delay;
  if (arrival >= p.release_at) {  // late: counted at the releasing facility
    if (arrival >= 0 && arrival < horizon_) {
      const int releasing = moves ? off.transfer_to : f;
      counters_.add(releasing, p.category, Metric::detainers_late);
    }
    return;
  }
  p.active_detainer = true;
  p.detainer_at = arrival;
  if (d.pretrial) stretch_stay(p, arrival);
  if (arrival >= 0 && arrival < horizon_) {
    const int where = arrival < p.move_at ? f : off.transfer_to;
    counters_.add(where, p.category, Metric::detainers_lodged);
    if (p.citizen) counters_.add(where, p.category, Metric::detainers_on_citizens);
  }
}

// The hold effect on a pretrial stay: the time left after the detainer's
// arrival is multiplied by ice.detainer_stay_multiplier, or, given by action,
// by the factor of the action the policy in force at the arrival would take
// for the person then (convicted false, no proof of status yet, the
// decision's compliance uniform). The bed-days added (or removed, m < 1)
// inside the window count in extra_stay_bed_days.
void Simulation::stretch_stay(Person& p, double arrival) {
  const Ice& ice = sc_.ice;
  double m = ice.detainer_stay_multiplier;
  if (ice.stay_multiplier_by_action) {
    const Facility& fac = sc_.facilities[p.facility];
    const DecisionFacts facts{p.judicial_warrant,
                              false,
                              p.prior_serious,
                              p.category,
                              sc_.offense_severities[p.category],
                              fac.kind,
                              compliance_draw(p),
                              warrant_of(p),
                              true,
                              false};
    m = ice.stay_multipliers[static_cast<std::size_t>(
        decide(policies_.at(p.facility, arrival), facts))];
  }
  if (m == 1.0) return;
  const double before = p.release_at;
  p.release_at = arrival + m * (before - arrival);
  const double lo = std::max(std::min(before, p.release_at), 0.0);
  const double hi = std::min(std::max(before, p.release_at), horizon_);
  if (hi > lo) {
    const double sign = p.release_at > before ? 1.0 : -1.0;
    count(p, Metric::extra_stay_bed_days, sign * (hi - lo) / 24.0);
  }
}

// Schedules the notice (when ahead of the release) and the release, for a
// person who arrived at their releasing facility at `t_arrive`.
void Simulation::schedule_release(PersonId id, double t_arrive) {
  const Person& p = custody_[id];
  if (p.active_detainer) {
    const double lead = p.convicted ? sc_.ice.notice_lead_hours : 0.0;
    const double notice = std::max({p.detainer_at, p.release_at - lead, t_arrive});
    if (notice < p.release_at) push(notice, EventKind::kNotice, id);
  }
  push(p.release_at, EventKind::kRelease, id);
}

}  // namespace detsim
