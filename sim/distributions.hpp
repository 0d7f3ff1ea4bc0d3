// Portable draws from scenario distributions (no implementation-defined
// standard-library distributions), and their distribution functions.
#pragma once

#include "detsim/scenario.hpp"
#include "rng.hpp"

namespace detsim {

// The standard normal quantile, Wichura's AS 241 (relative error ~1e-16).
// REQUIRES: 0 < p < 1.
double normal_quantile(double p);

// A draw in hours. Uses one uniform, except gamma (rejection sampling).
double draw(const Distribution& d, Stream& s);

// P(X <= x) and E[(X - w)+] for a distribution (Boost.Math).
double cdf(const Distribution& d, double x);
double expected_excess(const Distribution& d, double w);

}  // namespace detsim

namespace detsim {
// The p-quantile of a distribution, hours. REQUIRES: 0 < p < 1.
double quantile(const Distribution& d, double p);
}  // namespace detsim
