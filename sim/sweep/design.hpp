// A sweep's design expanded into points: every combination (grid) or one
// point per sample (random, lhs), with their ids.
#pragma once

#include <cstdint>

#include "sweep/plan.hpp"

namespace detsim {

// Fills sweep.points from the parameters and the design.
// Throws InputError when a grid would have more than kMaxSweepPoints points.
void expand_points(SweepInputs& inputs);

// The number of points expand_points makes, counted without making them
// (a plan's size, said before a large plan is expanded). Throws nothing.
std::int64_t planned_points(const SweepInputs& inputs);

}  // namespace detsim
