// A sweep point's scenario: the base tree with the point's values applied,
// resolved and checked.
#pragma once

#include "sweep/plan.hpp"

namespace detsim {

// The base tree with `point`'s values applied like `--set`. A key the point
// adds is reported, if wrong, at the parameter's key in the sweep file.
// Throws InputError (at the parameter's key) for a path that cannot be
// followed in the base scenario.
YamlNode point_tree(const SweepInputs& inputs, const SweepPoint& point);

// The point's resolved scenario. Throws InputError for a value that makes
// the scenario invalid; the message names the point and its values.
Scenario resolve_point(const SweepInputs& inputs, const SweepPoint& point);

// Resolves every point on `threads` threads (0: all cores) and throws the
// InputError of the first point, in point order, that does not resolve.
void check_points(const SweepInputs& inputs, int threads);

}  // namespace detsim
