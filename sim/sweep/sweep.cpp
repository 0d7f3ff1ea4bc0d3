// Reading and running a sweep through the public API (include/detsim/sweep.hpp):
// the plan, in-memory runs of points, and a run that writes the results
// files as `detsim sweep` does.
#include "detsim/sweep.hpp"

#include <map>
#include <stdexcept>

#include "sweep/job.hpp"
#include "sweep/plan.hpp"
#include "sweep/points.hpp"
#include "sweep/run.hpp"

namespace detsim {

SweepPlan::SweepPlan(const std::string& path)
    : inputs_(std::make_shared<const SweepInputs>(read_sweep_inputs(path))) {}

const Sweep& SweepPlan::sweep() const {
  return inputs_->sweep;
}

Scenario SweepPlan::point_scenario(int point) const {
  return resolve_point(*inputs_, inputs_->sweep.points.at(static_cast<std::size_t>(point)));
}

void SweepPlan::check(int threads) const {
  check_points(*inputs_, threads);
}

SweepPlan load_sweep(const std::string& path) {
  return SweepPlan(path);
}

namespace {

// Keeps each finished point's values by point.
class CollectingSink : public PointSink {
 public:
  void done(int point, const Eigen::MatrixXd& values) override {
    std::vector<std::vector<double>>& rows = results_[point];
    rows.assign(static_cast<std::size_t>(values.rows()), {});
    for (Eigen::Index r = 0; r < values.rows(); ++r) {
      for (Eigen::Index m = 0; m < values.cols(); ++m) rows[r].push_back(values(r, m));
    }
  }
  std::vector<std::vector<double>> take(int point) { return std::move(results_.at(point)); }

 private:
  std::map<int, std::vector<std::vector<double>>> results_;
};

}  // namespace

std::vector<PointResults> run_sweep_points(const SweepPlan& plan, std::vector<int> points,
                                           int threads) {
  const std::vector<SweepPoint>& all = plan.sweep().points;
  if (points.empty()) {
    for (const SweepPoint& p : all) points.push_back(p.index);
  }
  for (int p : points) {
    if (p < 0 || static_cast<std::size_t>(p) >= all.size())
      throw std::out_of_range("run_sweep_points: no point " + std::to_string(p));
  }
  CollectingSink sink;
  ListFeed feed(points);
  ExecuteOptions options;
  options.threads = threads;
  options.tasks = static_cast<long long>(points.size()) * plan.sweep().replications;
  execute_points(plan.inputs(), feed, sink, options);
  std::vector<PointResults> out;
  for (int p : points) out.push_back({p, sink.take(p)});
  return out;
}

SweepStatus run_sweep(const SweepPlan& plan, const std::string& out, const SweepRunOptions& options,
                      const std::function<void(const SweepStatus&)>& on_start,
                      const std::function<void(const SweepStatus&)>& on_tick) {
  SweepJob job;
  job.sweep_path = plan.sweep().source;
  job.out = out;
  job.run = options;
  const SweepInputs& in = plan.inputs();
  check_points(in, options.threads);
  OpenResults open;
  open_results(job, in, open);
  ResultsWriter writer(in.sweep, open);
  SweepStatus status = start_status(open);
  if (on_start) on_start(status);
  ListFeed feed(open.todo);
  ExecuteOptions execute;
  execute.threads = options.threads;
  execute.stop = options.stop;
  execute.tasks = static_cast<long long>(open.todo.size()) * in.sweep.replications;
  execute.tick = [&] {
    status.finished = writer.finished();
    if (on_tick) on_tick(status);
  };
  execute_points(in, feed, writer, execute);
  status.finished = writer.finished();
  status.stopped = options.stop != nullptr && options.stop->load();
  if (status.stopped) writer.flush_waiting();
  writer.sync();
  return status;
}

}  // namespace detsim
