// A sweep's design expanded into points: every combination (grid) or one
// point per sample (random, lhs), with their ids.
#pragma once

#include "sweep/plan.hpp"

namespace detsim {

// Fills sweep.points from the parameters and the design.
// Throws InputError when a grid would have more than kMaxSweepPoints points.
void expand_points(SweepInputs& inputs);

}  // namespace detsim
