// Sweep throughput: 40 points of the default scenario (a 30-day horizon
// after a 10-day warm-up, 2 replications each) on 1 and 2 threads, through the sweep's own pool;
// no file is written. Figures are quoted in notes with the machine.
//
//   build/release/bench/detsim_bench --benchmark_filter=Sweep
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "sweep/plan.hpp"
#include "sweep/run.hpp"
#include "sweep_bench.hpp"

namespace {

using namespace detsim;
using detsim::bench::run_sweep_benchmark;

// 5 x 4 x 2 = 40 points.
const SweepInputs& bench_sweep() {
  static const SweepInputs in = [] {
    const auto dir = std::filesystem::temp_directory_path() / "detsim-bench-sweep";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "sweep.yaml") << "base: " DETSIM_SOURCE_DIR
                                         "/scenarios/county-jail.yaml\n"
                                         "replications: 2\n"
                                         "seed: 1\n"
                                         "parameters:\n"
                                         "  horizon_days: [30]\n"
                                         "  warmup_days: [10]\n"
                                         "  ice.pickup.teams: [null, 1, 2, 3, 4]\n"
                                         "  ice.pickup.delay.median_hours: [6, 12, 24, 48]\n"
                                         "  ice.pickup.discipline: [fifo, edf]\n"
                                         "metrics: [honored, lapsed, released_despite_detainer]\n";
    return read_sweep_inputs((dir / "sweep.yaml").string());
  }();
  return in;
}

void BM_Sweep(benchmark::State& state) {
  const SweepInputs& in = bench_sweep();
  const std::int64_t points = run_sweep_benchmark(state, in);
  state.counters["points/s"] = benchmark::Counter(double(points), benchmark::Counter::kIsRate);
  state.counters["replications/s"] =
      benchmark::Counter(double(points * in.sweep.replications), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Sweep)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
