// Comparing regimes on the same people (`detsim compare`): paired
// differences, their exactness on identical regimes, the gain in precision
// from common random numbers, and the command's outputs.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "cli_support.hpp"
#include "detsim/compare.hpp"
#include "detsim/load.hpp"
#include "detsim/stats.hpp"
#include "support.hpp"

using namespace detsim;
using namespace detsim::testing;
using Catch::Matchers::Contains;

namespace {

// The basic scenario under preset `policy` (an index of basic_scenario's
// policies), `reps` replications.
Regime basic_regime(const std::string& name, int policy, int reps) {
  Scenario s = basic_scenario();
  s.horizon_days = 30;
  s.replications = reps;
  s.facilities[0].policy = policy;
  return {name, s};
}

void check_all_zero(const MetricDifferences& d) {
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    INFO(kMetricNames[m]);
    CHECK(d[m].summary.mean == 0);
    CHECK(d[m].summary.sd == 0);
    CHECK(d[m].summary.ci_low == 0);
    CHECK(d[m].summary.ci_high == 0);
    CHECK((d[m].relative == 0 || std::isnan(d[m].relative)));
  }
}

double half_width(double sd, int n) {
  return t_quantile_95(n - 1) * sd / std::sqrt(n);
}

}  // namespace

TEST_CASE("repeated regime names get #2, #3 and never collide with a given name") {
  CHECK(regime_names({"a", "a", "b", "a"}) == std::vector<std::string>{"a", "a#2", "b", "a#3"});
  CHECK(regime_names({"a", "a", "a#2"}) == std::vector<std::string>{"a", "a#3", "a#2"});
  CHECK(regime_names({"x", "y"}) == std::vector<std::string>{"x", "y"});
}

TEST_CASE("comparing a regime with itself gives exactly zero differences everywhere") {
  const Comparison c =
      compare_regimes({basic_regime("cooperative", 0, 6), basic_regime("cooperative#2", 0, 6)});
  REQUIRE(c.differences.size() == 1);
  check_all_zero(c.differences[0].total);
  REQUIRE(c.differences[0].facilities.size() == 1);
  check_all_zero(c.differences[0].facilities[0].metrics);
  REQUIRE(c.differences[0].offenses.size() == 1);
  check_all_zero(c.differences[0].offenses[0].metrics);
  CHECK(c.runs[0].summary.total[index(Metric::honored)].mean > 0);
}

TEST_CASE("cooperative honors at least as many detainers as sanctuary in every replication") {
  const Comparison c =
      compare_regimes({basic_regime("cooperative", 0, 8), basic_regime("sanctuary", 1, 8)});
  const auto& a = c.runs[0].reps;
  const auto& b = c.runs[1].reps;
  REQUIRE(a.size() == 8);
  for (std::size_t r = 0; r < a.size(); ++r) {
    CHECK(a[r].total[index(Metric::honored)] >= b[r].total[index(Metric::honored)]);
    CHECK(b[r].total[index(Metric::honored)] == 0);
    // The same people: decisions are the same, only the action differs.
    CHECK(a[r].total[index(Metric::decisions)] == b[r].total[index(Metric::decisions)]);
  }
  const Difference& honored = c.differences[0].total[index(Metric::honored)];
  CHECK(honored.relative == -1);
  CHECK(honored.summary.mean == -c.runs[0].summary.total[index(Metric::honored)].mean);
}

TEST_CASE(
    "paired confidence intervals are narrower than unpaired ones: cooperative vs notify-only") {
  // The shipped scenario, shortened. When one regime's events are a subset
  // of the other's on the same people (notify-only's transfers are among
  // cooperative's; cooperative's lapses are among notify-only's releases),
  // the paired variance is |E[A] - E[B]| and the unpaired E[A] + E[B]
  // (Poisson counts), so the ratio of half-widths is about
  // sqrt(|a - b| / (a + b)): 0.76 for transfers, 0.89 for releases despite a
  // detainer here.
  LoadOptions lo;
  lo.sets = {"horizon_days=120", "warmup_days=120", "replications=60"};
  std::vector<Regime> regimes;
  for (const char* policy : {"cooperative", "notify-only"}) {
    lo.policy_override = policy;
    regimes.push_back({policy, load_scenario(source_path("scenarios/county-jail.yaml"), lo)});
  }
  const Comparison c = compare_regimes(std::move(regimes));
  const int n = static_cast<int>(c.baseline().reps.size());
  for (const auto& [metric, bound] :
       {std::pair{Metric::transfers, 0.85}, std::pair{Metric::released_despite_detainer, 0.97}}) {
    const double s1 = c.runs[0].summary.total[index(metric)].sd;
    const double s2 = c.runs[1].summary.total[index(metric)].sd;
    const Summary& d = c.differences[0].total[index(metric)].summary;
    const double paired = d.ci_high - d.mean;
    const double unpaired = t_quantile_95(n - 1) * std::sqrt(s1 * s1 / n + s2 * s2 / n);
    CHECK_THAT(paired, Catch::Matchers::WithinRel(half_width(d.sd, n), 1e-12));
    const double ratio = paired / unpaired;
    WARN("county-jail, cooperative vs notify-only, "
         << n << " replications: " << kMetricNames[index(metric)]
         << " paired/unpaired CI half-width = " << ratio);
    CHECK(ratio < bound);
  }
}

TEST_CASE("regimes that would not see the same people are refused") {
  Regime a = basic_regime("a", 0, 4), b = basic_regime("b", 1, 4);
  SECTION("different seeds") {
    b.scenario.seed += 1;
  }
  SECTION("different replication counts") {
    b.scenario.replications = 5;
  }
  SECTION("a repeated name") {
    b.name = "a";
  }
  CHECK_THROWS_AS((compare_regimes({a, b})), std::invalid_argument);
  CHECK_THROWS_AS((compare_regimes({a})), std::invalid_argument);
}

TEST_CASE("the compare JSON has the contract's baseline, regimes and differences") {
  const Comparison c =
      compare_regimes({basic_regime("cooperative", 0, 3), basic_regime("notify-only", 2, 3)});
  const nlohmann::json j = nlohmann::json::parse(compare_json(c));
  CHECK(j["baseline"] == "cooperative");
  CHECK(j.contains("version"));
  CHECK(j["regimes"].size() == 2);
  CHECK(j["regimes"]["notify-only"]["metrics"]["notified"]["mean"].get<double>() > 0);
  const auto& honored = j["differences"]["notify-only"]["honored"];
  for (const char* key : {"mean", "sd", "ci95", "relative"}) CHECK(honored.contains(key));
  CHECK(honored["relative"] == -1.0);
  CHECK(j["differences"]["notify-only"]["declined"]["relative"].is_null());  // baseline mean 0
  CHECK(j["facility_differences"]["notify-only"]["jail"].contains("honored"));
  CHECK_FALSE(j["differences"].contains("cooperative"));
}

TEST_CASE("compare's CSV files have one row per regime, replication, slice and metric") {
  const Comparison c =
      compare_regimes({basic_regime("cooperative", 0, 2), basic_regime("sanctuary", 1, 2)});
  const std::string metrics = compare_metrics_csv(c);
  CHECK(metrics.rfind("regime,replication,facility,offense,metric,value\n", 0) == 0);
  CHECK_THAT(metrics, Contains("\nsanctuary,1,all,all,declined,"));
  const std::string differences = compare_differences_csv(c);
  CHECK(differences.rfind(
            "regime,facility,offense,metric,n,mean,sd,ci_low,ci_high,relative,relative_note\n",
            0) == 0);
  CHECK_THAT(differences, Contains("\nsanctuary,all,all,honored,2,"));
  CHECK_THAT(differences, Contains("\nsanctuary,jail,all,honored,2,"));
}

TEST_CASE("detsim compare prints JSON, writes its folder and rejects a single regime") {
  const std::string scenario = source_path("scenarios/county-jail.yaml");
  const std::string small = " --reps 3 --set horizon_days=20 --set warmup_days=10";
  const auto r = run_detsim("compare " + scenario + " --policy cooperative --policy sanctuary" +
                            small + " --json");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["baseline"] == "cooperative");
  CHECK(j["regimes"].contains("sanctuary"));
  CHECK(j["differences"]["sanctuary"]["honored"].contains("ci95"));

  SECTION("two files: named by scenario, a repeat gets #2, differences exactly zero") {
    const auto f = run_detsim("compare " + scenario + " " + scenario + small + " --json");
    REQUIRE(f.exit_code == 0);
    const auto jf = nlohmann::json::parse(f.out);
    CHECK(jf["baseline"] == "county-jail");
    CHECK(jf["differences"]["county-jail#2"]["honored"]["mean"] == 0.0);
  }
  SECTION("--out writes compare.json, metrics.csv and differences.csv") {
    const std::string dir = fresh_dir("compare-out");
    const auto o = run_detsim("compare " + scenario + " --policy cooperative --policy notify-only" +
                              small + " --out " + dir + "/results");
    REQUIRE(o.exit_code == 0);
    CHECK_THAT(o.out, Contains("notify-only - cooperative"));
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir + "/results")) {
      ++files;
      (void)entry;
    }
    CHECK(files == 4);
    for (const char* file : {"compare.json", "metrics.csv", "differences.csv", "manifest.json"})
      CHECK(std::filesystem::exists(dir + "/results/" + file));
  }
  SECTION("one regime is a usage error") {
    const auto bad = run_detsim("compare " + scenario + " --policy cooperative" + small);
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Contains("two or more regimes"));
    CHECK(bad.out.empty());
  }
}
