// Simulated means against closed-form expectations for a stationary,
// uncapacitated scenario (docs/model.md and docs/metrics.md).
//
// Tolerances: every count here is a thinned Poisson process observed over
// the window, so its variance equals its mean; the standard error of a mean
// over n replications is sqrt(mu / n). Each comparison is one check of the
// family of support.hpp (family-wise error 0.001, Bonferroni).
#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>
#include <cmath>

#include "detsim/run.hpp"
#include "engine/distributions.hpp"
#include "support.hpp"

using namespace detsim;
using namespace detsim::testing;

namespace {

struct Expected {
  double decisions, transfers_from_hold, lapsed;
};

// Lognormal D (lodge delay) before lognormal S (stay): ln D - ln S is normal.
double p_detainer_before_release(const Distribution& d, const Distribution& s) {
  const boost::math::normal n01;
  return boost::math::cdf(n01, (std::log(s.a) - std::log(d.a)) / std::hypot(s.b, d.b));
}

Expected expected_cooperative(const Scenario& sc) {
  const Facility& f = sc.facilities[0];
  const Offense& o = f.offenses[0];
  const double lambda = f.bookings_per_day / 24.0;  // per hour
  const double T = sc.horizon_hours(), L = sc.hold.limit_hours;
  const double rate = lambda * sc.ice.match_probability * o.lodge_probability *
                      p_detainer_before_release(sc.ice.lodge_delay, o.pretrial_stay);
  const Distribution& r = sc.ice.pickup.delay;
  const double F = cdf(r, L);
  const double integral_F = L - (r.mean() - expected_excess(r, L));  // integral of F over [0, L]
  // A decision at t in [0, T) is a transfer from hold if R <= min(L, T - t),
  // a lapse if R > L and t + L < T; otherwise it is still open at T.
  return {rate * T, rate * ((T - L) * F + integral_F), rate * (T - L) * (1 - F)};
}

void check_mean(const std::vector<ReplicationMetrics>& reps, Metric m, double expected) {
  double sum = 0;
  for (const auto& r : reps) sum += r.total[index(m)];
  const double n = static_cast<double>(reps.size());
  const double se = std::sqrt(expected / n);
  INFO(kMetricNames[index(m)] << ": simulated " << sum / n << ", expected " << expected
                              << ", tolerance " << family_z() * se);
  CHECK_THAT(sum / n, Catch::Matchers::WithinAbs(expected, family_z() * se));
}

}  // namespace

TEST_CASE("decisions, honored, transfers from hold and lapses match their closed forms") {
  Scenario sc = basic_scenario();
  RunOptions ro;
  ro.replications = 20;
  const auto reps = run_replications(sc, ro);
  const Expected e = expected_cooperative(sc);
  check_mean(reps, Metric::decisions, e.decisions);
  check_mean(reps, Metric::honored, e.decisions);
  check_mean(reps, Metric::transfers_from_hold, e.transfers_from_hold);
  check_mean(reps, Metric::lapsed, e.lapsed);
  check_mean(reps, Metric::bookings, sc.facilities[0].bookings_per_day * sc.horizon_days);

  SECTION("the transfer share equals P(ice_response <= limit) up to the end effect") {
    double tfh = 0, lapsed = 0;
    for (const auto& r : reps) {
      tfh += r.total[index(Metric::transfers_from_hold)];
      lapsed += r.total[index(Metric::lapsed)];
    }
    const double share = tfh / (tfh + lapsed);
    const double p = cdf(sc.ice.pickup.delay, sc.hold.limit_hours);
    // Binomial standard error of the share plus the end-effect bound.
    const double se = std::sqrt(p * (1 - p) / (tfh + lapsed));
    const double end_effect = sc.hold.limit_hours / sc.horizon_hours();
    CHECK_THAT(share, Catch::Matchers::WithinAbs(p, family_z() * se + end_effect));
  }
}

TEST_CASE("a wrong clock is caught: day-of-week multipliers change bookings as expected") {
  Scenario sc = basic_scenario();
  sc.horizon_days = 70;                                  // ten whole weeks
  sc.facilities[0].day_of_week = {1, 1, 1, 1, 1, 2, 0};  // Saturday doubled, Sunday closed
  RunOptions ro;
  ro.replications = 20;
  const auto reps = run_replications(sc, ro);
  check_mean(reps, Metric::bookings, sc.facilities[0].bookings_per_day * 70);
}
