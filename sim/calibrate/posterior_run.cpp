// Runs across a posterior: the same draws and people for every regime, and
// their summary (parameter plus simulation uncertainty).
#include <cmath>

#include "calibrate/result.hpp"
#include "detsim/calibrate.hpp"
#include "detsim/version.hpp"
#include "report/json.hpp"

namespace detsim {

namespace {

using nlohmann::ordered_json;
using Draws = std::vector<std::vector<ReplicationMetrics>>;

ordered_json summary_value(const PosteriorSummary& s) {
  return {{"mean", json_number(s.mean)},
          {"interval", {json_number(s.low), json_number(s.high)}},
          {"sd_total", json_number(s.sd_total)},
          {"sd_parameter", json_number(s.sd_parameter)},
          {"sd_simulation", json_number(s.sd_simulation)},
          {"simulation_interval",
           {json_number(s.mean - 1.96 * s.sd_simulation),
            json_number(s.mean + 1.96 * s.sd_simulation)}},
          {"mean_se", json_number(s.mean_se)}};
}

ordered_json metrics_value(const Draws& reps, const Draws* minus) {
  ordered_json out = ordered_json::object();
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    out[std::string(kMetricNames[m])] = summary_value(
        summarize_posterior(posterior_metric_values(reps, static_cast<Metric>(m), minus)));
  }
  return out;
}

}  // namespace

std::vector<std::vector<double>> posterior_metric_values(
    const std::vector<std::vector<ReplicationMetrics>>& reps, Metric m,
    const std::vector<std::vector<ReplicationMetrics>>* minus) {
  std::vector<std::vector<double>> out;
  for (std::size_t d = 0; d < reps.size(); ++d) {
    std::vector<double> v;
    for (std::size_t r = 0; r < reps[d].size(); ++r) {
      double x = reps[d][r].total[index(m)];
      if (minus) x -= (*minus)[d][r].total[index(m)];
      v.push_back(x);
    }
    out.push_back(std::move(v));
  }
  return out;
}

const char* const kPosteriorIntervalMethod =
    "draws resampled by weight from the posterior (systematic resampling fixed by the seed); "
    "every regime runs the same draws and the same people. interval: mean +- 1.96 sd_total, "
    "sd_total the sd of the draws' means (parameter uncertainty plus the simulation noise of a "
    "draw's mean); sd_simulation that noise alone (from the replications within each draw); "
    "sd_parameter = sqrt(sd_total^2 - sd_simulation^2), 0 when negative";

PosteriorRuns run_posterior_scenarios(const std::vector<std::vector<Scenario>>& scenarios,
                                      const std::vector<int>& particles,
                                      const RunOptions& options) {
  PosteriorRuns out;
  out.particles = particles;
  out.replications = scenarios.front().front().replications;
  out.reps.assign(scenarios.size(), {});
  for (std::size_t g = 0; g < scenarios.size(); ++g) {
    out.first.push_back(scenarios[g].front());
    for (std::size_t d = 0; d < scenarios[g].size(); ++d) {
      RunOptions ro = options;
      ro.replications = out.replications;
      ro.first_replication = static_cast<int>(d) * out.replications;
      out.reps[g].push_back(run_replications(scenarios[g][d], ro));
    }
  }
  return out;
}

PosteriorRuns run_posterior(const std::string& scenario_path, const Posterior& posterior,
                            const std::vector<LoadOptions>& regimes, int draws,
                            const RunOptions& options) {
  const Scenario plain = load_scenario(scenario_path, regimes.front());
  const std::vector<int> particles = resample_posterior(posterior, draws, plain.seed);
  std::vector<std::vector<Scenario>> scenarios(regimes.size());
  for (std::size_t g = 0; g < regimes.size(); ++g) {
    for (int particle : particles) {
      LoadOptions lo = regimes[g];
      for (std::string& set : posterior_sets(posterior, particle)) lo.sets.push_back(set);
      scenarios[g].push_back(load_scenario(scenario_path, lo));
    }
  }
  return run_posterior_scenarios(scenarios, particles, options);
}

PosteriorSummary summarize_posterior(const std::vector<std::vector<double>>& values) {
  const double draws = static_cast<double>(values.size());
  std::vector<double> means;
  double within = 0, reps = 0;
  for (const std::vector<double>& v : values) {
    double m = 0;
    for (double x : v) m += x;
    m /= static_cast<double>(v.size());
    double s2 = 0;
    for (double x : v) s2 += (x - m) * (x - m);
    if (v.size() > 1) s2 /= static_cast<double>(v.size() - 1);
    within += s2;
    reps = static_cast<double>(v.size());
    means.push_back(m);
  }
  PosteriorSummary s;
  for (double m : means) s.mean += m;
  s.mean /= draws;
  double v = 0;
  for (double m : means) v += (m - s.mean) * (m - s.mean);
  v /= draws - 1;
  const double sim = within / draws / reps;
  s.sd_total = std::sqrt(v);
  s.sd_simulation = std::sqrt(sim);
  s.sd_parameter = std::sqrt(std::max(0.0, v - sim));
  s.low = s.mean - 1.96 * s.sd_total;
  s.high = s.mean + 1.96 * s.sd_total;
  s.mean_se = s.sd_total / std::sqrt(draws);
  return s;
}

std::string posterior_json(const std::vector<std::string>& names, const PosteriorRuns& runs,
                           const std::string& scenario, const std::string& posterior_dir) {
  ordered_json j;
  j["version"] = version();
  j["scenario"] = scenario;
  j["posterior"] = posterior_dir;
  j["draws"] = runs.particles.size();
  j["replications_per_draw"] = runs.replications;
  j["particles"] = runs.particles;
  j["interval_method"] = kPosteriorIntervalMethod;
  ordered_json regimes = ordered_json::object();
  for (std::size_t g = 0; g < runs.reps.size(); ++g) {
    regimes[names[g]] = metrics_value(runs.reps[g], nullptr);
  }
  j["regimes"] = regimes;
  ordered_json diff = ordered_json::object();
  for (std::size_t g = 1; g < runs.reps.size(); ++g) {
    diff[names[g] + " - " + names[0]] = metrics_value(runs.reps[g], &runs.reps[0]);
  }
  j["differences"] = diff;
  return json_document(j);
}

}  // namespace detsim
