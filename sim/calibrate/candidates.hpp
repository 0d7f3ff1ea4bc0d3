// Simulating a round's candidates: as sweep points (one per candidate, its
// parameter values and its own scenario seed), on this process's thread pool
// or elsewhere (the tool's MPI ranks) through a CandidateExecutor.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "calibrate/smc.hpp"
#include "sweep/run.hpp"

namespace detsim {

// Sets `sweep`'s points (a copy of in.sweep) to the candidates `z` (their
// coordinates, one point per candidate, index = position) of round `round`,
// each with `replications` replications and the seed candidate_seed gives.
void set_candidate_points(const CalibrationInputs& in, std::uint32_t round,
                          const std::vector<std::vector<double>>& z, int replications,
                          SweepInputs* sweep);

// ExecuteOptions::measure and measure_columns of a calibration: the targets'
// values (file order), then the headline metrics' totals.
int candidate_columns(const CalibrationInputs& in);
Eigen::RowVectorXd measure_candidate(const CalibrationInputs& in, const ReplicationMetrics& m);

// Where a round's candidates run.
class CandidateExecutor {
 public:
  virtual ~CandidateExecutor() = default;
  // Simulates the candidates `z` of round `round` (`replications` each) and
  // sets (*out)[i] to candidate i's values (replications x
  // candidate_columns). Starts nothing new once *stop is true (stop may be
  // null); calls tick(candidates finished) on the calling thread about four
  // times a second. False when stopped before every candidate finished.
  virtual bool run(std::uint32_t round, const std::vector<std::vector<double>>& z, int replications,
                   const std::atomic<bool>* stop, const std::function<void(int)>& tick,
                   std::vector<CandidateValues>* out) = 0;
};

// This process's thread pool (`threads`: 0 for all cores).
std::unique_ptr<CandidateExecutor> local_candidates(const CalibrationInputs& in, int threads);

}  // namespace detsim
