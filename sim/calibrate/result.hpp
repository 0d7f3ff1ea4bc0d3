// The result of a calibration from its final state: the posterior's summary,
// the predictive check, the diagnostics and warnings.
#pragma once

#include <vector>

#include "calibrate/smc.hpp"

namespace detsim {

// `predictive`: one simulation (1 x columns) per draw of the predictive check.
CalibrationResult make_result(const CalibrationInputs& in, const SmcState& s, bool converged,
                              const std::vector<CandidateValues>& predictive);

// The weighted q-quantile of `x`: the smallest value whose cumulative weight
// reaches q. REQUIRES: x.size() == w.size() > 0, weights normalized.
double weighted_quantile(const std::vector<double>& x, const std::vector<double>& w, double q);

// The total of metric m in every replication of every posterior draw
// ([draw][replication]), minus the same replication of `minus` when given
// (a paired difference).
std::vector<std::vector<double>> posterior_metric_values(
    const std::vector<std::vector<ReplicationMetrics>>& reps, Metric m,
    const std::vector<std::vector<ReplicationMetrics>>* minus);

}  // namespace detsim
