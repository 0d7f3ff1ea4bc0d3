// The model's running accounts: counts per facility and offense category
// (MetricCounters), people and holds in custody over time (Occupancy), and
// the daily series' counts since the last midnight (DailySeries).
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "detsim/metrics.hpp"
#include "detsim/run.hpp"
#include "detsim/scenario.hpp"

namespace detsim {

// Metric values per [facility][offense category], summed into the
// facility, offense and total results at the end.
class MetricCounters {
 public:
  MetricCounters(std::size_t facilities, std::size_t categories)
      : categories_(categories), cells_(facilities * categories * kMetricCount, 0.0) {}

  double& at(int facility, int category, Metric m) {
    return cells_[cell(facility, category) + index(m)];
  }
  void add(int facility, int category, Metric m, double v = 1) { at(facility, category, m) += v; }
  // A hold of `hours` ended (or is open at the horizon): its hours and the maximum.
  void add_hold_hours(int facility, int category, double hours) {
    add(facility, category, Metric::hold_hours, hours);
    double& mx = at(facility, category, Metric::max_hold_hours);
    mx = std::max(mx, hours);
  }

  // The sums and maxima per facility, per offense and in total, with the
  // metrics derived from them (bed-days and costs); occupancy and ICE
  // metrics are the caller's.
  ReplicationMetrics results(const Scenario& scenario) const;

 private:
  std::size_t cell(int facility, int category) const {
    return (static_cast<std::size_t>(facility) * categories_ + category) * kMetricCount;
  }

  std::size_t categories_;
  std::vector<double> cells_;
};

// People in custody per facility, and of all facilities together (kept
// apart only with more than one facility): the time integral from the start
// of the window to the horizon, the peak, hours over capacity, and the
// holds in progress.
class Occupancy {
 public:
  Occupancy(const Scenario& scenario, double horizon);

  // Every account starts at `start` (the first booking, before the window).
  void start_at(double start);
  // delta people enter (+) or leave (-) facility f at t.
  void change(int facility, int delta, double t);
  void hold_started(int facility) { accounts_[facility].holds += 1; }
  void hold_ended(int facility) { accounts_[facility].holds -= 1; }
  // Integrates every account up to the horizon.
  void finish();

  double people(int facility) const { return accounts_[facility].people; }
  double holds(int facility) const { return accounts_[facility].holds; }
  // Sets mean_occupancy, peak_occupancy and over_capacity_hours of each
  // facility and the total (over-capacity hours: the facilities' sum).
  void report(ReplicationMetrics& out) const;

 private:
  struct Account {
    double people = 0, last_change = 0, area = 0, peak = 0, over_capacity = 0;
    double capacity = -1;
    double holds = 0;
  };
  void accumulate(Account& a, double t);

  double horizon_;
  std::vector<Account> accounts_;  // per facility, then the total
};

// The daily series: per facility, the counts since the last midnight; at
// each midnight inside the horizon one SeriesRecord per facility.
class DailySeries {
 public:
  struct Counts {
    double decisions = 0, honored = 0, notified = 0, declined = 0, transfers = 0, lapsed = 0;
  };

  // `observer` null or not wanting the series: every call does nothing.
  DailySeries(const Scenario& scenario, int replication, Observer* observer, double horizon);

  bool on() const { return on_; }
  void add(int facility, double Counts::*field) {
    if (on_) day_[facility].*field += 1;
  }
  // Emits every midnight up to t (and the horizon).
  void emit_until(double t, const Occupancy& occupancy) {
    if (on_ && t >= next_midnight_) emit(t, occupancy);
  }

 private:
  void emit(double t, const Occupancy& occupancy);

  const Scenario& sc_;
  const int rep_;
  Observer* observer_;
  const bool on_;
  double horizon_;
  double next_midnight_ = 24;
  std::vector<Counts> day_;
};

}  // namespace detsim
