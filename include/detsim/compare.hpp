// Comparing regimes on the same people (`detsim compare`, docs/metrics.md): each regime is a
// resolved scenario (one file under several
// `--policy` overrides, or several files); all are run on the same
// replication indices with the same seed, so replication r of every regime
// sees the same bookings, stays, detainers and ICE response times (common
// random numbers), and the differences are paired replication by
// replication.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "detsim/metrics.hpp"
#include "detsim/observer.hpp"
#include "detsim/scenario.hpp"
#include "detsim/stats.hpp"

namespace detsim {

struct Regime {
  std::string name;   // unique among the regimes of a comparison; no default
  Scenario scenario;  // resolved (load_scenario); no default
};

// Regime names from base names (policy names or scenario names): the first
// use of a name keeps it, repeats get "#2", "#3", ... ("a", "a", "b", "a" ->
// "a", "a#2", "b", "a#3"); a generated name never collides with a given one.
// Throws nothing but std::bad_alloc.
std::vector<std::string> regime_names(const std::vector<std::string>& base_names);

struct RegimeRun {
  Regime regime;
  std::vector<ReplicationMetrics> reps;  // replication r at index r
  RunSummary summary;                    // summarize_run(reps)
};

// One metric's paired difference, regime minus baseline: the summary of the
// per-replication differences, and `relative` = (difference of the means) /
// (baseline's mean). `relative` is NaN, and `relative_note` says why, when
// the baseline's mean is 0, when the baseline's 95% interval includes 0, or
// for a count metric when the baseline's mean is below 10 (docs/metrics.md,
// Intervals); `relative_note` is empty otherwise.
struct Difference {
  Summary summary;      // in the metric's unit
  double relative = 0;  // a ratio (0.1: 10%); default 0
  std::string relative_note;
};

// Why no relative change is given for metric `m` over a baseline with
// summary `base`: "baseline mean is 0", "baseline interval includes 0",
// "count with baseline mean below 10"; empty when one is given.
std::string relative_note(Metric m, const Summary& base);
using MetricDifferences = std::vector<Difference>;  // kMetricCount entries, kMetricNames order

// A slice present in both regimes (matched by facility or offense id).
struct SliceDifferences {
  std::string id;  // facility id or offense category id
  MetricDifferences metrics;
};

struct RegimeDifferences {
  std::string regime;  // name of the regime compared with the baseline
  MetricDifferences total;
  std::vector<SliceDifferences> facilities;  // baseline's order
  std::vector<SliceDifferences> offenses;    // baseline's order
};

struct Comparison {
  std::vector<RegimeRun> runs;                 // runs[0] is the baseline
  std::vector<RegimeDifferences> differences;  // one per runs[1..]
  const RegimeRun& baseline() const { return runs.front(); }
};

struct CompareOptions {
  int threads = 0;  // worker threads; default 0: all cores
  // Optional: called after each replication of each regime with the number
  // of replications finished over all regimes and their total (from worker
  // threads: must be thread-safe). Default: none.
  std::function<void(int finished, int total)> progress;
  // Optional: as RunOptions::cancel (compare_regimes throws Cancelled).
  const std::atomic<bool>* cancel = nullptr;
  // Optional: as RunOptions::observer, for replication `replication` of
  // regime `regime` (an index into the regimes). Default: none.
  std::function<std::unique_ptr<Observer>(int regime, int replication)> observer;
};

// Runs every regime (replications 0 .. n-1, n the baseline's replication
// count, as run_replications) and computes the paired differences of every regime after the
// first with the first. Throws std::invalid_argument when there are fewer
// than two regimes, names repeat, or the regimes' seeds or replication
// counts differ (the pairing would not be on the same people); rethrows
// what run_replications throws.
Comparison compare_regimes(std::vector<Regime> regimes, const CompareOptions& options = {});

// The paired differences b - a of every metric over replications.
// REQUIRES: a.size() == b.size() > 0; facility/offense index valid in both.
// Throws nothing but std::bad_alloc.
MetricDifferences paired_differences(const std::vector<ReplicationMetrics>& a,
                                     const std::vector<ReplicationMetrics>& b,
                                     Breakdown breakdown = Breakdown::kTotal, int index_a = 0,
                                     int index_b = 0);

// The JSON document of a comparison, indented by 2 and ending with a
// newline, as `detsim compare --json` prints it: {"version", "baseline",
// "seed", "replications", "regimes": {name: run JSON}, "differences":
// {name: {metric: {"mean", "sd", "ci95", "interval", "interval_bounded",
// "min", "max", "relative", "relative_note"}}} (relative_note null when
// relative is given; a difference's interval is ci95, never bounded),
// "facility_differences": {name: {facility id: {metric: ...}}},
// "offense_differences": {name: {offense id: {metric: ...}}}}. Difference
// metrics follow is_reported per breakdown. Throws nothing but
// std::bad_alloc.
std::string compare_json(const Comparison& c);

// Tidy per-replication CSV of every regime:
// "regime,replication,facility,offense,metric,value" (metrics_csv rows,
// regime by regime). Throws nothing but std::bad_alloc (so do the two
// writers after it).
std::string compare_metrics_csv(const Comparison& c);

// "regime,facility,offense,metric,n,mean,sd,ci_low,ci_high,relative,
// relative_note": the differences, totals then facilities then offense
// categories (relative and relative_note as in Difference).
std::string compare_differences_csv(const Comparison& c);

// The terminal table: each regime's means of the headline metrics, then
// each regime's differences from the baseline with their 95% CI. Ends with
// a newline.
std::string compare_table(const Comparison& c, bool color);

// Creates `dir` if missing and writes compare.json, metrics.csv and
// differences.csv into it, each atomically. Throws std::runtime_error
// naming the path on failure.
void write_compare_folder(const std::string& dir, const Comparison& c);

}  // namespace detsim
