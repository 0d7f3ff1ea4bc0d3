// The sweep's thread pool: (point, replication) tasks, points opened in feed
// order, each point's scenario resolved once by the thread that opens it.
#include "sweep/run.hpp"

#include "sweep/points.hpp"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <list>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include <fmt/core.h>

#include "detsim/run.hpp"
#include "experiment/warmup.hpp"

namespace detsim {

namespace {

using namespace std::chrono_literals;

// A point being run: its scenario (null while being resolved), the next
// replication to hand out and how many are still running or not started.
struct OpenPoint {
  int point = 0;
  std::shared_ptr<const Scenario> scenario;
  double warmup = 0;  // warmup_hours(*scenario)
  int next_rep = 0;
  int remaining = 0;
  Eigen::MatrixXd values;
};

class Pool {
 public:
  Pool(const SweepInputs& in, PointFeed& feed, PointSink& sink, const ExecuteOptions& options)
      : in_(in),
        feed_(feed),
        sink_(sink),
        stop_(options.stop),
        reps_(in.sweep.replications),
        measure_(options.measure),
        columns_(options.measure ? options.measure_columns
                                 : static_cast<int>(in.sweep.metrics.size())) {}

  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping()) {
      if (OpenPoint* p = ready_point()) {
        run_replication(*p, lock);
      } else if (!feed_empty_) {
        open_next(lock);
      } else if (any_resolving()) {
        changed_.wait_for(lock, 100ms);
      } else {
        break;  // every replication is taken; their threads finish them
      }
    }
  }

  // Waits until `threads` have left work(), calling `tick` on the way.
  void join(std::vector<std::thread>& threads, const std::function<void()>& tick) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (active_ > 0) {
      finished_.wait_for(lock, 250ms);
      if (tick) {
        lock.unlock();
        tick();
        lock.lock();
      }
    }
    lock.unlock();
    for (std::thread& t : threads) t.join();
    if (failure_) std::rethrow_exception(failure_);
  }

  void enter() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++active_;
  }
  void leave() {
    std::lock_guard<std::mutex> lock(mutex_);
    --active_;
    finished_.notify_all();
  }
  void fail(std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!failure_) failure_ = std::move(e);
    changed_.notify_all();
  }

 private:
  bool stopping() const { return failure_ || (stop_ && stop_->load()); }

  OpenPoint* ready_point() {
    for (OpenPoint& p : open_) {
      if (p.scenario && p.next_rep < reps_) return &p;
    }
    return nullptr;
  }

  bool any_resolving() const {
    for (const OpenPoint& p : open_) {
      if (!p.scenario) return true;
    }
    return false;
  }

  void run_replication(OpenPoint& p, std::unique_lock<std::mutex>& lock) {
    const int rep = p.next_rep++;
    const std::shared_ptr<const Scenario> scenario = p.scenario;
    lock.unlock();
    const ReplicationMetrics metrics = simulate(*scenario, rep, nullptr, p.warmup);
    const Eigen::RowVectorXd row = measure_ ? measure_(metrics) : sweep_metrics(in_.sweep, metrics);
    lock.lock();
    p.values.row(rep) = row;
    if (--p.remaining > 0) return;
    sink_.done(p.point, p.values);
    open_.remove_if([&](const OpenPoint& q) { return &q == &p; });
  }

  void open_next(std::unique_lock<std::mutex>& lock) {
    const int index = feed_.next();
    if (index < 0) {
      feed_empty_ = true;
      return;
    }
    OpenPoint& p = open_.emplace_back();
    p.point = index;
    p.remaining = reps_;
    p.values = Eigen::MatrixXd::Zero(reps_, columns_);
    lock.unlock();
    auto scenario = std::make_shared<const Scenario>(
        resolve_point(in_, in_.sweep.points[static_cast<std::size_t>(index)]));
    const double warmup = warmup_hours(*scenario);
    lock.lock();
    p.warmup = warmup;
    p.scenario = std::move(scenario);
    changed_.notify_all();
  }

  const SweepInputs& in_;
  PointFeed& feed_;
  PointSink& sink_;
  const std::atomic<bool>* stop_;
  const int reps_;
  const std::function<Eigen::RowVectorXd(const ReplicationMetrics&)>& measure_;
  const int columns_;
  std::mutex mutex_;
  std::condition_variable changed_, finished_;
  std::list<OpenPoint> open_;  // stable addresses
  bool feed_empty_ = false;
  int active_ = 0;
  std::exception_ptr failure_;
};

}  // namespace

Eigen::RowVectorXd sweep_metrics(const Sweep& sweep, const ReplicationMetrics& rep) {
  Eigen::RowVectorXd row(static_cast<Eigen::Index>(sweep.metrics.size()));
  for (std::size_t m = 0; m < sweep.metrics.size(); ++m) {
    row(static_cast<Eigen::Index>(m)) = rep.total[index(sweep.metrics[m])];
  }
  return row;
}

void execute_points(const SweepInputs& inputs, PointFeed& feed, PointSink& sink,
                    const ExecuteOptions& options) {
  Pool pool(inputs, feed, sink, options);
  int n = resolve_threads(options.threads);
  if (options.tasks > 0 && options.tasks < n) n = static_cast<int>(options.tasks);
  std::vector<std::thread> threads;
  for (int t = 0; t < n; ++t) {
    pool.enter();
    try {
      threads.emplace_back([&pool] {
        try {
          pool.work();
        } catch (...) {
          pool.fail(std::current_exception());
        }
        pool.leave();
      });
    } catch (const std::system_error& e) {
      // Not std::terminate: the started threads stop, the error says why.
      pool.leave();
      pool.fail(std::make_exception_ptr(std::runtime_error(
          fmt::format("cannot start worker thread {} of {}: {} (use fewer --threads)", t + 1, n,
                      e.code().message()))));
      break;
    }
  }
  pool.join(threads, options.tick);
}

}  // namespace detsim
