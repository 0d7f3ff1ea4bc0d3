// The JSON of `run` (docs/metrics.md) and its building blocks, reused by
// `compare`.

#include <cassert>
#include <cmath>

#include "report/json.hpp"
#include "report/header.hpp"

namespace detsim {

namespace {

using nlohmann::ordered_json;

ordered_json breakdown_json(const std::vector<std::string>& ids,
                            const std::vector<MetricSummaries>& summaries, bool include_occupancy,
                            const Scenario* facilities = nullptr) {
  assert(summaries.empty() || ids.size() == summaries.size());  // empty: no replications
  ordered_json out = ordered_json::object();
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    ordered_json entry = ordered_json::object();
    if (facilities) {
      entry["policy"] = facility_policy_text(*facilities, static_cast<int>(i));
      entry["bed_day_cost"] = json_number(facilities->facilities[i].bed_day_cost);
    }
    entry["metrics"] = metrics_json(summaries[i], include_occupancy, /*include_ice=*/false);
    out[ids[i]] = std::move(entry);
  }
  return out;
}

std::vector<std::string> json_facility_ids(const Scenario& scenario) {
  std::vector<std::string> ids;
  ids.reserve(scenario.facilities.size());
  for (const Facility& f : scenario.facilities) ids.push_back(f.id);
  return ids;
}

ordered_json per_replication_json(const std::vector<ReplicationMetrics>& reps) {
  ordered_json out = ordered_json::array();
  for (const ReplicationMetrics& rep : reps) {
    ordered_json row = ordered_json::object();
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      row[std::string(kMetricNames[m])] = json_number(rep.total[m]);
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

bool is_occupancy_metric(Metric m) {
  return m == Metric::mean_occupancy || m == Metric::peak_occupancy ||
         m == Metric::over_capacity_hours;
}

bool is_ice_queue_metric(Metric m) {
  return m == Metric::ice_mean_wait_hours || m == Metric::ice_team_utilization;
}

ShownInterval shown_interval(const Summary& s) {
  ShownInterval out{s.ci_low, s.ci_high, false};
  if (s.ci_low < 0) {  // false for NaN
    out.low = 0;
    out.bounded = true;
  }
  return out;
}

std::string few_replications_warning(int n) {
  if (n >= kReliableReplications) return "";
  return "warning: " + std::to_string(n) + " replication" + (n == 1 ? "" : "s") +
         ": 95% intervals are unreliable with fewer than " + std::to_string(kReliableReplications) +
         " replications (docs/metrics.md, Intervals)\n";
}

ordered_json summary_json(const Summary& summary, bool difference) {
  ordered_json out = ordered_json::object();
  out["mean"] = json_number(summary.mean);
  out["sd"] = json_number(summary.sd);
  out["ci95"] = ordered_json::array({json_number(summary.ci_low), json_number(summary.ci_high)});
  const ShownInterval shown =
      difference ? ShownInterval{summary.ci_low, summary.ci_high, false} : shown_interval(summary);
  out["interval"] = ordered_json::array({json_number(shown.low), json_number(shown.high)});
  out["interval_bounded"] = shown.bounded;
  out["min"] = json_number(summary.min);
  out["max"] = json_number(summary.max);
  return out;
}

ordered_json metrics_json(const MetricSummaries& summaries, bool include_occupancy,
                          bool include_ice) {
  assert(summaries.size() == kMetricCount);
  ordered_json out = ordered_json::object();
  for (std::size_t i = 0; i < kMetricCount; ++i) {
    const auto m = static_cast<Metric>(i);
    if (!include_occupancy && is_occupancy_metric(m)) continue;
    if (!include_ice && is_ice_queue_metric(m)) continue;
    out[std::string(kMetricNames[i])] = summary_json(summaries[i]);
  }
  return out;
}

ordered_json json_number(double value) {
  if (!std::isfinite(value)) return nullptr;
  return value;
}

std::string json_document(const ordered_json& j) {
  return j.dump(2) + "\n";
}

bool is_reported(Metric m, Breakdown breakdown) {
  if (breakdown == Breakdown::kTotal) return true;
  if (is_ice_queue_metric(m)) return false;
  return breakdown == Breakdown::kFacility || !is_occupancy_metric(m);
}

ordered_json run_json_value(const Scenario& scenario, const std::vector<ReplicationMetrics>& reps,
                            const RunSummary& summary, const PrecisionRun* precision) {
  ordered_json out = ordered_json::object();
  out["scenario"] = scenario.name;
  out["seed"] = scenario.seed;
  out["replications"] = reps.size();
  out["version"] = DETSIM_VERSION;
  out.update(context_json(scenario));
  out["metrics"] = metrics_json(summary.total, /*include_occupancy=*/true, /*include_ice=*/true);
  out["facilities"] =
      breakdown_json(json_facility_ids(scenario), summary.facility, true, &scenario);
  out["offenses"] = breakdown_json(scenario.offense_ids, summary.offense, false);
  out["per_replication"] = per_replication_json(reps);
  out["resolved_scenario"] = scenario.resolved_yaml;
  if (precision) {
    out["precision"] = {{"target", precision->target},
                        {"reached", precision->reached},
                        {"replications", precision->reps.size()}};
  }
  return out;
}

std::string run_json(const Scenario& scenario, const std::vector<ReplicationMetrics>& reps,
                     const RunSummary& summary, const PrecisionRun* precision) {
  return json_document(run_json_value(scenario, reps, summary, precision));
}

}  // namespace detsim
