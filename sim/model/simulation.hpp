// The detainer model on the event engine (docs/model.md): one
// replication of a scenario, from the first warm-up booking to the horizon.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "detsim/metrics.hpp"
#include "detsim/observer.hpp"
#include "experiment/warmup.hpp"
#include "detsim/scenario.hpp"
#include "engine/calendar.hpp"
#include "engine/distributions.hpp"
#include "engine/event_queue.hpp"
#include "model/counters.hpp"
#include "model/custody.hpp"
#include "model/events.hpp"
#include "model/outcome.hpp"
#include "model/pickup_queue.hpp"
#include "model/policy.hpp"

namespace detsim {

// A person's draws at booking (docs/model.md), in hours.
struct PersonDraws {
  std::size_t offense = 0;  // index into the booking facility's offenses
  bool citizen = true;
  bool prior_serious = false;
  bool pretrial = true;
  double stay = 0;           // until scheduled release, or until the transfer
  double transfer_stay = 0;  // at the receiving facility
  bool lodged = false;       // a detainer is lodged (erroneous for a citizen)
  bool judicial_warrant = false;
  bool federal_criminal_warrant = false;  // only when judicial_warrant is false
  double lodge_delay = 0;
  double ice_response = 0;      // drawn only when ICE is told
  double compliance = 0.5;      // uniform for a rule's `compliance`
  bool lawful = false;          // a noncitizen lawful resident (the person's, kept on re-booking)
  double lift_delay = kNever;   // from the detainer to ICE lifting it; kNever: no lift
  double proof_delay = kNever;  // from the detainer to a proof of status; kNever: none
  // Scripts only: from this booking's release to the next booking (when the
  // facility's re-booking rate is > 0 and it is within the window); kNever: none.
  double rebooking_delay = kNever;
};

// A person given in full, for hand-worked cases: with a script, bookings
// come from it instead of the booking process, and its draws replace the
// random ones.
struct ScriptedBooking {
  int facility = 0;
  double at = 0;  // hours since start
  PersonDraws draws;
  // The draws of the person's re-bookings, in order (citizen and lawful are
  // the first booking's); default none.
  std::vector<PersonDraws> rebookings;
};

// The kind of warrant a person's detainer carries.
inline Warrant warrant_of(const Person& p) {
  if (p.judicial_warrant) return Warrant::kJudicial;
  return p.federal_criminal_warrant ? Warrant::kFederalCriminal : Warrant::kNone;
}

struct StockTable;
struct StockCell;

class Simulation {
 public:
  // `warmup`: warmup_hours(scenario) if known (else computed).
  Simulation(const Scenario& scenario, int replication, Observer* observer,
             const std::vector<ScriptedBooking>* script = nullptr,
             std::optional<double> warmup = std::nullopt);
  ReplicationMetrics run();

  // Events processed so far (for benchmarks).
  std::uint64_t events_processed() const { return events_; }
  // Bookings simulated so far, warm-up included (for benchmarks).
  std::uint64_t bookings_simulated() const {
    std::uint64_t n = 0;
    for (const BookingProcess& b : booking_) n += b.next_index;
    return n;
  }
  std::size_t pending_events() const { return queue_.size(); }
  // For tests: take every warm-up booking through on_booking, none through
  // skip_warmup_bookings (the results must be the same).
  void skip_no_bookings() { skip_on_ = false; }
  std::size_t people_slots() const { return custody_.slots(); }
  // Under `warmup_days: stationary`: the people drawn in custody at the
  // start of the short warm-up, and the candidates drawn for them.
  std::uint64_t stock_size() const { return stock_admitted_; }
  std::uint64_t stock_candidates() const { return stock_candidates_; }
  // The start of the simulation, hours (negative: the warm-up).
  double first_booking_time() const { return start_; }

 private:
  // Bookings and attributes (simulation_bookings.cpp).
  void next_arrival(int facility);
  double hourly_rate(int facility, double day);
  int next_booking_facility() const;
  // Returns true when the person enters custody (and the queue changed).
  bool on_booking(int facility, double t);
  std::uint64_t skip_warmup_bookings(int facility, double limit);
  PersonDraws attributes(int facility, const std::array<std::uint64_t, 4>& words) const;
  void lengths(int facility, std::uint64_t booking, double u_stay, PersonDraws& d,
               std::uint16_t rebooking = 0) const;
  bool leaves_in_warmup(int facility, const PersonDraws& d, double u_stay, double day_end);
  void draw_person(Person& p, int facility, std::uint64_t booking, double t, const PersonDraws& d,
                   std::uint16_t rebooking = 0);
  bool enter_custody(const Person& drawn, const PersonDraws& d, double t);
  double compliance_draw(const Person& p) const;
  void stretch_stay(Person& p, double arrival);
  void schedule_release(PersonId id, double t_arrive);

  // The stock of `warmup_days: stationary` (stationary.cpp).
  void draw_stock();
  void stock_candidate(int facility, const StockTable& table, const StockCell& cell,
                       std::uint64_t candidate, Stream& s, double top_rate);

  // Release flow (simulation_release.cpp).
  void handle(const Event& e);
  // Queues a person's event; one at or after the horizon would never be
  // handled, so it is not queued (the order of the others is unchanged).
  void push(double t, EventKind kind, PersonId id) {
    if (t >= horizon_) return;
    queue_.push(t, priority(kind), id.slot, id.generation);
  }
  void on_move(PersonId id, double t);
  void on_release(PersonId id, double t);
  void on_pickup_arrival(PersonId id, double t);
  void on_deadline(PersonId id, double t);
  void on_lift(PersonId id, double t);
  void choose_action(PersonId id, double t);
  double end_hold(Person& p, double t);
  void released_despite(Person& p, double t);
  void record_release(const Person& p, double t, double arrested_at);
  void derive_recorded(ReplicationMetrics& out) const;
  void transfer_to_ice(PersonId id, double t, Outcome outcome);
  void leave(PersonId id, double t, Outcome outcome);

  // Lifts, proof of status and re-bookings (simulation_rebooking.cpp).
  const PersonDraws* scripted_draws(const Person& p) const;
  bool lawful(int facility, std::uint64_t booking, bool citizen) const;
  double lift_delay(int facility, std::uint64_t booking, std::uint16_t rebooking,
                    std::size_t offense) const;
  double proof_delay(int facility, std::uint64_t booking, std::uint16_t rebooking, bool citizen,
                     bool lawful) const;
  void detainer_end_draws(int facility, std::uint64_t booking, std::uint16_t rebooking,
                          PersonDraws& d) const;
  double lift_at(const Person& p, const PersonDraws& d) const;
  bool status_proven(const Person& p, double t) const;
  double at_large_at(const Person& p, double t) const;
  double rebooking_at(const Person& p, double t) const;
  void after_release(const Person& p, double t, bool despite);
  void on_rebooking(std::uint32_t pending, double t);

  // ICE pickups.
  void request_pickup(PersonId id, double t);
  void dispatch(const PickupRequest& r, double t);
  void on_team_free(double t);
  double ice_response(const Person& p) const;

  // Counting.
  void count(const Person& p, Metric m, double v = 1) {
    counters_.add(p.facility, p.category, m, v);
  }
  void finish();
  void trace(const Person& p, double t, Outcome outcome, double hold_hours);

  const Scenario& sc_;
  const int rep_;
  Observer* observer_;
  const bool trace_on_;
  Calendar calendar_;
  PolicyTimeline policies_;
  EventQueue queue_;
  double start_ = 0;    // first booking time (negative: warm-up)
  double horizon_ = 0;  // end of the window, hours
  std::uint64_t events_ = 0;
  bool skip_on_ = true;      // skip_warmup_bookings in use
  bool stationary_ = false;  // draw_stock at start_
  std::uint64_t stock_candidates_ = 0, stock_admitted_ = 0;
  const std::vector<ScriptedBooking>* script_;
  std::vector<std::vector<std::size_t>> script_index_;  // per facility, by booking

  Custody custody_;

  // Booking processes, per facility.
  struct BookingProcess {
    std::uint64_t next_index = 0;
    double next_time = kNever;  // the current booking's time
    double day = 0;             // its day (days since start, whole)
    double rate_day = -1e300;   // the day whose rate is cached
    double rate = 0;
    static constexpr std::size_t kArrivalBatch = 32;  // bookings, 8 blocks
    std::uint64_t arrival_batch = ~std::uint64_t{0};  // the batch in arrival_need
    double arrival_need[kArrivalBatch] = {};          // its bookings' Exp(1) draws
  };
  std::vector<BookingProcess> booking_;

  // leaves_in_warmup's bounds, per [facility][offense][path].
  struct WarmupBound {
    double day_end = 1;  // the day they are for (1: none yet)
    UniformRange short_stays;
  };
  std::size_t max_offenses_ = 0;
  std::vector<WarmupBound> warmup_bound_;
  // The attributes' probabilities as half-word bounds (Stream::below), per
  // facility and per [facility][offense].
  struct FacilityBounds {
    std::uint64_t noncitizen, erroneous;
  };
  struct OffenseBounds {
    std::uint64_t share;  // of this offense and the ones listed before it
    std::uint64_t prior_serious, pretrial, lodge;
    bool moves;  // sentenced people move to another facility
  };
  std::vector<FacilityBounds> facility_bounds_;
  std::vector<OffenseBounds> offense_bounds_;
  std::uint64_t match_bound_ = 0;

  // Re-bookings waiting for their time: the person's identity and history.
  struct PendingRebooking {
    std::uint64_t booking_index;
    std::uint16_t facility;
    std::uint16_t rebooking;  // the number of the coming re-booking (>= 1)
    bool citizen, had_detainer, after_release_despite;
  };
  std::vector<PendingRebooking> rebookings_;
  std::vector<std::uint32_t> free_rebookings_;
  std::vector<std::uint8_t> rebooks_;  // per facility: a re-booking rate is > 0

  MetricCounters counters_;
  Occupancy occupancy_;
  DailySeries series_;
  PickupQueue pickups_;
};

}  // namespace detsim
