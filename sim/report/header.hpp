// What was run, stated in every table and output file (docs/metrics.md):
// scenario, period, replications, seed, the policy override, every --set,
// and the units of hours, bed-days and money.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "detsim/scenario.hpp"

namespace detsim {

// `d` as an ISO 8601 date, "2025-01-01".
std::string iso_date(Day d);

// "2025-01-01 to 2025-12-31 (365 days)": the counted window, both ends
// included.
std::string period_text(const Scenario& s);

// The money unit: the scenario's currency, else "cost units".
std::string money_unit(const Scenario& s);

// The policy a facility starts the window with, by name, with
// " (changes during the run)" when a policy change applies to it.
std::string facility_policy_text(const Scenario& s, int facility);

// The lines under a table's title: period, policy (override or "as in the
// file"), every --set, and units. Each ends with a newline.
std::string header_lines(const Scenario& s);

// {"start", "end", "days", "warmup_days"} ("auto", "stationary" or days), for the JSON.
nlohmann::ordered_json period_json(const Scenario& s);

// {"policy_override": name or null, "sets": [...], "currency": text or
// null, "units": {metric: unit}}: what the JSON of run and compare add.
nlohmann::ordered_json context_json(const Scenario& s);

}  // namespace detsim
