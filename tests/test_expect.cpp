// `detsim expect` against the simulation, against closed forms, and its
// refusals of scenarios outside its assumptions.
//
// Tolerances. Every count checked here is a marked Poisson process: bookings
// are Poisson and each booking independently adds to the count or not, so
// the count's variance equals its mean, and the standard error of a mean
// over n replications is sqrt(mu / n) with mu the analytic expectation.
// hold_hours, mean_occupancy and extra_stay_bed_days are not counts: their standard error is the
// sample standard deviation over the replications over sqrt(n), with the
// Student t quantile (n - 1 degrees of freedom) at the family-wise level in
// place of the normal one. Each comparison is one check of the family of
// support.hpp (family-wise error 0.001, Bonferroni).
#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <cmath>

#include "cli_support.hpp"
#include "detsim/expect.hpp"
#include "detsim/load.hpp"
#include "detsim/run.hpp"
#include "engine/distributions.hpp"
#include "expect/math.hpp"
#include "expect_checks.hpp"
#include "expect_scenarios.hpp"

using namespace detsim;
using namespace detsim::testing;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

constexpr int kReplications = 30;

// The metrics compared in every scenario (12 checks per scenario).
const std::vector<Metric> kCompared = {Metric::decisions,
                                       Metric::honored,
                                       Metric::notified,
                                       Metric::declined,
                                       Metric::transfers_from_hold,
                                       Metric::lapsed,
                                       Metric::transfers_on_notice,
                                       Metric::released_despite_detainer,
                                       Metric::detainers_lodged,
                                       Metric::hold_hours,
                                       Metric::detainers_late,
                                       Metric::in_custody_at_end};

void check_scenario(const Scenario& sc, const std::vector<Metric>& extra) {
  std::vector<Metric> metrics = kCompared;
  metrics.insert(metrics.end(), extra.begin(), extra.end());
  check_against_expect(sc, kReplications, metrics);
}

}  // namespace

TEST_CASE("expect agrees with the simulated means of seven scenarios", "[slow]") {
  SECTION("lognormal draws, two jails honoring and notifying, citizens held in error") {
    check_scenario(lognormal_two_jails(), {Metric::citizens_held});
  }
  SECTION("exponential and gamma draws, a notice lead, rules with warrants and compliance") {
    check_scenario(rules_with_lead(), {});
  }
  SECTION("empirical stays and delays, a stay multiplier beyond the warm-up") {
    check_scenario(empirical_stretched(), {Metric::mean_occupancy});
  }
  SECTION("sanctuary with at-large arrests and a 287(g) jail, a fixed lodge delay") {
    check_scenario(sanctuary_and_287g(), {Metric::at_large_arrests, Metric::transferred_287g});
  }
  SECTION("a two-day warm-up, a fixed ICE response and a notice lead") {
    check_scenario(short_warmup_fixed_response(), {});
  }
  SECTION("booking rates by day of week and by month, a notice lead, at-large arrests") {
    check_scenario(weekly_and_seasonal(), {Metric::mean_occupancy, Metric::at_large_arrests,
                                           Metric::detainers_in_custody_at_end});
  }
  SECTION("stay multipliers by anticipated action, a weekly booking pattern, a 287(g) jail") {
    check_scenario(multipliers_by_action(),
                   {Metric::extra_stay_bed_days, Metric::mean_occupancy, Metric::transferred_287g,
                    Metric::detainers_in_custody_at_end});
  }
}

TEST_CASE("expect reproduces the closed forms of a lognormal cooperative jail to 1e-7") {
  // The closed forms of test_model_statistics.cpp, with a warm-up so long
  // that no stay outlasts it (P(S > W) below 1e-30).
  Scenario sc = basic_scenario();
  sc.warmup_auto = false;
  sc.warmup_days = 3000;
  const Facility& f = sc.facilities[0];
  const Offense& o = f.offenses[0];
  const double T = sc.horizon_hours(), L = sc.hold.limit_hours;
  const boost::math::normal n01;
  const double p_active =
      boost::math::cdf(n01, (std::log(o.pretrial_stay.a) - std::log(sc.ice.lodge_delay.a)) /
                                std::hypot(o.pretrial_stay.b, sc.ice.lodge_delay.b));
  const double rate = f.bookings_per_day / 24.0 * o.lodge_probability * p_active;
  const Distribution& r = sc.ice.pickup.delay;
  const double F = cdf(r, L), integral_F = L - (r.mean() - expected_excess(r, L));
  const Expectations e = expected_metrics(sc);
  const auto value = [&](Metric m) { return e.values.total[index(m)]; };
  CHECK_THAT(value(Metric::decisions), WithinRel(rate * T, 1e-7));
  CHECK_THAT(value(Metric::transfers_from_hold),
             WithinRel(rate * ((T - L) * F + integral_F), 1e-7));
  CHECK_THAT(value(Metric::lapsed), WithinRel(rate * (T - L) * (1 - F), 1e-7));
  CHECK_THAT(value(Metric::bookings), WithinRel(f.bookings_per_day * sc.horizon_days, 1e-12));
  // Little's law: people in custody at the end = booking rate x mean stay
  // (no holds past release lengthen it by more than the hold hours).
  const double hold_per_hour = value(Metric::hold_hours) / T;
  CHECK_THAT(value(Metric::in_custody_at_end),
             WithinRel(f.bookings_per_day / 24.0 * o.pretrial_stay.mean() + hold_per_hour, 1e-3));
}

TEST_CASE("expect's totals obey the identities of docs/metrics.md exactly") {
  for (const Scenario& sc : expect_scenarios()) {
    INFO(sc.name);
    const MetricValues v = expected_metrics(sc).values.total;
    const auto at = [&](Metric m) { return v[index(m)]; };
    const double scale = std::max(1.0, at(Metric::decisions)) * 1e-12;
    CHECK_THAT(at(Metric::decisions),
               WithinAbs(at(Metric::honored) + at(Metric::notified) + at(Metric::declined) +
                             at(Metric::transferred_287g),
                         scale));
    CHECK_THAT(at(Metric::honored), WithinAbs(at(Metric::transfers_from_hold) + at(Metric::lapsed) +
                                                  at(Metric::holds_open_at_end),
                                              scale));
    CHECK_THAT(at(Metric::transfers),
               WithinAbs(at(Metric::transfers_from_hold) + at(Metric::transfers_on_notice) +
                             at(Metric::transferred_287g),
                         scale));
    CHECK(at(Metric::holds_open_at_end) >= 0);
    CHECK(at(Metric::notices_open_at_end) >= 0);
    CHECK(at(Metric::hold_hours) <= at(Metric::honored) * 48 * (1 + 1e-12));
    // Without `recording:` the recorded metrics are the true ones.
    CHECK(at(Metric::released_despite_detainer_recorded) == at(Metric::released_despite_detainer));
    CHECK(at(Metric::detainers_active_recorded_at_end) == at(Metric::detainers_in_custody_at_end) +
                                                              at(Metric::holds_open_at_end) +
                                                              at(Metric::notices_open_at_end));
  }
}

TEST_CASE("partial moments of every distribution add up to its mean and expected excess") {
  using expect_detail::kInf;
  using expect_detail::Law;
  for (const Distribution& d :
       {lognormal_hours(20, 0.9), exponential_hours(12), gamma_hours(30, 1.7), gamma_hours(30, 0.3),
        fixed_hours(7), empirical_hours({3, 1, 3, 9}, {1, 2, 1, 0})}) {
    const Law law(d);
    const double split = d.mean() * 0.8;
    const double mean = law.expect({0, 1, 0}, -kInf, split) + law.expect({0, 1, 0}, split, kInf);
    CHECK_THAT(mean, WithinRel(d.mean(), 1e-12));
    CHECK_THAT(law.cdf(split), WithinAbs(cdf(d, split), 1e-14));
    CHECK_THAT(law.expect({-split, 1, 0}, split, kInf),
               WithinRel(expected_excess(d, split), 1e-10));
  }
}

TEST_CASE("expect refuses scenarios outside its assumptions, saying which value and why") {
  Scenario sc = lognormal_two_jails();
  std::string path;
  SECTION("limited ICE teams") {
    sc.ice.pickup.teams = 2;
    path = "ice.pickup.teams";
  }
  SECTION("ICE business hours") {
    sc.ice.pickup.business_hours = {true, 0x1f, 8, 18};
    path = "ice.pickup.business_hours";
  }
  SECTION("holds that skip weekends and holidays") {
    sc.hold.exclude_weekends_holidays = true;
    path = "detainer_hold.exclude_weekends_holidays";
  }
  SECTION("policy changes") {
    sc.policy_changes.push_back({sc.start + 10, 0, 1});
    path = "policy_changes";
  }
  SECTION("transfers between facilities") {
    sc.facilities[0].offenses[0].transfer_to = 1;
    sc.facilities[0].offenses[0].transfer_stay = fixed_hours(100);
    path = "offenses.violent.sentenced_transfer_to";
  }
  REQUIRE_THROWS_AS(expected_metrics(sc), InputError);
  CHECK_THROWS_WITH(expected_metrics(sc), Contains(path) && Contains("expect"));
}

TEST_CASE("expect accepts equal multipliers as a scaled constant booking rate") {
  Scenario sc = lognormal_two_jails();
  const double base = expected_metrics(sc).values.total[index(Metric::honored)];
  for (Facility& f : sc.facilities) f.day_of_week.fill(1.5);
  CHECK_THAT(expected_metrics(sc).values.total[index(Metric::honored)],
             WithinRel(1.5 * base, 1e-12));
}

TEST_CASE("detsim expect prints JSON of the contract's shape and exits 2 on a refusal", "[slow]") {
  const std::string scenario = source_path("scenarios/county-jail.yaml");
  const auto refused = run_detsim("expect " + scenario + " --set ice.pickup.teams=2");
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Contains("ice.pickup.teams"));
  CHECK(refused.out.empty());

  // The default scenario, with its weekend peak of bookings.
  const auto r = run_detsim("expect " + scenario + " --json");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["scenario"] == "county-jail");
  CHECK(j["metrics"]["honored"].get<double>() > 0);
  // 2025 has 52 weeks and one day (a Wednesday): 120 a day times the mean
  // multiplier of the days in the window.
  const double week = 4 * 1.0 + 1.1 + 1.2 + 1.1;
  CHECK(j["metrics"]["bookings"].get<double>() == Approx(120.0 * (52 * week + 1.0)));
  CHECK(j["facilities"]["county-jail"]["metrics"].contains("hold_hours"));
  CHECK_FALSE(j["metrics"].contains("max_hold_hours"));

  const auto table = run_detsim("expect " + scenario);
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Contains("honored") && Contains("released_despite_detainer"));
}
