// ABC-SMC pieces: kernels, tolerances, proposals, resampling.
#include "calibrate/smc.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <numbers>

namespace detsim {

namespace {

constexpr std::uint32_t kCalibrationReplication = 0xFFFFFFFEu;
constexpr std::uint32_t kPurposeDraw = 111;  // a candidate's prior draw or proposal
constexpr std::uint32_t kPurposeSeed = 112;  // a candidate's scenario seed
// Proposals give up on the prior's support after this many tries and take
// their ancestor unchanged (in practice never: the kernel is the
// population's own spread, and the population lies inside the support).
constexpr int kMaxTries = 10000;

double standard_normal(Stream& s) {
  const double u1 = s.uniform(), u2 = s.uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

bool inside(const std::vector<Coordinate>& coords, const std::vector<double>& z) {
  for (std::size_t k = 0; k < coords.size(); ++k) {
    if (!(z[k] > coords[k].lo && z[k] < coords[k].hi)) return false;
  }
  return true;
}

}  // namespace

Stream calibration_stream(std::uint64_t seed, std::uint32_t purpose, std::uint32_t round,
                          std::uint32_t index) {
  return Stream(seed, kCalibrationReplication, 0, static_cast<Purpose>(purpose),
                (std::uint64_t{round} << 32) | index);
}

std::uint64_t candidate_seed(std::uint64_t seed, std::uint32_t round, std::uint32_t index) {
  // 63 bits: any scenario reader takes it.
  return calibration_stream(seed, kPurposeSeed, round, index).first_words()[0] >> 1;
}

double log_likelihood(const Calibration& cal, const CandidateValues& values, double eps) {
  if (std::isinf(eps)) return 0;
  const Eigen::Index reps = values.rows();
  std::vector<double> terms(static_cast<std::size_t>(reps));
  double top = -std::numeric_limits<double>::infinity();
  for (Eigen::Index r = 0; r < reps; ++r) {
    double sum = 0;
    for (std::size_t j = 0; j < cal.targets.size(); ++j) {
      const CalibrationTarget& t = cal.targets[j];
      const double d = (t.observed - values(r, static_cast<Eigen::Index>(j))) / (eps * t.sd);
      sum -= 0.5 * d * d;
    }
    terms[static_cast<std::size_t>(r)] = sum;
    top = std::max(top, sum);
  }
  double acc = 0;
  for (double t : terms) acc += std::exp(t - top);
  return top + std::log(acc / static_cast<double>(reps));
}

double effective_sample_size(const std::vector<double>& w) {
  double s = 0;
  for (double x : w) s += x * x;
  return s > 0 ? 1.0 / s : 0.0;
}

std::vector<double> normalize_log_weights(const std::vector<double>& log_w) {
  const double top = *std::max_element(log_w.begin(), log_w.end());
  std::vector<double> w(log_w.size());
  double sum = 0;
  for (std::size_t i = 0; i < w.size(); ++i) sum += (w[i] = std::exp(log_w[i] - top));
  for (double& x : w) x /= sum;
  return w;
}

std::vector<double> reweighted(const Calibration& cal, const ParticleSet& p, double eps) {
  std::vector<double> log_w(p.weight.size());
  for (std::size_t i = 0; i < log_w.size(); ++i) {
    log_w[i] = std::log(p.weight[i]) + log_likelihood(cal, p.values[i], eps) -
               log_likelihood(cal, p.values[i], p.tolerance);
  }
  return normalize_log_weights(log_w);
}

double next_tolerance(const Calibration& cal, const ParticleSet& p) {
  const double ess = effective_sample_size(p.weight);
  const auto kept = [&](double eps) {
    return effective_sample_size(reweighted(cal, p, eps)) >= kEssKept * ess;
  };
  if (kept(1.0)) return 1.0;
  double hi = p.tolerance;
  if (std::isinf(hi)) {
    hi = 2.0;
    for (int k = 0; k < 200 && !kept(hi); ++k) hi *= 2.0;
  }
  // Bisection on log eps: kept(hi), not kept(lo).
  double lo_log = 0.0, hi_log = std::log(hi);
  for (int k = 0; k < 100; ++k) {
    const double mid = 0.5 * (lo_log + hi_log);
    (kept(std::exp(mid)) ? hi_log : lo_log) = mid;
  }
  return std::exp(hi_log);
}

Proposal::Proposal(const std::vector<Coordinate>& coords, const ParticleSet& p,
                   std::vector<double> w)
    : coords_(coords), p_(p), w_(std::move(w)) {
  const auto d = static_cast<Eigen::Index>(coords.size());
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(d);
  for (std::size_t i = 0; i < w_.size(); ++i) {
    for (Eigen::Index k = 0; k < d; ++k) mean(k) += w_[i] * p.z[i][static_cast<std::size_t>(k)];
  }
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(d, d);
  for (std::size_t i = 0; i < w_.size(); ++i) {
    Eigen::VectorXd dz(d);
    for (Eigen::Index k = 0; k < d; ++k) dz(k) = p.z[i][static_cast<std::size_t>(k)] - mean(k);
    cov += w_[i] * dz * dz.transpose();
  }
  cov *= 2.0;  // Beaumont et al. (2009): twice the weighted covariance
  for (Eigen::Index k = 0; k < d; ++k) {
    const double width =
        coords[static_cast<std::size_t>(k)].hi - coords[static_cast<std::size_t>(k)].lo;
    cov(k, k) += 1e-8 * width * width;  // keeps the kernel proper when a population collapses
  }
  chol_ = Eigen::LLT<Eigen::MatrixXd>(cov).matrixL();
  double c = 0;
  for (double x : w_) cumulative_.push_back(c += x);
}

std::vector<double> Proposal::draw(std::uint64_t seed, std::uint32_t round,
                                   std::uint32_t index) const {
  Stream s = calibration_stream(seed, kPurposeDraw, round, index);
  const auto d = static_cast<Eigen::Index>(coords_.size());
  for (int attempt = 0; attempt < kMaxTries; ++attempt) {
    const double u = s.uniform() * cumulative_.back();
    const auto it = std::lower_bound(cumulative_.begin(), cumulative_.end(), u);
    const auto j = static_cast<std::size_t>(std::min<std::ptrdiff_t>(
        it - cumulative_.begin(), static_cast<std::ptrdiff_t>(w_.size()) - 1));
    Eigen::VectorXd n(d);
    for (Eigen::Index k = 0; k < d; ++k) n(k) = standard_normal(s);
    const Eigen::VectorXd step = chol_ * n;
    std::vector<double> z = p_.z[j];
    for (Eigen::Index k = 0; k < d; ++k) z[static_cast<std::size_t>(k)] += step(k);
    if (inside(coords_, z)) return z;
    if (attempt == kMaxTries - 1) return p_.z[j];
  }
  return p_.z.front();
}

double Proposal::log_density(const std::vector<double>& z) const {
  const auto d = static_cast<Eigen::Index>(coords_.size());
  std::vector<double> terms;
  terms.reserve(w_.size());
  double top = -std::numeric_limits<double>::infinity();
  Eigen::VectorXd dz(d);
  for (std::size_t j = 0; j < w_.size(); ++j) {
    if (w_[j] <= 0) continue;
    for (Eigen::Index k = 0; k < d; ++k) {
      dz(k) = z[static_cast<std::size_t>(k)] - p_.z[j][static_cast<std::size_t>(k)];
    }
    const double q = chol_.triangularView<Eigen::Lower>().solve(dz).squaredNorm();
    const double t = std::log(w_[j]) - 0.5 * q;
    terms.push_back(t);
    top = std::max(top, t);
  }
  double acc = 0;
  for (double t : terms) acc += std::exp(t - top);
  return top + std::log(acc);
}

std::vector<double> prior_draw(const std::vector<Coordinate>& coords, std::uint64_t seed,
                               std::uint32_t index) {
  Stream s = calibration_stream(seed, kPurposeDraw, 0, index);
  std::vector<double> z;
  for (const Coordinate& c : coords) z.push_back(c.lo + s.uniform() * (c.hi - c.lo));
  return z;
}

std::vector<int> systematic_resample(const std::vector<double>& w, int n, double u) {
  std::vector<int> out;
  out.reserve(static_cast<std::size_t>(n));
  double c = 0;
  std::size_t i = 0;
  for (int k = 0; k < n; ++k) {
    const double point = (k + u) / n;
    while (i + 1 < w.size() && c + w[i] < point) c += w[i++];
    out.push_back(static_cast<int>(i));
  }
  return out;
}

}  // namespace detsim
