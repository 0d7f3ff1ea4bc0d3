// Metric names (include/detsim/metrics.hpp).
#include "detsim/metrics.hpp"

namespace detsim {

int metric_index(std::string_view name) {
  for (std::size_t i = 0; i < kMetricCount; ++i) {
    if (kMetricNames[i] == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace detsim
