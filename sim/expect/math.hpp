// Numerical building blocks of `detsim expect`: partial moments of the
// scenario's duration distributions, quadratics over intervals, and a
// globally adaptive Gauss-Kronrod rule for vector-valued integrands.
//
// Every expectation of `expect` is built from two kinds of step:
//   - closed forms: E[q(X) ; a < X <= b] for a quadratic q, from the partial
//     moments E[X^k ; X <= x], k = 0, 1, 2 (Boost.Math gamma_p and erfc);
//   - quadrature with respect to a distribution: E[f(X) ; a < X < b] as a
//     sum over atoms (fixed, empirical) or as the integral of f(Q(u)) over
//     the probabilities u in (F(a), F(b)) (Q the quantile), G7-K15 panels
//     bisected where the error is largest until it is below tolerance.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include "detsim/scenario.hpp"

namespace detsim::expect_detail {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

// c0 + c1 x + c2 x^2.
struct Quadratic {
  double c0 = 0, c1 = 0, c2 = 0;

  double operator()(double x) const { return c0 + x * (c1 + x * c2); }
  // The same polynomial written in y = x + by: q(y - by) as a polynomial of y.
  Quadratic in_shifted(double by) const {
    return {c0 - c1 * by + c2 * by * by, c1 - 2 * c2 * by, c2};
  }
  Quadratic scaled(double k) const { return {k * c0, k * c1, k * c2}; }
};

// A piece of a piecewise quadratic, valid for x in (lo, hi].
struct Piece {
  double lo, hi;
  Quadratic q;
};

// A duration distribution (hours) as `expect` needs it: its atoms, or its
// continuous law (exponential, lognormal or gamma with positive spread).
// Degenerate laws (lognormal sigma 0) are one atom.
class Law {
 public:
  explicit Law(const Distribution& d);

  bool discrete() const { return !atoms_.empty(); }
  // (value, probability), sorted by value, values unique; empty if continuous.
  const std::vector<std::pair<double, double>>& atoms() const { return atoms_; }

  double cdf(double x) const;  // P(X <= x)
  // The density at x > 0. REQUIRES: continuous.
  double pdf(double x) const;
  double cdf_below(double x) const;  // P(X < x)
  // REQUIRES: continuous, 0 < p < 1.
  double quantile(double p) const;

  // E[X^k ; X <= x] for k = 0, 1, 2; x may be +-infinity.
  std::array<double, 3> moments(double x) const;
  // E[q(X) ; a < X <= b], or with `closed_top` false E[q(X) ; a < X < b]
  // (they differ only at an atom at b). 0 when b <= a.
  double expect(const Quadratic& q, double a, double b, bool closed_top = true) const;

 private:
  std::array<double, 3> moments_below(double x) const;  // E[X^k ; X < x]

  Distribution d_;
  std::vector<std::pair<double, double>> atoms_;
  double mu_ = 0, shape_ = 0, scale_ = 0;  // lognormal mu; gamma shape and scale
};

// A law's partial moments at the few points one integrand asks for, each
// computed once (the points of closed forms repeat: kappa, kappa + L, ...).
class MomentMemo {
 public:
  explicit MomentMemo(const Law& law) : law_(law) {}
  const std::array<double, 3>& at(double x);
  double cdf(double x) { return at(x)[0]; }
  // E[q(X) ; a < X <= b], 0 when b <= a.
  double expect(const Quadratic& q, double a, double b);

 private:
  static constexpr std::size_t kSlots = 32;
  const Law& law_;
  std::array<double, kSlots> x_{};
  std::array<std::array<double, 3>, kSlots> m_{};
  std::size_t used_ = 0;
  std::array<double, 3> spill_{};
};

// Gauss-Kronrod integration of a vector-valued f over [a, b] split at
// `breaks`: panels are bisected, largest scaled error first, until every
// component's summed error |K15 - G7| is at most tol * scale[i], or
// `max_panels` is reached. Deterministic: the same inputs give the same sum.
template <std::size_t N>
using Vec = std::array<double, N>;

struct QuadratureRule {
  std::array<double, 8> x;   // Kronrod abscissas, x[0] = 0
  std::array<double, 8> wk;  // Kronrod weights
  std::array<double, 4> wg;  // Gauss weights of x[0], x[2], x[4], x[6]
};
const QuadratureRule& gauss_kronrod_15();

template <std::size_t N>
struct PanelResult {
  Vec<N> value{};
  Vec<N> error{};
  double a = 0, b = 0;
};

template <std::size_t N, class F>
PanelResult<N> gk15_panel(const F& f, double a, double b) {
  const QuadratureRule& r = gauss_kronrod_15();
  const double c = 0.5 * (a + b), h = 0.5 * (b - a);
  PanelResult<N> out;
  out.a = a;
  out.b = b;
  Vec<N> k{}, g{};
  const Vec<N> mid = f(c);
  for (std::size_t i = 0; i < N; ++i) {
    k[i] = r.wk[0] * mid[i];
    g[i] = r.wg[0] * mid[i];
  }
  for (std::size_t j = 1; j < 8; ++j) {
    const Vec<N> lo = f(c - h * r.x[j]);
    const Vec<N> hi = f(c + h * r.x[j]);
    for (std::size_t i = 0; i < N; ++i) {
      const double sum = lo[i] + hi[i];
      k[i] += r.wk[j] * sum;
      if (j % 2 == 0) g[i] += r.wg[j / 2] * sum;
    }
  }
  for (std::size_t i = 0; i < N; ++i) {
    out.value[i] = h * k[i];
    out.error[i] = std::abs(h * (k[i] - g[i]));
  }
  return out;
}

template <std::size_t N, class F>
Vec<N> integrate(const F& f, std::vector<double> breaks, const Vec<N>& scale, double tol,
                 int max_panels) {
  using Panel = PanelResult<N>;
  std::vector<Panel> panels;
  for (std::size_t i = 0; i + 1 < breaks.size(); ++i) {
    if (breaks[i + 1] > breaks[i]) panels.push_back(gk15_panel<N>(f, breaks[i], breaks[i + 1]));
  }
  const auto badness = [&](const Panel& p) {
    double worst = 0;
    for (std::size_t i = 0; i < N; ++i) worst = std::max(worst, p.error[i] / scale[i]);
    return worst;
  };
  while (static_cast<int>(panels.size()) < max_panels) {
    Vec<N> total{};
    for (const Panel& p : panels)
      for (std::size_t i = 0; i < N; ++i) total[i] += p.error[i];
    bool done = true;
    for (std::size_t i = 0; i < N; ++i) done = done && total[i] <= tol * scale[i];
    if (done || panels.empty()) break;
    std::size_t worst = 0;
    for (std::size_t j = 1; j < panels.size(); ++j)
      if (badness(panels[j]) > badness(panels[worst])) worst = j;
    const Panel p = panels[worst];
    const double mid = 0.5 * (p.a + p.b);
    if (!(mid > p.a && mid < p.b)) break;  // no room left to bisect
    panels[worst] = gk15_panel<N>(f, p.a, mid);
    panels.push_back(gk15_panel<N>(f, mid, p.b));
  }
  Vec<N> sum{};
  for (const Panel& p : panels)
    for (std::size_t i = 0; i < N; ++i) sum[i] += p.value[i];
  return sum;
}

// E[f(X) ; lo < X < hi] for a law: a sum over its atoms, or the integral of
// f(Q(u)) over u in (F(lo), F(hi)) split where X crosses `value_breaks`
// (those less than `min_gap` in probability after the previous one are left
// to the bisection).
template <std::size_t N, class F>
Vec<N> integrate_law(const Law& law, double lo, double hi, const F& f,
                     const std::vector<double>& value_breaks, const Vec<N>& scale, double tol,
                     int max_panels, double min_gap = 0) {
  Vec<N> sum{};
  if (!(hi > lo)) return sum;
  if (law.discrete()) {
    for (const auto& [v, p] : law.atoms()) {
      if (!(v > lo && v < hi)) continue;
      const Vec<N> y = f(v);
      for (std::size_t i = 0; i < N; ++i) sum[i] += p * y[i];
    }
    return sum;
  }
  const double u0 = law.cdf(lo), u1 = law.cdf(hi);
  if (!(u1 > u0)) return sum;
  std::vector<double> breaks = {u0, u1};
  for (double v : value_breaks) {
    if (v > lo && v < hi) breaks.push_back(law.cdf(v));
  }
  std::sort(breaks.begin(), breaks.end());
  breaks.erase(std::unique(breaks.begin(), breaks.end()), breaks.end());
  if (min_gap > 0) {
    std::vector<double> kept = {breaks.front()};
    for (std::size_t i = 1; i + 1 < breaks.size(); ++i)
      if (breaks[i] - kept.back() >= min_gap) kept.push_back(breaks[i]);
    kept.push_back(breaks.back());
    breaks = std::move(kept);
  }
  // Nodes of panels squeezed against 0 or 1 can round onto them.
  const double u_min = std::nextafter(0.0, 1.0), u_max = std::nextafter(1.0, 0.0);
  const auto g = [&](double u) { return f(law.quantile(std::clamp(u, u_min, u_max))); };
  return integrate<N>(g, breaks, scale, tol, max_panels);
}

}  // namespace detsim::expect_detail
