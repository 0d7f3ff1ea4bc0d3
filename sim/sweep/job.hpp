// One `detsim sweep` invocation's output side: which points it runs, the
// results files (new, or resumed and repaired), the sidecar, and the writer
// that appends finished points in order.
//
// Order. Rows are appended in point order (a reorder buffer holds points
// that finish early), so an uninterrupted single-process run writes the
// same bytes whatever the thread count, and so does MPI. After an
// interruption the points already finished are written at once, out of
// order; a resumed file then holds the same rows, possibly in another
// order (sort by point_id, or `detsim merge`, to compare).
#pragma once

#include <Eigen/Core>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "detsim/sweep.hpp"
#include "sweep/run.hpp"

namespace detsim {

struct SweepJob {
  std::string sweep_path;
  std::string out;      // RESULTS.csv
  SweepRunOptions run;  // threads, --per-replication, --shard, --resume, the command line
  bool quiet = false;
  bool sensitivity = false;
};

// The sidecar of `out`: out + ".json".
std::string sidecar_path(const std::string& out);

// The job's points, in point order: the shard's.
std::vector<int> shard_points(const Sweep& sweep, const SweepJob& job);

// The results files, open for appending, and what is left to run.
struct OpenResults {
  std::vector<int> todo;             // points to run, in point order
  int already_done = 0;              // rows found on --resume
  bool repaired = false;             // a torn last line was cut off
  std::vector<std::string> dropped;  // rows dropped on --resume (SweepStatus::dropped)
  std::FILE* results = nullptr;
  std::FILE* replications = nullptr;  // null without --per-replication

  OpenResults() = default;
  OpenResults(const OpenResults&) = delete;
  OpenResults& operator=(const OpenResults&) = delete;
  ~OpenResults();
};

// The status of a run that has opened `open` and finished nothing yet.
SweepStatus start_status(const OpenResults& open);

// Creates the results files (with their headers) and the sidecar, or on
// --resume reads and repairs them. Checks everything before writing
// anything. Throws InputError (exit 2) when the output exists without
// --resume, when existing files belong to another sweep (header or the
// sidecar's fingerprint differ, or the sidecar is missing, unless --force),
// when the results are not a regular file, or when another run holds their
// lock. Rows that are not whole rows of this sweep are dropped (their points
// run again) and listed in `open.dropped`. The results file stays locked
// (flock) while `open.results` is open.
void open_results(const SweepJob& job, const SweepInputs& inputs, OpenResults& open);

// The sink of a single process or of MPI rank 0: writes each finished point
// in `todo` order and flushes.
class ResultsWriter : public PointSink {
 public:
  ResultsWriter(const Sweep& sweep, const OpenResults& open);

  void done(int point, const Eigen::MatrixXd& values) override;
  // Writes every finished point still waiting for an earlier one.
  void flush_waiting();
  // Points finished in this session (written or waiting).
  int finished() const { return finished_; }
  // Flushes the rows written so far to disk (fsync). Rows are flushed to the
  // operating system as they are written, and synced to disk at most
  // kSyncSeconds apart and by this call at the end: a power loss costs at
  // most the rows of the last second (resume runs them again). Throws
  // std::runtime_error when the disk refuses.
  void sync();
  static constexpr double kSyncSeconds = 1.0;

 private:
  void write(int point, const Eigen::MatrixXd& values);

  const Sweep& sweep_;
  std::FILE* results_;
  std::FILE* replications_;
  std::map<int, int> position_;  // point -> position in todo
  std::vector<int> todo_;
  std::size_t next_ = 0;                            // position of the next row to write
  std::map<std::size_t, Eigen::MatrixXd> waiting_;  // by position
  int finished_ = 0;
  std::chrono::steady_clock::time_point last_sync_ = std::chrono::steady_clock::now();
};

}  // namespace detsim
