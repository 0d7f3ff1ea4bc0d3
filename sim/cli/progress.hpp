// The progress line of `detsim sweep` on stderr: points done of the job's
// total, points per second and the time left.
#pragma once

#include <chrono>

namespace detsim {

// Shown only when `enabled` (the CLI: on a terminal and without --quiet).
class SweepProgress {
 public:
  SweepProgress(bool enabled, int total, int already_done);
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

}  // namespace detsim
