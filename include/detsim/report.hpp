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

// The JSON document of a run (docs/metrics.md), indented by 2 and ending
// with a newline, as `detsim run --json` prints it and run.json holds it:
// scenario, seed, replications, version, metrics, facilities.<id>.metrics,
// offenses.<id>.metrics, per_replication (the totals of each replication,
// in order, every metric), resolved_scenario (the resolved YAML text), and
// with `precision` not null, precision: {target, reached, replications}.
// Summaries are {"mean", "sd", "ci95": [low, high], "min", "max"}, NaN as
// null. Throws nothing but std::bad_alloc.
// REQUIRES: `summary` is summarize_run(reps) and the replications have one
// entry per facility and per offense category of `scenario`.
std::string run_json(const Scenario& scenario, const std::vector<ReplicationMetrics>& reps,
                     const RunSummary& summary, const PrecisionRun* precision = nullptr);

// A table for a terminal: the headline (honored versus declined and the
// outcomes around them), every total metric with mean, 95% CI, sd, min and
// max, then a few key means per facility. `color` adds ANSI bold to titles.
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

// Summary CSV: "facility,offense,metric,n,mean,sd,ci_low,ci_high,min,max",
// the totals, then each facility, then each offense category, as above.
std::string summary_csv(const Scenario& scenario, const RunSummary& summary);

// Creates `dir` (and its parents) if missing and writes into it, each file
// atomically (write_file_atomic): metrics.csv, summary.csv, run.json
// (run_json, indented by 2) and scenario.resolved.yaml. Throws
// std::runtime_error naming the path when a folder or file cannot be written.
void write_run_folder(const std::string& dir, const Scenario& scenario,
                      const std::vector<ReplicationMetrics>& reps, const RunSummary& summary);

}  // namespace detsim
