// Simulated means against `detsim expect`, with the suite's family-wise
// tolerance (support.hpp): shared by test_expect.cpp and
// test_expect_lifts.cpp.
#pragma once

#include <boost/math/distributions/students_t.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "detsim/expect.hpp"
#include "detsim/metrics.hpp"
#include "detsim/run.hpp"
#include "support.hpp"

namespace detsim::testing {

// Counts are compared with a normal tolerance from their Poisson variance;
// hours, bed-days and occupancy with Student's t from the sample variance.
inline bool is_count(Metric m) {
  return m != Metric::hold_hours && m != Metric::mean_occupancy && m != Metric::extra_stay_bed_days;
}

inline double family_t(int df) {
  const boost::math::students_t t(df);
  return boost::math::quantile(t, 1.0 - kFamilyWiseError / (2.0 * kStatisticalChecks));
}

// One check of the family: the mean of `m` over `reps` is within tolerance of
// expect's value, which must be available (and positive with `positive`).
inline void check_expected_mean(const std::vector<ReplicationMetrics>& reps, const Expectations& e,
                                Metric m, bool positive = false) {
  const double n = static_cast<double>(reps.size());
  double sum = 0, squares = 0;
  for (const auto& r : reps) sum += r.total[index(m)];
  const double mean = sum / n;
  for (const auto& r : reps) squares += std::pow(r.total[index(m)] - mean, 2);
  const double expected = e.values.total[index(m)];
  const double tolerance =
      is_count(m) ? family_z() * std::sqrt(expected / n)
                  : family_t(static_cast<int>(n) - 1) * std::sqrt(squares / (n - 1) / n);
  INFO(kMetricNames[index(m)] << ": simulated " << mean << ", expected " << expected
                              << ", tolerance " << tolerance);
  REQUIRE(e.available[index(m)]);
  if (positive) CHECK(expected > 0);
  CHECK_THAT(mean, Catch::Matchers::WithinAbs(expected, tolerance));
}

// Simulates `replications` replications of `sc` and checks each metric.
inline void check_against_expect(const Scenario& sc, int replications,
                                 const std::vector<Metric>& metrics, bool positive = false) {
  INFO("scenario " << sc.name);
  const Expectations e = expected_metrics(sc);
  RunOptions ro;
  ro.replications = replications;
  const auto reps = run_replications(sc, ro);
  for (Metric m : metrics) check_expected_mean(reps, e, m, positive);
}

}  // namespace detsim::testing
