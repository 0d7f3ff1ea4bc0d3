// Sweeps over MPI ranks (`mpirun -np N detsim sweep ...`), in builds with
// DETSIM_MPI=ON (DETSIM_HAVE_MPI).
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
#pragma once

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

 private:
  int rank_ = 0;
  int size_ = 1;
  bool initialized_ = false;
};

// Runs `job` over every rank. Every rank calls it. REQUIRES: size() > 1.
// Rank 0 throws the errors of the input (InputError, exit 2) after every
// rank has agreed to stop; the other ranks return the exit code silently.
int run_sweep_mpi(const MpiSession& mpi, const SweepJob& job);

}  // namespace detsim
