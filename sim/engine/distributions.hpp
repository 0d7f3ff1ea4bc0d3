// Portable draws from scenario distributions (no implementation-defined
// standard-library distributions), and their distribution functions.
#pragma once

#include "detsim/scenario.hpp"
#include "engine/rng.hpp"

namespace detsim {

// The standard normal quantile, Wichura's AS 241 (relative error ~1e-16).
// REQUIRES: 0 < p < 1.
double normal_quantile(double p);

// A draw in hours whose first uniform is `u`; only gamma (rejection
// sampling) takes more, from `more`.
double draw(const Distribution& d, double u, Stream& more);
// A draw in hours from a stream.
inline double draw(const Distribution& d, Stream& s) {
  return draw(d, s.uniform(), s);
}

// The first uniforms u, lo < u < hi, for which draw(d, u, ·) < x surely,
// rounding included; empty when that cannot be told from u alone (gamma
// draws take more uniforms). Lets a caller skip draws whose only use would
// be to find out that they are short.
struct UniformRange {
  double lo = 1, hi = 0;
  bool contains(double u) const { return lo < u && u < hi; }
};
UniformRange draws_below(const Distribution& d, double x);

// P(X <= x) and E[(X - w)+] for a distribution (Boost.Math).
double cdf(const Distribution& d, double x);
double expected_excess(const Distribution& d, double w);

}  // namespace detsim

namespace detsim {
// The p-quantile of a distribution, hours. REQUIRES: 0 < p < 1.
double quantile(const Distribution& d, double p);
}  // namespace detsim
