// Metric names (docs/metrics.md) and one replication's results.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace detsim {

// Every metric, in output order. Names are a contract: extend, never rename.
#define DETSIM_METRICS(X)                         \
  X(bookings)                                     \
  X(noncitizen_bookings)                          \
  X(detainers_lodged)                             \
  X(detainers_late)                               \
  X(detainers_on_citizens)                        \
  X(decisions)                                    \
  X(honored)                                      \
  X(notified)                                     \
  X(declined)                                     \
  X(transferred_287g)                             \
  X(transfers_from_hold)                          \
  X(lapsed)                                       \
  X(transfers_on_notice)                          \
  X(missed_notices)                               \
  X(transfers)                                    \
  X(released_despite_detainer)                    \
  X(released_despite_detainer_convicted)          \
  X(citizens_held)                                \
  X(hold_hours)                                   \
  X(max_hold_hours)                               \
  X(hold_bed_days)                                \
  X(hold_cost)                                    \
  X(holds_open_at_end)                            \
  X(notices_open_at_end)                          \
  X(in_custody_at_end)                            \
  X(detainers_in_custody_at_end)                  \
  X(at_large_arrests)                             \
  X(mean_occupancy)                               \
  X(peak_occupancy)                               \
  X(over_capacity_hours)                          \
  X(ice_mean_wait_hours)                          \
  X(ice_team_utilization)                         \
  X(extra_stay_bed_days)                          \
  X(extra_stay_cost)                              \
  X(detention_cost)                               \
  X(detainers_lifted)                             \
  X(citizen_detainers_lifted)                     \
  X(rebookings)                                   \
  X(rebookings_after_release_despite_detainer)    \
  X(held_under_287g)                              \
  X(released_despite_detainer_recorded)           \
  X(released_despite_detainer_recorded_convicted) \
  X(detainers_active_recorded_at_end)             \
  X(detainers_in_custody_total_at_end)

enum class Metric : std::uint8_t {
#define DETSIM_METRIC_ENUM(name) name,
  DETSIM_METRICS(DETSIM_METRIC_ENUM)
#undef DETSIM_METRIC_ENUM
};

inline constexpr std::size_t kMetricCount = 0
#define DETSIM_METRIC_COUNT(name) +1
    DETSIM_METRICS(DETSIM_METRIC_COUNT)
#undef DETSIM_METRIC_COUNT
    ;

inline constexpr std::array<std::string_view, kMetricCount> kMetricNames = {
#define DETSIM_METRIC_NAME(name) #name,
    DETSIM_METRICS(DETSIM_METRIC_NAME)
#undef DETSIM_METRIC_NAME
};

constexpr std::size_t index(Metric m) {
  return static_cast<std::size_t>(m);
}

// The metric's index, or -1 when `name` is no metric.
int metric_index(std::string_view name);

// The headline metrics, shown first and used by `--precision`.
inline constexpr std::array<Metric, 4> kHeadlineMetrics = {
    Metric::honored, Metric::declined, Metric::transfers, Metric::released_despite_detainer};

using MetricValues = std::array<double, kMetricCount>;

// One replication's metrics: the totals, each facility's and each offense
// category's (over all facilities). Occupancy metrics are per facility and
// total only (0 for offense categories); ICE queue metrics are scenario-wide
// (total only).
struct ReplicationMetrics {
  MetricValues total{};
  std::vector<MetricValues> facility;  // by facility index
  std::vector<MetricValues> offense;   // by offense category
};

}  // namespace detsim
