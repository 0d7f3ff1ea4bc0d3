// Partial moments of duration distributions and the Gauss-Kronrod rule
// (see expect_math.hpp).
#include "expect/math.hpp"

#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>

#include "engine/distributions.hpp"

namespace detsim::expect_detail {
namespace {

// Double precision throughout (Boost.Math would otherwise promote to long
// double, several times slower for no accuracy that matters here).
using DoublePolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

// The standard normal distribution function, accurate in both tails.
double normal_cdf(double z) {
  return 0.5 * boost::math::erfc(-z / std::sqrt(2.0), DoublePolicy());
}

}  // namespace

const QuadratureRule& gauss_kronrod_15() {
  static const QuadratureRule rule = [] {
    QuadratureRule r;
    const auto& x = boost::math::quadrature::gauss_kronrod<double, 15>::abscissa();
    const auto& wk = boost::math::quadrature::gauss_kronrod<double, 15>::weights();
    const auto& wg = boost::math::quadrature::gauss<double, 7>::weights();
    for (std::size_t i = 0; i < 8; ++i) {
      r.x[i] = x[i];
      r.wk[i] = wk[i];
    }
    for (std::size_t i = 0; i < 4; ++i) r.wg[i] = wg[i];
    return r;
  }();
  return rule;
}

Law::Law(const Distribution& d) : d_(d) {
  using K = Distribution::Kind;
  switch (d.kind) {
    case K::kFixed:
      atoms_ = {{d.a, 1.0}};
      break;
    case K::kExponential:
      shape_ = 1;
      scale_ = d.a;
      break;
    case K::kLognormal:
      if (d.b <= 0) atoms_ = {{d.a, 1.0}};
      mu_ = std::log(d.a);
      break;
    case K::kGamma:
      if (d.b <= 0) {
        atoms_ = {{d.a, 1.0}};
      } else {
        shape_ = 1.0 / (d.b * d.b);
        scale_ = d.a / shape_;
      }
      break;
    case K::kEmpirical: {
      double previous = 0;
      for (std::size_t i = 0; i < d.values.size(); ++i) {
        const double p = d.cumulative[i] - previous;
        previous = d.cumulative[i];
        if (p > 0) atoms_.emplace_back(d.values[i], p);
      }
      std::sort(atoms_.begin(), atoms_.end());
      std::vector<std::pair<double, double>> merged;
      for (const auto& atom : atoms_) {
        if (!merged.empty() && merged.back().first == atom.first)
          merged.back().second += atom.second;
        else
          merged.push_back(atom);
      }
      atoms_ = std::move(merged);
      break;
    }
  }
}

std::array<double, 3> Law::moments(double x) const {
  std::array<double, 3> m{0, 0, 0};
  if (discrete()) {
    for (const auto& [v, p] : atoms_) {
      if (v > x) break;
      m[0] += p;
      m[1] += p * v;
      m[2] += p * v * v;
    }
    return m;
  }
  if (!(x > 0)) return m;
  if (d_.kind == Distribution::Kind::kLognormal) {
    const double s = d_.b;
    for (int k = 0; k < 3; ++k) {
      const double full = std::exp(k * mu_ + 0.5 * k * k * s * s);
      m[k] = std::isinf(x) ? full : full * normal_cdf((std::log(x) - mu_ - k * s * s) / s);
    }
    return m;
  }
  // Gamma (exponential: shape 1): E[X^k ; X <= x] = scale^k (shape)_k P(shape + k, x / scale).
  double rising = 1, power = 1;
  for (int k = 0; k < 3; ++k) {
    m[k] = power * rising *
           (std::isinf(x) ? 1.0 : boost::math::gamma_p(shape_ + k, x / scale_, DoublePolicy()));
    rising *= shape_ + k;
    power *= scale_;
  }
  return m;
}

std::array<double, 3> Law::moments_below(double x) const {
  if (!discrete()) return moments(x);
  std::array<double, 3> m{0, 0, 0};
  for (const auto& [v, p] : atoms_) {
    if (v >= x) break;
    m[0] += p;
    m[1] += p * v;
    m[2] += p * v * v;
  }
  return m;
}

double Law::cdf(double x) const {
  return moments(x)[0];
}

double Law::pdf(double x) const {
  if (!(x > 0) || std::isinf(x)) return 0;
  if (d_.kind == Distribution::Kind::kLognormal) {
    const double z = (std::log(x) - mu_) / d_.b;
    return std::exp(-0.5 * z * z) / (x * d_.b * std::sqrt(2 * M_PI));
  }
  return boost::math::gamma_p_derivative(shape_, x / scale_, DoublePolicy()) / scale_;
}

double Law::cdf_below(double x) const {
  return moments_below(x)[0];
}

double Law::quantile(double p) const {
  return detsim::quantile(d_, p);
}

double Law::expect(const Quadratic& q, double a, double b, bool closed_top) const {
  if (!(b > a)) return 0;
  const std::array<double, 3> top = closed_top ? moments(b) : moments_below(b);
  const std::array<double, 3> bottom = moments(a);
  return q.c0 * (top[0] - bottom[0]) + q.c1 * (top[1] - bottom[1]) + q.c2 * (top[2] - bottom[2]);
}

const std::array<double, 3>& MomentMemo::at(double x) {
  for (std::size_t i = 0; i < used_; ++i)
    if (x_[i] == x) return m_[i];
  if (used_ == kSlots) {
    spill_ = law_.moments(x);
    return spill_;
  }
  x_[used_] = x;
  m_[used_] = law_.moments(x);
  return m_[used_++];
}

double MomentMemo::expect(const Quadratic& q, double a, double b) {
  if (!(b > a)) return 0;
  const std::array<double, 3> top = at(b);
  const std::array<double, 3> bottom = at(a);
  return q.c0 * (top[0] - bottom[0]) + q.c1 * (top[1] - bottom[1]) + q.c2 * (top[2] - bottom[2]);
}

}  // namespace detsim::expect_detail
