// Running replications of a scenario (docs/model.md): one
// replication at a time (simulate), a batch in parallel (run_replications),
// or batches until the headline metrics are precise enough
// (run_to_precision). Replication r always draws from the same random
// streams (keyed by the scenario's seed, r and the purpose of the draw), so
// results do not depend on the thread count or on which thread ran what.
//
// Errors. A resolved Scenario (load_scenario) is valid by construction, so
// running one throws nothing of its own; an exception thrown by an Observer
// (a trace file that cannot be written, say) or by RunOptions::done ends
// that replication and is rethrown by the call that ran it (the first one,
// in time, when several replications fail), after every thread has stopped.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "detsim/metrics.hpp"
#include "detsim/observer.hpp"
#include "detsim/scenario.hpp"

namespace detsim {

// Simulates replication `replication` (from 0) of `scenario` with the
// scenario's seed and returns its metrics. `observer`, when not null,
// receives the replication's trace and series records. `warmup`: the
// scenario's warm-up in hours, when the caller has it (with long stays and
// transfers it takes a while to compute, so batches compute it once);
// computed when absent.
// REQUIRES: replication >= 0.
ReplicationMetrics simulate(const Scenario& scenario, int replication, Observer* observer = nullptr,
                            std::optional<double> warmup = std::nullopt);

struct RunOptions {
  // Number of replications to run. Default 0: Scenario::replications.
  int replications = 0;
  // Index of the first replication; the run covers [first_replication,
  // first_replication + replications). Default 0.
  int first_replication = 0;
  // Worker threads. Default 0: all cores (std::thread::hardware_concurrency).
  int threads = 0;
  // Optional: makes the observer of each replication (trace, series); may
  // return null. Called on the worker thread of that replication. Default:
  // none.
  std::function<std::unique_ptr<Observer>(int replication)> observer;
  // Optional: called on the worker thread when a replication is done, its
  // observer already destroyed. Default: none.
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

// The thread count for `requested`: itself when > 0, else the number of
// cores (1 when unknown). Throws nothing.
int resolve_threads(int requested);

// Runs replications [first, first + n) in parallel; results in replication
// order (index i holds replication first + i), identical for any thread
// count. Throws what an observer or `done` threw (see the top of this file).
std::vector<ReplicationMetrics> run_replications(const Scenario& scenario,
                                                 const RunOptions& options);

// Precision control (`detsim run --precision`): the checks happen after 10,
// 20, 40, 80, ... replications (never between), so the number run does not
// depend on the thread count.
inline constexpr int kPrecisionFirstCheck = 10;

// True when every headline metric (kHeadlineMetrics) with a non-zero mean
// has a 95% CI half-width within `relative` times its mean. Throws nothing.
bool precise_enough(const std::vector<ReplicationMetrics>& reps, double relative);

struct PrecisionRun {
  std::vector<ReplicationMetrics> reps;  // replication r - first at index r - first
  bool reached = false;                  // false: stopped at max_replications first
  double target = 0;                     // the `relative` asked for
};

// Runs batches until precise_enough(reps, relative) or `max_replications`.
// `options` supplies threads, observers and the first replication (its
// `replications` is ignored). Throws as run_replications.
// REQUIRES: relative > 0, max_replications >= 1.
PrecisionRun run_to_precision(const Scenario& scenario, double relative, int max_replications,
                              const RunOptions& options);

}  // namespace detsim
