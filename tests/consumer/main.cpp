// Runs a scenario through the installed detsim package, using only its
// public headers: load, run, summarize, write the run's JSON; then reads a
// sweep and runs its first point.
//
//   detsim_consumer SCENARIO.yaml SWEEP.yaml
#include <detsim/load.hpp>
#include <detsim/report.hpp>
#include <detsim/run.hpp>
#include <detsim/stats.hpp>
#include <detsim/sweep.hpp>

#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: detsim_consumer SCENARIO.yaml SWEEP.yaml\n");
    return 2;
  }
  try {
    detsim::LoadOptions load;
    load.preset_dir = DETSIM_PRESET_DIR;
    load.sets = {"replications=2", "horizon_days=30"};
    const detsim::Scenario scenario = detsim::load_scenario(argv[1], load);
    detsim::RunOptions run;
    run.threads = 1;
    const auto reps = detsim::run_replications(scenario, run);
    const detsim::RunSummary summary = detsim::summarize_run(reps);
    const std::string json = detsim::run_json(scenario, reps, summary);
    if (reps.size() != 2 || json.find("\"honored\"") == std::string::npos) {
      std::fprintf(stderr, "unexpected run results\n");
      return 1;
    }
    std::printf("%s: %zu replications, honored mean %.1f, declined mean %.1f\n",
                scenario.name.c_str(), reps.size(),
                summary.total[detsim::index(detsim::Metric::honored)].mean,
                summary.total[detsim::index(detsim::Metric::declined)].mean);

    const detsim::SweepPlan plan = detsim::load_sweep(argv[2]);
    const auto points = detsim::run_sweep_points(plan, {0}, 1);
    std::printf("sweep %s: %zu points, point 0 (%s): %zu replications x %zu metrics\n",
                plan.sweep().source.c_str(), plan.sweep().points.size(),
                plan.sweep().points[0].id.c_str(), points[0].values.size(),
                points[0].values.at(0).size());
    return 0;
  } catch (const detsim::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
