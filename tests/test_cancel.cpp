// Cancelling runs and comparisons, and the compare progress callback.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

#include "detsim/compare.hpp"
#include "detsim/run.hpp"
#include "support.hpp"

using namespace detsim;
using detsim::testing::basic_scenario;

TEST_CASE("A run whose cancel flag is set starts no replication and throws Cancelled") {
  Scenario s = basic_scenario();
  std::atomic<bool> cancel{true};
  std::atomic<int> started{0};
  RunOptions o;
  o.replications = 8;
  o.threads = 2;
  o.cancel = &cancel;
  o.done = [&](int) { ++started; };
  REQUIRE_THROWS_AS(run_replications(s, o), Cancelled);
  CHECK(started == 0);
}

TEST_CASE("A run cancelled after its first replication stops before the last") {
  Scenario s = basic_scenario();
  std::atomic<bool> cancel{false};
  std::atomic<int> finished{0};
  RunOptions o;
  o.replications = 50;
  o.threads = 1;
  o.cancel = &cancel;
  o.done = [&](int) {
    ++finished;
    cancel = true;
  };
  REQUIRE_THROWS_AS(run_replications(s, o), Cancelled);
  CHECK(finished == 1);
}

TEST_CASE("Compare reports progress over all regimes' replications, in order of completion") {
  Scenario a = basic_scenario();
  a.replications = 3;
  Scenario b = a;
  std::mutex mu;
  std::vector<std::pair<int, int>> calls;
  CompareOptions o;
  o.threads = 2;
  o.progress = [&](int done, int total) {
    std::lock_guard<std::mutex> lock(mu);
    calls.emplace_back(done, total);
  };
  compare_regimes({{"a", a}, {"b", b}}, o);
  REQUIRE(calls.size() == 6);
  int highest = 0;
  for (const auto& [done, total] : calls) {
    CHECK(total == 6);
    highest = std::max(highest, done);
  }
  CHECK(highest == 6);
}
