// Benchmarks (Google Benchmark). Figures are quoted in notes with the
// machine; nothing here is asserted.
//
//   build/release/bench/detsim_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "detsim/load.hpp"
#include "detsim/run.hpp"
#include "event_queue.hpp"
#include "model.hpp"
#include "rng.hpp"

namespace {

using namespace detsim;

const Scenario& default_scenario() {
  static const Scenario s = load_scenario(DETSIM_SOURCE_DIR "/scenarios/county-jail.yaml");
  return s;
}

// One replication of the default scenario, warm-up included.
void BM_DefaultScenario(benchmark::State& state) {
  const Scenario& sc = default_scenario();
  std::uint64_t events = 0, bookings = 0;
  std::size_t pending = 0;
  int rep = 0;
  for (auto _ : state) {
    Simulation sim(sc, rep++, nullptr);
    benchmark::DoNotOptimize(sim.run());
    events += sim.events_processed();
    bookings += sim.bookings_simulated();
    pending = sim.people_slots();
  }
  state.counters["events/s"] = benchmark::Counter(double(events), benchmark::Counter::kIsRate);
  state.counters["bookings/s"] =
      benchmark::Counter(double(bookings), benchmark::Counter::kIsRate);
  state.counters["ns/booking"] = benchmark::Counter(
      double(bookings), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["bookings/rep"] = double(bookings) / state.iterations();
  state.counters["people_slots"] = double(pending);
}
BENCHMARK(BM_DefaultScenario)->Unit(benchmark::kMillisecond);

// A bare event loop: the same heap, `pending` events, each pop pushing one
// event an exponential draw later.
void BM_BareEventLoop(benchmark::State& state) {
  const auto pending = static_cast<std::uint32_t>(state.range(0));
  EventQueue q;
  Stream s(1, 0, 0, Purpose::kStay, 0);
  for (std::uint32_t i = 0; i < pending; ++i)
    q.push(-std::log(s.uniform()) * 100, EventKind::kRelease, i, 0);
  std::uint64_t events = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i) {
      const Event e = q.pop();
      q.push(e.time - std::log(s.uniform()) * 100, EventKind::kRelease, e.slot, 0);
    }
    events += 1000;
  }
  state.counters["events/s"] = benchmark::Counter(double(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BareEventLoop)->Arg(2000)->Arg(10000);

}  // namespace

BENCHMARK_MAIN();
