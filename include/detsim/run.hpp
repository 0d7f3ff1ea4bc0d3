// Running replications of a scenario (MODEL.md sections 2 and 6).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "detsim/metrics.hpp"
#include "detsim/scenario.hpp"

namespace detsim {

// One person's end, for the per-person trace (MODEL.md section 5).
struct TraceRecord {
  int replication = 0;
  std::uint64_t id = 0;  // facility index << 40 | booking index within the facility
  int facility = 0;      // the facility where the person ended (or is at the end)
  int booked_at_facility = 0;
  int offense = 0;  // category
  bool citizen = false;
  bool convicted = false;
  double booked_at = 0;  // hours since start (negative in the warm-up)
  double scheduled_release = 0;
  bool detainer = false;  // an active detainer
  bool judicial_warrant = false;
  int action = -1;  // Action, or -1 without a decision
  // outcome: released, transferred_from_hold, lapsed, transferred_on_notice,
  // missed_notice, transferred_287g, declined_released, in_custody
  const char* outcome = "";
  double outcome_at = 0;
  double hold_hours = 0;
};

// One facility's day, for the daily series.
struct SeriesRecord {
  int replication = 0;
  Day date = 0;
  int facility = 0;
  double occupancy = 0;  // people in custody at the end of the day
  double holds_active = 0;
  double decisions = 0, honored = 0, notified = 0, declined = 0, transfers = 0, lapsed = 0;
};

// Receives trace and series records of one replication, in time order.
// Called from the thread that simulates that replication.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_person(const TraceRecord&) {}
  virtual void on_day(const SeriesRecord&) {}
  virtual bool wants_trace() const { return false; }
  virtual bool wants_series() const { return false; }
};

// Hours of warm-up before `start` (MODEL.md section 2, step 6).
double warmup_hours(const Scenario& scenario);

// Simulates replication `replication` (from 0) with the scenario's seed.
// `warmup`: warmup_hours(scenario), when the caller has it (with long stays
// and transfers it takes a while, so batches of replications compute it
// once); computed when absent.
ReplicationMetrics simulate(const Scenario& scenario, int replication, Observer* observer = nullptr,
                            std::optional<double> warmup = std::nullopt);

struct RunOptions {
  int replications = 0;  // 0: the scenario's
  int first_replication = 0;
  int threads = 0;  // 0: all cores
  // Optional: an observer for each replication (trace, series), and a call
  // when that replication is done (its observer already destroyed).
  std::function<std::unique_ptr<Observer>(int replication)> observer;
  std::function<void(int replication)> done;
  // Optional: when it becomes true, no further replication starts and
  // run_replications throws Cancelled once the running ones have finished.
  // Not owned; must outlive the call. Default: none (never cancelled).
  const std::atomic<bool>* cancel = nullptr;
};

// Thrown by run_replications (and everything built on it) when
// RunOptions::cancel became true before every replication had run.
struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("cancelled") {}
};

// The thread count for `requested` (0: all cores).
int resolve_threads(int requested);

// Runs replications [first, first + n) in parallel; results in replication
// order, identical for any thread count.
std::vector<ReplicationMetrics> run_replications(const Scenario& scenario,
                                                 const RunOptions& options);

// Precision control (`--precision`): the checks happen after 10, 20, 40, 80,
// ... replications (never between), so the number run does not depend on the
// thread count.
inline constexpr int kPrecisionFirstCheck = 10;

// True when every headline metric (kHeadlineMetrics) with a non-zero mean has
// a 95% CI half-width within `relative` times its mean.
bool precise_enough(const std::vector<ReplicationMetrics>& reps, double relative);

struct PrecisionRun {
  std::vector<ReplicationMetrics> reps;
  bool reached = false;  // false: stopped at max_replications first
};

// Runs batches until precise_enough or `max_replications`. `options`
// supplies threads, observers and the first replication.
PrecisionRun run_to_precision(const Scenario& scenario, double relative, int max_replications,
                              const RunOptions& options);

}  // namespace detsim
