// `detsim run|compare ... --posterior DIR [--draws N]`: the scenario run
// across posterior draws of a calibration; intervals combine parameter and
// simulation uncertainty (see PosteriorSummary in detsim/calibrate.hpp).
#include "cli/posterior.hpp"

#include <fmt/format.h>

#include <iostream>

#include "calibrate/result.hpp"
#include "cli/signals.hpp"
#include "detsim/calibrate.hpp"

namespace detsim::cli {
namespace {

using Draws = std::vector<std::vector<ReplicationMetrics>>;

void print_table(const std::string& title, const std::vector<std::vector<ReplicationMetrics>>& reps,
                 const std::vector<std::vector<ReplicationMetrics>>* minus) {
  fmt::print("{}\n  {:<44} {:>12} {:>25} {:>12} {:>12}\n", title, "metric", "mean", "95% interval",
             "sd param", "sd sim");
  for (Metric m : kHeadlineMetrics) {
    const PosteriorSummary s = summarize_posterior(posterior_metric_values(reps, m, minus));
    fmt::print("  {:<44} {:>12.6g} {:>25} {:>12.4g} {:>12.4g}\n", kMetricNames[index(m)], s.mean,
               fmt::format("[{:.6g}, {:.6g}]", s.low, s.high), s.sd_parameter, s.sd_simulation);
  }
}

}  // namespace

int posterior_command(const std::string& scenario_path, const std::vector<std::string>& names,
                      const std::vector<LoadOptions>& regimes, const std::string& dir, int draws,
                      int threads, bool json) {
  if (draws < 2) throw UsageError{"--draws must be at least 2"};
  const Posterior posterior = read_posterior(dir);
  RunOptions ro;
  ro.threads = threads;
  const StopSignals signals;
  ro.cancel = &StopSignals::flag();
  PosteriorRuns runs;
  try {
    runs = run_posterior(scenario_path, posterior, regimes, draws, ro);
  } catch (const Cancelled&) {
    fmt::print(stderr, "detsim: stopped by signal {}; no output written\n", signals.received());
    return 128 + signals.received();
  }
  if (runs.replications < 2) {
    throw UsageError{"--posterior needs at least 2 replications per draw (--reps)"};
  }
  if (!json) {
    fmt::print("{} across {} posterior draws from {} ({} replications each)\n",
               runs.first.front().name, draws, dir, runs.replications);
    for (std::size_t g = 0; g < regimes.size(); ++g) {
      print_table(names.size() > 1 ? "regime " + names[g] : std::string("metrics"), runs.reps[g],
                  nullptr);
    }
    for (std::size_t g = 1; g < regimes.size(); ++g) {
      print_table(fmt::format("difference {} - {} (paired within each draw)", names[g], names[0]),
                  runs.reps[g], &runs.reps[0]);
    }
    fmt::print("intervals: {}\n", kPosteriorIntervalMethod);
    return 0;
  }
  std::cout << posterior_json(names, runs, scenario_path, dir);
  return 0;
}

}  // namespace detsim::cli
