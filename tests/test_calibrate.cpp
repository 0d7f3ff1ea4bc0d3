// Calibration (ABC-SMC): a known posterior, one replication against two,
// recovery of known values, and an unreachable target.
#include <catch2/catch.hpp>
#include <cmath>

#include "calibrate_support.hpp"

using namespace detsim;
using namespace detsim::testing;

namespace {

// The exact posterior of the booking rate lambda (uniform prior on [lo, hi])
// given one observed count y of bookings over T days, y = x + N(0, sd^2)
// with x ~ Poisson(lambda T): mean and sd on a fine grid, the likelihood
// summed over x exactly.
Moments exact_rate_posterior(double y, double sd, double days, double lo, double hi) {
  const int grid = 2000;
  double z = 0, m1 = 0, m2 = 0;
  for (int g = 0; g < grid; ++g) {
    const double lambda = lo + (hi - lo) * (g + 0.5) / grid;
    const double mu = lambda * days;
    double like = 0;
    const int from = std::max(0, static_cast<int>(mu - 12 * std::sqrt(mu)));
    const int to = static_cast<int>(mu + 12 * std::sqrt(mu));
    for (int x = from; x <= to; ++x) {
      const double log_p = x * std::log(mu) - mu - std::lgamma(x + 1.0);
      const double d = (y - x) / sd;
      like += std::exp(log_p - 0.5 * d * d);
    }
    z += like;
    m1 += like * lambda;
    m2 += like * lambda * lambda;
  }
  Moments m;
  m.mean = m1 / z;
  m.sd = std::sqrt(m2 / z - m.mean * m.mean);
  return m;
}

std::string rate_calibration(int replications, double sd) {
  return "base: base.yaml\nseed: 5\nreplications: " + std::to_string(replications) +
         "\nparticles: 1000\nbudget: 30000\n"
         "parameters:\n  facilities.jail.bookings_per_day: {min: 40, max: 80}\n"
         "targets:\n  - {metric: bookings, observed: 1200, sd: " +
         std::to_string(sd) + "}\n";
}

CalibrationResult calibrate_file(const std::string& dir) {
  CalibrateOptions options;
  options.threads = 2;
  return run_calibration(CalibrationPlan(dir + "/cal.yaml"), options);
}

// |estimate - exact| within z standard errors of an importance-sampling
// estimate with effective sample size ess: sd / sqrt(ess) for the mean,
// about sd / sqrt(2 ess) for the sd.
void check_against(const Moments& got, const Moments& exact) {
  const double z = calibration_z();
  INFO("posterior mean " << got.mean << " sd " << got.sd << " ess " << got.ess << "; exact mean "
                         << exact.mean << " sd " << exact.sd);
  CHECK(std::abs(got.mean - exact.mean) <= z * exact.sd / std::sqrt(got.ess));
  CHECK(std::abs(got.sd / exact.sd - 1.0) <= z / std::sqrt(2.0 * got.ess));
}

}  // namespace

TEST_CASE("calibrate: a booking rate from a bookings count matches the exact posterior", "[slow]") {
  // 20 days, sd 30: the exact posterior is close to the normal one with
  // variance (lambda T + sd^2) / T^2 = (1200 + 900) / 400, sd 2.29.
  const std::string dir = calibration_dir("known", rate_calibration(1, 30));
  const CalibrationResult r = calibrate_file(dir);
  REQUIRE(r.converged);
  REQUIRE(r.fits);
  const Moments exact = exact_rate_posterior(1200, 30, 20, 40, 80);
  CHECK(exact.sd == Approx(std::sqrt(2100.0) / 20).epsilon(0.02));
  check_against(moments(r, 0), exact);
}

// Hidden from the discovered tests (ctest calibration_replications, slow).
TEST_CASE("calibrate: two replications per candidate give the posterior of one",
          "[.][calibrate-replications]") {
  // sd 10 is small against the simulation noise (sqrt(1200) = 35), so the
  // kernel of the replications' mean would give a posterior sd of
  // sqrt(600 + 100) / 20 = 1.32 instead of the exact 1.80.
  const Moments exact = exact_rate_posterior(1200, 10, 20, 40, 80);
  const CalibrationResult one = calibrate_file(calibration_dir("one-rep", rate_calibration(1, 10)));
  const CalibrationResult two =
      calibrate_file(calibration_dir("two-reps", rate_calibration(2, 10)));
  REQUIRE(one.converged);
  REQUIRE(two.converged);
  check_against(moments(one, 0), exact);
  check_against(moments(two, 0), exact);
}

TEST_CASE("calibrate: observations at the expected values recover the parameters", "[slow]") {
  // Truth: 60 bookings a day, noncitizen share 0.3, 20 days: expected 1200
  // bookings and 360 noncitizen bookings.
  const std::string dir =
      calibration_dir("recovery",
                      "base: base.yaml\nseed: 3\nparticles: 500\nbudget: 15000\n"
                      "parameters:\n"
                      "  facilities.jail.bookings_per_day: {min: 30, max: 90}\n"
                      "  population.noncitizen_share: {min: 0.05, max: 0.6}\n"
                      "targets:\n"
                      "  - {metric: bookings, observed: 1200, sd: 30}\n"
                      "  - {metric: noncitizen_bookings, observed: 360, sd: 15}\n");
  const CalibrationResult r = calibrate_file(dir);
  REQUIRE(r.converged);
  CHECK(r.fits);
  const double truth[] = {60, 0.3};
  for (std::size_t k = 0; k < 2; ++k) {
    const ParameterSummary& s = r.summary[k];
    INFO(s.path << ": 90% interval [" << s.q05 << ", " << s.q95 << "], width ratio "
                << s.width_ratio);
    CHECK(s.q05 <= truth[k]);
    CHECK(truth[k] <= s.q95);
    CHECK(s.width_ratio < 0.5);
  }
}

TEST_CASE("calibrate: a target outside the priors' reach is reported, not fitted") {
  const std::string dir =
      calibration_dir("unreachable",
                      "base: base.yaml\nparticles: 200\nbudget: 3000\n"
                      "parameters:\n"
                      "  facilities.jail.bookings_per_day: {min: 30, max: 90}\n"
                      "targets:\n  - {metric: bookings, observed: 10000, sd: 100}\n");
  const CommandResult c =
      run_detsim("calibrate " + dir + "/cal.yaml --out " + dir + "/out --threads 2 --quiet");
  INFO(c.err);
  CHECK(c.exit_code == 0);
  CHECK(c.err.find("warning: target bookings (10000 observed) is not reached inside the priors") !=
        std::string::npos);
  const std::string json = read_text(dir + "/out/calibration.json");
  CHECK(json.find("\"fits_all\": false") != std::string::npos);
  CHECK(json.find("\"fits\": false") != std::string::npos);
}
