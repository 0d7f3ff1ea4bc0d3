// `warmup_days: stationary` against `auto`: one replication of the Illinois
// scenario (jail -> prison transfers, years of prison stays behind its
// window) and of the default scenario, on one thread; a 200-point sweep of
// the Illinois scenario whose points change its prison stays (so every
// point needs its own warm-up and stock envelope) on 1 and 2 threads; peak
// memory over 1 and 10 years. Figures are quoted in notes with the
// machine; nothing is asserted.
//
//   build/release/bench/detsim_bench --benchmark_filter=Stationary
#include <benchmark/benchmark.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "detsim/load.hpp"
#include "detsim/run.hpp"
#include "model/simulation.hpp"
#include "sweep/plan.hpp"
#include "sweep/run.hpp"
#include "sweep_bench.hpp"

namespace {

using namespace detsim;
using detsim::bench::run_sweep_benchmark;

Scenario with_warmup(const char* file, bool stationary) {
  Scenario s = load_scenario(std::string(DETSIM_SOURCE_DIR "/scenarios/") + file);
  s.warmup_auto = !stationary;
  s.warmup_stationary = stationary;
  return s;
}

// One replication per iteration (the warm-up length computed once, as a
// run does); counters: bookings simulated and the stock drawn.
void one_replication(benchmark::State& state, const Scenario& sc) {
  std::uint64_t bookings = 0, stock = 0, candidates = 0;
  int rep = 0;
  for (auto _ : state) {
    Simulation sim(sc, rep++, nullptr);
    benchmark::DoNotOptimize(sim.run());
    bookings += sim.bookings_simulated();
    stock += sim.stock_size();
    candidates += sim.stock_candidates();
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["bookings/rep"] = static_cast<double>(bookings) / n;
  state.counters["stock/rep"] = static_cast<double>(stock) / n;
  state.counters["candidates/rep"] = static_cast<double>(candidates) / n;
}

void BM_StationaryIllinois(benchmark::State& state) {
  static const Scenario st = with_warmup("illinois-2025.yaml", true);
  static const Scenario au = with_warmup("illinois-2025.yaml", false);
  one_replication(state, state.range(0) ? st : au);
}
BENCHMARK(BM_StationaryIllinois)
    ->ArgName("stationary")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

void BM_StationaryDefault(benchmark::State& state) {
  static const Scenario st = with_warmup("county-jail.yaml", true);
  static const Scenario au = with_warmup("county-jail.yaml", false);
  one_replication(state, state.range(0) ? st : au);
}
BENCHMARK(BM_StationaryDefault)
    ->ArgName("stationary")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

// 200 points: 20 prison stays (the violent felonies' transfer_stay median)
// x 10 pickup delays, one replication of a 30-day window each. The first
// iteration pays for every point's warm-up and envelope; the points/s
// counter is over all iterations.
const SweepInputs& transfer_sweep(bool stationary) {
  const auto make = [](bool st) {
    const auto dir = std::filesystem::temp_directory_path() /
                     (st ? "detsim-bench-sweep-st" : "detsim-bench-sweep-auto");
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "sweep.yaml")
        << "base: " DETSIM_SOURCE_DIR "/scenarios/illinois-2025.yaml\n"
        << "replications: 1\nseed: 1\nparameters:\n"
        << "  horizon_days: [30]\n"
        << "  warmup_days: [" << (st ? "stationary" : "auto") << "]\n"
        << "  offenses.violent-felony.transfer_stay.median_days: {min: 700, max: 1080, steps: 20}\n"
        << "  ice.pickup.delay.median_hours: {min: 6, max: 60, steps: 10}\n"
        << "metrics: [honored, declined, released_despite_detainer]\n";
    return read_sweep_inputs((dir / "sweep.yaml").string());
  };
  static const SweepInputs st = make(true), au = make(false);
  return stationary ? st : au;
}

void BM_StationaryTransferSweep(benchmark::State& state) {
  const SweepInputs& in = transfer_sweep(true);
  const std::int64_t points = run_sweep_benchmark(state, in);
  state.counters["points"] = static_cast<double>(in.sweep.points.size());
  state.counters["points/s"] =
      benchmark::Counter(static_cast<double>(points), benchmark::Counter::kIsRate);
}
// Time: wall clock; CPU: the whole process's (every worker thread), so that
// on a busy machine CPU / points is the cost of a point.
BENCHMARK(BM_StationaryTransferSweep)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// The replication alone of a point of that sweep (its base scenario with a
// 30-day window), so that ms/point minus this is the per-point overhead.
void BM_StationaryTransferPointAlone(benchmark::State& state) {
  static const Scenario sc = [] {
    Scenario s = with_warmup("illinois-2025.yaml", true);
    s.horizon_days = 30;
    return s;
  }();
  one_replication(state, sc);
}
BENCHMARK(BM_StationaryTransferPointAlone)->Unit(benchmark::kMillisecond);

// Peak memory (max RSS of a child process) of one replication of the
// default scenario under `stationary`, 1 and 10 years of window.
void BM_StationaryHorizonMemory(benchmark::State& state) {
  const int years = static_cast<int>(state.range(0));
  long max_rss_kb = 0;
  for (auto _ : state) {
    const pid_t pid = fork();
    if (pid == 0) {
      Scenario sc = with_warmup("county-jail.yaml", true);
      sc.horizon_days = 365 * years;
      simulate(sc, 0, nullptr);
      _exit(0);
    }
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    max_rss_kb = usage.ru_maxrss;
  }
  state.counters["max_rss_MB"] = static_cast<double>(max_rss_kb) / 1024.0;
}
BENCHMARK(BM_StationaryHorizonMemory)
    ->Arg(1)
    ->Arg(10)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
