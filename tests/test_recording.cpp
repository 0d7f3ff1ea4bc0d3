// Counting as recorded (`recording:`): hand-worked cases with scripted
// people, the identities without `recording:`, and the expected recorded
// count away from the window's edges.
#include <catch2/catch.hpp>
#include <cmath>

#include "detsim/run.hpp"
#include "model/simulation.hpp"
#include "support.hpp"

using namespace detsim;
using namespace detsim::testing;

namespace {

// 30 days, no warm-up unless asked, every detainer declined (sanctuary).
Scenario declining_scenario(double warmup_days = 0) {
  Scenario s = basic_scenario();
  s.warmup_auto = false;
  s.warmup_days = warmup_days;
  s.horizon_days = 30;  // 720 hours
  s.state_policy = 1;   // sanctuary
  return s;
}

Recording recording(double p, double lag_hours, double open_days) {
  Recording r;
  r.release_recorded = p;
  r.lag = fixed_hours(lag_hours);
  r.open_record_days = open_days;
  return r;
}

// A noncitizen with a detainer, declined and released at `release`.
ScriptedBooking declined_at(double release, bool convicted = false) {
  ScriptedBooking b;
  b.at = release - 9;
  b.draws.citizen = false;
  b.draws.pretrial = !convicted;
  b.draws.stay = 9;
  b.draws.lodged = true;
  b.draws.lodge_delay = 1;
  b.draws.ice_response = 1000;
  return b;
}

ReplicationMetrics run_recorded(const Scenario& s, const std::vector<ScriptedBooking>& script) {
  Simulation sim(s, 0, nullptr, &script, s.warmup_days * 24.0);
  return sim.run();
}

}  // namespace

TEST_CASE("recording: a release recorded after the horizon is not counted, and is listed active") {
  Scenario s = declining_scenario();
  s.recording = recording(1.0, 48, 365);
  const ReplicationMetrics m = run_recorded(s, {declined_at(700, true)});
  CHECK(total(m, Metric::released_despite_detainer) == 1);
  CHECK(total(m, Metric::released_despite_detainer_convicted) == 1);
  CHECK(total(m, Metric::released_despite_detainer_recorded) == 0);  // recorded at 748 > 720
  CHECK(total(m, Metric::released_despite_detainer_recorded_convicted) == 0);
  CHECK(total(m, Metric::detainers_active_recorded_at_end) == 1);  // not yet recorded
  CHECK(m.facility[0][index(Metric::detainers_active_recorded_at_end)] == 1);
}

TEST_CASE("recording: a warm-up release recorded in the window is counted by its record date") {
  Scenario s = declining_scenario(10);
  s.recording = recording(1.0, 24, 365);
  // Released at -10 h (warm-up), recorded at 14 h; released at 100 h,
  // recorded at 124 h.
  const ReplicationMetrics m = run_recorded(s, {declined_at(-10, true), declined_at(100)});
  CHECK(total(m, Metric::released_despite_detainer) == 1);
  CHECK(total(m, Metric::released_despite_detainer_recorded) == 2);
  CHECK(total(m, Metric::released_despite_detainer_recorded_convicted) == 1);
  CHECK(total(m, Metric::detainers_active_recorded_at_end) == 0);
}

TEST_CASE("recording: an unrecorded release stays on the active list for open_record_days") {
  Scenario s = declining_scenario(10);
  // Released at 700 h: 20 hours before the end.
  SECTION("within open_record_days (1 day)") {
    s.recording = recording(0.0, 0, 1);
    const ReplicationMetrics m = run_recorded(s, {declined_at(700)});
    CHECK(total(m, Metric::released_despite_detainer_recorded) == 0);
    CHECK(total(m, Metric::detainers_active_recorded_at_end) == 1);
  }
  SECTION("beyond open_record_days (0.5 day)") {
    s.recording = recording(0.0, 0, 0.5);
    const ReplicationMetrics m = run_recorded(s, {declined_at(700)});
    CHECK(total(m, Metric::detainers_active_recorded_at_end) == 0);
  }
  SECTION("a warm-up release within open_record_days (31 days) is listed too") {
    s.recording = recording(0.0, 0, 31);
    const ReplicationMetrics m = run_recorded(s, {declined_at(-10), declined_at(700)});
    CHECK(total(m, Metric::released_despite_detainer) == 1);
    CHECK(total(m, Metric::detainers_active_recorded_at_end) == 2);
  }
  SECTION("arrested at large before the end: off the list") {
    s.recording = recording(0.0, 0, 1);
    s.ice.at_large_arrests_per_year = 1e9;  // arrested within a fraction of a second
    const ReplicationMetrics m = run_recorded(s, {declined_at(700)});
    CHECK(total(m, Metric::at_large_arrests) == 1);
    CHECK(total(m, Metric::detainers_active_recorded_at_end) == 0);
  }
}

TEST_CASE("recording: people in custody with an active detainer are on the active list") {
  Scenario s = declining_scenario();
  s.state_policy = 0;  // cooperative: an open hold at the end
  s.recording = recording(1.0, 0, 365);
  ScriptedBooking b = declined_at(710);
  const ReplicationMetrics m = run_recorded(s, {b});
  CHECK(total(m, Metric::holds_open_at_end) == 1);
  CHECK(total(m, Metric::detainers_active_recorded_at_end) == 1);
}

TEST_CASE(
    "recording: without it the recorded metrics are the true ones; with it no other changes") {
  Scenario s = basic_scenario();
  s.horizon_days = 60;
  s.state_policy = 2;  // notify-only: declines (missed notices) and open notices
  s.ice.at_large_arrests_per_year = 2;
  for (int rep = 0; rep < 3; ++rep) {
    const ReplicationMetrics plain = Simulation(s, rep, nullptr).run();
    const auto identities = [](const MetricValues& v) {
      CHECK(v[index(Metric::released_despite_detainer_recorded)] ==
            v[index(Metric::released_despite_detainer)]);
      CHECK(v[index(Metric::released_despite_detainer_recorded_convicted)] ==
            v[index(Metric::released_despite_detainer_convicted)]);
      CHECK(v[index(Metric::detainers_active_recorded_at_end)] ==
            v[index(Metric::detainers_in_custody_at_end)] + v[index(Metric::holds_open_at_end)] +
                v[index(Metric::notices_open_at_end)]);
    };
    identities(plain.total);
    for (const MetricValues& v : plain.facility) identities(v);
    for (const MetricValues& v : plain.offense) identities(v);
    CHECK(plain.total[index(Metric::released_despite_detainer)] > 0);

    Scenario r = s;
    r.recording = recording(0.6, 200, 30);
    r.recording->lag.kind = Distribution::Kind::kLognormal;
    r.recording->lag.b = 1.0;
    const ReplicationMetrics rec = Simulation(r, rep, nullptr).run();
    for (std::size_t k = 0; k < kMetricCount; ++k) {
      const auto m = static_cast<Metric>(k);
      if (m == Metric::released_despite_detainer_recorded ||
          m == Metric::released_despite_detainer_recorded_convicted ||
          m == Metric::detainers_active_recorded_at_end)
        continue;
      INFO(kMetricNames[k]);
      CHECK(rec.total[k] == plain.total[k]);
    }
    CHECK(rec.total[index(Metric::detainers_active_recorded_at_end)] >=
          plain.total[index(Metric::detainers_active_recorded_at_end)]);
    CHECK(rec.total[index(Metric::released_despite_detainer_recorded_convicted)] <=
          rec.total[index(Metric::released_despite_detainer_recorded)]);
  }
}

// In a stationary window, records arrive at release_recorded times the rate
// of releases despite a detainer, so E[recorded - p * true] = 0 away from the
// edges (the warm-up brings in as many records as the end leaves out).
// Statistical check (counted in kStatisticalChecks): the mean difference over
// replications within family_z() standard errors of 0.
TEST_CASE("recording: expected recorded count is release_recorded times the true count") {
  Scenario s = basic_scenario();
  s.horizon_days = 120;
  s.state_policy = 1;  // sanctuary
  const double p = 0.7;
  s.recording = recording(p, 0, 30);
  s.recording->lag.kind = Distribution::Kind::kLognormal;
  s.recording->lag.a = 2 * 24;  // a tail far shorter than the warm-up
  s.recording->lag.b = 0.5;
  const int n = 40;
  double sum = 0, sum2 = 0, true_sum = 0;
  for (int rep = 0; rep < n; ++rep) {
    const ReplicationMetrics m = Simulation(s, rep, nullptr).run();
    const double d = m.total[index(Metric::released_despite_detainer_recorded)] -
                     p * m.total[index(Metric::released_despite_detainer)];
    sum += d;
    sum2 += d * d;
    true_sum += m.total[index(Metric::released_despite_detainer)];
  }
  const double mean = sum / n;
  const double se = std::sqrt((sum2 - n * mean * mean) / (n - 1) / n);
  INFO("mean difference " << mean << ", se " << se << ", true mean " << true_sum / n);
  CHECK(true_sum / n > 1000);
  CHECK(std::abs(mean) < family_z() * se);
}

#include "scenario_errors_support.hpp"

TEST_CASE("recording: the section loads, and bad values are reported where they are") {
  const Scenario s = load_scenario_text(
      append("recording:\n  release_recorded: 0.85\n"
             "  lag: {dist: lognormal, median_days: 7, sigma: 1.0}\n  open_record_days: 365\n"),
      "s.yaml");
  REQUIRE(s.recording);
  CHECK(s.recording->release_recorded == 0.85);
  CHECK(s.recording->lag.kind == Distribution::Kind::kLognormal);
  CHECK(s.recording->lag.a == 7 * 24);
  CHECK(s.recording->open_record_days == 365);
  CHECK_FALSE(load_scenario_text(kBase, "s.yaml").recording);
  check({
      {"release_recorded above 1",
       append("recording:\n  release_recorded: 1.5\n  lag: {dist: fixed, days: 7}\n"
              "  open_record_days: 365\n"),
       "s.yaml:28:21: recording.release_recorded:", "found 1.5"},
      {"open_record_days negative",
       append("recording:\n  release_recorded: 1\n  lag: {dist: fixed, days: 7}\n"
              "  open_record_days: -1\n"),
       "s.yaml:30:21: recording.open_record_days:", "found -1"},
      {"lag missing", append("recording:\n  release_recorded: 1\n  open_record_days: 1\n"),
       "s.yaml:28:3: recording:", "lag"},
      {"unknown key",
       append("recording:\n  release_recorded: 1\n  lag: {dist: fixed, days: 7}\n"
              "  open_record_days: 1\n  delay: 3\n"),
       "s.yaml:31:3: recording.delay:", "unknown key"},
  });
}
