// Timing a sweep in a benchmark: every point of `in` on state.range(0)
// threads per iteration, with a sink that counts finished points and keeps
// their values from being optimized away.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "sweep/plan.hpp"
#include "sweep/run.hpp"

namespace detsim::bench {

class CountingSink : public PointSink {
 public:
  void done(int, const Eigen::MatrixXd& values) override {
    ++points;
    benchmark::DoNotOptimize(values.data());
  }
  std::int64_t points = 0;
};

// Runs the benchmark loop; returns the points finished over all iterations.
inline std::int64_t run_sweep_benchmark(benchmark::State& state, const SweepInputs& in) {
  std::vector<int> all;
  for (const SweepPoint& p : in.sweep.points) all.push_back(p.index);
  CountingSink sink;
  for (auto _ : state) {
    ListFeed feed(all);
    ExecuteOptions options;
    options.threads = static_cast<int>(state.range(0));
    execute_points(in, feed, sink, options);
  }
  return sink.points;
}

}  // namespace detsim::bench
