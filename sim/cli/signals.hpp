// SIGINT and SIGTERM during a long command (`detsim sweep`): the first asks
// the work to stop cleanly, a second ends the process.
#pragma once

#include <atomic>

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

  // The flag the handlers set; false until a signal arrives while a
  // StopSignals lives (each construction clears it).
  static const std::atomic<bool>& flag();
  // The signal received, or 0.
  int received() const;
};

}  // namespace detsim
