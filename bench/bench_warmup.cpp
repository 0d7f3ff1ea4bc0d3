// Setup cost of `warmup_days: auto` (the warm-up length, computed before a
// run's first replication and again for every sweep point). The Illinois
// scenario has jail -> prison transfers, whose stays are a sum of two
// distributions. `Uncached` is the first computation for a stay mixture;
// `Cached` a later sweep point with the same stays. Nothing is asserted.
#include <benchmark/benchmark.h>

#include "detsim/load.hpp"
#include "experiment/warmup.hpp"

namespace {

using namespace detsim;

const Scenario& illinois() {
  static const Scenario s = load_scenario(DETSIM_SOURCE_DIR "/scenarios/illinois-2025.yaml");
  return s;
}

void BM_WarmupIllinoisUncached(benchmark::State& state) {
  double hours = 0;
  for (auto _ : state) benchmark::DoNotOptimize(hours = warmup_hours_uncached(illinois()));
  state.counters["warmup_days"] = hours / 24.0;
}
BENCHMARK(BM_WarmupIllinoisUncached)->Unit(benchmark::kMillisecond);

void BM_WarmupIllinoisCached(benchmark::State& state) {
  double hours = 0;
  for (auto _ : state) benchmark::DoNotOptimize(hours = warmup_hours(illinois()));
  state.counters["warmup_days"] = hours / 24.0;
}
BENCHMARK(BM_WarmupIllinoisCached)->Unit(benchmark::kMicrosecond);

}  // namespace
