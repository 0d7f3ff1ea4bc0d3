// The statistics of include/detsim/stats.hpp on Eigen matrices (rows:
// replications, columns: metrics), as the library uses them inside.
#pragma once

#include <Eigen/Core>
#include <limits>
#include <vector>

#include "detsim/stats.hpp"

namespace detsim {

// The value of a statistic that is not defined (too few replications, a
// zero variance).
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Summary of each column of `samples` (rows: replications).
std::vector<Summary> summarize_columns(const Eigen::MatrixXd& samples);
Summary summarize(const Eigen::VectorXd& samples);
// REQUIRES: a.size() == b.size().
Summary summarize_difference(const Eigen::VectorXd& a, const Eigen::VectorXd& b);

// Sample covariance (n - 1) of the columns of `samples` (rows:
// replications): a square matrix with one row and column per column of
// `samples`. With fewer than 2 rows every entry is NaN.
Eigen::MatrixXd covariance(const Eigen::MatrixXd& samples);

// Rows = replications, columns = metrics (kMetricNames order), for the
// totals, one facility or one offense category.
// REQUIRES: as metric_samples.
Eigen::MatrixXd metric_matrix(const std::vector<ReplicationMetrics>& reps, Breakdown breakdown,
                              int index = 0);

}  // namespace detsim
