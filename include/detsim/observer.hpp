// What a replication reports as it runs, beside its metrics (docs/metrics.md): one record per
// person (the trace) and one per facility and day (the daily series). The model produces these
// records; a program receives them through an Observer handed to simulate() or
// RunOptions::observer.
#pragma once

#include <cstdint>

#include "detsim/scenario.hpp"

namespace detsim {

// One person's end, for the per-person trace. Times are hours since the
// scenario's start (00:00 of Scenario::start), negative in the warm-up.
struct TraceRecord {
  int replication = 0;  // replication index, from 0
  // facility index << 40 | booking index within the facility, plus a
  // re-booking's number (mod 256) << 56: a person's bookings share the low bits.
  std::uint64_t id = 0;
  int facility = 0;  // index into Scenario::facilities where the person ended (or is at the end)
  int booked_at_facility = 0;  // index into Scenario::facilities of the booking
  int offense = 0;             // index into Scenario::offense_ids
  bool citizen = false;
  bool convicted = false;         // sentenced (false: pretrial)
  double booked_at = 0;           // hours
  double scheduled_release = 0;   // hours, before any hold
  bool detainer = false;          // an active detainer
  bool judicial_warrant = false;  // the detainer came with a judicial warrant
  int action = -1;                // Action as int, or -1 without a decision
  // outcome: released, transferred_from_hold, lapsed, transferred_on_notice,
  // missed_notice, transferred_287g, declined_released, in_custody (a
  // string literal, never null; "" only in a default-constructed record).
  const char* outcome = "";
  double outcome_at = 0;  // hours
  double hold_hours = 0;  // hours held on the detainer; 0 without a hold
};

// One facility's day, for the daily series. Counts are of that day alone.
struct SeriesRecord {
  int replication = 0;      // replication index, from 0
  Day date = 0;             // days since 1970-01-01
  int facility = 0;         // index into Scenario::facilities
  double occupancy = 0;     // people in custody at the end of the day
  double holds_active = 0;  // detainer holds open at the end of the day
  double decisions = 0, honored = 0, notified = 0, declined = 0, transfers = 0, lapsed = 0;
};

// Receives trace and series records of one replication, in time order,
// from the thread that simulates that replication (one observer is never
// called from two threads). Records are only produced for the kinds the
// observer wants (wants_trace, wants_series: asked once, at the start).
// A method that throws ends the replication; run_replications rethrows it.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_person(const TraceRecord&) {}
  virtual void on_day(const SeriesRecord&) {}
  virtual bool wants_trace() const { return false; }   // default: no trace
  virtual bool wants_series() const { return false; }  // default: no series
};

}  // namespace detsim
