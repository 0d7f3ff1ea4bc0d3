// Statistics across replications: one code path for run, compare and sweep.
//
// Every sum runs over the replications in row order with plain additions, so
// a summary depends only on the samples, never on the thread count or on how
// Eigen would vectorize a reduction.

#include "experiment/stats.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cassert>
#include <cmath>
#include <limits>

namespace detsim {

namespace {

// Summary of column `col` of `samples`; `t` is t_quantile_95(rows - 1).
Summary summarize_column(const Eigen::MatrixXd& samples, Eigen::Index col, double t) {
  const Eigen::Index n = samples.rows();
  Summary s;
  s.n = static_cast<int>(n);
  if (n == 0) {
    s.mean = s.sd = s.ci_low = s.ci_high = s.min = s.max = kNaN;
    return s;
  }
  double sum = 0;
  s.min = s.max = samples(0, col);
  for (Eigen::Index r = 0; r < n; ++r) {
    const double x = samples(r, col);
    sum += x;
    s.min = std::fmin(s.min, x);
    s.max = std::fmax(s.max, x);
  }
  // A constant column is reported exactly (sum / n may round away from it).
  s.mean = (s.min == s.max) ? s.min : sum / static_cast<double>(n);
  if (n < 2) {
    s.sd = s.ci_low = s.ci_high = kNaN;
    return s;
  }
  double squares = 0;
  if (s.min != s.max) {
    for (Eigen::Index r = 0; r < n; ++r) {
      const double d = samples(r, col) - s.mean;
      squares += d * d;
    }
  }
  s.sd = std::sqrt(squares / static_cast<double>(n - 1));
  const double half_width = t * s.sd / std::sqrt(static_cast<double>(n));
  s.ci_low = s.mean - half_width;
  s.ci_high = s.mean + half_width;
  return s;
}

}  // namespace

double t_quantile_95(int df) {
  if (df < 1) return kNaN;
  const boost::math::students_t dist(static_cast<double>(df));
  return boost::math::quantile(dist, 0.975);
}

std::vector<Summary> summarize_columns(const Eigen::MatrixXd& samples) {
  const double t = t_quantile_95(static_cast<int>(samples.rows()) - 1);
  std::vector<Summary> out;
  out.reserve(static_cast<std::size_t>(samples.cols()));
  for (Eigen::Index c = 0; c < samples.cols(); ++c) {
    out.push_back(summarize_column(samples, c, t));
  }
  return out;
}

Summary summarize(const Eigen::VectorXd& samples) {
  const double t = t_quantile_95(static_cast<int>(samples.rows()) - 1);
  return summarize_column(samples, 0, t);
}

Summary summarize(const std::vector<double>& samples) {
  return summarize(
      Eigen::Map<const Eigen::VectorXd>(samples.data(), static_cast<Eigen::Index>(samples.size())));
}

Summary summarize_difference(const std::vector<double>& a, const std::vector<double>& b) {
  assert(a.size() == b.size());
  const auto n = static_cast<Eigen::Index>(a.size());
  return summarize_difference(Eigen::Map<const Eigen::VectorXd>(a.data(), n),
                              Eigen::Map<const Eigen::VectorXd>(b.data(), n));
}

std::vector<double> metric_samples(const std::vector<ReplicationMetrics>& reps, Metric metric,
                                   Breakdown breakdown, int index) {
  const Eigen::VectorXd column =
      metric_matrix(reps, breakdown, index).col(static_cast<Eigen::Index>(detsim::index(metric)));
  return std::vector<double>(column.data(), column.data() + column.size());
}

Summary summarize_difference(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  assert(a.size() == b.size());
  Eigen::VectorXd d(a.size());
  for (Eigen::Index r = 0; r < a.size(); ++r) d(r) = b(r) - a(r);
  return summarize(d);
}

Eigen::MatrixXd covariance(const Eigen::MatrixXd& samples) {
  const Eigen::Index n = samples.rows();
  const Eigen::Index k = samples.cols();
  if (n < 2) return Eigen::MatrixXd::Constant(k, k, kNaN);
  Eigen::VectorXd mean(k);
  for (Eigen::Index c = 0; c < k; ++c) {
    double sum = 0;
    for (Eigen::Index r = 0; r < n; ++r) sum += samples(r, c);
    mean(c) = sum / static_cast<double>(n);
  }
  Eigen::MatrixXd cov(k, k);
  for (Eigen::Index i = 0; i < k; ++i) {
    for (Eigen::Index j = i; j < k; ++j) {
      double sum = 0;
      for (Eigen::Index r = 0; r < n; ++r) {
        sum += (samples(r, i) - mean(i)) * (samples(r, j) - mean(j));
      }
      cov(i, j) = cov(j, i) = sum / static_cast<double>(n - 1);
    }
  }
  return cov;
}

Eigen::MatrixXd metric_matrix(const std::vector<ReplicationMetrics>& reps, Breakdown breakdown,
                              int index) {
  const auto cols = static_cast<Eigen::Index>(kMetricCount);
  Eigen::MatrixXd m(static_cast<Eigen::Index>(reps.size()), cols);
  for (std::size_t r = 0; r < reps.size(); ++r) {
    const MetricValues* values = &reps[r].total;
    if (breakdown == Breakdown::kFacility) {
      assert(index >= 0 && static_cast<std::size_t>(index) < reps[r].facility.size());
      values = &reps[r].facility[static_cast<std::size_t>(index)];
    } else if (breakdown == Breakdown::kOffense) {
      assert(index >= 0 && static_cast<std::size_t>(index) < reps[r].offense.size());
      values = &reps[r].offense[static_cast<std::size_t>(index)];
    }
    for (Eigen::Index c = 0; c < cols; ++c) {
      m(static_cast<Eigen::Index>(r), c) = (*values)[static_cast<std::size_t>(c)];
    }
  }
  return m;
}

RunSummary summarize_run(const std::vector<ReplicationMetrics>& reps) {
  RunSummary out;
  out.total = summarize_columns(metric_matrix(reps, Breakdown::kTotal));
  if (reps.empty()) return out;
  const int facilities = static_cast<int>(reps.front().facility.size());
  const int offenses = static_cast<int>(reps.front().offense.size());
  for (int f = 0; f < facilities; ++f) {
    out.facility.push_back(summarize_columns(metric_matrix(reps, Breakdown::kFacility, f)));
  }
  for (int o = 0; o < offenses; ++o) {
    out.offense.push_back(summarize_columns(metric_matrix(reps, Breakdown::kOffense, o)));
  }
  return out;
}

}  // namespace detsim
