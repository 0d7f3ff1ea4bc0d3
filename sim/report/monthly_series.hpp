// `run --series monthly`: one row per month, facility and series column,
// with the mean over replications and its 95% interval (the daily series
// keeps one row per replication, day and facility).
//
// Per replication, a month's flows (decisions, honored, notified, declined,
// transfers, lapsed) are the sums of its days in the window, its stocks
// (occupancy, holds_active) the means of its days' end-of-day values.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "detsim/run.hpp"

namespace detsim {

class MonthlySeries {
 public:
  explicit MonthlySeries(const Scenario& scenario);

  // The observer of replication `replication` (one per replication; each
  // is used by one thread).
  std::unique_ptr<Observer> observer(int replication);
  // The CSV: month,facility,series,n,mean,ci_low,ci_high,ci_bounded, months in
  // order, facilities in scenario order; ci_low raised to 0 when below
  // (ci_bounded true). Throws nothing but std::bad_alloc.
  std::string csv() const;

  static constexpr std::size_t kColumns = 8;
  using Cell = std::array<double, kColumns + 1>;  // the columns, then days seen

 private:
  friend class MonthlyObserver;
  const Scenario& sc_;
  int first_month_ = 0, months_ = 0;  // months since year 0 of the start; months in the window
  std::mutex mutex_;
  std::map<int, std::vector<Cell>> reps_;  // replication -> [month * facilities + facility]
};

}  // namespace detsim
