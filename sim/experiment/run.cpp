// Replications in parallel: each is independent (its own streams), results
// are stored by replication index, so output does not depend on threads.
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "detsim/run.hpp"
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
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  if (failure) std::rethrow_exception(failure);
  return results;
}

}  // namespace detsim
