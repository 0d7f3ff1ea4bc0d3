// Builders of the scenario structs tests write by hand: duration
// distributions in hours (detsim::Distribution).
#pragma once

#include <utility>
#include <vector>

#include "detsim/scenario.hpp"

namespace detsim::testing {

// A distribution of `kind` with parameters a and b (see Distribution).
inline Distribution hours(Distribution::Kind kind, double a, double b = 0) {
  Distribution d;
  d.kind = kind;
  d.a = a;
  d.b = b;
  return d;
}
inline Distribution fixed_hours(double h) {
  return hours(Distribution::Kind::kFixed, h);
}
inline Distribution exponential_hours(double mean) {
  return hours(Distribution::Kind::kExponential, mean);
}
inline Distribution lognormal_hours(double median, double sigma) {
  return hours(Distribution::Kind::kLognormal, median, sigma);
}
inline Distribution gamma_hours(double mean, double cv) {
  return hours(Distribution::Kind::kGamma, mean, cv);
}

// Values with weights (normalized here).
inline Distribution empirical_hours(std::vector<double> values, std::vector<double> weights) {
  Distribution d;
  d.kind = Distribution::Kind::kEmpirical;
  d.values = std::move(values);
  double total = 0;
  for (double w : weights) total += w;
  double running = 0;
  for (double w : weights) {
    running += w;
    d.cumulative.push_back(running / total);
  }
  d.cumulative.back() = 1;
  return d;
}

}  // namespace detsim::testing
