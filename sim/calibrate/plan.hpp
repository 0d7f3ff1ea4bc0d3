// A calibration file read into what running it needs: the Calibration
// (public view) and a sweep-shaped view of it (the base tree, one range
// parameter per prior plus the candidate's `seed`), so that candidates run
// on the sweep's thread pool like sweep points.
#pragma once

#include <string>
#include <vector>

#include "detsim/calibrate.hpp"
#include "sweep/plan.hpp"

namespace detsim {

struct CalibrationInputs {
  Calibration calibration;
  // parameters: the priors (ranges) in file order, then `seed`; points are
  // set per round by the runner. replications: the calibration's.
  SweepInputs sweep;
  // By target: the facility's index in the base scenario, or -1 for the total.
  std::vector<int> target_facility;
  std::string resolved_yaml;       // the calibration file with defaults filled in
  std::string base_resolved_yaml;  // the base scenario resolved
};

// Reads and checks the calibration file at `path` and its base scenario.
// Throws InputError.
CalibrationInputs read_calibration_inputs(const std::string& path);

// A parameter's coordinate: its value's log for a log-uniform prior, else the
// value; an integer parameter's range is padded by 1/2 on each side, so that
// rounding the coordinate's value gives every integer equal prior mass.
struct Coordinate {
  double lo = 0, hi = 0;  // the prior's support in the coordinate
  bool log = false, integer = false;
  double value(double z) const;  // the parameter's value (rounded for integers)
};
Coordinate coordinate(const CalibrationParameter& p);

// The text a value is given to the scenario as: shortest round-trip
// decimal, or an integer.
std::string value_text(double value, bool integer);

}  // namespace detsim
