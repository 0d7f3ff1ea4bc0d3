// Lifted detainers, proof of status and re-bookings (docs/model.md): the
// draws that decide them, from the person's own streams, and the re-booking
// of a person released to the community.
//
// A person's identity is (booked facility, booking index); each of their
// bookings draws from streams keyed also by the re-booking's number (0 for
// the first booking), so two policies see the same people, with the same
// re-booking delays measured from their (possibly different) releases.
#include <algorithm>
#include <cmath>

#include "engine/distributions.hpp"
#include "engine/calendar.hpp"
#include "engine/rng.hpp"
#include "model/simulation.hpp"

namespace detsim {
namespace {}  // namespace

const PersonDraws* Simulation::scripted_draws(const Person& p) const {
  if (!script_) return nullptr;
  const ScriptedBooking& b = (*script_)[script_index_[p.booked_facility][p.booking_index]];
  return p.rebooking == 0 ? &b.draws : &b.rebookings.at(p.rebooking - 1u);
}

// A noncitizen is a lawful resident with the booking facility's
// lawful_status_share: one draw per person, whatever the booking.
bool Simulation::lawful(int f, std::uint64_t booking, bool citizen) const {
  const double share = sc_.facilities[f].population.lawful_status_share;
  if (citizen || share <= 0) return false;
  return Stream(sc_.seed, rep_, f, Purpose::kStatus, booking).uniform() < share;
}

// Hours from the detainer to ICE lifting it, or kNever (the offense's
// lift_probability, then ice.lift_delay).
double Simulation::lift_delay(int f, std::uint64_t booking, std::uint16_t rebooking,
                              std::size_t offense) const {
  const double q = sc_.facilities[f].offenses[offense].lift_probability;
  if (q <= 0) return kNever;
  Stream s(sc_.seed, rep_, f, Purpose::kLift, booking, rebooking);
  if (!(s.uniform() < q)) return kNever;
  return draw(sc_.ice.lift_delay, s);
}

// Hours from the detainer to a proof of status, or kNever: only a citizen
// or a lawful resident can prove it (status_proof_probability, then
// status_proof_delay, of the booking facility's population).
double Simulation::proof_delay(int f, std::uint64_t booking, std::uint16_t rebooking, bool citizen,
                               bool is_lawful) const {
  const Population& pop = sc_.facilities[f].population;
  if (pop.status_proof_probability <= 0 || !(citizen || is_lawful)) return kNever;
  Stream s(sc_.seed, rep_, f, Purpose::kProof, booking, rebooking);
  if (!(s.uniform() < pop.status_proof_probability)) return kNever;
  return draw(pop.status_proof_delay, s);
}

// The draws that may end a lodged detainer early (REQUIRES: d.offense and
// d.citizen set).
void Simulation::detainer_end_draws(int f, std::uint64_t booking, std::uint16_t rebooking,
                                    PersonDraws& d) const {
  d.lawful = lawful(f, booking, d.citizen);
  d.lift_delay = lift_delay(f, booking, rebooking, d.offense);
  d.proof_delay = proof_delay(f, booking, rebooking, d.citizen, d.lawful);
}

// When the active detainer of a person drawn with `d` is lifted: by ICE, or
// for a citizen by their proof when ice.lift_citizen_on_proof; kNever if
// never. Only a lift before the release matters (the caller's test).
double Simulation::lift_at(const Person& p, const PersonDraws& d) const {
  if (!p.active_detainer) return kNever;
  double delay = d.lift_delay;
  if (p.citizen && sc_.ice.lift_citizen_on_proof) delay = std::min(delay, d.proof_delay);
  return delay < kNever ? p.detainer_at + delay : kNever;
}

// True when the person proved status before t, the decision's time (the
// notice time, or the release without a notice ahead).
bool Simulation::status_proven(const Person& p, double t) const {
  double delay;
  if (const PersonDraws* s = scripted_draws(p)) {
    delay = s->proof_delay;
  } else {
    if (sc_.facilities[p.booked_facility].population.status_proof_probability <= 0) return false;
    const bool is_lawful = lawful(p.booked_facility, p.booking_index, p.citizen);
    delay = proof_delay(p.booked_facility, p.booking_index, p.rebooking, p.citizen, is_lawful);
  }
  return delay < kNever && p.detainer_at + delay < t;
}

// ICE lifts the detainer before the release: no decision, no hold, and a
// notice already sent is withdrawn (a request still waiting for a team is
// dropped; a team already sent finds no one to take).
void Simulation::on_lift(PersonId id, double t) {
  Person& p = custody_[id];
  if (!p.active_detainer || p.stage != Stage::kInCustody) return;
  p.active_detainer = false;
  p.deadline = t;
  if (t >= 0 && t < horizon_) {
    count(p, Metric::detainers_lifted);
    if (p.citizen) count(p, Metric::citizen_detainers_lifted);
  }
}

// An at-large arrest after a release despite a detainer at t, or kNever.
double Simulation::at_large_at(const Person& p, double t) const {
  const double rate = sc_.ice.at_large_arrests_per_year;
  if (rate <= 0) return kNever;
  Stream s(sc_.seed, rep_, p.booked_facility, Purpose::kAtLarge, p.booking_index, p.rebooking);
  return t - std::log(s.uniform()) * kHoursPerYear / rate;
}

// The next booking of a person released to the community at t: an
// exponential delay at the booking facility's rate for the severity of the
// offense just served, if within rebooking_window_days; else kNever.
double Simulation::rebooking_at(const Person& p, double t) const {
  if (!rebooks_[p.booked_facility] || p.rebooking == UINT16_MAX) return kNever;
  const Population& pop = sc_.facilities[p.booked_facility].population;
  const double rate =
      pop.rebooking_per_year[static_cast<std::size_t>(sc_.offense_severities[p.category])];
  if (rate <= 0) return kNever;
  double delay;
  if (script_) {
    const ScriptedBooking& b = (*script_)[script_index_[p.booked_facility][p.booking_index]];
    if (b.rebookings.size() <= p.rebooking) return kNever;
    delay = scripted_draws(p)->rebooking_delay;
  } else {
    Stream s(sc_.seed, rep_, p.booked_facility, Purpose::kRebooking, p.booking_index, p.rebooking);
    delay = -std::log(s.uniform()) * kHoursPerYear / rate;
  }
  return delay < pop.rebooking_window_days * 24.0 ? t + delay : kNever;
}

// A release to the community at t (`despite`: despite a detainer): queues
// the person's re-booking when it falls before the horizon, unless an
// at-large arrest comes first.
void Simulation::after_release(const Person& p, double t, bool despite) {
  const double at = rebooking_at(p, t);
  if (!(at < horizon_)) return;
  if (despite && at_large_at(p, t) < at) return;
  const PendingRebooking r{p.booking_index,
                           p.booked_facility,
                           static_cast<std::uint16_t>(p.rebooking + 1),
                           p.citizen,
                           static_cast<bool>(p.had_detainer),
                           despite};
  std::uint32_t slot;
  if (!free_rebookings_.empty()) {
    slot = free_rebookings_.back();
    free_rebookings_.pop_back();
    rebookings_[slot] = r;
  } else {
    slot = static_cast<std::uint32_t>(rebookings_.size());
    rebookings_.push_back(r);
  }
  queue_.push(at, priority(EventKind::kRebooking), slot, 0);
}

// The re-booking: the same person (identity, citizenship, status) with a new
// offense, path and stay from their streams for this re-booking's number. A
// person who had a detainer is known to ICE: a detainer is lodged again with
// ice.relodge_probability (null: the new offense's lodge probability, or
// the erroneous-detainer rate for a citizen), without the match step.
void Simulation::on_rebooking(std::uint32_t slot, double t) {
  const PendingRebooking r = rebookings_[slot];
  free_rebookings_.push_back(slot);
  const int f = r.facility;
  PersonDraws d;
  if (script_) {
    const ScriptedBooking& b = (*script_)[script_index_[f][r.booking_index]];
    d = b.rebookings.at(r.rebooking - 1u);
    d.lawful = b.draws.lawful;
  } else {
    const auto w =
        Stream(sc_.seed, rep_, f, Purpose::kAttributes, r.booking_index, r.rebooking).first_words();
    d = attributes(f, w);
    const OffenseBounds& off =
        offense_bounds_[static_cast<std::size_t>(f) * max_offenses_ + d.offense];
    const FacilityBounds& fac = facility_bounds_[f];
    const std::uint64_t h = Stream::high_half(w[2]);
    if (r.had_detainer) {
      const double relodge = sc_.ice.relodge_probability;
      const std::uint64_t bound =
          relodge >= 0 ? Stream::below(relodge) : (r.citizen ? fac.erroneous : off.lodge);
      d.lodged = h < bound;
    } else {
      d.lodged =
          r.citizen ? h < fac.erroneous : (h < match_bound_ && Stream::low_half(w[2]) < off.lodge);
    }
    d.citizen = r.citizen;
    lengths(f, r.booking_index, Stream::to_unit(w[3]), d, r.rebooking);
  }
  d.citizen = r.citizen;
  Person drawn;
  draw_person(drawn, f, r.booking_index, t, d, r.rebooking);
  drawn.had_detainer = d.lodged || r.had_detainer;
  drawn.after_release_despite = r.after_release_despite;
  enter_custody(drawn, d, t);
}

}  // namespace detsim
