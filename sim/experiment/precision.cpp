// `--precision`: replications in doubling batches until every headline
// metric's 95% CI half-width is within a relative target of its mean.
#include <cmath>

#include "detsim/run.hpp"
#include "detsim/stats.hpp"

namespace detsim {

bool precise_enough(const std::vector<ReplicationMetrics>& reps, double relative) {
  const Eigen::MatrixXd totals = metric_matrix(reps, Breakdown::kTotal);
  for (Metric m : kHeadlineMetrics) {
    const Summary s = summarize(totals.col(static_cast<Eigen::Index>(index(m))));
    if (s.mean == 0) continue;  // nothing to estimate (e.g. declined under cooperative)
    if (!(0.5 * (s.ci_high - s.ci_low) <= relative * std::fabs(s.mean))) return false;
  }
  return true;
}

PrecisionRun run_to_precision(const Scenario& scenario, double relative, int max_replications,
                              const RunOptions& options) {
  PrecisionRun out;
  int done = 0;
  for (int target = std::min(kPrecisionFirstCheck, max_replications);;
       target = std::min(2 * target, max_replications)) {
    RunOptions batch = options;
    batch.first_replication = options.first_replication + done;
    batch.replications = target - done;
    for (ReplicationMetrics& r : run_replications(scenario, batch))
      out.reps.push_back(std::move(r));
    done = target;
    out.reached = precise_enough(out.reps, relative);
    if (out.reached || done >= max_replications) return out;
  }
}

}  // namespace detsim
