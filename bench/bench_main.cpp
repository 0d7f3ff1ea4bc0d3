// Benchmarks (Google Benchmark). Figures are quoted in notes with the
// machine; nothing here is asserted.
//
//   build/release/bench/detsim_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "detsim/load.hpp"
#include "detsim/run.hpp"
#include "engine/event_queue.hpp"
#include "model/events.hpp"
#include "model/simulation.hpp"
#include "report/ordered_csv.hpp"
#include "engine/rng.hpp"

namespace {

using namespace detsim;

const Scenario& default_scenario() {
  static const Scenario s = load_scenario(DETSIM_SOURCE_DIR "/scenarios/county-jail.yaml");
  return s;
}

// One replication of `sc` per iteration, with the counters of both
// scenario benchmarks.
void run_scenario(benchmark::State& state, const Scenario& sc) {
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
  // Of them, those that went through the queue (releases, notices, pickups,
  // deadlines, moves): events without the bookings.
  state.counters["queued_events/s"] =
      benchmark::Counter(double(events - bookings), benchmark::Counter::kIsRate);
  state.counters["bookings/s"] = benchmark::Counter(double(bookings), benchmark::Counter::kIsRate);
  state.counters["ns/booking"] = benchmark::Counter(
      double(bookings), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["bookings/rep"] = double(bookings) / state.iterations();
  state.counters["people_slots"] = double(pending);
}

// One replication of the default scenario, warm-up included.
void BM_DefaultScenario(benchmark::State& state) {
  run_scenario(state, default_scenario());
}
BENCHMARK(BM_DefaultScenario)->Unit(benchmark::kMillisecond);

// A crowded hour: 200,000 bookings a day with 30-minute stays, so most
// releases join the hour being served. Guards the calendar queue against a
// quadratic current bucket.
void BM_CrowdedHour(benchmark::State& state) {
  static const Scenario sc = load_scenario_text(R"(name: crowded
start: 2025-01-01
horizon_days: 2
warmup_days: 0
offenses:
  - {id: a, share: 1, severity: other, pretrial_release: 1,
     pretrial_stay: {dist: fixed, hours: 0.5}, sentenced_stay: {dist: fixed, hours: 1}}
ice:
  lodge_probability: {other: 0}
  lodge_delay: {dist: fixed, hours: 1}
  pickup: {delay: {dist: fixed, hours: 1}}
state: {policy: cooperative}
facilities:
  - {id: jail, bookings_per_day: 200000}
)",
                                                "crowded.yaml");
  run_scenario(state, sc);
}
BENCHMARK(BM_CrowdedHour)->Unit(benchmark::kMillisecond);

// A bare event loop: the same heap, `pending` events, each pop pushing one
// event an exponential draw later.
void BM_BareEventLoop(benchmark::State& state) {
  const auto pending = static_cast<std::uint32_t>(state.range(0));
  EventQueue q;
  Stream s(1, 0, 0, Purpose::kStay, 0);
  for (std::uint32_t i = 0; i < pending; ++i)
    q.push(-std::log(s.uniform()) * 100, priority(EventKind::kRelease), i, 0);
  std::uint64_t events = 0;
  for (auto _ : state) {
    for (int i = 0; i < 1000; ++i) {
      const Event e = q.pop();
      q.push(e.time - std::log(s.uniform()) * 100, priority(EventKind::kRelease), e.slot, 0);
    }
    events += 1000;
  }
  state.counters["events/s"] = benchmark::Counter(double(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BareEventLoop)->Arg(2000)->Arg(10000);

// Peak memory (max RSS of a child process) of one replication of the default
// scenario with the trace and the daily series on, as the horizon grows:
// memory should follow the people in custody, not the horizon.
void BM_HorizonMemory(benchmark::State& state) {
  const int years = static_cast<int>(state.range(0));
  long max_rss_kb = 0;
  double trace_mb = 0;
  for (auto _ : state) {
    const std::string dir = "/tmp/detsim-bench-memory";
    std::filesystem::create_directories(dir);
    const pid_t pid = fork();
    if (pid == 0) {
      Scenario sc = default_scenario();
      sc.horizon_days = 365 * years;
      OrderedCsv trace(dir + "/trace.csv", OrderedCsv::Kind::kTrace, sc, 0);
      OrderedCsv series(dir + "/series.csv", OrderedCsv::Kind::kSeries, sc, 0);
      struct Both : Observer {
        std::unique_ptr<Observer> t, s;
        bool wants_trace() const override { return true; }
        bool wants_series() const override { return true; }
        void on_person(const TraceRecord& r) override { t->on_person(r); }
        void on_day(const SeriesRecord& r) override { s->on_day(r); }
      };
      {
        Both both;
        both.t = trace.observer(0);
        both.s = series.observer(0);
        simulate(sc, 0, &both);
      }
      trace.finish(0);
      series.finish(0);
      trace.commit();
      series.commit();
      _exit(0);
    }
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    max_rss_kb = usage.ru_maxrss;
    trace_mb = static_cast<double>(std::filesystem::file_size(dir + "/trace.csv")) / 1e6;
    std::filesystem::remove_all(dir);
  }
  state.counters["max_rss_MB"] = static_cast<double>(max_rss_kb) / 1024.0;
  state.counters["trace_MB"] = trace_mb;
}
BENCHMARK(BM_HorizonMemory)->Arg(1)->Arg(10)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
