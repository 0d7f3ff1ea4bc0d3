// Calibration: the default scenario (one county jail, a year) over four
// parameters with a budget of 20,000 simulations, on 2 threads, with 500
// and with 2,500 particles; one iteration each, no file written. The
// targets are the scenario's own means at its shipped values
// (`detsim run scenarios/county-jail.yaml --reps 8`:
// 842 detainers lodged, 838.5 honored, 70.4 lapsed), so the calibration
// works towards a real posterior rather than an unreachable figure.
//
//   build/release/bench/detsim_bench --benchmark_filter=Calibrate
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "detsim/calibrate.hpp"

namespace {

using namespace detsim;

std::string bench_calibration(int particles) {
  const auto dir = std::filesystem::temp_directory_path() / "detsim-bench-calibrate";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / ("calibration-" + std::to_string(particles) + ".yaml")).string();
  std::ofstream(path) << "base: " DETSIM_SOURCE_DIR
                         "/scenarios/county-jail.yaml\n"
                         "seed: 1\n"
                         "particles: "
                      << particles
                      << "\n"
                         "budget: 20000\n"
                         "parameters:\n"
                         "  population.noncitizen_share: {min: 0.02, max: 0.2}\n"
                         "  ice.match_probability: {min: 0.6, max: 1.0}\n"
                         "  ice.lodge_delay.median_hours: {min: 4, max: 96, log: true}\n"
                         "  ice.pickup.delay.median_hours: {min: 4, max: 96, log: true}\n"
                         "targets:\n"
                         "  - {metric: detainers_lodged, observed: 842, sd: 40}\n"
                         "  - {metric: honored, observed: 838, sd: 40}\n"
                         "  - {metric: lapsed, observed: 70, sd: 10}\n";
  return path;
}

void BM_Calibrate(benchmark::State& state) {
  const CalibrationPlan plan(bench_calibration(static_cast<int>(state.range(1))));
  std::int64_t simulations = 0;
  for (auto _ : state) {
    CalibrateOptions options;
    options.threads = static_cast<int>(state.range(0));
    const CalibrationResult r = run_calibration(plan, options);
    simulations += r.simulations;
    state.counters["rounds"] = static_cast<double>(r.rounds.size());
    state.counters["converged"] = r.converged ? 1 : 0;
  }
  state.counters["simulations"] = static_cast<double>(simulations);
  state.counters["simulations/s"] =
      benchmark::Counter(static_cast<double>(simulations), benchmark::Counter::kIsRate);
}
// 500 particles converge well inside the budget; 2,500 particles (at most
// seven rounds and the predictive check) spend most of it.
BENCHMARK(BM_Calibrate)
    ->ArgNames({"threads", "particles"})
    ->Args({2, 500})
    ->Args({2, 2500})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace
