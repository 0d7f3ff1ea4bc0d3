// Writers of a run's results (docs/metrics.md): a terminal table, JSON and
// a folder of tidy CSV files.
//
// Everything here is a pure function of its inputs, so the same run gives
// byte-identical output whatever the thread count.
//
// Numbers. JSON numbers are nlohmann's shortest round-trip form; metric
// values are doubles and always print with a decimal point ("412.0", "0.25"),
// counts of the run itself ("seed", "replications") are integers. CSV numbers
// are fmt's shortest round-trip form ("412", "0.25", "1e-05"), exact when read
// back. NaN (the sd and CI of a single replication) is null in JSON and an
// empty field in CSV.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "detsim/metrics.hpp"
#include "detsim/run.hpp"
#include "detsim/scenario.hpp"
#include "detsim/stats.hpp"

namespace detsim {

// The metrics the terminal tables of run and compare show first: honored
// versus declined, then the outcomes either side of the debate counts.
inline constexpr std::array<Metric, 9> kTableHeadline = {Metric::honored,
                                                         Metric::declined,
                                                         Metric::notified,
                                                         Metric::transfers,
                                                         Metric::released_despite_detainer,
                                                         Metric::lapsed,
                                                         Metric::hold_hours,
                                                         Metric::citizens_held,
                                                         Metric::hold_cost};

// Occupancy metrics (mean_occupancy, peak_occupancy, over_capacity_hours):
// per facility and total only, left out for offense categories.
bool is_occupancy_metric(Metric m);
// ICE queue metrics (ice_mean_wait_hours, ice_team_utilization): scenario-wide,
// left out for facilities and offense categories.
bool is_ice_queue_metric(Metric m);

// Whether `m` is written for this breakdown: every metric for the totals;
// no ICE queue metric for a facility; neither ICE queue nor occupancy
// metrics for an offense category. The run and compare writers (JSON and
// CSV) all follow this choice.
bool is_reported(Metric m, Breakdown breakdown);

// The 95% interval of a metric's mean as a reader sees it (docs/metrics.md,
// Intervals): the Student t interval of `s` (ci_low, ci_high), with a lower
// bound below 0 raised to 0, since every metric is non-negative; `bounded`
// is true when it was raised. NaN bounds (one replication) stay NaN. Not
// for differences, which can be negative.
struct ShownInterval {
  double low = 0;
  double high = 0;
  bool bounded = false;
};
ShownInterval shown_interval(const Summary& s);

// Below this many replications, intervals are unreliable and the tool says so.
inline constexpr int kReliableReplications = 10;

// The stderr warning for a run of `n` replications: empty when n is at
// least kReliableReplications, else a line (ending with a newline) naming n.
std::string few_replications_warning(int n);

// The JSON document of a run (docs/metrics.md), indented by 2 and ending
// with a newline, as `detsim run --json` prints it and run.json holds it:
// scenario, seed, replications, version, period {start, end, days,
// warmup_days}, policy_override (null when none), sets (every --set, in
// order; --reps and --seed appear as replications= and seed=), currency
// (null when none), units {metric: unit}, metrics, facilities.<id>
// {policy (at the start, "(changes during the run)" when it changes),
// bed_day_cost, metrics}, offenses.<id>.metrics, per_replication (the totals of each replication,
// in order, every metric), resolved_scenario (the resolved YAML text), and
// with `precision` not null, precision: {target, reached, replications}.
// Summaries are {"mean", "sd", "ci95": [low, high], "interval": [low, high],
// "interval_bounded", "min", "max"}, NaN as null: ci95 is the plain Student
// t interval, interval the one shown (shown_interval). Throws nothing but
// std::bad_alloc.
// REQUIRES: `summary` is summarize_run(reps) and the replications have one
// entry per facility and per offense category of `scenario`.
std::string run_json(const Scenario& scenario, const std::vector<ReplicationMetrics>& reps,
                     const RunSummary& summary, const PrecisionRun* precision = nullptr);

// A table for a terminal: a title (scenario, replications, seed), the
// period, policy override, overrides and units; the headline (honored
// versus declined and the outcomes around them), every total metric with
// its unit, mean, 95% CI (bounded at 0, marked "*"), sd, min and max, then
// a few key means per facility with its policy and hold cost. `color` adds ANSI bold to titles.
// Ends with a newline.
std::string run_table(const Scenario& scenario, const RunSummary& summary, bool color);

// (run_table and the CSV writers below throw nothing but std::bad_alloc.)

// `field` as one CSV field: quoted (with quotes doubled) when it holds a
// comma, a quote, a carriage return or a newline; unchanged otherwise.
std::string csv_field(std::string_view field);

// `value` in shortest round-trip form; empty for NaN.
std::string csv_number(double value);

// Tidy per-replication CSV: "replication,facility,offense,metric,value".
// Replications are numbered from 0, the index simulate() takes. Rows, per
// replication in order: the totals (facility and offense "all"), each
// facility in scenario order (offense "all"), each offense category in
// scenario order (facility "all"); metrics in kMetricNames order, with the
// same metrics left out as in run_json.
std::string metrics_csv(const Scenario& scenario, const std::vector<ReplicationMetrics>& reps);

// Summary CSV: "facility,offense,metric,n,mean,sd,ci_low,ci_high,min,max,
// ci_bounded,unit", the totals, then each facility, then each offense category,
// as above. ci_low and ci_high are the interval shown (shown_interval);
// ci_bounded is "true" when ci_low was raised to 0, else "false"; unit is
// the metric's unit (money in the scenario's currency, else "cost units").
std::string summary_csv(const Scenario& scenario, const RunSummary& summary);

// Creates `dir` (and its parents) if missing and writes into it, each file
// atomically (write_file_atomic): metrics.csv, summary.csv, run.json
// (run_json, indented by 2) and scenario.resolved.yaml. Throws
// std::runtime_error naming the path when a folder or file cannot be written.
void write_run_folder(const std::string& dir, const Scenario& scenario,
                      const std::vector<ReplicationMetrics>& reps, const RunSummary& summary);

}  // namespace detsim
