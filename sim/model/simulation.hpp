// The detainer model on the event engine (MODEL.md section 2): one
// replication of a scenario, from the first warm-up booking to the horizon.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "engine/calendar.hpp"
#include "engine/distributions.hpp"
#include "detsim/metrics.hpp"
#include "detsim/observer.hpp"
#include "experiment/warmup.hpp"
#include "detsim/scenario.hpp"
#include "engine/event_queue.hpp"
#include "model/policy.hpp"

namespace detsim {

inline constexpr double kNever = std::numeric_limits<double>::infinity();

// Where a person is in the release flow.
enum class Stage : std::uint8_t {
  kInCustody,  // before the scheduled release
  kHeld,       // honored: held past release, waiting for ICE or the deadline
  kGrace,      // notified: out-processing, waiting for ICE or the end of grace
};

// A person in custody. Lives in a slot of the people array while in custody.
struct Person {
  double booked_at;
  double release_at;   // scheduled final release (t_release)
  double detainer_at;  // arrival of an active detainer, or kNever
  double move_at;      // move to the sentenced_transfer_to facility, or kNever
  double deadline;     // hold deadline or end of grace, once released
  std::uint64_t booking_index;
  std::uint32_t generation;
  std::uint16_t facility;  // where the person is now
  std::uint16_t booked_facility;
  std::uint16_t offense;   // index into the booked facility's offenses
  std::uint16_t category;  // offense category
  Stage stage;
  Action action;
  bool citizen : 1;
  bool convicted : 1;
  bool prior_serious : 1;
  bool judicial_warrant : 1;
  bool active_detainer : 1;
  bool action_chosen : 1;
  bool ice_present : 1;  // ICE arrived before the release
  bool counted : 1;      // the decision's t_release is in the window
  bool in_use : 1;       // the slot holds a person in custody
};

// A person's draws at booking (MODEL.md section 2 step 2), in hours.
struct PersonDraws {
  std::size_t offense = 0;  // index into the booking facility's offenses
  bool citizen = true;
  bool prior_serious = false;
  bool pretrial = true;
  double stay = 0;           // until scheduled release, or until the transfer
  double transfer_stay = 0;  // at the receiving facility
  bool lodged = false;       // a detainer is lodged (erroneous for a citizen)
  bool judicial_warrant = false;
  double lodge_delay = 0;
  double ice_response = 0;  // drawn only when ICE is told
  double compliance = 0.5;  // uniform for a rule's `compliance`
};

// A person given in full, for hand-worked cases: with a script, bookings
// come from it instead of the booking process, and its draws replace the
// random ones.
struct ScriptedBooking {
  int facility = 0;
  double at = 0;  // hours since start
  PersonDraws draws;
};

// A waiting ICE pickup request (limited teams only).
struct PickupRequest {
  double key;  // EDF: deadline; FIFO: 0
  std::uint64_t seq;
  double requested_at;
  std::uint32_t slot;
  std::uint32_t generation;
};

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
  std::size_t people_slots() const { return people_.size(); }

 private:
  // Bookings and attributes.
  void next_arrival(int facility);
  double hourly_rate(int facility, double day);
  int next_booking_facility() const;
  // Returns true when the person enters custody (and the queue changed).
  bool on_booking(int facility, double t);
  std::uint64_t skip_warmup_bookings(int facility, double limit);
  PersonDraws attributes(int facility, const std::array<std::uint64_t, 4>& words) const;
  void lengths(int facility, std::uint64_t booking, double u_stay, PersonDraws& d) const;
  bool leaves_in_warmup(int facility, const PersonDraws& d, double u_stay, double day_end);
  void draw_person(Person& p, int facility, std::uint64_t booking, double t, const PersonDraws& d);
  double compliance_draw(const Person& p) const;
  void schedule_release(std::uint32_t slot, double t_arrive);

  // Release flow.
  void handle(const Event& e);
  void on_move(std::uint32_t slot, double t);
  void on_notice(std::uint32_t slot, double t);
  void on_release(std::uint32_t slot, double t);
  void on_pickup_arrival(std::uint32_t slot, double t);
  void on_deadline(std::uint32_t slot, double t);
  void choose_action(std::uint32_t slot, double t);
  void released_despite(Person& p, double t);
  void transfer_to_ice(std::uint32_t slot, double t, const char* outcome);
  void leave(std::uint32_t slot, double t, const char* outcome);

  // ICE pickups.
  void request_pickup(std::uint32_t slot, double t);
  void dispatch(const PickupRequest& r, double t);
  void on_team_free(double t);
  double ice_response(const Person& p) const;

  // Occupancy and counting.
  void change_occupancy(int facility, int delta, double t);
  void accumulate_occupancy(int facility, double t);
  void emit_days_until(double t);
  void finish();
  double& count(const Person& p, Metric m) {
    return cells_[cell(p.facility, p.category) + index(m)];
  }
  std::size_t cell(int facility, int category) const {
    return (static_cast<std::size_t>(facility) * categories_ + category) * kMetricCount;
  }
  std::uint32_t allocate_slot();
  void trace(const Person& p, double t, const char* outcome, double hold_hours);

  const Scenario& sc_;
  const int rep_;
  Observer* observer_;
  const bool trace_on_;
  const bool series_on_;
  Calendar calendar_;
  PolicyTimeline policies_;
  EventQueue queue_;
  double start_ = 0;    // first booking time (negative: warm-up)
  double horizon_ = 0;  // end of the window, hours
  std::uint64_t events_ = 0;
  bool skip_on_ = true;  // skip_warmup_bookings in use
  const std::vector<ScriptedBooking>* script_;
  std::vector<std::vector<std::size_t>> script_index_;  // per facility, by booking

  std::vector<Person> people_;
  std::vector<std::uint32_t> free_slots_;

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

  // Counters: cells [facility][category][metric].
  std::size_t categories_ = 0;
  std::vector<double> cells_;

  // Occupancy per facility, and of all facilities together (last entry).
  struct Occupancy {
    double people = 0, last_change = 0, area = 0, peak = 0, over_capacity = 0;
    double capacity = -1;
    double holds = 0;
  };
  std::vector<Occupancy> occupancy_;

  // Daily series (per facility): counts since the last midnight.
  struct DayCounts {
    double decisions = 0, honored = 0, notified = 0, declined = 0, transfers = 0, lapsed = 0;
  };
  std::vector<DayCounts> day_;
  double next_midnight_ = 24;

  // ICE teams.
  int free_teams_ = 0;
  std::uint64_t request_seq_ = 0;
  std::vector<PickupRequest> waiting_;  // heap
  double wait_sum_ = 0, wait_count_ = 0, team_busy_ = 0;
};

}  // namespace detsim
