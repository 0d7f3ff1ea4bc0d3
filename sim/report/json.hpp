// The JSON documents of include/detsim/ as nlohmann values, and their
// building blocks, for the writers that nest one in another (compare holds
// each regime's run; a sweep's sidecar holds summaries).
#pragma once

#include <nlohmann/json.hpp>

#include "detsim/compare.hpp"
#include "detsim/expect.hpp"
#include "detsim/report.hpp"

namespace detsim {

// `value`, or null for NaN and infinities (JSON has neither).
nlohmann::ordered_json json_number(double value);

// {"mean", "sd", "ci95": [low, high], "interval": [low, high],
// "interval_bounded", "min", "max"}; NaN as null. `interval` is
// shown_interval(summary), or ci95 unbounded for a `difference`.
nlohmann::ordered_json summary_json(const Summary& summary, bool difference = false);

// {metric: summary_json, ...} in kMetricNames order, without the occupancy
// or ICE queue metrics unless asked for.
// REQUIRES: summaries.size() == kMetricCount.
nlohmann::ordered_json metrics_json(const MetricSummaries& summaries, bool include_occupancy,
                                    bool include_ice);

// The values behind run_json, compare_json and expect_json (which are
// these, dumped with an indent of 2 and a newline).
nlohmann::ordered_json run_json_value(const Scenario& scenario,
                                      const std::vector<ReplicationMetrics>& reps,
                                      const RunSummary& summary,
                                      const PrecisionRun* precision = nullptr);
nlohmann::ordered_json compare_json_value(const Comparison& c);
nlohmann::ordered_json expect_json_value(const Scenario& scenario, const Expectations& e);

// `j` as a document: indented by 2, ending with a newline.
std::string json_document(const nlohmann::ordered_json& j);

}  // namespace detsim
