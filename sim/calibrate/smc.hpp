// The pieces of ABC-SMC (see include/detsim/calibrate.hpp for the
// algorithm): populations, kernels, tolerances, proposals, and the state
// kept after each finished round.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "calibrate/plan.hpp"
#include "engine/rng.hpp"

namespace detsim {

inline constexpr double kInfiniteTolerance = std::numeric_limits<double>::infinity();
// The population keeps this share of its effective sample size from one
// tolerance to the next (Del Moral, Doucet & Jasra 2012 use 0.5 to 0.95).
inline constexpr double kEssKept = 0.5;
// A target is unreachable when no candidate came closer than this many
// measurement sds to it.
inline constexpr double kUnreachableSds = 3.0;
// The round key of the predictive check's draws and simulations.
inline constexpr std::uint32_t kPredictiveRound = 0xFFFFFu;

// One simulated candidate: rows are replications, columns the targets (in
// file order) then the headline metrics (kHeadlineMetrics order).
using CandidateValues = Eigen::MatrixXd;

struct ParticleSet {
  int round = 0;
  double tolerance = kInfiniteTolerance;
  std::vector<std::vector<double>> z;   // [particle][parameter] coordinates
  std::vector<double> weight;           // normalized
  std::vector<CandidateValues> values;  // [particle]
};

struct SmcState {
  ParticleSet population;
  std::vector<CalibrationRound> rounds;
  std::int64_t simulations = 0;
  std::vector<double> closest;  // by target: smallest |x - y| / sd so far
};

// A random stream of the calibration: `round` and `index` (a candidate, or 0).
Stream calibration_stream(std::uint64_t seed, std::uint32_t purpose, std::uint32_t round,
                          std::uint32_t index);
// The scenario seed of candidate `index` of round `round`.
std::uint64_t candidate_seed(std::uint64_t seed, std::uint32_t round, std::uint32_t index);

// log of (1/R) sum_r prod_j N-kernel((y_j - x_rj) / (eps sd_j)), without the
// normalizing constants (they do not depend on the candidate); 0 for an
// infinite eps.
double log_likelihood(const Calibration& cal, const CandidateValues& values, double eps);

// 1 / sum w^2 of normalized weights.
double effective_sample_size(const std::vector<double>& w);
// exp(log_w - max), normalized. REQUIRES: some log_w finite.
std::vector<double> normalize_log_weights(const std::vector<double>& log_w);

// The next tolerance >= 1 (see kEssKept).
double next_tolerance(const Calibration& cal, const ParticleSet& p);

// The previous population's weights at tolerance `eps` (normalized).
std::vector<double> reweighted(const Calibration& cal, const ParticleSet& p, double eps);

// Proposals of round `round` from population `p` with weights `w`: the
// perturbation kernel (Cholesky factor of twice the weighted covariance)
// and the mixture density.
class Proposal {
 public:
  Proposal(const std::vector<Coordinate>& coords, const ParticleSet& p, std::vector<double> w);
  // Candidate `index`'s coordinates, inside the prior's support.
  std::vector<double> draw(std::uint64_t seed, std::uint32_t round, std::uint32_t index) const;
  // log of the mixture density at z, up to a constant.
  double log_density(const std::vector<double>& z) const;

 private:
  const std::vector<Coordinate>& coords_;
  const ParticleSet& p_;
  std::vector<double> w_, cumulative_;
  Eigen::MatrixXd chol_;  // lower triangular
};

// Round 0: candidate `index`'s coordinates drawn from the prior.
std::vector<double> prior_draw(const std::vector<Coordinate>& coords, std::uint64_t seed,
                               std::uint32_t index);

// Systematic resampling: `n` indices by weight, in increasing order.
std::vector<int> systematic_resample(const std::vector<double>& w, int n, double u);

// The state file: saved atomically; loaded only when `identity` matches.
std::string state_identity(const CalibrationInputs& in);
void save_state(const std::string& path, const std::string& identity, const SmcState& s);
// False when there is no file. Throws InputError for a file of another
// calibration or a damaged one.
bool load_state(const std::string& path, const std::string& identity, SmcState* s);

}  // namespace detsim
