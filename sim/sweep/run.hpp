// Running sweep points: a pool of threads over (point, replication) tasks.
//
// Points come from a PointFeed, one at a time, when every replication of
// the points already open has been taken; finished points go to a
// PointSink. Each replication is an independent simulate() call, so a
// point's results do not depend on the thread count or on which thread ran
// which replication.
#pragma once

#include <Eigen/Core>
#include <atomic>
#include <functional>

#include "sweep/plan.hpp"

namespace detsim {

// Where points come from. Called with the pool's lock held (never from
// two threads at once).
class PointFeed {
 public:
  virtual ~PointFeed() = default;
  // The next point to run (an index into Sweep::points), or -1 when none.
  virtual int next() = 0;
};

// Where finished points go. Called with the pool's lock held.
class PointSink {
 public:
  virtual ~PointSink() = default;
  // `values`: one row per replication (in order), one column per sweep
  // metric (Sweep::metrics order), the scenario-wide totals.
  virtual void done(int point, const Eigen::MatrixXd& values) = 0;
};

struct ExecuteOptions {
  int threads = 0;  // 0: all cores
  // Set (by a signal handler, say) to stop: no new replication starts,
  // points left incomplete are never given to the sink.
  const std::atomic<bool>* stop = nullptr;
  // Called on the calling thread about four times a second while the pool
  // runs (progress).
  std::function<void()> tick;
  // The row kept of each replication and its width. Default (empty,
  // 0): sweep_metrics, one column per Sweep::metrics.
  std::function<Eigen::RowVectorXd(const ReplicationMetrics&)> measure;
  int measure_columns = 0;
  // The (point, replication) tasks the feed will give, when known: at most
  // that many worker threads start. 0: unknown (`threads` start).
  long long tasks = 0;
};

// The sweep's metrics of one replication's totals, in Sweep::metrics order.
Eigen::RowVectorXd sweep_metrics(const Sweep& sweep, const ReplicationMetrics& rep);

// Runs points from `feed` until it is empty (or stop is set) and gives each
// finished point to `sink`. Rethrows the first exception of a worker.
void execute_points(const SweepInputs& inputs, PointFeed& feed, PointSink& sink,
                    const ExecuteOptions& options);

// A feed of a fixed list of point indices, in order.
class ListFeed : public PointFeed {
 public:
  explicit ListFeed(std::vector<int> points) : points_(std::move(points)) {}
  int next() override { return next_ < points_.size() ? points_[next_++] : -1; }

 private:
  std::vector<int> points_;
  std::size_t next_ = 0;
};

}  // namespace detsim
