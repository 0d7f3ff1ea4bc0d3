// Calibration to observed counts (docs/calibration.md): a calibration file
// names a base scenario, priors over some of its values (any `--set` path)
// and observed counts with their measurement standard deviations; detsim
// infers the posterior over the values by sequential Monte Carlo ABC.
//
// The target. Each observed count y_j is one replication's value x_j of its
// metric plus Gaussian measurement error N(0, sd_j^2). A candidate's
// likelihood is estimated by averaging, over its `replications`
// replications, the product over targets of the Gaussian kernel values
// (never the kernel of the replications' mean, which would understate the
// simulation noise). That estimate is unbiased, so importance sampling with
// it targets the exact posterior under the measurement-error model.
//
// The algorithm (abc-smc). Population Monte Carlo ABC (Beaumont, Cornuet,
// Marin & Robert 2009) with a Gaussian kernel whose scale is the
// measurement sd times a tolerance factor eps >= 1 (Wilkinson 2013: at
// eps = 1 the ABC posterior is the exact posterior of the measurement-error
// model), and the tolerance schedule of Del Moral, Doucet & Jasra (2012):
// each next eps is the one at which the current population, reweighted,
// keeps half its effective sample size. Round 0 draws the particles from
// the prior (eps infinite); each later round proposes from the previous
// population (weighted resampling, then a Gaussian perturbation with twice
// its weighted covariance, in the parameters' own scale: the log for
// log-uniform priors), simulates each candidate and weights it by
// prior x likelihood estimate / proposal density. The run ends after the
// first round at eps = 1 (converged), or when the budget cannot pay for
// another round and the predictive check (not converged).
//
// Reproducibility. Candidate i of round t draws its proposal from its own
// random stream and simulates with its own scenario seed, both keyed by the
// calibration's seed, t and i; results are identical for any thread count
// and wherever the candidates run (CalibrateOptions::executor: the tool's
// MPI ranks), and a run resumed after a kill (from the state kept after each
// finished round) ends byte-identical to an uninterrupted one.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "detsim/load.hpp"
#include "detsim/metrics.hpp"
#include "detsim/run.hpp"
#include "detsim/scenario.hpp"

namespace detsim {

// A prior: uniform on [min, max], or log-uniform with `log`; integers only
// with `integer` (uniform on the integers of [min, max]).
struct CalibrationParameter {
  std::string path;  // a `--set` path of the base scenario
  double min = 0, max = 0;
  bool log = false;
  bool integer = false;
};

// An observed count: the scenario-wide total of `metric`, or one facility's.
struct CalibrationTarget {
  Metric metric = Metric::bookings;
  std::string facility;  // a facility id; empty: the total
  double observed = 0;
  double sd = 1;  // measurement standard deviation, > 0
};

struct Calibration {
  std::string source;      // the calibration file
  std::string base_path;   // the base scenario, resolved against the file's folder
  std::uint64_t seed = 0;  // default: the base scenario's
  int replications = 1;    // per candidate; default 1
  std::string method = "abc-smc";
  int particles = 500;          // per round; default 500
  std::int64_t budget = 50000;  // simulations (replications) in all; default 50,000
  std::vector<CalibrationParameter> parameters;
  std::vector<CalibrationTarget> targets;
};

struct CalibrationInputs;  // the library's own view of a read calibration
class CandidateExecutor;   // where a round's candidates run (the library's own)

// A calibration file read and checked, with its base scenario. Cheap to copy.
class CalibrationPlan {
 public:
  // Reads the file at `path` and its base scenario; checks every key, that
  // each parameter path is one the scenario format defines (the base
  // resolves with each prior's ends) and that each target's facility exists.
  // Throws InputError ("FILE:LINE:COL: KEY.PATH: message").
  explicit CalibrationPlan(const std::string& path);
  const Calibration& calibration() const;
  // The calibration file as resolved (defaults filled in), as YAML text.
  const std::string& resolved_yaml() const;
  // The base scenario resolved, as YAML text.
  const std::string& base_resolved_yaml() const;
  const CalibrationInputs& inputs() const { return *inputs_; }

 private:
  std::shared_ptr<const CalibrationInputs> inputs_;
};

// One finished round.
struct CalibrationRound {
  int round = 0;                 // from 0
  double tolerance = 0;          // eps: the kernel's scale over the measurement sd (inf in round 0)
  double acceptance = 0;         // effective sample size / candidates simulated
  double ess = 0;                // effective sample size of the round's weights
  std::int64_t simulations = 0;  // simulations in this round
};

// Per parameter, weighted over the final population.
struct ParameterSummary {
  std::string path;
  double prior_min = 0, prior_max = 0;
  double mean = 0, sd = 0, q05 = 0, q50 = 0, q95 = 0;
  // (q95 - q05) of the posterior over the same of the prior, both in the
  // parameter's own scale: near 1, the data say little about it.
  double width_ratio = 0;
};

// A row of predictive.csv: a target (observed set) or a headline metric.
// For a target, the posterior predictive distribution of one replication's
// value plus measurement error; for a headline metric, of one
// replication's value.
struct PredictiveRow {
  std::string metric;
  std::string facility;  // empty: the total
  bool is_target = false;
  double observed = 0, sd = 0;
  double mean = 0, q05 = 0, q95 = 0;
  bool fits = false;   // targets: observed inside [q05, q95]
  double closest = 0;  // targets: the smallest |simulated - observed| / sd of any candidate
};

struct CalibrationResult {
  bool converged = false;
  bool stopped = false;          // CalibrateOptions::stop was set: nothing else is filled in
  std::int64_t simulations = 0;  // in all, the predictive check included
  std::vector<CalibrationRound> rounds;
  std::vector<std::string> paths;              // parameter paths
  std::vector<std::vector<double>> particles;  // the final population: [particle][parameter]
  std::vector<double> weights;                 // normalized
  std::vector<ParameterSummary> summary;
  // The posterior's weighted correlations of the parameters' coordinates
  // (the log for log-uniform priors): a ridge shows as |r| near 1.
  std::vector<std::vector<double>> correlation;
  std::vector<PredictiveRow> predictive;
  bool fits = false;  // every target fits (PredictiveRow::fits)
  std::vector<std::string> warnings;
};

// Where a run stands, for a progress line.
struct CalibrationProgress {
  int round = 0;
  double tolerance = 0;
  int candidates_done = 0;  // in the current round
  int candidates = 0;
  std::int64_t simulations = 0;  // in all, before this round's
  std::int64_t budget = 0;
};

struct CalibrateOptions {
  int threads = 0;  // worker threads; default 0: all cores
  // Runs each round's candidates instead of this process's thread pool
  // (the tool's MPI ranks); `threads` is then unused. Default: null.
  CandidateExecutor* executor = nullptr;
  // The file keeping the last finished round. Default "": none (no resume).
  std::string state_path;
  // Continue from state_path when it exists (it must be this calibration's).
  bool resume = false;
  // When set to true no new simulation starts; the result has `stopped`.
  const std::atomic<bool>* stop = nullptr;
  // Called on the calling thread about four times a second while running.
  std::function<void(const CalibrationProgress&)> tick;
  // Called after each finished round (its state already saved).
  std::function<void(const CalibrationRound&)> round_done;
};

// Runs the calibration. Writes only options.state_path. Throws InputError
// for a state file of another calibration, std::runtime_error for a file
// that cannot be written; rethrows the first exception of a worker.
CalibrationResult run_calibration(const CalibrationPlan& plan,
                                  const CalibrateOptions& options = {});

// Writes posterior.csv, summary.csv, predictive.csv and calibration.json
// into the folder `dir` (which must exist), each atomically, calibration.json
// last. Throws std::runtime_error naming a file that cannot be written.
void write_calibration(const CalibrationPlan& plan, const CalibrationResult& result,
                       const std::string& dir);

// ---- Running across the posterior ------------------------------------------

// A posterior population as posterior.csv holds it.
struct Posterior {
  std::vector<std::string> paths;                // parameter paths
  std::vector<std::vector<std::string>> values;  // [particle][parameter], as written
  std::vector<double> weights;                   // normalized
};

// Reads DIR/posterior.csv. Throws InputError for a missing or malformed file.
Posterior read_posterior(const std::string& dir);

// `draws` particle indices resampled by weight (systematic resampling with
// one uniform from `seed`), in particle order. REQUIRES: draws >= 1.
std::vector<int> resample_posterior(const Posterior& posterior, int draws, std::uint64_t seed);

// The `--set` arguments (PATH=VALUE) of particle `particle`.
std::vector<std::string> posterior_sets(const Posterior& posterior, int particle);

// Runs across the posterior (`detsim run|compare --posterior DIR`): each of
// `draws` resampled particles is applied to every regime's scenario like
// `--set`, after the regime's own options; draw d runs replications
// [d R, (d + 1) R) of the scenario's seed (R its replications), so every
// regime sees the same draws and the same people, and draws differ in their
// people as in their parameters.
struct PosteriorRuns {
  std::vector<int> particles;   // by draw: the particle (posterior.csv row)
  int replications = 0;         // R, per draw
  std::vector<Scenario> first;  // by regime: the scenario of draw 0
  // [regime][draw][replication]
  std::vector<std::vector<std::vector<ReplicationMetrics>>> reps;
};

// Throws InputError for a scenario or posterior value that does not load,
// and what run_replications throws (Cancelled included).
PosteriorRuns run_posterior(const std::string& scenario_path, const Posterior& posterior,
                            const std::vector<LoadOptions>& regimes, int draws,
                            const RunOptions& options);

// The same from scenarios already loaded: scenarios[g][d] is regime g with
// draw d's values (particles[d]) applied. REQUIRES: every regime has one
// scenario per draw, all with the same seed and replications.
PosteriorRuns run_posterior_scenarios(const std::vector<std::vector<Scenario>>& scenarios,
                                      const std::vector<int>& particles, const RunOptions& options);

// The document `detsim run|compare --posterior DIR --json` prints: every
// metric's PosteriorSummary per regime (`names`), and the paired
// differences of each regime from the first.
std::string posterior_json(const std::vector<std::string>& names, const PosteriorRuns& runs,
                           const std::string& scenario, const std::string& posterior_dir);

// How the intervals are computed, in words (the JSON's "interval_method").
extern const char* const kPosteriorIntervalMethod;

// One metric (or paired difference) across the draws. With m_d the mean of
// draw d's R replications and s_d^2 their variance: `mean` averages m_d;
// `sd_total` is the sd of m_d across draws (parameter uncertainty plus the
// simulation noise of an R-replication mean); `sd_simulation` =
// sqrt(mean(s_d^2) / R), that noise alone; `sd_parameter` =
// sqrt(max(0, sd_total^2 - sd_simulation^2)). The interval is
// mean +- 1.96 sd_total (normal approximation), the simulation-only one
// mean +- 1.96 sd_simulation; `mean_se` = sd_total / sqrt(draws) is the
// Monte Carlo error of `mean` itself.
struct PosteriorSummary {
  double mean = 0, low = 0, high = 0;
  double sd_total = 0, sd_parameter = 0, sd_simulation = 0, mean_se = 0;
};

// `values[d][r]`: draw d, replication r. REQUIRES: at least 2 draws.
PosteriorSummary summarize_posterior(const std::vector<std::vector<double>>& values);

}  // namespace detsim
