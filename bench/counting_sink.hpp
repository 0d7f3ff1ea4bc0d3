// A sweep sink for benchmarks: counts finished points and keeps their values
// from being optimized away.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>

#include <Eigen/Core>

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

}  // namespace detsim::bench
