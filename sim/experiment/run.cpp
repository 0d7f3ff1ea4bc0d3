// Replications in parallel: each is independent (its own streams), results
// are stored by replication index, so output does not depend on threads.
#include <algorithm>
#include <cmath>
#include <atomic>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

#include <fmt/core.h>

#include "detsim/run.hpp"
#include "detsim/stats.hpp"
#include "experiment/stats.hpp"
#include "experiment/warmup.hpp"
#include "model/simulation.hpp"

namespace detsim {

ReplicationMetrics simulate(const Scenario& scenario, int replication, Observer* observer,
                            std::optional<double> warmup) {
  Simulation sim(scenario, replication, observer, nullptr, warmup);
  return sim.run();
}

int resolve_threads(int requested) {
  if (requested > 0) return requested;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

std::vector<ReplicationMetrics> run_replications(const Scenario& scenario,
                                                 const RunOptions& options) {
  const int n = options.replications > 0 ? options.replications : scenario.replications;
  std::vector<ReplicationMetrics> results(n);
  const int threads = std::min(resolve_threads(options.threads), n);
  const double warmup = warmup_hours(scenario);
  std::atomic<int> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&] {
    for (int i = next++; i < n; i = next++) {
      if (options.cancel && options.cancel->load()) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::make_exception_ptr(Cancelled());
        return;
      }
      try {
        const int rep = options.first_replication + i;
        {
          std::unique_ptr<Observer> observer = options.observer ? options.observer(rep) : nullptr;
          results[i] = simulate(scenario, rep, observer.get(), warmup);
        }
        if (options.done) options.done(rep);
      } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  if (threads <= 1) {
    worker();
  } else {
    // A thread that cannot start (a memory or process limit) is an error
    // message, not std::terminate: the started ones take no new work, are
    // joined, and the error names the limit.
    std::vector<std::thread> pool;
    std::string start_failure;
    for (int t = 0; t < threads; ++t) {
      try {
        pool.emplace_back(worker);
      } catch (const std::system_error& e) {
        start_failure = fmt::format("cannot start worker thread {} of {}: {} (use fewer --threads)",
                                    t + 1, threads, e.code().message());
        next.store(n);
        break;
      }
    }
    for (auto& t : pool) t.join();
    if (!start_failure.empty()) throw std::runtime_error(start_failure);
  }
  if (failure) std::rethrow_exception(failure);
  return results;
}

// `--precision`: replications in doubling batches until every headline
// metric's 95% CI half-width is within a relative target of its mean.
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
  out.target = relative;
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
