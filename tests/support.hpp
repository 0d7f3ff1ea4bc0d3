// Scenarios built in code for engine tests, and the statistical tolerance
// shared by every statistical check of the suite.
#pragma once

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <string>

#include "builders.hpp"
#include "detsim/metrics.hpp"
#include "detsim/scenario.hpp"

namespace detsim::testing {

// Number of statistical checks in the whole suite that compare a simulated
// mean with an analytic expectation. The family-wise error rate is 0.001:
// a correct model fails any of them with probability under 0.1% (Bonferroni).
// 5 in test_distributions.cpp, 7 in test_model_statistics.cpp, 95 in test_expect.cpp, 46 in
// test_expect_lifts.cpp, 1 in test_recording.cpp, 1 in test_lifts_rebookings.cpp.
inline constexpr int kStatisticalChecks = 155;
inline constexpr double kFamilyWiseError = 0.001;

// The two-sided normal quantile for one check of the family.
inline double family_z() {
  const boost::math::normal n01;
  return boost::math::quantile(n01, 1.0 - kFamilyWiseError / (2.0 * kStatisticalChecks));
}

// A replication's total of one metric.
inline double total(const ReplicationMetrics& m, Metric k) {
  return m.total[index(k)];
}

inline Policy simple_policy(const std::string& name, Action default_action) {
  Policy p;
  p.name = name;
  p.default_action = default_action;
  return p;
}

// One facility, one offense category, every person a noncitizen on the
// pretrial path; cooperative policy; unlimited ICE capacity; lead 0.
inline Scenario basic_scenario() {
  Scenario s;
  s.name = "basic";
  s.start = 20089;  // 2025-01-01
  s.horizon_days = 200;
  s.warmup_auto = true;
  s.replications = 10;
  s.seed = 7;
  s.offense_ids = {"any"};
  s.offense_severities = {Severity::kSerious};
  s.policies = {
      simple_policy("cooperative", Action::kHonor), simple_policy("sanctuary", Action::kDecline),
      simple_policy("notify-only", Action::kNotify), simple_policy("287g-jail", Action::kTransfer)};
  s.state_policy = 0;
  s.ice.lodge_delay = lognormal_hours(20, 1.0);
  s.ice.pickup.delay = lognormal_hours(30, 0.7);
  Facility f;
  f.id = "jail";
  f.bookings_per_day = 200;
  f.population.noncitizen_share = 1.0;
  Offense o;
  o.id = "any";
  o.share = 1;
  o.severity = Severity::kSerious;
  o.pretrial_release = 1.0;
  o.pretrial_stay = lognormal_hours(48, 1.1);
  o.sentenced_stay = lognormal_hours(24 * 30, 0.5);
  o.lodge_probability = 0.5;
  f.offenses = {o};
  s.facilities = {f};
  return s;
}

}  // namespace detsim::testing
