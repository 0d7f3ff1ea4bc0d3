// `detsim calibrate` as a command: bad files, validate, identical results for
// any thread count and after a kill and --resume; and simulation-based
// calibration over 40 truths (hidden tag [.sbc]: the `calibration_sbc`
// test, labelled slow).
#include <catch2/catch.hpp>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>

#include "calibrate_support.hpp"
#include "detsim/load.hpp"
#include "detsim/run.hpp"
#include "engine/rng.hpp"
#include <fmt/format.h>

using namespace detsim;
using namespace detsim::testing;

namespace {

constexpr const char* kTwoParameters =
    "base: base.yaml\nseed: 9\nparticles: 200\nbudget: 4000\n"
    "parameters:\n"
    "  facilities.jail.bookings_per_day: {min: 30, max: 90}\n"
    "  ice.pickup.delay.median_hours: {min: 2, max: 200, log: true}\n"
    "targets:\n"
    "  - {metric: bookings, observed: 1200, sd: 30}\n"
    "  - {metric: honored, facility: jail, observed: 80, sd: 10}\n";

std::string outputs(const std::string& dir) {
  std::string all;
  for (const char* f : {"posterior.csv", "summary.csv", "predictive.csv", "calibration.json"}) {
    all += std::string("== ") + f + "\n" + read_text(dir + "/" + f);
  }
  return all;
}

void expect_error(const std::string& name, const std::string& text, const std::string& where) {
  const std::string dir = calibration_dir("bad-" + name, text);
  const CommandResult c = run_detsim("calibrate " + dir + "/cal.yaml --out " + dir + "/out");
  INFO(c.err);
  CHECK(c.exit_code == 2);
  CHECK(c.err.find(dir + "/cal.yaml:" + where) == 0);
  CHECK_FALSE(std::filesystem::exists(dir + "/out"));
}

}  // namespace

TEST_CASE("calibrate: a malformed file is reported at FILE:LINE:COL, exit 2, nothing written") {
  const std::string head = "base: base.yaml\nparameters:\n";
  SECTION("an sd of 0") {
    expect_error("sd0",
                 head +
                     "  facilities.jail.bookings_per_day: {min: 1, max: 2}\n"
                     "targets:\n  - {metric: bookings, observed: 5, sd: 0}\n",
                 "5:41: targets[0].sd: expected a number > 0");
  }
  SECTION("an unknown metric") {
    expect_error("metric",
                 head +
                     "  facilities.jail.bookings_per_day: {min: 1, max: 2}\n"
                     "targets:\n  - {metric: bookingz, observed: 5, sd: 1}\n",
                 "5:14: targets[0].metric: unknown metric 'bookingz' (did you mean 'bookings'?)");
  }
  SECTION("a path the scenario format does not define") {
    expect_error("path",
                 head +
                     "  ice.pickup.speed: {min: 1, max: 2}\n"
                     "targets:\n  - {metric: bookings, observed: 5, sd: 1}\n",
                 "3:3: ice.pickup.speed: unknown key 'speed'");
  }
  SECTION("a facility that does not exist") {
    expect_error("facility",
                 head +
                     "  facilities.jail.bookings_per_day: {min: 1, max: 2}\n"
                     "targets:\n  - {metric: bookings, facility: jale, observed: 5, sd: 1}\n",
                 "5:34: targets[0].facility: no facility 'jale'");
  }
}

TEST_CASE("calibrate: validate accepts a calibration file and reports a bad one") {
  const std::string dir = calibration_dir("validate", kTwoParameters);
  CommandResult c = run_detsim("validate " + dir + "/cal.yaml");
  INFO(c.err);
  CHECK(c.exit_code == 0);
  CHECK(c.out.find("ok (calibration, 2 parameters, 2 targets)") != std::string::npos);
  write_text(dir + "/bad.yaml", std::string(kTwoParameters) + "budget2: 3\n");
  c = run_detsim("validate " + dir + "/bad.yaml");
  CHECK(c.exit_code == 2);
  CHECK(c.err.find(dir + "/bad.yaml:11:1: budget2: unknown key") == 0);
}

TEST_CASE("calibrate: results are identical for 1 and 2 threads", "[slow]") {
  const std::string dir = calibration_dir("threads", kTwoParameters);
  const CommandResult a =
      run_detsim("calibrate " + dir + "/cal.yaml --out " + dir + "/one --threads 1 --quiet");
  const CommandResult b =
      run_detsim("calibrate " + dir + "/cal.yaml --out " + dir + "/two --threads 2 --quiet");
  INFO(a.err << b.err);
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  CHECK(outputs(dir + "/one") == outputs(dir + "/two"));
  // An existing calibration is not overwritten without --resume.
  const CommandResult again = run_detsim("calibrate " + dir + "/cal.yaml --out " + dir + "/one");
  CHECK(again.exit_code == 2);
}

TEST_CASE("calibrate: killed (SIGKILL) and resumed, it ends byte-identical to an uninterrupted run",
          "[slow]") {
  const std::string dir = calibration_dir("resume", kTwoParameters);
  const CommandResult whole =
      run_detsim("calibrate " + dir + "/cal.yaml --out " + dir + "/whole --threads 2 --quiet");
  REQUIRE(whole.exit_code == 0);
  // Kill the run as soon as its first round is saved.
  const std::string run = std::string(DETSIM_BINARY) + " calibrate " + dir + "/cal.yaml --out " +
                          dir + "/killed --threads 2 --quiet";
  const std::string script = "sh -c '" + run + " & p=$!; while [ ! -f " + dir +
                             "/killed/calibration-state.json ]; do sleep 0.005; done; kill -9 $p; "
                             "wait $p; echo $? > " +
                             dir + "/status'";
  REQUIRE(std::system(script.c_str()) == 0);
  CHECK(read_text(dir + "/status") == "137\n");
  CHECK_FALSE(std::filesystem::exists(dir + "/killed/calibration.json"));
  const CommandResult resumed = run_detsim("calibrate " + dir + "/cal.yaml --out " + dir +
                                           "/killed --threads 1 --resume --quiet");
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(outputs(dir + "/killed") == outputs(dir + "/whole"));
}

TEST_CASE("calibrate: simulation-based calibration: 90% intervals cover 40 truths", "[.sbc]") {
  // Each truth lambda is drawn from the prior; the observation is one
  // simulated replication at lambda plus N(0, sd^2) measurement noise. The
  // 40 intervals are independent, each covering with probability 0.9 if
  // the calibration is right: the count lies in the central 0.999 of
  // Binomial(40, 0.9).
  const int truths = 40;
  const double sd = 20;
  Stream noise(77, 0, 0, static_cast<Purpose>(200), 0);
  int covered = 0;
  for (int t = 0; t < truths; ++t) {
    const double lambda = 30 + 60 * noise.uniform();
    const double u1 = noise.uniform(), u2 = noise.uniform();
    const double e = sd * std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
    // One replication at the truth, with a seed of its own.
    const std::string dir = calibration_dir("sbc", "");
    LoadOptions lo;
    lo.sets = {fmt::format("facilities.jail.bookings_per_day={}", lambda),
               fmt::format("seed={}", 1000 + t)};
    const Scenario s = load_scenario_text(kTinyBase, "tiny", lo);
    const double x = simulate(s, 0).total[index(Metric::bookings)];
    write_text(dir + "/cal.yaml",
               fmt::format("base: base.yaml\nseed: {}\nparticles: 300\nbudget: 6000\n"
                           "parameters:\n  facilities.jail.bookings_per_day: {{min: 30, max: 90}}\n"
                           "targets:\n  - {{metric: bookings, observed: {}, sd: {}}}\n",
                           t, x + e, sd));
    CalibrateOptions options;
    options.threads = 2;
    const CalibrationResult r = run_calibration(CalibrationPlan(dir + "/cal.yaml"), options);
    REQUIRE(r.converged);
    covered += r.summary[0].q05 <= lambda && lambda <= r.summary[0].q95;
  }
  const boost::math::binomial b(truths, 0.9);
  const double lo = boost::math::quantile(b, 0.0005),
               hi = boost::math::quantile(boost::math::complement(b, 0.0005));
  INFO(covered << " of " << truths << " covered; bounds [" << lo << ", " << hi << "]");
  CHECK(covered >= lo);
  CHECK(covered <= hi);
}
