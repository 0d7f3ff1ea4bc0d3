// Sweeps and calibrations over MPI ranks (`mpirun -np N detsim sweep ...`,
// `mpirun -np N detsim calibrate ...`), in builds with DETSIM_HAVE_MPI (the
// `mpi` preset, or the `detsim-mpi` target). Only this file's .cpp sees MPI.
//
// Rank 0 coordinates and writes: it checks every point, opens (or resumes)
// the results files, hands out point indices one at a time to the ranks
// that ask (dynamic load balancing), and writes each finished point through
// the same in-order writer as a single process, so the output is identical.
// Ranks 1..N-1 run each point they get on their own thread pool (--threads
// per rank) and send back its replications' metrics. Rank 0 runs no
// simulations.
//
// Messages (tags): a worker sends kRequest (empty) and receives an int, the
// point index or -1 for "no more"; it sends kResult (doubles: the point
// index, then replications x metrics values row by row) for each finished
// point and kDone (empty) when its pool has stopped. Messages between two
// ranks arrive in order, so rank 0 has every result of a worker once its
// kDone arrives.
//
// Calibrations (docs/calibration.md) use the same messages round by round.
// Rank 0 runs the sequential Monte Carlo and alone writes (state file,
// outputs, progress); for each round it sends every worker kRound (doubles:
// the round, the replications per candidate, the number of parameters, then
// each candidate's coordinates), answers each kRequest with kPoint holding
// the next few candidate indices (guided self-scheduling: a share of those
// left, shrinking to one; -1 for "no more"), collects kResult as for sweep
// points, and the round ends when every worker has sent kDone. An empty kRound means "no more
// rounds". A candidate's results depend only on its coordinates, round and index, so they are the
// same on any rank, and so is the whole calibration.
#pragma once

#include <exception>
#include <memory>

#include "sweep/job.hpp"

namespace detsim {

// MPI_Init_thread (MPI_THREAD_SERIALIZED) on construction and MPI_Finalize
// on destruction, in MPI builds; without MPI a single rank.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  // Throws unless the MPI library provides MPI_THREAD_SERIALIZED (the
  // workers' pools call MPI from their threads, one at a time).
  void require_serialized() const;
  // Every rank calls it after a phase in which any may have failed
  // (`error`, or null): all learn the worst exit code (2 bad input or usage,
  // 1 anything else, 0 none). On a failure rank 0 rethrows its own error (or
  // reports another rank's); the other ranks print theirs (prefixed
  // "detsim COMMAND (MPI rank R)") when rank 0 had none and return the code.
  int agree(const std::exception_ptr& error, const char* command) const;

 private:
  int rank_ = 0;
  int size_ = 1;
  bool initialized_ = false;
};

// Runs `job` over every rank. Every rank calls it. REQUIRES: size() > 1.
// Rank 0 throws the errors of the input (InputError, exit 2) after every
// rank has agreed to stop; the other ranks return the exit code silently.
int run_sweep_mpi(const MpiSession& mpi, const SweepJob& job);

struct CalibrationInputs;
class CandidateExecutor;

// Rank 0 of a calibration: runs each round's candidates on ranks 1..N-1.
// Its destruction tells them there are no more rounds. An error while a
// round is out aborts every rank (MPI_Abort). REQUIRES: size() > 1.
std::unique_ptr<CandidateExecutor> mpi_candidates(const MpiSession& mpi,
                                                  const CalibrationInputs& in);
// Ranks 1..N-1 of a calibration: run the candidates rank 0 hands out
// (`threads` per rank) until it says there are no more rounds. Returns 0, or
// 128 + the signal after SIGINT/SIGTERM (the candidates held still finish).
int run_candidates_mpi(const MpiSession& mpi, const CalibrationInputs& in, int threads);

}  // namespace detsim
