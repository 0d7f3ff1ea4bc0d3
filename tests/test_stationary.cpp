// `warmup_days: stationary` against `auto` (docs/model.md, "Time and the
// window"): the same expected metrics, a Poisson stock with the analytic
// mean, the same paired differences, and common random numbers kept.
//
// Statistical checks here form their own family, with family-wise error
// 0.001 (Bonferroni over kChecks two-sided checks):
//  - agreement: for each of 5 scenarios and every total metric, the
//    difference of the two modes' means (independent replications) is
//    within z * sqrt(var_s / n + var_a / n) (Welch standard error);
//  - stock: for 3 scenarios, the mean number in custody at the start of
//    the short warm-up is within z * sqrt(mu / n) of the analytic mu, and
//    the index of dispersion (n - 1) s^2 / mean lies between the chi-square
//    (n - 1) quantiles at 0.001 / (2 kChecks) and 1 - 0.001 / (2 kChecks);
//  - paired: for 2 scenarios and every total metric, the mean paired
//    difference sanctuary - cooperative agrees between the modes as above.
// A metric with no variance in either mode must have equal means.
#include <catch2/catch.hpp>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "detsim/compare.hpp"
#include "detsim/load.hpp"
#include "detsim/run.hpp"
#include "engine/calendar.hpp"
#include "engine/distributions.hpp"
#include "experiment/warmup.hpp"
#include "model/simulation.hpp"

using namespace detsim;

namespace {

constexpr int kAgreementScenarios = 5, kStockScenarios = 3, kPairedScenarios = 2;
constexpr int kChecks =
    static_cast<int>((kAgreementScenarios + kPairedScenarios) * kMetricCount) + 2 * kStockScenarios;
constexpr double kFamilyError = 0.001;

double stationary_family_z() {
  return boost::math::quantile(boost::math::normal(), 1.0 - kFamilyError / (2.0 * kChecks));
}

Scenario shipped(const std::string& file) {
  return load_scenario(DETSIM_SOURCE_DIR "/scenarios/" + file);
}

Scenario stationary(Scenario s) {
  s.warmup_auto = false;
  s.warmup_stationary = true;
  return s;
}

Scenario automatic(Scenario s) {
  s.warmup_auto = true;
  s.warmup_stationary = false;
  return s;
}

void scale_bookings(Scenario& s, double factor) {
  for (Facility& f : s.facilities) f.bookings_per_day *= factor;
}

// The five scenarios of the agreement check, kept small (60-day windows,
// fewer bookings) so that many replications run quickly.
Scenario agreement_scenario(int i) {
  Scenario s;
  switch (i) {
    case 0:  // the default scenario
      s = shipped("county-jail.yaml");
      scale_bookings(s, 0.25);
      break;
    case 1:  // Illinois: jail -> prison transfers, long prison stays
      s = shipped("illinois-2025.yaml");
      scale_bookings(s, 0.1);
      break;
    case 2:  // day-of-week and month multipliers
      s = shipped("county-jail.yaml");
      scale_bookings(s, 0.25);
      s.facilities[0].month = {1.3, 0.7, 1, 1, 1.2, 1, 0.8, 1, 1, 1, 1.1, 0.9};
      s.facilities[0].day_of_week = {0.8, 1, 1, 1, 1.2, 1.5, 0.6};
      break;
    case 3:  // ICE teams, business hours and the weekend rule
      s = shipped("texas-sb4.yaml");
      scale_bookings(s, 0.2);
      s.ice.pickup.teams = 2;
      s.hold.exclude_weekends_holidays = true;
      break;
    default:  // at-large arrests and the stay multiplier by action
      s = shipped("county-jail.yaml");
      scale_bookings(s, 0.25);
      s.ice.at_large_arrests_per_year = 8;
      s.ice.stay_multiplier_by_action = true;
      s.ice.stay_multipliers = {3.7, 1.5, 1, 1};
      break;
  }
  s.horizon_days = 60;
  return s;
}

std::vector<ReplicationMetrics> run(const Scenario& s, int n) {
  RunOptions o;
  o.replications = n;
  o.threads = 2;
  return run_replications(s, o);
}

struct StockMoments {
  double mean = 0, var = 0;
};

StockMoments moments(const std::vector<double>& x) {
  StockMoments m;
  for (double v : x) m.mean += v;
  m.mean /= static_cast<double>(x.size());
  for (double v : x) m.var += (v - m.mean) * (v - m.mean);
  m.var /= static_cast<double>(x.size() - 1);
  return m;
}

// Two independent samples have the same mean (see the top of the file).
void check_same_mean(const std::vector<double>& a, const std::vector<double>& b,
                     const std::string& what) {
  const StockMoments ma = moments(a), mb = moments(b);
  const double se = std::sqrt(ma.var / a.size() + mb.var / b.size());
  INFO(what << ": stationary " << ma.mean << ", auto " << mb.mean << ", se " << se);
  if (se == 0) {
    CHECK(ma.mean == mb.mean);
  } else {
    CHECK(std::fabs(ma.mean - mb.mean) <= stationary_family_z() * se);
  }
}

std::vector<double> column(const std::vector<ReplicationMetrics>& reps, std::size_t m) {
  std::vector<double> x;
  for (const ReplicationMetrics& r : reps) x.push_back(r.total[m]);
  return x;
}

// The number in custody at the start of the short warm-up, per replication.
std::vector<double> stock_sizes(const Scenario& s, int n) {
  std::vector<double> out;
  for (int r = 0; r < n; ++r) {
    Simulation sim(s, r, nullptr);
    sim.run();
    out.push_back(static_cast<double>(sim.stock_size()));
  }
  return out;
}

// E[(T - w)+] of a facility's time in custody (transfer stays by the
// midpoint rule over 2000 of their quantiles).
double excess(const Facility& f, double w) {
  double e = 0;
  for (const Offense& o : f.offenses) {
    double sentenced = expected_excess(o.sentenced_stay, w);
    if (o.transfer_to >= 0) {
      sentenced = 0;
      constexpr int kPoints = 2000;
      for (int i = 0; i < kPoints; ++i)
        sentenced +=
            expected_excess(o.sentenced_stay, w - quantile(o.transfer_stay, (i + 0.5) / kPoints));
      sentenced /= kPoints;
    }
    e += o.share * (o.pretrial_release * expected_excess(o.pretrial_stay, w) +
                    (1 - o.pretrial_release) * sentenced);
  }
  return e;
}

// The analytic mean stock at `at` (hours, a day boundary): the integral
// over ages u of rate(at - u) P(T > u), day by day (the rate is constant
// within a day); with a constant rate, rate * E[T].
double analytic_stock(const Scenario& s, double at) {
  double mu = 0;
  for (const Facility& f : s.facilities) {
    bool constant = true;
    for (double x : f.day_of_week) constant = constant && x == 1;
    for (double x : f.month) constant = constant && x == 1;
    if (constant) {
      mu += f.bookings_per_day / 24.0 * excess(f, 0);
      continue;
    }
    const double first_day = at / 24.0 - 1;  // the day just before `at`
    double before = excess(f, 0);
    for (int k = 0; before > 1e-9; ++k) {
      const Day date = s.start + static_cast<Day>(first_day - k);
      const double rate = f.bookings_per_day * f.day_of_week[weekday(date)] *
                          f.month[civil_from_days(date).month - 1] / 24.0;
      const double after = excess(f, 24.0 * (k + 1));
      mu += rate * (before - after);
      before = after;
    }
  }
  return mu;
}

}  // namespace

// Hidden from the default run (tag [.]): the CTest test stationary_agreement,
// labelled slow, runs the two checks against auto.
TEST_CASE("stationary: every total metric's mean agrees with auto on five scenarios",
          "[.][stationary-agreement]") {
  constexpr int kReps = 120;
  for (int i = 0; i < kAgreementScenarios; ++i) {
    const Scenario base = agreement_scenario(i);
    INFO("scenario " << i << " (" << base.name << ")");
    const auto st = run(stationary(base), kReps);
    const auto au = run(automatic(base), kReps);
    for (std::size_t m = 0; m < kMetricCount; ++m)
      check_same_mean(column(st, m), column(au, m), std::string(kMetricNames[m]));
  }
}

TEST_CASE("stationary: the number in custody at the start is Poisson with the analytic mean",
          "[stationary][slow]") {
  constexpr int kReps = 200;
  const boost::math::chi_squared chi(kReps - 1);
  const double tail = kFamilyError / (2.0 * kChecks);
  for (int i = 0; i < kStockScenarios; ++i) {
    Scenario s = i == 0   ? shipped("county-jail.yaml")
                 : i == 1 ? shipped("illinois-2025.yaml")
                          : agreement_scenario(2);
    s = stationary(s);
    s.horizon_days = 1;
    // The analytic mean has no hold effect on stays (county-jail has one).
    s.ice.detainer_stay_multiplier = 1;
    s.ice.stay_multiplier_by_action = false;
    INFO("scenario " << i << " (" << s.name << ")");
    const double mu = analytic_stock(s, -warmup_hours(s));
    const std::vector<double> x = stock_sizes(s, kReps);
    const StockMoments m = moments(x);
    INFO("mean " << m.mean << ", analytic " << mu << ", variance " << m.var);
    CHECK(std::fabs(m.mean - mu) <= stationary_family_z() * std::sqrt(mu / kReps));
    const double dispersion = (kReps - 1) * m.var / m.mean;
    CHECK(dispersion >= boost::math::quantile(chi, tail));
    CHECK(dispersion <= boost::math::quantile(boost::math::complement(chi, tail)));
  }
}

TEST_CASE("stationary: paired differences of two policies agree with auto",
          "[.][stationary-agreement]") {
  constexpr int kReps = 120;
  for (int i : {0, 4}) {
    const Scenario base = agreement_scenario(i);
    INFO("scenario " << i);
    std::vector<std::vector<double>> diffs[2];  // [mode][metric] per replication
    for (int mode = 0; mode < 2; ++mode) {
      Scenario coop = mode == 0 ? stationary(base) : automatic(base);
      Scenario sanct = coop;
      for (Facility& f : coop.facilities) f.policy = 0;
      coop.policies = {Policy{"cooperative", "", {}, Action::kHonor, false}};
      coop.state_policy = 0;
      coop.state_preempts = true;
      coop.policy_changes.clear();
      sanct.policies = {Policy{"sanctuary", "", {}, Action::kDecline, false}};
      for (Facility& f : sanct.facilities) f.policy = 0;
      sanct.state_policy = 0;
      sanct.state_preempts = true;
      sanct.policy_changes.clear();
      const auto a = run(coop, kReps), b = run(sanct, kReps);
      diffs[mode].resize(kMetricCount);
      for (std::size_t m = 0; m < kMetricCount; ++m)
        for (int r = 0; r < kReps; ++r) diffs[mode][m].push_back(b[r].total[m] - a[r].total[m]);
    }
    for (std::size_t m = 0; m < kMetricCount; ++m)
      check_same_mean(diffs[0][m], diffs[1][m], std::string(kMetricNames[m]));
  }
}

TEST_CASE("stationary: results do not depend on the thread count", "[stationary]") {
  Scenario s = stationary(shipped("illinois-2025.yaml"));
  s.horizon_days = 30;
  RunOptions one, two;
  one.replications = two.replications = 4;
  one.threads = 1;
  two.threads = 2;
  const auto a = run_replications(s, one), b = run_replications(s, two);
  for (int r = 0; r < 4; ++r) {
    CHECK(a[r].total == b[r].total);
    CHECK(a[r].facility == b[r].facility);
    CHECK(a[r].offense == b[r].offense);
  }
}

TEST_CASE("stationary: a policy compared with itself differs by exactly zero", "[stationary]") {
  Scenario s = stationary(agreement_scenario(4));
  s.replications = 4;
  CompareOptions options;
  options.threads = 2;
  const Comparison c = compare_regimes({Regime{"a", s}, Regime{"b", s}}, options);
  for (const Difference& d : c.differences.at(0).total) {
    CHECK(d.summary.mean == 0);
    CHECK(d.summary.sd == 0);
  }
}

TEST_CASE("stationary: two policies share every stock candidate and every booking",
          "[stationary]") {
  // The stay multiplier by action makes the stock itself differ (3.7 under
  // cooperative, 1 under sanctuary); the candidates are the same.
  Scenario coop = stationary(agreement_scenario(4));
  coop.horizon_days = 10;
  for (Facility& f : coop.facilities) f.policy = -1;
  coop.policies = {Policy{"cooperative", "", {}, Action::kHonor, false}};
  coop.state_policy = 0;
  coop.state_preempts = true;
  coop.policy_changes.clear();
  Scenario sanct = coop;
  sanct.policies = {Policy{"sanctuary", "", {}, Action::kDecline, false}};
  bool stock_differs = false;
  for (int r = 0; r < 3; ++r) {
    Simulation a(coop, r, nullptr), b(sanct, r, nullptr);
    const ReplicationMetrics ma = a.run(), mb = b.run();
    CHECK(a.stock_candidates() == b.stock_candidates());
    CHECK(a.stock_candidates() > a.stock_size());
    CHECK(ma.total[index(Metric::bookings)] == mb.total[index(Metric::bookings)]);
    stock_differs = stock_differs || a.stock_size() != b.stock_size();
  }
  CHECK(stock_differs);
}

TEST_CASE("stationary: the short warm-up covers holds, pickups and later effects", "[stationary]") {
  Scenario s = stationary(shipped("county-jail.yaml"));
  const double w = warmup_hours(s);
  CHECK(std::fmod(w, 24.0) == 0);
  CHECK(w >= s.hold.limit_hours + quantile(s.ice.pickup.delay, 0.999));
  CHECK(w >= quantile(s.ice.lodge_delay, 0.999));
  CHECK(w < auto_warmup_hours(s));
  s.ice.at_large_arrests_per_year = 4;
  CHECK(warmup_hours(s) >= at_large_warmup_hours(s));
  s.population.rebooking_per_year = {0, 0.5, 0};
  CHECK(warmup_hours(s) >= 24.0 * s.population.rebooking_window_days);
}
