// Streamed CSV outputs of parallel replications (the per-person trace and
// the daily series): rows are appended to the file and flushed as
// replications finish, in replication order, so the file is identical for
// any thread count and memory does not grow with the horizon.
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "detsim/run.hpp"

namespace detsim {

class OrderedCsv {
 public:
  enum class Kind { kTrace, kSeries };

  // Creates (truncates) `path` and writes the header. Throws
  // std::runtime_error when the file cannot be written.
  OrderedCsv(std::string path, Kind kind, const Scenario& scenario, int first_replication);
  ~OrderedCsv();
  OrderedCsv(const OrderedCsv&) = delete;
  OrderedCsv& operator=(const OrderedCsv&) = delete;

  // The observer for replication `replication`: it writes to a temporary
  // file beside `path` until `finish(replication)`.
  std::unique_ptr<Observer> observer(int replication);
  // Appends every finished replication that is next in order.
  void finish(int replication);

  static std::string header(Kind kind);

 private:
  std::string part_path(int replication) const;

  std::string path_;
  Kind kind_;
  const Scenario& scenario_;
  std::FILE* out_ = nullptr;
  std::mutex mutex_;
  int next_ = 0;  // the next replication to append
  std::set<int> finished_;
};

}  // namespace detsim
