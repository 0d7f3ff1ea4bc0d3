// The resolved scenario: what a YAML file says once presets, `--policy` and
// `--set` are applied and every value is checked (docs/scenario.md). The
// defaults below are those of a struct built in code; a scenario file's
// own defaults are in docs/scenario.md.
//
// Units: every duration is in hours (double); dates are whole days counted
// from 1970-01-01 (`Day`). Indices into `facilities`, `policies` and
// `offense_ids` are plain ints.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace detsim {

using Day = std::int64_t;  // days since 1970-01-01 (civil calendar)

enum class Severity : std::uint8_t { kViolent = 0, kSerious = 1, kOther = 2 };
enum class Action : std::uint8_t { kHonor = 0, kNotify = 1, kDecline = 2, kTransfer = 3 };
enum class FacilityKind : std::uint8_t { kJail = 0, kPrison = 1 };
enum class Discipline : std::uint8_t { kFifo = 0, kEdf = 1 };
// The warrant a detainer comes with (one draw per detainer).
enum class Warrant : std::uint8_t { kJudicial = 0, kFederalCriminal = 1, kNone = 2 };

// The names scenario files use ("violent", "honor", "jail", ...). Throw nothing.
const char* to_string(Severity s);
const char* to_string(Action a);
const char* to_string(FacilityKind k);

// A duration distribution, in hours. Draws are made by the library's own
// code (never the standard library's distributions), so they are the same
// on every platform.
struct Distribution {
  enum class Kind : std::uint8_t { kFixed, kExponential, kLognormal, kGamma, kEmpirical };
  Kind kind = Kind::kFixed;  // default fixed
  // fixed: the value; exponential: the mean; lognormal: the median; gamma:
  // the mean. Hours; default 0.
  double a = 0;
  // lognormal: sigma of the log (unitless); gamma: coefficient of variation
  // (unitless). Default 0.
  double b = 0;
  std::vector<double> values;      // empirical: the values, hours; default none
  std::vector<double> cumulative;  // empirical: cumulative weights, last = 1; default none

  // The mean, hours. Throws nothing.
  double mean() const;
};

// One offense category of a facility's booking mix.
struct Offense {
  std::string id;                        // the category's id; no default
  int category = 0;                      // index into Scenario::offense_ids; default 0
  double share = 0;                      // share of the facility's bookings, [0, 1]; default 0
  Severity severity = Severity::kOther;  // default other
  double prior_serious = 0;              // probability of a prior serious conviction; default 0
  double pretrial_release = 0;           // probability of release before sentence; default 0
  Distribution pretrial_stay;            // hours in custody when released pretrial
  Distribution sentenced_stay;           // hours in custody when sentenced
  int transfer_to = -1;        // facility index of `sentenced_transfer_to`; default -1: none
  Distribution transfer_stay;  // hours at the facility transferred to
  double lodge_probability =
      0;  // probability ICE lodges a detainer (ice.lodge_probability); default 0
  double lift_probability =
      0;  // probability ICE lifts a detainer (ice.lift_probability); default 0
};

struct Population {
  double noncitizen_share = 0;         // share of bookings who are noncitizens, [0, 1]; default 0
  double erroneous_detainer_rate = 0;  // detainers per citizen booking, [0, 1]; default 0
  double lawful_status_share = 0;      // share of noncitizens who are lawful residents; default 0
  // Probability that a citizen or lawful resident with a detainer proves status; default 0.
  double status_proof_probability = 0;
  Distribution status_proof_delay;      // hours from the detainer to the proof; default fixed 0
  bool has_status_proof_delay = false;  // status_proof_delay was given; default false
  // Re-bookings per person-year after a release to the community, by Severity; default 0.
  std::array<double, 3> rebooking_per_year{0, 0, 0};
  double rebooking_window_days = 365;  // days after a release a re-booking can happen; default 365
};

// When ICE picks people up (ice.pickup.business_hours).
struct BusinessHours {
  bool enabled = false;   // default false: any time
  std::uint8_t days = 0;  // bit d set: day d open, d = 0 for Monday; default 0
  double from = 0;        // hour of day, [0, 24]; default 0
  double to = 24;         // hour of day, [0, 24]; default 24
};

struct Pickup {
  Distribution delay;  // hours from a request to ICE's arrival
  int teams = 0;       // pickup teams; default 0: unlimited
  Discipline discipline =
      Discipline::kFifo;  // queue order of requests; default first in, first out
  BusinessHours business_hours;
};

struct Ice {
  double match_probability = 1;       // probability ICE identifies a noncitizen booking; default 1
  Distribution lodge_delay;           // hours from booking to the detainer
  double judicial_warrant_share = 0;  // share of detainers with a judicial warrant; default 0
  double notice_lead_hours = 0;       // hours of notice before a release; default 0
  double release_grace_hours = 0;     // hours a release waits for ICE at the door; default 0
  // Arrests per person-year at large after a release despite a detainer; default 0.
  double at_large_arrests_per_year = 0;
  double detainer_stay_multiplier = 1;  // stay multiplier with a detainer (unitless); default 1
  // `detainer_stay_multiplier` given by action: the factor per Action
  // (unitless, missing actions 1); default false: the number above for all.
  bool stay_multiplier_by_action = false;
  std::array<double, 4> stay_multipliers{1, 1, 1, 1};
  Distribution lift_delay;            // hours from the detainer to its lift; default fixed 0
  double relodge_probability = -1;    // default -1 (null): the lodge probability
  bool lift_citizen_on_proof = true;  // a citizen's proof lifts the detainer; default true
  double federal_criminal_warrant_share = 0;  // share of detainers with one, [0, 1]; default 0
  Pickup pickup;
};

struct DetainerHold {
  double limit_hours = 48;                 // hours a hold may last past the release; default 48
  bool exclude_weekends_holidays = false;  // weekends and holidays do not count; default false
};

// How releases despite a detainer become records (`recording:`).
struct Recording {
  double release_recorded = 1;  // probability a release despite a detainer is recorded; required
  Distribution lag;             // hours from the release to the record; required
  double open_record_days = 0;  // days an unrecorded release stays on the active list; required
};

// A policy rule: all set conditions must hold. Empty masks mean "any".
struct Rule {
  std::int8_t judicial_warrant = -1;    // -1 any (default), 0 false, 1 true
  std::int8_t convicted = -1;           // as judicial_warrant
  std::int8_t prior_serious = -1;       // as judicial_warrant
  std::int8_t pretrial = -1;            // as judicial_warrant
  std::int8_t status_proven = -1;       // as judicial_warrant
  std::uint8_t warrants = 0;            // bit per Warrant (`warrant:`); default 0: any
  std::vector<int> offenses;            // categories (Scenario::offense_ids); default empty: any
  std::uint8_t severities = 0;          // bit per Severity; default 0: any
  std::uint8_t facility_kinds = 0;      // bit per FacilityKind; default 0: any
  Action action = Action::kHonor;       // default honor
  double compliance = 1;                // probability the action is taken, [0, 1]; default 1
  bool has_otherwise = false;           // default false: no `otherwise`
  Action otherwise = Action::kDecline;  // used when has_otherwise; default decline
};

// A detainer policy: the first matching rule decides, else default_action.
struct Policy {
  std::string name;                          // no default
  std::string description;                   // default ""
  std::vector<Rule> rules;                   // default none
  Action default_action = Action::kDecline;  // default decline
  bool local_option = false;                 // `local-option`: no rule of its own; default false
  // Holds are made under a 287(g) warrant-service agreement: each honored
  // detainer is also counted in held_under_287g. Default false.
  bool warrant_service_287g = false;
};

struct Facility {
  std::string id;                           // no default
  FacilityKind kind = FacilityKind::kJail;  // default jail
  double bookings_per_day = 0;              // mean bookings a day; default 0
  std::array<double, 7> day_of_week{1, 1, 1, 1,
                                    1, 1, 1};  // rate multipliers, Monday first; default 1
  std::array<double, 12> month{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};  // rate multipliers; default 1
  double capacity = -1;     // beds; default -1 (< 0): no limit
  double bed_day_cost = 0;  // cost of a bed for a day, in the scenario's currency; default 0
  // Cost of one more bed-day, for hold_cost and extra_stay_cost; default -1 (< 0): bed_day_cost.
  double marginal_bed_day_cost = -1;
  int policy = -1;                // index into Scenario::policies; default -1: the state's
  std::vector<Offense> offenses;  // this facility's booking mix (shares sum to 1)
  Population population;
};

struct PolicyChange {
  Day date = 0;       // takes effect at 00:00 of this date; default 0
  int facility = -1;  // facility index; default -1: the state policy
  int policy = 0;     // index into Scenario::policies; default 0
};

struct Scenario {
  std::string name;         // no default
  std::string description;  // default ""
  std::string source;       // file it was read from; default ""
  Day start = 0;            // the first day of the window; default 0 (1970-01-01)
  int horizon_days = 365;   // days in the window; default 365
  bool warmup_auto = true;  // `warmup_days: auto`; default true
  // `warmup_days: stationary` (used when warmup_auto is false): the people
  // in custody at the start of a short warm-up are drawn from the steady
  // state; default false (a scenario file without warmup_days: true).
  bool warmup_stationary = false;
  double warmup_days = 0;     // days, when neither warmup_auto nor warmup_stationary; default 0
  int replications = 10;      // default 10
  std::uint64_t seed = 0;     // default 0
  std::vector<Day> holidays;  // sorted, unique; default none
  Population population;      // the default of every facility's
  std::vector<std::string> offense_ids;      // every category, in order of first appearance
  std::vector<Severity> offense_severities;  // per category
  Ice ice;
  DetainerHold hold;
  int state_policy = 0;         // index into policies; default 0
  bool state_preempts = false;  // the state policy overrides facilities'; default false
  std::vector<Facility> facilities;
  std::vector<Policy> policies;              // named in the file, then presets used
  std::vector<PolicyChange> policy_changes;  // sorted by date
  // `recording:`; default absent: the recorded metrics equal the true ones.
  std::optional<Recording> recording;
  std::string resolved_yaml;      // the scenario after presets, --policy and --set
  std::string currency;           // label of costs (`currency:`); default "": cost units
  std::string policy_override;    // LoadOptions::policy_override applied; default ""
  std::vector<std::string> sets;  // LoadOptions::sets applied, in order; default none

  double horizon_hours() const { return 24.0 * horizon_days; }
};

}  // namespace detsim
