// Streamed CSV outputs of parallel replications (the per-person trace and
// the daily series): rows are appended as replications finish, in
// replication order, so the file is identical for any thread count and
// memory does not grow with the horizon.
//
// Complete or absent: the rows go to a hidden temporary file beside the
// output (".NAME.tmp.*", with one ".partN" file per running replication);
// commit() checks every write, flushes the file to disk and renames it to
// its final name. Without commit() (an error, a cancelled run) the
// destructor removes the temporary file and every part file.
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

  // Creates the temporary file beside `path` and writes the header. Throws
  // InputError when `path` exists and is not a regular file, and
  // std::runtime_error when the file cannot be written.
  OrderedCsv(std::string path, Kind kind, const Scenario& scenario, int first_replication);
  ~OrderedCsv();
  OrderedCsv(const OrderedCsv&) = delete;
  OrderedCsv& operator=(const OrderedCsv&) = delete;

  // The observer for replication `replication`: it writes to a part file
  // until `finish(replication)`.
  std::unique_ptr<Observer> observer(int replication);
  // Appends every finished replication that is next in order. Throws
  // std::runtime_error naming the output when a write failed.
  void finish(int replication);
  // Checks that every replication was appended and every write succeeded,
  // flushes, closes and renames the file to its final name. Throws
  // std::runtime_error naming the output on failure (nothing then is left
  // under either name once the object is destroyed).
  void commit();

  static std::string header(Kind kind);

  // Records a failed write of a part file (called by its writer).
  void part_failed(const std::string& message);

 private:
  std::string part_path(int replication) const;
  void check_failure();

  std::string path_;
  std::string temp_;
  Kind kind_;
  const Scenario& scenario_;
  std::FILE* out_ = nullptr;
  std::mutex mutex_;
  int next_ = 0;  // the next replication to append
  std::set<int> finished_;
  std::set<int> parts_;  // every part file created and not yet appended
  std::string failure_;  // the first failed write, or empty
  bool committed_ = false;
};

}  // namespace detsim
