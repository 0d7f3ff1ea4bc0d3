// Analytic expectations of a scenario's metrics over the horizon
// (`detsim expect`, docs/model.md): what the mean over infinitely many
// replications of `detsim run` would be, for scenarios with unlimited ICE
// capacity, one policy per facility and no transfers.
//
// Method. Bookings are a Poisson process on [-warm-up, T) whose rate is
// piecewise constant by day (the day-of-week and month multipliers);
// people's draws are independent; so an expected count is the base rate
// times the average, over one person's draws, of the measure of booking
// times, weighted by the day's multiplier, for which the counted event
// falls in the window (section 2 step 6:
// decisions and their outcomes by t_release, detainers by arrival, open
// holds counted up to T). Person attributes that steer the policy (judicial
// warrant, prior serious conviction, compliance draws) and citizenship are
// enumerated with their probabilities; ICE response times enter through
// closed forms (partial moments); stays and lodge delays through adaptive
// Gauss-Kronrod quadrature in probability space (relative accuracy about
// 1e-9 of each quantity's scale). Atoms of `fixed` and `empirical`
// distributions are summed exactly, with the engine's tie rules (a detainer
// arriving at the release is late; ICE arriving at the deadline is in time).
// The measures are integrals of the day multipliers (expect/profile.hpp);
// the quadrature breaks where a release meets a day of another multiplier.
// A stay multiplier by anticipated action gives each action its own release
// offset (one policy for the whole run: the anticipated action is the
// decision's for a person who has not proven status), so
// extra_stay_bed_days has an expectation too. Lifted detainers and proof of
// status enter as the probability that the detainer is still active at the
// release (and the status proven at the notice), closed forms in the lift
// and proof delays inside the quadrature over the lodge delay; they are
// timed from the detainer, so they weight the outcomes whose measures carry
// the day multipliers. A citizen who can be lifted both by ICE and by their
// proof leaves detainers_lifted, citizen_detainers_lifted and the detainers
// in custody at the end without an expectation. Re-bookings are outside the
// method (refused).
#pragma once

#include <array>
#include <string>

#include "detsim/metrics.hpp"
#include "detsim/scenario.hpp"

namespace detsim {

// Expected values over the horizon, with the shape of one replication's
// metrics (totals, per facility, per offense category).
struct Expectations {
  ReplicationMetrics values;  // each metric in its own unit; 0 where not available
  // Metrics with an expectation here. Not available: max_hold_hours,
  // peak_occupancy, over_capacity_hours (extremes, not sums) and the ICE
  // queue metrics (no queue with unlimited capacity).
  std::array<bool, kMetricCount> available{};
  double warmup_hours = 0;  // hours of warm-up before the start; default 0
};

// The expectations of `scenario`. Throws InputError ("SOURCE: KEY.PATH:
// why") for a scenario outside the assumptions: ice.pickup.teams not null,
// ice.pickup.business_hours, detainer_hold.exclude_weekends_holidays,
// policy_changes, sentenced_transfer_to, or a population.rebooking_per_year
// above 0 (re-bookings).
Expectations expected_metrics(const Scenario& scenario);

// The JSON document of the expectations, indented by 2 and ending with a
// newline, as `detsim expect --json` prints it: {"scenario", "version",
// "method", "horizon_days", "warmup_days", "metrics": {name: number},
// "facilities": {id: {"metrics": ...}}, "offenses": {id: {"metrics":
// ...}}}: available metrics only, in kMetricNames order; offense categories
// without occupancy metrics. Throws nothing but std::bad_alloc.
std::string expect_json(const Scenario& scenario, const Expectations& e);

// A terminal table: one row per available metric, the total and each
// facility. `color` adds ANSI bold to titles. Ends with a newline. Throws
// nothing but std::bad_alloc.
std::string expect_table(const Scenario& scenario, const Expectations& e, bool color);

}  // namespace detsim
