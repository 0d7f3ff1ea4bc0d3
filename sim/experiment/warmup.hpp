// The warm-up rule (MODEL.md section 2, step 6): how long before the start
// the simulation begins, so that the window opens on a jail already in its
// usual state. Internal to the library: simulate() applies it.
#pragma once

#include "detsim/scenario.hpp"

namespace detsim {

// Hours of warm-up before `start`: 24 * warmup_days, or under
// `warmup_days: auto` the longest a facility's stays (with transfers) need
// to settle. Throws nothing.
// Answers are cached per facility stay mixture (thread-safe).
double warmup_hours(const Scenario& scenario);

// The same without the cache (for tests and benchmarks).
double warmup_hours_uncached(const Scenario& scenario);

}  // namespace detsim
