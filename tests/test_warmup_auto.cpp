// `warmup_days: auto` is computed quickly (a few evaluations of the
// criterion, a cheaper normal CDF, a cache); it must give the same whole
// number of days as the plain rule: doubling then bisection over the
// criterion evaluated with the 2000-point midpoint rule and Boost's CDF at
// every step. The plain rule is written out here as the reference.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "builders.hpp"
#include "detsim/load.hpp"
#include "engine/distributions.hpp"
#include "experiment/warmup.hpp"

namespace {

using namespace detsim;
using namespace detsim::testing;

double reference_excess_of_sum(const Distribution& x, const Distribution& y, double w) {
  if (y.kind == Distribution::Kind::kFixed) return expected_excess(x, w - y.a);
  constexpr int kPoints = 2000;
  double sum = 0;
  for (int i = 0; i < kPoints; ++i) sum += expected_excess(x, w - quantile(y, (i + 0.5) / kPoints));
  return sum / kPoints;
}

double reference_excess(const Facility& f, double w) {
  double e = 0;
  for (const Offense& o : f.offenses) {
    const double pre = o.pretrial_release;
    const double sentenced = o.transfer_to >= 0
                                 ? reference_excess_of_sum(o.sentenced_stay, o.transfer_stay, w)
                                 : expected_excess(o.sentenced_stay, w);
    e += o.share * (pre * expected_excess(o.pretrial_stay, w) + (1 - pre) * sentenced);
  }
  return e;
}

int reference_days(const Facility& f) {
  const double target = 0.001 * reference_excess(f, 0);
  if (target <= 0) return 0;
  int hi = 1;
  while (reference_excess(f, 24.0 * hi) > target && hi < (1 << 20)) hi *= 2;
  int lo = 0;
  while (hi - lo > 1) {
    const int mid = lo + (hi - lo) / 2;
    if (reference_excess(f, 24.0 * mid) <= target)
      hi = mid;
    else
      lo = mid;
  }
  return reference_excess(f, 0) <= target ? 0 : hi;
}

double reference_hours(const Scenario& sc) {
  int days = 0;
  for (const Facility& f : sc.facilities) days = std::max(days, reference_days(f));
  // The later effects of earlier releases (at-large arrests, records,
  // re-bookings) are added as the product computes them
  // (release_effects_hours): this test checks the rule for stays.
  return 24.0 * days + sc.hold.limit_hours + (sc.hold.exclude_weekends_holidays ? 96.0 : 0.0) +
         release_effects_hours(sc);
}

}  // namespace

TEST_CASE("auto warm-up: every shipped scenario gets the plain rule's days", "[warmup]") {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(DETSIM_SOURCE_DIR "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    Scenario sc = load_scenario(entry.path().string());
    sc.warmup_auto = true;
    INFO(entry.path().string());
    const double expected = reference_hours(sc);
    CHECK(warmup_hours_uncached(sc) == expected);
    CHECK(warmup_hours(sc) == expected);
    CHECK(warmup_hours(sc) == expected);  // from the cache
    ++checked;
  }
  CHECK(checked >= 6);
}

TEST_CASE("auto warm-up: random stay mixtures with transfers get the plain rule's days",
          "[warmup]") {
  std::mt19937_64 gen(20251201);
  std::uniform_real_distribution<double> u(0, 1);
  const auto random_stay = [&](double scale) {
    switch (static_cast<int>(u(gen) * 4)) {
      case 0:
        return exponential_hours(scale * (0.5 + u(gen)));
      case 1:
        return gamma_hours(scale * (0.5 + u(gen)), 0.3 + 1.5 * u(gen));
      case 2:
        return empirical_hours({scale * 0.2, scale, scale * 3}, {1 + u(gen), 1, u(gen)});
      default:
        return lognormal_hours(scale * (0.5 + u(gen)), 0.2 + 1.2 * u(gen));
    }
  };
  for (int trial = 0; trial < 12; ++trial) {
    Scenario sc;
    sc.warmup_auto = true;
    sc.hold.limit_hours = 48;
    Facility jail;
    const int n = 1 + static_cast<int>(u(gen) * 3);
    for (int i = 0; i < n; ++i) {
      Offense o;
      o.share = 1.0 / n;
      o.pretrial_release = u(gen);
      o.pretrial_stay = random_stay(24.0 * (1 + 30 * u(gen)));
      o.sentenced_stay = random_stay(24.0 * (1 + 300 * u(gen)));
      if (u(gen) < 0.7) {
        o.transfer_to = 1;
        o.transfer_stay = random_stay(24.0 * (1 + 1000 * u(gen)));
      }
      jail.offenses.push_back(o);
    }
    sc.facilities.push_back(jail);
    INFO("trial " << trial);
    CHECK(warmup_hours_uncached(sc) == reference_hours(sc));
  }
}

TEST_CASE("auto warm-up: the cache tells stay mixtures apart", "[warmup]") {
  Scenario sc;
  sc.warmup_auto = true;
  Facility f;
  Offense o;
  o.share = 1;
  o.sentenced_stay = lognormal_hours(24 * 30, 0.8);
  o.transfer_to = 0;
  o.transfer_stay = lognormal_hours(24 * 300, 0.8);
  f.offenses.push_back(o);
  sc.facilities.push_back(f);
  const double first = warmup_hours(sc);
  CHECK(first == reference_hours(sc));
  sc.facilities[0].offenses[0].transfer_stay.a *= 2;
  CHECK(warmup_hours(sc) == reference_hours(sc));
  CHECK(warmup_hours(sc) > first);
}

TEST_CASE("auto warm-up: covers the 0.999 quantile of the at-large arrest delay", "[warmup]") {
  Scenario sc;
  sc.warmup_auto = true;
  sc.hold.limit_hours = 48;
  Facility f;
  Offense o;
  o.share = 1;
  o.sentenced_stay = fixed_hours(24 * 10);
  f.offenses.push_back(o);
  sc.facilities.push_back(f);
  CHECK(at_large_warmup_hours(sc) == 0);
  const double without = warmup_hours(sc);
  CHECK(without == 24 * 10 + 48);
  sc.ice.at_large_arrests_per_year = 2;
  // P(delay > q) = exp(-rate q) = 0.001: q = ln(1000) / 2 years = 1261.6 days.
  const double q = std::log(1000.0) / 2 * 365.25 * 24;
  const double extra = at_large_warmup_hours(sc);
  CHECK(extra >= q);
  CHECK(extra < q + 24);
  CHECK(std::fmod(extra, 24.0) == 0);
  CHECK(extra == 24 * 1262);
  CHECK(warmup_hours(sc) == without + extra);
  CHECK(std::exp(-2.0 * extra / (365.25 * 24)) <= 0.001);
  sc.warmup_auto = false;
  sc.warmup_days = 5;
  CHECK(warmup_hours(sc) == 24 * 5);  // a number of days stays as written
}
