// The golden run (after Box2D's determinism test): a fixed scenario that
// uses every feature of the model (tests/data/golden/golden.yaml), run
// through the library with a fixed seed, 3 replications, the daily series
// and the per-person trace. Its JSON (without the program's version),
// series and trace are hashed (FNV-1a, 64 bits, over the bytes) and compared
// with the values committed below: the same bytes `detsim run --json --out
// DIR --series --trace FILE` writes for this file.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "detsim/load.hpp"
#include "detsim/report.hpp"
#include "detsim/run.hpp"
#include "detsim/stats.hpp"
#include "report/ordered_csv.hpp"

using namespace detsim;
using namespace detsim::testing;

namespace {

// The committed hashes. A change of results on purpose (a model change, a
// new metric, a changed preset) must update them in a commit of its own
// that says what changed and why.
constexpr std::uint64_t kJsonHash = 0x199bba503c7b9e2f;
constexpr std::uint64_t kSeriesHash = 0x2da7aac6f0b137ed;
constexpr std::uint64_t kTraceHash = 0x38c79dbbc67ac5af;

std::uint64_t golden_hash(const std::string& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string hex(std::uint64_t v) {
  char buf[19];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// Sends trace records to one observer and series records to another.
struct Tee : Observer {
  std::unique_ptr<Observer> trace, series;
  bool wants_trace() const override { return true; }
  bool wants_series() const override { return true; }
  void on_person(const TraceRecord& r) override { trace->on_person(r); }
  void on_day(const SeriesRecord& r) override { series->on_day(r); }
};

void check_hash(const char* what, std::uint64_t actual, std::uint64_t expected) {
  INFO("The golden run's " << what << " hash is " << hex(actual) << ", committed " << hex(expected)
                           << ".\nIf results changed on purpose, update the hash in tests/"
                              "test_golden.cpp in a commit of its own that says why; "
                              "otherwise a change altered results that should not move.");
  CHECK(actual == expected);
}

}  // namespace

TEST_CASE("golden run: the JSON, series and trace of a fixed scenario match the committed hashes") {
  // Loaded from text with a relative name, so the resolved scenario in the
  // JSON does not depend on where the sources are.
  const std::string name = "tests/data/golden/golden.yaml";
  LoadOptions lo;
  lo.preset_dir = source_path("scenarios/policies");
  const Scenario scenario = load_scenario_text(read_text(source_path(name)), name, lo);
  REQUIRE(scenario.replications == 3);

  const std::string dir = fresh_dir("golden");
  const std::string trace_path = dir + "/trace.csv", series_path = dir + "/series.csv";
  std::vector<ReplicationMetrics> reps;
  {
    OrderedCsv trace(trace_path, OrderedCsv::Kind::kTrace, scenario, 0);
    OrderedCsv series(series_path, OrderedCsv::Kind::kSeries, scenario, 0);
    RunOptions ro;
    ro.threads = 2;
    ro.observer = [&](int rep) -> std::unique_ptr<Observer> {
      auto tee = std::make_unique<Tee>();
      tee->trace = trace.observer(rep);
      tee->series = series.observer(rep);
      return tee;
    };
    ro.done = [&](int rep) {
      trace.finish(rep);
      series.finish(rep);
    };
    reps = run_replications(scenario, ro);
    trace.commit();
    series.commit();
  }
  REQUIRE(reps.size() == 3);
  nlohmann::ordered_json j =
      nlohmann::ordered_json::parse(run_json(scenario, reps, summarize_run(reps)));
  j.erase("version");  // the program's version is not a result
  const std::string json = j.dump(2) + "\n";
  const std::string series = read_text(series_path), trace = read_text(trace_path);
  // Every feature shows in the results (else the run would guard less).
  const auto total = [&](Metric m) {
    return j["metrics"][std::string(kMetricNames[index(m)])]["mean"].get<double>();
  };
  CHECK(total(Metric::transfers_from_hold) > 0);
  CHECK(total(Metric::transfers_on_notice) > 0);
  CHECK(total(Metric::transferred_287g) > 0);
  CHECK(total(Metric::lapsed) > 0);
  CHECK(total(Metric::missed_notices) > 0);
  CHECK(total(Metric::at_large_arrests) > 0);
  CHECK(total(Metric::citizens_held) > 0);
  CHECK(total(Metric::ice_team_utilization) > 0);
  CHECK(total(Metric::over_capacity_hours) > 0);
  CHECK(series.size() > 1000);
  CHECK(trace.size() > 1000);

  check_hash("JSON", golden_hash(json), kJsonHash);
  check_hash("series", golden_hash(series), kSeriesHash);
  check_hash("trace", golden_hash(trace), kTraceHash);
  std::filesystem::remove_all(dir);
}
