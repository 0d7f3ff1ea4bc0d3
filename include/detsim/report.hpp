// Writers of a run's results (MODEL.md section 5): a terminal table, JSON and
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
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "detsim/metrics.hpp"
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

// {"mean", "sd", "ci95": [low, high], "min", "max"}; NaN as null.
nlohmann::ordered_json summary_json(const Summary& summary);

// {metric: summary_json, ...} in kMetricNames order, without the occupancy
// or ICE queue metrics unless asked for.
// REQUIRES: summaries.size() == kMetricCount.
nlohmann::ordered_json metrics_json(const MetricSummaries& summaries, bool include_occupancy,
                                    bool include_ice);

// The JSON of `run` (MODEL.md section 5): scenario, seed, replications,
// version, metrics, facilities.<id>.metrics, offenses.<id>.metrics,
// per_replication (the totals of each replication, in order, every metric)
// and resolved_scenario (the resolved YAML text).
// REQUIRES: `summary` is summarize_run(reps) and the replications have one
// entry per facility and per offense category of `scenario`.
nlohmann::ordered_json run_json(const Scenario& scenario,
                                const std::vector<ReplicationMetrics>& reps,
                                const RunSummary& summary);

// A table for a terminal: the headline (honored versus declined and the
// outcomes around them), every total metric with mean, 95% CI, sd, min and
// max, then a few key means per facility. `color` adds ANSI bold to titles.
// Ends with a newline.
std::string run_table(const Scenario& scenario, const RunSummary& summary, bool color);

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
