#include "engine/distributions.hpp"

#include <algorithm>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <cmath>
#include <limits>

namespace detsim {
namespace {

double poly(const double* c, int n, double x) {
  double r = c[n - 1];
  for (int i = n - 2; i >= 0; --i) r = r * x + c[i];
  return r;
}

// Marsaglia and Tsang (2000) for shape k >= 1, scale 1; `u` is the first
// uniform, the rest come from s.
double gamma_unit(double k, double u0, Stream& s) {
  const double d = k - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (bool first = true;; first = false) {
    const double x = normal_quantile(first ? u0 : s.uniform());
    double v = 1.0 + c * x;
    if (v <= 0) continue;
    v = v * v * v;
    const double u = s.uniform();
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v;
  }
}

}  // namespace

double normal_quantile(double p) {
  static const double a[8] = {3.3871328727963666080e0,  1.3314166789178437745e+2,
                              1.9715909503065514427e+3, 1.3731693765509461125e+4,
                              4.5921953931549871457e+4, 6.7265770927008700853e+4,
                              3.3430575583588128105e+4, 2.5090809287301226727e+3};
  static const double b[8] = {1.0,
                              4.2313330701600911252e+1,
                              6.8718700749205790830e+2,
                              5.3941960214247511077e+3,
                              2.1213794301586595867e+4,
                              3.9307895800092710610e+4,
                              2.8729085735721942674e+4,
                              5.2264952788528545610e+3};
  static const double c[8] = {1.42343711074968357734e0,  4.63033784615654529590e0,
                              5.76949722146069140550e0,  3.64784832476320460504e0,
                              1.27045825245236838258e0,  2.41780725177450611770e-1,
                              2.27238449892691845833e-2, 7.74545014278341407640e-4};
  static const double d[8] = {1.0,
                              2.05319162663775882187e0,
                              1.67638483018380384940e0,
                              6.89767334985100004550e-1,
                              1.48103976427480074590e-1,
                              1.51986665636164571966e-2,
                              5.47593808499534494600e-4,
                              1.05075007164441684324e-9};
  static const double e[8] = {6.65790464350110377720e0,  5.46378491116411436990e0,
                              1.78482653991729133580e0,  2.96560571828504891230e-1,
                              2.65321895265761230930e-2, 1.24266094738807843860e-3,
                              2.71155556874348757815e-5, 2.01033439929228813265e-7};
  static const double f[8] = {1.0,
                              5.99832206555887937690e-1,
                              1.36929880922735805310e-1,
                              1.48753612908506148525e-2,
                              7.86869131145613259100e-4,
                              1.84631831751005468180e-5,
                              1.42151175831644588870e-7,
                              2.04426310338993978564e-15};
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q * poly(a, 8, r) / poly(b, 8, r);
  }
  double r = q < 0 ? p : 1.0 - p;
  r = std::sqrt(-std::log(r));
  double x;
  if (r <= 5.0) {
    r -= 1.6;
    x = poly(c, 8, r) / poly(d, 8, r);
  } else {
    r -= 5.0;
    x = poly(e, 8, r) / poly(f, 8, r);
  }
  return q < 0 ? -x : x;
}

double draw(const Distribution& dist, double u, Stream& s) {
  using K = Distribution::Kind;
  switch (dist.kind) {
    case K::kFixed:
      return dist.a;
    case K::kExponential:
      return -dist.a * std::log(u);
    case K::kLognormal:
      return dist.a * std::exp(dist.b * normal_quantile(u));
    case K::kGamma: {
      if (dist.b <= 0) return dist.a;
      const double k = 1.0 / (dist.b * dist.b);
      const double theta = dist.a / k;
      if (k >= 1) return theta * gamma_unit(k, u, s);
      const double g = gamma_unit(k + 1.0, u, s);
      return theta * g * std::pow(s.uniform(), 1.0 / k);
    }
    case K::kEmpirical: {
      const auto it = std::lower_bound(dist.cumulative.begin(), dist.cumulative.end(), u);
      const auto i = std::min<std::size_t>(it - dist.cumulative.begin(), dist.values.size() - 1);
      return dist.values[i];
    }
  }
  return 0;
}

UniformRange draws_below(const Distribution& dist, double x) {
  using K = Distribution::Kind;
  // Stream::to_unit's extremes: no first uniform lies outside them.
  constexpr double kLowest = 0x1.0p-53, kHighest = 1.0 - 0x1.0p-53;
  // The threshold comes from libm's exp/erfc, then is moved 1e-9 inward and
  // checked with draw() itself at the range's end, where the draw is
  // largest (draws are monotone in u to within rounding).
  constexpr double kInward = 1e-9, kMargin = 1e-12;
  Stream unused(0, 0, 0, Purpose::kStay, 0);
  const auto checked = [&](UniformRange r, double u_largest) {
    if (r.lo < r.hi && draw(dist, u_largest, unused) < x * (1.0 - kMargin)) return r;
    return UniformRange{};
  };
  if (x <= 0) return {};
  switch (dist.kind) {
    case K::kFixed:
      return dist.a < x ? UniformRange{0, 1} : UniformRange{};
    case K::kExponential: {  // -a log u < x  <=>  u > exp(-x / a)
      const double lo = std::exp(-x / dist.a) * (1.0 + kInward);
      return checked({lo, 1}, std::max(lo, kLowest));
    }
    case K::kLognormal: {  // a exp(b z(u)) < x  <=>  u < Phi(log(x / a) / b)
      if (dist.b <= 0) return dist.a < x ? UniformRange{0, 1} : UniformRange{};
      const double z = std::log(x / dist.a) / dist.b;
      const double hi = 0.5 * std::erfc(-z / std::sqrt(2.0)) * (1.0 - kInward);
      return checked({0, hi}, std::min(hi, kHighest));
    }
    case K::kGamma:
      return {};
    case K::kEmpirical: {  // u <= cumulative[j] draws one of values[0..j]
      std::size_t j = 0;
      while (j < dist.values.size() && dist.values[j] < x) ++j;
      return j == 0 ? UniformRange{} : UniformRange{0, dist.cumulative[j - 1]};
    }
  }
  return {};
}

double cdf(const Distribution& dist, double x) {
  using K = Distribution::Kind;
  if (x < 0) return 0;
  switch (dist.kind) {
    case K::kFixed:
      return x >= dist.a ? 1.0 : 0.0;
    case K::kExponential:
      return 1.0 - std::exp(-x / dist.a);
    case K::kLognormal:
      if (dist.b <= 0) return x >= dist.a ? 1.0 : 0.0;
      if (x <= 0) return 0;
      return boost::math::cdf(boost::math::lognormal(std::log(dist.a), dist.b), x);
    case K::kGamma: {
      if (dist.b <= 0) return x >= dist.a ? 1.0 : 0.0;
      if (x <= 0) return 0;
      const double k = 1.0 / (dist.b * dist.b);
      return boost::math::gamma_p(k, x / (dist.a / k));
    }
    case K::kEmpirical: {
      double p = 0, prev = 0;
      for (std::size_t i = 0; i < dist.values.size(); ++i) {
        if (dist.values[i] <= x) p += dist.cumulative[i] - prev;
        prev = dist.cumulative[i];
      }
      return p;
    }
  }
  return 0;
}

double expected_excess(const Distribution& dist, double w) {
  using K = Distribution::Kind;
  if (w <= 0) return dist.mean() - w;
  switch (dist.kind) {
    case K::kFixed:
      return std::max(dist.a - w, 0.0);
    case K::kExponential:
      return dist.a * std::exp(-w / dist.a);
    case K::kLognormal: {
      if (dist.b <= 0) return std::max(dist.a - w, 0.0);
      const double mu = std::log(dist.a), s = dist.b;
      const boost::math::normal n01;
      const double d1 = (mu + s * s - std::log(w)) / s;
      return std::exp(mu + s * s / 2) * boost::math::cdf(n01, d1) -
             w * boost::math::cdf(n01, d1 - s);
    }
    case K::kGamma: {
      if (dist.b <= 0) return std::max(dist.a - w, 0.0);
      const double k = 1.0 / (dist.b * dist.b);
      const double theta = dist.a / k;
      return dist.a * boost::math::gamma_q(k + 1, w / theta) -
             w * boost::math::gamma_q(k, w / theta);
    }
    case K::kEmpirical: {
      double e = 0, prev = 0;
      for (std::size_t i = 0; i < dist.values.size(); ++i) {
        e += (dist.cumulative[i] - prev) * std::max(dist.values[i] - w, 0.0);
        prev = dist.cumulative[i];
      }
      return e;
    }
  }
  return 0;
}

}  // namespace detsim

namespace detsim {

double quantile(const Distribution& dist, double p) {
  using K = Distribution::Kind;
  switch (dist.kind) {
    case K::kFixed:
      return dist.a;
    case K::kExponential:
      return -dist.a * std::log1p(-p);
    case K::kLognormal:
      return dist.a * std::exp(dist.b * normal_quantile(p));
    case K::kGamma: {
      if (dist.b <= 0) return dist.a;
      const double k = 1.0 / (dist.b * dist.b);
      return boost::math::gamma_p_inv(k, p) * dist.a / k;
    }
    case K::kEmpirical: {
      const auto it = std::lower_bound(dist.cumulative.begin(), dist.cumulative.end(), p);
      const auto i = std::min<std::size_t>(it - dist.cumulative.begin(), dist.values.size() - 1);
      return dist.values[i];
    }
  }
  return 0;
}

}  // namespace detsim
