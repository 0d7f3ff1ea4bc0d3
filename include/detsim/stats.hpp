// Statistics across replications (one code path for run, compare and sweep).
#pragma once

#include <Eigen/Core>
#include <vector>

#include "detsim/metrics.hpp"

namespace detsim {

// Summary of one metric over n replications. With n < 2, sd and the CI are
// NaN (written as null): one replication says nothing about spread.
struct Summary {
  int n = 0;
  double mean = 0;
  double sd = 0;      // sample standard deviation (n - 1)
  double ci_low = 0;  // 95% confidence interval, Student t with n - 1 df
  double ci_high = 0;
  double min = 0;
  double max = 0;
};

// Summary of each column of `samples` (rows: replications). Sums run over
// the rows in order, so results are bit-identical for the same samples
// whatever the thread count or the build's vectorization. A constant column
// gives mean = min = max and sd = 0 exactly. With n = 0 every field but n is
// NaN.
std::vector<Summary> summarize_columns(const Eigen::MatrixXd& samples);
Summary summarize(const Eigen::VectorXd& samples);

// Summary of the paired differences b[r] - a[r] (common random numbers:
// replication r of both sees the same people). Identical inputs give
// exactly 0 for mean, sd and both CI bounds.
// REQUIRES: a.size() == b.size().
Summary summarize_difference(const Eigen::VectorXd& a, const Eigen::VectorXd& b);

// Sample covariance (n - 1) of the columns of `samples` (rows:
// replications): a square matrix with one row and column per column of
// `samples`. With fewer than 2 rows every entry is NaN.
Eigen::MatrixXd covariance(const Eigen::MatrixXd& samples);

// The 0.975 quantile of Student's t with `df` degrees of freedom (the
// half-width factor of a two-sided 95% interval): 12.706 for df = 1, 1.960
// in the limit. NaN for df < 1.
double t_quantile_95(int df);

// Rows = replications, columns = metrics (kMetricNames order), for the
// totals, one facility or one offense category.
// REQUIRES: `index` is a valid facility or category index of every replication
// (ignored for kTotal).
enum class Breakdown { kTotal, kFacility, kOffense };
Eigen::MatrixXd metric_matrix(const std::vector<ReplicationMetrics>& reps, Breakdown breakdown,
                              int index = 0);

using MetricSummaries = std::vector<Summary>;  // kMetricCount entries

// Summaries of a run: totals, per facility, per offense category (as many
// facilities and categories as the first replication has; none without
// replications).
struct RunSummary {
  MetricSummaries total;
  std::vector<MetricSummaries> facility;
  std::vector<MetricSummaries> offense;
};
RunSummary summarize_run(const std::vector<ReplicationMetrics>& reps);

}  // namespace detsim
