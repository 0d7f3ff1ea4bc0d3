// The posterior's summary, the predictive check and the diagnostics.
#include "calibrate/result.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace detsim {

namespace {

// A correlation this strong is reported as a ridge.
constexpr double kRidgeCorrelation = 0.8;

double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

// The q-quantile of the mixture (1/n) sum_i N(x_i, sd^2), by bisection.
double mixture_quantile(const std::vector<double>& x, double sd, double q) {
  double lo = *std::min_element(x.begin(), x.end()) - 10 * sd;
  double hi = *std::max_element(x.begin(), x.end()) + 10 * sd;
  for (int k = 0; k < 200; ++k) {
    const double mid = 0.5 * (lo + hi);
    double f = 0;
    for (double v : x) f += normal_cdf((mid - v) / sd);
    (f / static_cast<double>(x.size()) < q ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double mean_of(const std::vector<double>& x) {
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

std::string target_name(const CalibrationTarget& t) {
  return t.facility.empty() ? std::string(kMetricNames[index(t.metric)])
                            : fmt::format("{} of {}", kMetricNames[index(t.metric)], t.facility);
}

void summarize(const CalibrationInputs& in, const ParticleSet& p, CalibrationResult& r) {
  const Calibration& cal = in.calibration;
  const std::size_t d = cal.parameters.size();
  std::vector<std::vector<double>> zc(d);  // by parameter: coordinates
  for (std::size_t k = 0; k < d; ++k) {
    const CalibrationParameter& par = cal.parameters[k];
    const Coordinate c = coordinate(par);
    std::vector<double> x, z;
    for (const auto& particle : p.z) {
      x.push_back(c.value(particle[k]));
      z.push_back(particle[k]);
    }
    ParameterSummary s;
    s.path = par.path;
    s.prior_min = par.min;
    s.prior_max = par.max;
    for (std::size_t i = 0; i < x.size(); ++i) s.mean += p.weight[i] * x[i];
    double var = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
      var += p.weight[i] * (x[i] - s.mean) * (x[i] - s.mean);
    s.sd = std::sqrt(var);
    s.q05 = weighted_quantile(x, p.weight, 0.05);
    s.q50 = weighted_quantile(x, p.weight, 0.50);
    s.q95 = weighted_quantile(x, p.weight, 0.95);
    s.width_ratio = (weighted_quantile(z, p.weight, 0.95) - weighted_quantile(z, p.weight, 0.05)) /
                    (0.9 * (c.hi - c.lo));
    r.summary.push_back(s);
    zc[k] = std::move(z);
  }
  // Weighted correlations of the coordinates.
  std::vector<double> mean(d, 0), sd(d, 0);
  for (std::size_t k = 0; k < d; ++k) {
    for (std::size_t i = 0; i < p.weight.size(); ++i) mean[k] += p.weight[i] * zc[k][i];
  }
  r.correlation.assign(d, std::vector<double>(d, 0));
  for (std::size_t a = 0; a < d; ++a) {
    for (std::size_t b = 0; b < d; ++b) {
      double c = 0;
      for (std::size_t i = 0; i < p.weight.size(); ++i) {
        c += p.weight[i] * (zc[a][i] - mean[a]) * (zc[b][i] - mean[b]);
      }
      r.correlation[a][b] = c;
    }
  }
  for (std::size_t k = 0; k < d; ++k) sd[k] = std::sqrt(r.correlation[k][k]);
  for (std::size_t a = 0; a < d; ++a) {
    for (std::size_t b = 0; b < d; ++b) {
      const double denom = sd[a] * sd[b];
      r.correlation[a][b] = denom > 0 ? r.correlation[a][b] / denom : (a == b ? 1.0 : 0.0);
    }
  }
  for (std::size_t a = 0; a < d; ++a) {
    for (std::size_t b = a + 1; b < d; ++b) {
      if (std::abs(r.correlation[a][b]) >= kRidgeCorrelation) {
        r.warnings.push_back(fmt::format(
            "{} and {} are strongly correlated in the posterior (r = {:.2f}): the targets pin "
            "down a combination of them, not each one (a ridge)",
            cal.parameters[a].path, cal.parameters[b].path, r.correlation[a][b]));
      }
    }
  }
}

void predict(const CalibrationInputs& in, const SmcState& s,
             const std::vector<CandidateValues>& predictive, CalibrationResult& r) {
  const Calibration& cal = in.calibration;
  const auto column = [&](std::size_t c) {
    std::vector<double> x;
    for (const CandidateValues& v : predictive) x.push_back(v(0, static_cast<Eigen::Index>(c)));
    return x;
  };
  r.fits = true;
  for (std::size_t j = 0; j < cal.targets.size(); ++j) {
    const CalibrationTarget& t = cal.targets[j];
    const std::vector<double> x = column(j);
    PredictiveRow row;
    row.metric = std::string(kMetricNames[index(t.metric)]);
    row.facility = t.facility;
    row.is_target = true;
    row.observed = t.observed;
    row.sd = t.sd;
    row.mean = mean_of(x);
    row.q05 = mixture_quantile(x, t.sd, 0.05);
    row.q95 = mixture_quantile(x, t.sd, 0.95);
    row.fits = row.q05 <= t.observed && t.observed <= row.q95;
    row.closest = s.closest[j];
    r.fits = r.fits && row.fits;
    if (row.closest > kUnreachableSds) {
      r.warnings.push_back(fmt::format(
          "target {} ({} observed) is not reached inside the priors: the closest of {} "
          "simulations is {:.1f} measurement sds away; the posterior does not fit it (widen the "
          "priors, or revisit the model or the figure)",
          target_name(t), t.observed, s.simulations, row.closest));
    } else if (!row.fits) {
      r.warnings.push_back(fmt::format(
          "target {}: the observed {} lies outside the posterior predictive 90% interval "
          "[{:.6g}, {:.6g}]",
          target_name(t), t.observed, row.q05, row.q95));
    }
    r.predictive.push_back(row);
  }
  for (std::size_t h = 0; h < kHeadlineMetrics.size(); ++h) {
    std::vector<double> x = column(cal.targets.size() + h);
    const std::vector<double> w(x.size(), 1.0 / static_cast<double>(x.size()));
    PredictiveRow row;
    row.metric = std::string(kMetricNames[index(kHeadlineMetrics[h])]);
    row.mean = mean_of(x);
    row.q05 = weighted_quantile(x, w, 0.05);
    row.q95 = weighted_quantile(x, w, 0.95);
    r.predictive.push_back(row);
  }
}

}  // namespace

double weighted_quantile(const std::vector<double>& x, const std::vector<double>& w, double q) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  double c = 0;
  for (std::size_t i : order) {
    c += w[i];
    if (c >= q * (1 - 1e-12)) return x[i];
  }
  return x[order.back()];
}

CalibrationResult make_result(const CalibrationInputs& in, const SmcState& s, bool converged,
                              const std::vector<CandidateValues>& predictive) {
  const Calibration& cal = in.calibration;
  CalibrationResult r;
  r.converged = converged;
  r.rounds = s.rounds;
  r.simulations = s.simulations + static_cast<std::int64_t>(predictive.size());
  for (const CalibrationParameter& p : cal.parameters) r.paths.push_back(p.path);
  const ParticleSet& p = s.population;
  for (const auto& z : p.z) {
    std::vector<double> values;
    for (std::size_t k = 0; k < z.size(); ++k)
      values.push_back(coordinate(cal.parameters[k]).value(z[k]));
    r.particles.push_back(std::move(values));
  }
  r.weights = p.weight;
  if (!converged) {
    r.warnings.push_back(fmt::format(
        "the budget ({} simulations) ran out before the tolerance reached the measurement error "
        "(it is {:.3g} times it after {} rounds): the posterior is wider than the data allow; "
        "raise `budget` or lower `particles`",
        cal.budget, p.tolerance, s.rounds.size()));
  }
  const double ess = effective_sample_size(p.weight);
  if (ess < 0.1 * static_cast<double>(p.weight.size())) {
    r.warnings.push_back(fmt::format(
        "the final population's effective sample size is {:.0f} of {} particles: its summaries "
        "are rough; raise `particles`",
        ess, p.weight.size()));
  }
  summarize(in, p, r);
  predict(in, s, predictive, r);
  return r;
}

}  // namespace detsim
