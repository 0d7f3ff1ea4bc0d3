// Parameter sweeps (docs/scenario.md): a sweep file names a base
// scenario, the parameters to vary and how (a design), and the metrics to
// report. Each point is the base scenario with the point's values applied
// like `--set PATH=VALUE`, run with the sweep's seed and replication count,
// so every point sees the same people (common random numbers).
//
// Point ids. A point's id is the 64-bit FNV-1a hash, as 16 lowercase hex
// digits, of each parameter's path and canonical value text (in the order
// of the file) and, under `random` and `lhs`, of the sample index. The id
// does not depend on the base scenario, the seed or the replication count:
// it names the point within its sweep, and the results file's sidecar
// (RESULTS.csv.json) records the rest.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "detsim/metrics.hpp"
#include "detsim/scenario.hpp"

namespace detsim {

enum class SweepDesign : std::uint8_t { kGrid = 0, kRandom = 1, kLhs = 2 };

const char* to_string(SweepDesign d);

// One swept parameter as written: a list of values (categories) or a range.
struct SweepParameter {
  std::string path;                 // a `--set` path, e.g. ice.pickup.teams
  bool is_range = false;            // default false: a list
  std::vector<std::string> values;  // a list: each item's canonical text
  // A range: [min, max] in the parameter's own unit, with `steps` values
  // under grid (0 when not given). Defaults 0.
  double min = 0, max = 0;
  bool integer = false;  // values rounded to integers; default false
  bool log = false;      // log-spaced (grid) or log-uniform (random, lhs); default false
  int steps = 0;
};

// One point of the sweep: a value (canonical text) per parameter.
struct SweepPoint {
  std::string id;                   // see the header comment
  int index = 0;                    // position in the sweep's point list, from 0
  int sample = -1;                  // random and lhs: the sample index; grid: -1
  std::vector<std::string> values;  // by parameter
  std::vector<int> choices;         // by parameter: the list item, or -1 for a range
};

// A sweep file, read and expanded into its points.
struct Sweep {
  std::string source;       // the sweep file
  std::string base_path;    // the base scenario, resolved against the sweep file's folder
  int replications = 0;     // per point; 0 until resolved: the base scenario's
  std::uint64_t seed = 0;   // default 0 until resolved: the base scenario's
  bool seed_given = false;  // false: the base scenario's seed
  SweepDesign design = SweepDesign::kGrid;  // default grid
  int samples = 0;                          // random and lhs: the number of points; default 0
  std::vector<SweepParameter> parameters;
  std::vector<Metric> metrics;  // the metrics reported, in the file's order
  // Grid: every combination, the first parameter varying slowest. Random
  // and lhs: one point per sample, in sample order.
  std::vector<SweepPoint> points;
};

// The largest number of points a sweep may have.
inline constexpr std::int64_t kMaxSweepPoints = 1'000'000;

// (The functions below throw nothing but std::bad_alloc unless they say.)

// The 64-bit FNV-1a hash of `bytes`.
std::uint64_t fnv1a64(const std::string& bytes);

// The id of the point with these values (see the header comment); `sample`
// is -1 under grid.
std::string point_id(const std::vector<SweepParameter>& parameters,
                     const std::vector<std::string>& values, int sample);

// Grid values of a range (REQUIRES: p.is_range and p.steps >= 1): `steps`
// evenly spaced values from min to max (log-spaced with p.log), each rounded
// to 12 significant digits, or to an integer with p.integer; repeats are
// dropped. Canonical texts, in increasing order.
std::vector<std::string> grid_values(const SweepParameter& p);

// Shards: `--shard I/N` takes the points whose index modulo N is I - 1.
// REQUIRES: 1 <= shard <= shard_count.
bool in_shard(const SweepPoint& point, int shard, int shard_count);

// Standardized regression coefficients of a linear metamodel of one
// metric's mean on the swept parameters (z-scored inputs and output),
// fitted by least squares.
struct SensitivityTerm {
  std::string name;  // a parameter path, or PATH=VALUE for a category
  double coefficient = 0;
};
struct MetricSensitivity {
  std::string metric;
  int points = 0;
  double r_squared = 0;                // NaN when the metric is constant or points are too few
  std::vector<SensitivityTerm> terms;  // by decreasing |coefficient|
  std::string note;                    // why there is no fit, if there is none
};

// `rows`: one per point, the parameters' value texts; `means`: one column
// per metric, one row per point. A parameter whose every value is a number
// enters as one numeric column; any other parameter is categorical and
// enters as one indicator column per value but its first (the reference).
// Constant columns are left out.
// REQUIRES: rows.size() == means.size(); every row has one text per
// parameter and every means row one value per metric.
std::vector<MetricSensitivity> sensitivity(const std::vector<std::string>& parameters,
                                           const std::vector<std::string>& metrics,
                                           const std::vector<std::vector<std::string>>& rows,
                                           const std::vector<std::vector<double>>& means);

// A readable report of `sensitivity`'s results, ending with a newline.
std::string sensitivity_table(const std::vector<MetricSensitivity>& fits);

// ---- Reading and running a sweep ------------------------------------------

struct SweepInputs;  // the library's own view of a read sweep

// A sweep file read, its base scenario resolved and its design expanded
// into points, ready to run. Cheap to copy (the contents are shared and
// never change).
class SweepPlan {
 public:
  // Reads the sweep file at `path` and its base scenario. Throws InputError
  // ("FILE:LINE:COL: KEY.PATH: message") for any problem in either. The
  // points' own scenarios are checked by check() (and by run_sweep). Preset
  // policies come from the default folder (default_preset_dir(): set
  // $DETSIM_PRESETS to choose another).
  explicit SweepPlan(const std::string& path);

  // The sweep; its points are sweep().points, in point order.
  const Sweep& sweep() const;

  // The resolved scenario of point `point` (an index into sweep().points).
  // Throws InputError naming the point for a value that makes the scenario
  // invalid, std::out_of_range for an index out of range.
  Scenario point_scenario(int point) const;

  // Resolves every point on `threads` threads (0: all cores). Throws the
  // InputError of the first point, in point order, that does not resolve.
  void check(int threads = 0) const;

  const SweepInputs& inputs() const { return *inputs_; }

 private:
  std::shared_ptr<const SweepInputs> inputs_;
};

// The same as SweepPlan(path).
SweepPlan load_sweep(const std::string& path);

// One point's results: values[r][m] is metric sweep().metrics[m] (the
// scenario-wide total, in the metric's unit) of replication r (from 0).
struct PointResults {
  int point = 0;  // index into Sweep::points
  std::vector<std::vector<double>> values;
};

// Runs the points `points` (indices into sweep().points; empty: every
// point) on `threads` threads (0: all cores) and returns their results in
// the order asked. Nothing is written. Throws std::out_of_range for a point
// index out of range; rethrows the first exception of a worker.
// REQUIRES: the points resolve (check()).
std::vector<PointResults> run_sweep_points(const SweepPlan& plan, std::vector<int> points = {},
                                           int threads = 0);

struct SweepRunOptions {
  // Worker threads. Default 0: all cores.
  int threads = 0;
  // Also write one row per point and replication to this file. Default "":
  // none. Must differ from the results file and its sidecar.
  std::string per_replication;
  // Run only the points whose index modulo shard_count is shard - 1
  // (`--shard I/N`). Defaults 1 and 1: every point.
  int shard = 1, shard_count = 1;
  // Continue an existing results file: keep its finished points, run the
  // others. Default false: the results file must not exist.
  bool resume = false;
  // With resume: continue a results file whose sidecar (out + ".json") is
  // missing or describes another sweep. Rows are still checked one by one
  // against this sweep's points. Default false: that is an InputError.
  bool force = false;
  // The command line recorded in the sidecar (and shown to resume). Default
  // empty.
  std::vector<std::string> command_line;
  // When set to true (by a signal handler, say), no new replication starts;
  // finished points are written, unfinished ones abandoned. Default null.
  const std::atomic<bool>* stop = nullptr;
};

// Where a sweep run stands: points of the job (the shard's), found done
// from before (--resume), finished in this run.
struct SweepStatus {
  int total = 0;
  int already_done = 0;
  int finished = 0;
  bool repaired = false;  // a torn last line of the results file was cut off
  bool stopped = false;   // options.stop was set before every point finished
  // On resume: one message per row of the results file that was not a whole
  // row of this sweep ("FILE:LINE: dropped (why); its point runs again").
  std::vector<std::string> dropped;
};

// Runs the sweep as `detsim sweep` does: checks every point, creates (or on
// resume reads and repairs) the results CSV `out` with its sidecar
// out + ".json", and appends one row per point in point order as points
// finish. `on_start` is called once the files are open and before any
// point runs; `on_tick` about four times a second on the calling thread
// while points run. Throws InputError (a bad point; `out` exists without
// resume; existing files of another sweep), std::runtime_error naming the
// path when a file cannot be written, and rethrows the first exception of
// a worker.
SweepStatus run_sweep(const SweepPlan& plan, const std::string& out,
                      const SweepRunOptions& options = {},
                      const std::function<void(const SweepStatus&)>& on_start = {},
                      const std::function<void(const SweepStatus&)>& on_tick = {});

}  // namespace detsim
