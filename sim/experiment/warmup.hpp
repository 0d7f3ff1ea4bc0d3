// The warm-up rule (docs/model.md, "Time and the window"): how long before the start
// the simulation begins, so that the window opens on a jail already in its
// usual state. Internal to the library: simulate() applies it.
#pragma once

#include "detsim/scenario.hpp"

namespace detsim {

// Hours of warm-up before `start`: 24 * warmup_days, or under
// `warmup_days: auto` the longest a facility's stays (with transfers) need
// to settle, or under `stationary` stationary_warmup_hours(scenario).
// Throws nothing.
// Under `auto`, the stays' days (below) plus the hold limit (plus 96 hours
// under the weekend rule) plus release_effects_hours(scenario).
// Answers are cached per facility stay mixture (thread-safe).
double warmup_hours(const Scenario& scenario);

// Whole days covering the 0.999 quantile of the at-large arrest delay
// (exponential, ice.at_large_arrests_per_year per person-year), so that
// releases before the warm-up would bring at most 0.1% of their arrests
// into the window; 0 when at-large arrests are off. Throws nothing.
double at_large_warmup_hours(const Scenario& scenario);

// Hours covering the later effects of a release before the warm-up: the
// largest of at_large_warmup_hours, the 0.999 quantile of recording.lag
// (and open_record_days beyond the horizon), and
// population.rebooking_window_days when any facility re-books. Throws
// nothing.
double release_effects_hours(const Scenario& scenario);

// The short warm-up of `warmup_days: stationary`, in whole days (as
// hours): the largest of
//  - what ICE and holds need to reach their usual state: the notice lead,
//    the hold limit (plus 96 hours under the weekend rule), the pickup
//    delay's 0.999 quantile and the longest closed stretch of ICE's
//    business hours;
//  - the 0.999 quantile of the lodge delay (detainers arriving after a
//    release before the warm-up, counted as late);
//  - release_effects_hours(scenario).
// Throws nothing.
double stationary_warmup_hours(const Scenario& scenario);

// The warm-up an `auto` run of the same scenario would use (for analytic
// expectations, which assume the facilities start full). Throws nothing.
double auto_warmup_hours(const Scenario& scenario);

// The same without the cache (for tests and benchmarks).
double warmup_hours_uncached(const Scenario& scenario);

}  // namespace detsim
