// --precision on a scenario whose variance is known: counts are Poisson, so
// the relative CI half-width of a metric with mean mu after n replications
// is about t / sqrt(n mu), and the replications needed for a target `rel`
// are n* = (t / rel)^2 / mu.
#include <catch2/catch.hpp>
#include <cmath>

#include "detsim/run.hpp"
#include "detsim/stats.hpp"
#include "support.hpp"

using namespace detsim;
using namespace detsim::testing;

TEST_CASE(
    "precision control stops at the expected doubling step and never before the CI is narrow "
    "enough",
    "[slow]") {
  Scenario s = basic_scenario();
  s.horizon_days = 30;
  s.warmup_auto = false;
  s.warmup_days = 15;
  // Lapses are the rarest headline count here: find their mean, then aim
  // the target so that n* sits midway (geometrically) between the checks at
  // 80 and 160. At 80 the half-width is then ~1.19x the target and at 160
  // ~0.84x: more than two standard errors of the sample sd from the line
  // either side (its relative sd is about 1/sqrt(2(n-1))).
  RunOptions pilot;
  pilot.replications = 40;
  pilot.first_replication = 10000;  // independent of the run below
  double lapsed = 0;
  for (const auto& r : run_replications(s, pilot)) lapsed += r.total[index(Metric::lapsed)];
  const double mu = lapsed / 40;
  REQUIRE(mu > 100);
  const double n_star = 80 * std::sqrt(2.0);
  const double rel = t_quantile_95(static_cast<int>(n_star) - 1) / std::sqrt(n_star * mu);

  const PrecisionRun run = run_to_precision(s, rel, 10000, RunOptions{});
  CHECK(run.reached);
  CHECK(run.reps.size() == 160);
  CHECK(precise_enough(run.reps, rel));
  const std::vector<ReplicationMetrics> half(run.reps.begin(), run.reps.begin() + 80);
  CHECK_FALSE(precise_enough(half, rel));

  SECTION("the answer does not depend on the thread count") {
    RunOptions one;
    one.threads = 1;
    const PrecisionRun again = run_to_precision(s, rel, 10000, one);
    REQUIRE(again.reps.size() == run.reps.size());
    CHECK(again.reps.back().total == run.reps.back().total);
  }
  SECTION("it stops at --max-reps without reaching the target") {
    const PrecisionRun capped = run_to_precision(s, rel / 10, 50, RunOptions{});
    CHECK_FALSE(capped.reached);
    CHECK(capped.reps.size() == 50);  // checks at 10, 20, 40, then the cap
  }
}
