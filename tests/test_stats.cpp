// Statistics across replications, against values computed by hand.

#include <Eigen/Core>
#include <catch2/catch.hpp>
#include <cmath>

#include "detsim/stats.hpp"
#include "experiment/stats.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using detsim::Summary;

namespace {

Eigen::VectorXd vec(std::initializer_list<double> values) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (double x : values) v(i++) = x;
  return v;
}

detsim::ReplicationMetrics replication(double base) {
  detsim::ReplicationMetrics rep;
  for (std::size_t m = 0; m < detsim::kMetricCount; ++m) rep.total[m] = base + double(m);
  rep.facility = {rep.total, rep.total};
  rep.facility[1][0] = 100 * base;
  rep.offense = {rep.total};
  return rep;
}

}  // namespace

TEST_CASE("A summary of 1, 2, 3, 4 matches the hand-computed mean, sd and t interval", "[stats]") {
  const Summary s = detsim::summarize(vec({1, 2, 3, 4}));
  // sd = sqrt(5/3); t(0.975, 3) = 3.182446305 (tables); half-width = t sd / 2.
  const double half = 3.182446305284263 * std::sqrt(5.0 / 3.0) / 2.0;
  CHECK(s.n == 4);
  CHECK(s.mean == 2.5);
  CHECK_THAT(s.sd, WithinAbs(1.2909944487358056, 1e-12));
  CHECK_THAT(half, WithinAbs(2.0542603, 1e-6));
  CHECK_THAT(s.ci_low, WithinAbs(2.5 - half, 1e-9));
  CHECK_THAT(s.ci_high, WithinAbs(2.5 + half, 1e-9));
  CHECK(s.min == 1);
  CHECK(s.max == 4);
}

TEST_CASE("One replication gives a mean but no sd or interval", "[stats]") {
  const Summary s = detsim::summarize(vec({7.5}));
  CHECK(s.n == 1);
  CHECK(s.mean == 7.5);
  CHECK(s.min == 7.5);
  CHECK(s.max == 7.5);
  CHECK(std::isnan(s.sd));
  CHECK(std::isnan(s.ci_low));
  CHECK(std::isnan(s.ci_high));
}

TEST_CASE("No replications give NaN everywhere but n", "[stats]") {
  const Summary s = detsim::summarize(Eigen::VectorXd(0));
  CHECK(s.n == 0);
  CHECK(std::isnan(s.mean));
  CHECK(std::isnan(s.min));
}

TEST_CASE("The 95% t quantile matches tables and tends to the normal's", "[stats]") {
  // Tables: t(0.975, 1) = 12.7062, t(0.975, 3) = 3.1824, t(0.975, 30) = 2.0423;
  // z(0.975) = 1.959964.
  CHECK_THAT(detsim::t_quantile_95(1), WithinAbs(12.7062047, 1e-6));
  CHECK_THAT(detsim::t_quantile_95(3), WithinAbs(3.1824463, 1e-6));
  CHECK_THAT(detsim::t_quantile_95(30), WithinAbs(2.0422725, 1e-6));
  CHECK_THAT(detsim::t_quantile_95(1000000), WithinAbs(1.959964, 1e-5));
  CHECK(std::isnan(detsim::t_quantile_95(0)));
}

TEST_CASE("A constant sample has an exact mean and a zero-width interval", "[stats]") {
  const Summary s = detsim::summarize(vec({0.1, 0.1, 0.1}));
  CHECK(s.mean == 0.1);
  CHECK(s.sd == 0);
  CHECK(s.ci_low == 0.1);
  CHECK(s.ci_high == 0.1);
}

TEST_CASE("The paired difference of identical vectors is exactly zero", "[stats]") {
  const Eigen::VectorXd a = vec({3.25, 1e9, -7, 0.1, 412});
  const Summary d = detsim::summarize_difference(a, a);
  CHECK(d.n == 5);
  CHECK(d.mean == 0);
  CHECK(d.sd == 0);
  CHECK(d.ci_low == 0);
  CHECK(d.ci_high == 0);
  CHECK(d.min == 0);
  CHECK(d.max == 0);
}

TEST_CASE("The paired difference is b minus a replication by replication", "[stats]") {
  const Summary d = detsim::summarize_difference(vec({1, 2, 3, 4}), vec({2, 4, 6, 8}));
  const Summary direct = detsim::summarize(vec({1, 2, 3, 4}));
  CHECK(d.mean == direct.mean);
  CHECK(d.sd == direct.sd);
  CHECK(d.ci_low == direct.ci_low);
}

TEST_CASE("Covariance matches hand-computed values and is NaN for one row", "[stats]") {
  Eigen::MatrixXd x(4, 2);
  x << 1, 2, 2, 4, 3, 6, 4, 9;
  const Eigen::MatrixXd c = detsim::covariance(x);
  REQUIRE(c.rows() == 2);
  REQUIRE(c.cols() == 2);
  // Means 2.5 and 5.25; deviations (-1.5,-.5,.5,1.5) and (-3.25,-1.25,.75,3.75).
  CHECK_THAT(c(0, 0), WithinAbs(5.0 / 3.0, 1e-12));
  CHECK_THAT(c(0, 1), WithinAbs((4.875 + 0.625 + 0.375 + 5.625) / 3.0, 1e-12));
  CHECK(c(0, 1) == c(1, 0));
  CHECK_THAT(c(1, 1), WithinAbs((10.5625 + 1.5625 + 0.5625 + 14.0625) / 3.0, 1e-12));
  const Eigen::MatrixXd one = detsim::covariance(x.topRows(1));
  CHECK(std::isnan(one(0, 0)));
}

TEST_CASE("Summaries are bit-identical to a sum in replication order", "[stats]") {
  Eigen::VectorXd v(1000);
  double sum = 0;
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    v(i) = 1.0 / double(i + 3);
    sum += v(i);
  }
  CHECK(detsim::summarize(v).mean == sum / 1000.0);
}

TEST_CASE("metric_index finds every metric by name and rejects others", "[stats]") {
  for (std::size_t i = 0; i < detsim::kMetricCount; ++i) {
    CHECK(detsim::metric_index(detsim::kMetricNames[i]) == int(i));
  }
  CHECK(detsim::metric_index("honored") == int(detsim::index(detsim::Metric::honored)));
  CHECK(detsim::metric_index("honoured") == -1);
  CHECK(detsim::metric_index("") == -1);
}

TEST_CASE("A run summary has totals, facilities and offense categories by column", "[stats]") {
  const std::vector<detsim::ReplicationMetrics> reps = {replication(1), replication(2),
                                                        replication(3)};
  const detsim::RunSummary s = detsim::summarize_run(reps);
  REQUIRE(s.total.size() == detsim::kMetricCount);
  REQUIRE(s.facility.size() == 2);
  REQUIRE(s.offense.size() == 1);
  CHECK(s.total[0].mean == 2);
  CHECK(s.total[5].mean == 7);
  CHECK(s.total[5].sd == 1);
  CHECK(s.facility[1][0].mean == 200);
  CHECK(s.facility[1][0].max == 300);
  CHECK_THAT(s.total[0].ci_high, WithinRel(2 + detsim::t_quantile_95(2) / std::sqrt(3.0), 1e-12));
  const Eigen::MatrixXd m = detsim::metric_matrix(reps, detsim::Breakdown::kFacility, 1);
  CHECK(m.rows() == 3);
  CHECK(m.cols() == Eigen::Index(detsim::kMetricCount));
  CHECK(m(2, 0) == 300);
}
