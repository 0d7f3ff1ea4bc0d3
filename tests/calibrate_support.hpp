// Small calibrations for the calibration tests: the tiny base scenario of the
// sweep tests (one jail, 20 days after a 5-day warm-up: a simulation takes
// about a millisecond) and calibration files written beside it.
#pragma once

#include <boost/math/distributions/normal.hpp>
#include <string>

#include "detsim/calibrate.hpp"
#include "test_sweep_support.hpp"

namespace detsim::testing {

// Statistical checks of the calibration tests (test_calibrate*.cpp), a family
// of their own: a correct calibration fails any of them with probability
// under 0.001 in all (Bonferroni over kCalibrationChecks).
inline constexpr int kCalibrationChecks = 12;
inline double calibration_z() {
  const boost::math::normal n01;
  return boost::math::quantile(n01, 1.0 - 0.001 / (2.0 * kCalibrationChecks));
}

// A fresh folder holding base.yaml (kTinyBase) and cal.yaml (`calibration`).
inline std::string calibration_dir(const std::string& name, const std::string& calibration) {
  const std::string dir = fresh_dir("calibrate-" + name);
  write_text(dir + "/base.yaml", kTinyBase);
  write_text(dir + "/cal.yaml", calibration);
  return dir;
}

// The posterior's weighted mean and sd of parameter k.
struct Moments {
  double mean = 0, sd = 0, ess = 0;
};
inline Moments moments(const CalibrationResult& r, std::size_t k) {
  Moments m;
  double s2 = 0;
  for (std::size_t i = 0; i < r.weights.size(); ++i) {
    m.mean += r.weights[i] * r.particles[i][k];
    s2 += r.weights[i] * r.weights[i];
  }
  double v = 0;
  for (std::size_t i = 0; i < r.weights.size(); ++i) {
    v += r.weights[i] * (r.particles[i][k] - m.mean) * (r.particles[i][k] - m.mean);
  }
  m.sd = std::sqrt(v);
  m.ess = 1.0 / s2;
  return m;
}

}  // namespace detsim::testing
