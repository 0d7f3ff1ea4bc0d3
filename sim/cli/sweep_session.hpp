// What the single-process and the MPI paths of `detsim sweep` share: the
// stop signals, the progress line and the closing report.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "sweep/job.hpp"

namespace detsim {

// SIGINT and SIGTERM set a flag (workers start no new replication) while
// this object lives; a second signal ends the process at once (the default
// action). The previous handlers are restored on destruction.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  const std::atomic<bool>& flag() const;
  // The signal received, or 0.
  int received() const;
};

// The progress line on stderr: points done of the job's total, points per
// second and the time left. Shown only on a terminal and without --quiet.
class SweepProgress {
 public:
  SweepProgress(const SweepJob& job, int total, int already_done);
  // `finished`: points finished in this session. At most 4 updates a second.
  void update(int finished);
  // Erases the line.
  void clear();

 private:
  bool enabled_;
  int total_;
  int already_done_;
  std::chrono::steady_clock::time_point start_, last_;
  bool shown_ = false;
};

// After the pool has stopped: on an interruption writes the finished
// points still waiting, says how to resume and returns 128 + the signal;
// otherwise reports the sweep (unless --quiet), prints the sensitivity
// table on stdout with --sensitivity and returns 0.
int finish_sweep(const SweepJob& job, const SweepInputs& inputs, const OpenResults& open,
                 ResultsWriter& writer, int signal);


}  // namespace detsim
