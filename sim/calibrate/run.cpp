// Running ABC-SMC: rounds of candidates (as sweep points, on the sweep's
// thread pool or on CalibrateOptions::executor; candidates.hpp), the state
// saved after each, then the predictive check (see calibrate.hpp).
#include <fmt/format.h>

#include <atomic>
#include <cmath>
#include <string>

#include "calibrate/candidates.hpp"
#include "calibrate/result.hpp"
#include "calibrate/smc.hpp"

namespace detsim {

namespace {

class LocalCandidates : public CandidateExecutor {
 public:
  LocalCandidates(const CalibrationInputs& in, int threads)
      : in_(in), threads_(threads), sweep_(in.sweep) {}

  bool run(std::uint32_t round, const std::vector<std::vector<double>>& z, int replications,
           const std::atomic<bool>* stop, const std::function<void(int)>& tick,
           std::vector<CandidateValues>* out) override {
    set_candidate_points(in_, round, z, replications, &sweep_);
    out->assign(z.size(), CandidateValues());
    std::atomic<int> done{0};
    struct Sink : PointSink {
      std::vector<CandidateValues>* values = nullptr;
      std::atomic<int>* count = nullptr;
      void done(int point, const Eigen::MatrixXd& v) override {
        (*values)[static_cast<std::size_t>(point)] = v;
        ++*count;
      }
    } sink;
    sink.values = out;
    sink.count = &done;
    std::vector<int> all(z.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    ListFeed feed(all);
    ExecuteOptions ex;
    ex.threads = threads_;
    ex.stop = stop;
    ex.measure = [this](const ReplicationMetrics& m) { return measure_candidate(in_, m); };
    ex.measure_columns = candidate_columns(in_);
    if (tick) ex.tick = [&] { tick(done.load()); };
    execute_points(sweep_, feed, sink, ex);
    return done.load() == static_cast<int>(z.size());
  }

 private:
  const CalibrationInputs& in_;
  const int threads_;
  SweepInputs sweep_;
};

}  // namespace

void set_candidate_points(const CalibrationInputs& in, std::uint32_t round,
                          const std::vector<std::vector<double>>& z, int replications,
                          SweepInputs* sweep) {
  const Calibration& cal = in.calibration;
  std::vector<Coordinate> coords;
  for (const CalibrationParameter& p : cal.parameters) coords.push_back(coordinate(p));
  sweep->sweep.replications = replications;
  sweep->sweep.points.clear();
  for (std::size_t i = 0; i < z.size(); ++i) {
    SweepPoint point;
    point.index = static_cast<int>(i);
    for (std::size_t k = 0; k < coords.size(); ++k) {
      point.values.push_back(value_text(coords[k].value(z[i][k]), coords[k].integer));
      point.choices.push_back(-1);
    }
    point.values.push_back(
        std::to_string(candidate_seed(cal.seed, round, static_cast<std::uint32_t>(i))));
    point.choices.push_back(-1);
    sweep->sweep.points.push_back(std::move(point));
  }
}

int candidate_columns(const CalibrationInputs& in) {
  return static_cast<int>(in.calibration.targets.size() + kHeadlineMetrics.size());
}

Eigen::RowVectorXd measure_candidate(const CalibrationInputs& in, const ReplicationMetrics& m) {
  const Calibration& cal = in.calibration;
  Eigen::RowVectorXd row(candidate_columns(in));
  Eigen::Index c = 0;
  for (std::size_t j = 0; j < cal.targets.size(); ++j) {
    const int f = in.target_facility[j];
    const std::size_t k = index(cal.targets[j].metric);
    row(c++) = f < 0 ? m.total[k] : m.facility[static_cast<std::size_t>(f)][k];
  }
  for (Metric h : kHeadlineMetrics) row(c++) = m.total[index(h)];
  return row;
}

std::unique_ptr<CandidateExecutor> local_candidates(const CalibrationInputs& in, int threads) {
  return std::make_unique<LocalCandidates>(in, threads);
}

namespace {

void update_closest(const Calibration& cal, const std::vector<CandidateValues>& values,
                    std::vector<double>& closest) {
  for (const CandidateValues& v : values) {
    for (Eigen::Index r = 0; r < v.rows(); ++r) {
      for (std::size_t j = 0; j < cal.targets.size(); ++j) {
        const CalibrationTarget& t = cal.targets[j];
        const double d = std::abs(v(r, static_cast<Eigen::Index>(j)) - t.observed) / t.sd;
        closest[j] = std::min(closest[j], d);
      }
    }
  }
}

CalibrationRound round_stats(const ParticleSet& p, std::int64_t simulations) {
  CalibrationRound r;
  r.round = p.round;
  r.tolerance = p.tolerance;
  r.ess = effective_sample_size(p.weight);
  r.acceptance = r.ess / static_cast<double>(p.weight.size());
  r.simulations = simulations;
  return r;
}

}  // namespace

CalibrationResult run_calibration(const CalibrationPlan& plan, const CalibrateOptions& options) {
  const CalibrationInputs& in = plan.inputs();
  const Calibration& cal = in.calibration;
  std::vector<Coordinate> coords;
  for (const CalibrationParameter& p : cal.parameters) coords.push_back(coordinate(p));
  std::unique_ptr<CandidateExecutor> local;
  if (!options.executor) local = local_candidates(in, options.threads);
  CandidateExecutor& executor = options.executor ? *options.executor : *local;
  // Simulates a round's candidates; false when stopped first.
  const auto run_round = [&](std::uint32_t round, const std::vector<std::vector<double>>& z,
                             int replications, CalibrationProgress progress,
                             std::vector<CandidateValues>* out) {
    progress.candidates = static_cast<int>(z.size());
    std::function<void(int)> tick;
    if (options.tick) {
      tick = [&](int done) {
        progress.candidates_done = done;
        options.tick(progress);
      };
    }
    return executor.run(round, z, replications, options.stop, tick, out);
  };
  const int n = cal.particles;
  const int reps = cal.replications;
  const std::string identity = state_identity(in);
  const auto save = [&](const SmcState& s) {
    if (!options.state_path.empty()) save_state(options.state_path, identity, s);
    if (options.round_done) options.round_done(s.rounds.back());
  };
  CalibrationResult stopped;
  stopped.stopped = true;

  SmcState s;
  const bool resumed =
      options.resume && !options.state_path.empty() && load_state(options.state_path, identity, &s);
  if (!resumed) {
    s.closest.assign(cal.targets.size(), std::numeric_limits<double>::infinity());
    ParticleSet& p = s.population;
    for (int i = 0; i < n; ++i)
      p.z.push_back(prior_draw(coords, cal.seed, static_cast<std::uint32_t>(i)));
    if (!run_round(0, p.z, reps, {0, kInfiniteTolerance, 0, n, 0, cal.budget}, &p.values)) {
      return stopped;
    }
    p.weight.assign(static_cast<std::size_t>(n), 1.0 / n);
    s.simulations = std::int64_t{n} * reps;
    update_closest(cal, p.values, s.closest);
    s.rounds.push_back(round_stats(p, s.simulations));
    save(s);
  }
  bool converged = false;
  while (true) {
    if (s.population.tolerance <= 1.0) {
      converged = true;
      break;
    }
    if (s.simulations + std::int64_t{n} * reps + n > cal.budget) break;
    const ParticleSet& prev = s.population;
    const double eps = next_tolerance(cal, prev);
    const Proposal proposal(coords, prev, reweighted(cal, prev, eps));
    ParticleSet next;
    next.round = prev.round + 1;
    next.tolerance = eps;
    const auto round = static_cast<std::uint32_t>(next.round);
    for (int i = 0; i < n; ++i)
      next.z.push_back(proposal.draw(cal.seed, round, static_cast<std::uint32_t>(i)));
    if (!run_round(round, next.z, reps, {next.round, eps, 0, n, s.simulations, cal.budget},
                   &next.values)) {
      return stopped;
    }
    std::vector<double> log_w(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < log_w.size(); ++i) {
      log_w[i] = log_likelihood(cal, next.values[i], eps) - proposal.log_density(next.z[i]);
    }
    next.weight = normalize_log_weights(log_w);
    const std::int64_t simulated = std::int64_t{n} * reps;
    s.simulations += simulated;
    update_closest(cal, next.values, s.closest);
    s.population = std::move(next);
    s.rounds.push_back(round_stats(s.population, simulated));
    save(s);
  }

  // The predictive check: n draws from the final population, one
  // replication each, with seeds of their own.
  const std::vector<int> picks = systematic_resample(
      s.population.weight, n, calibration_stream(cal.seed, 113, kPredictiveRound, 0).uniform());
  std::vector<std::vector<double>> z;
  for (int i : picks) z.push_back(s.population.z[static_cast<std::size_t>(i)]);
  std::vector<CandidateValues> predictive;
  if (!run_round(kPredictiveRound, z, 1,
                 {s.population.round, s.population.tolerance, 0, n, s.simulations, cal.budget},
                 &predictive)) {
    return stopped;
  }
  return make_result(in, s, converged, predictive);
}

}  // namespace detsim
