// Statistics across replications (one code path for run, compare and sweep).
//
// Every sum runs over the replications in order with plain additions, so a
// summary depends only on its samples: bit-identical whatever the thread
// count or the build's vectorization. Functions here throw nothing.
#pragma once

#include <vector>

#include "detsim/metrics.hpp"

namespace detsim {

// Summary of one metric over n replications, in the metric's unit. With
// n < 2, sd and the CI are NaN (written as null): one replication says
// nothing about spread. With n = 0 every field but n is NaN.
struct Summary {
  int n = 0;          // replications; default 0
  double mean = 0;    // default 0
  double sd = 0;      // sample standard deviation (n - 1); default 0
  double ci_low = 0;  // 95% confidence interval, Student t with n - 1 df; default 0
  double ci_high = 0;
  double min = 0;  // smallest sample; default 0
  double max = 0;  // largest sample; default 0
};

// Summary of `samples` (one per replication, in order). A constant sample
// gives mean = min = max and sd = 0 exactly.
Summary summarize(const std::vector<double>& samples);

// Summary of the paired differences b[r] - a[r] (common random numbers:
// replication r of both sees the same people). Identical inputs give
// exactly 0 for mean, sd and both CI bounds.
// REQUIRES: a.size() == b.size().
Summary summarize_difference(const std::vector<double>& a, const std::vector<double>& b);

// The 0.975 quantile of Student's t with `df` degrees of freedom (the
// half-width factor of a two-sided 95% interval): 12.706 for df = 1, 1.960
// in the limit. NaN for df < 1.
double t_quantile_95(int df);

// Which values of a replication a statistic is taken over: the totals, one
// facility's or one offense category's.
enum class Breakdown { kTotal, kFacility, kOffense };

// The values of metric `metric` over `reps` (one per replication, in order)
// for the totals, one facility or one offense category.
// REQUIRES: `index` is a valid facility or category index of every
// replication (ignored for kTotal).
std::vector<double> metric_samples(const std::vector<ReplicationMetrics>& reps, Metric metric,
                                   Breakdown breakdown = Breakdown::kTotal, int index = 0);

using MetricSummaries = std::vector<Summary>;  // kMetricCount entries, kMetricNames order

// Summaries of a run: totals, per facility, per offense category (as many
// facilities and categories as the first replication has; none without
// replications).
struct RunSummary {
  MetricSummaries total;
  std::vector<MetricSummaries> facility;  // by facility index
  std::vector<MetricSummaries> offense;   // by offense category
};
RunSummary summarize_run(const std::vector<ReplicationMetrics>& reps);

}  // namespace detsim
