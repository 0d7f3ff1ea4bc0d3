// Parameter sweeps (MODEL.md section 9): a sweep file names a base
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

#include <cstdint>
#include <string>
#include <vector>

#include "detsim/metrics.hpp"

namespace detsim {

enum class SweepDesign : std::uint8_t { kGrid = 0, kRandom = 1, kLhs = 2 };

const char* to_string(SweepDesign d);

// One swept parameter as written: a list of values (categories) or a range.
struct SweepParameter {
  std::string path;  // a `--set` path, e.g. ice.pickup.teams
  bool is_range = false;
  std::vector<std::string> values;  // a list: each item's canonical text
  // A range: [min, max], with `steps` values under grid (0 when not given).
  double min = 0, max = 0;
  bool integer = false;
  bool log = false;
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
  std::string source;     // the sweep file
  std::string base_path;  // the base scenario, resolved against the sweep file's folder
  int replications = 0;   // per point; 0 until resolved: the base scenario's
  std::uint64_t seed = 0;
  bool seed_given = false;  // false: the base scenario's seed
  SweepDesign design = SweepDesign::kGrid;
  int samples = 0;  // random and lhs
  std::vector<SweepParameter> parameters;
  std::vector<Metric> metrics;
  // Grid: every combination, the first parameter varying slowest. Random
  // and lhs: one point per sample, in sample order.
  std::vector<SweepPoint> points;
};

// The largest number of points a sweep may have.
inline constexpr std::int64_t kMaxSweepPoints = 1'000'000;

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

}  // namespace detsim
