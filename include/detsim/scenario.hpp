// The resolved scenario: what a YAML file says once presets, `--policy` and
// `--set` are applied and every value is checked (MODEL.md section 3).
//
// Units: every duration is in hours (double); dates are whole days counted
// from 1970-01-01 (`Day`). Indices into `facilities`, `policies` and
// `offense_ids` are plain ints.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace detsim {

using Day = std::int64_t;  // days since 1970-01-01 (civil calendar)

enum class Severity : std::uint8_t { kViolent = 0, kSerious = 1, kOther = 2 };
enum class Action : std::uint8_t { kHonor = 0, kNotify = 1, kDecline = 2, kTransfer = 3 };
enum class FacilityKind : std::uint8_t { kJail = 0, kPrison = 1 };
enum class Discipline : std::uint8_t { kFifo = 0, kEdf = 1 };

const char* to_string(Severity s);
const char* to_string(Action a);
const char* to_string(FacilityKind k);

// A duration distribution, in hours. Draws are implemented in
// distributions.cpp without the standard library's distributions.
struct Distribution {
  enum class Kind : std::uint8_t { kFixed, kExponential, kLognormal, kGamma, kEmpirical };
  Kind kind = Kind::kFixed;
  double a = 0;                // fixed: value; exponential: mean; lognormal: median; gamma: mean
  double b = 0;                // lognormal: sigma; gamma: coefficient of variation
  std::vector<double> values;  // empirical: the values, hours
  std::vector<double> cumulative;  // empirical: cumulative weights, last = 1

  double mean() const;
};

struct Offense {
  std::string id;
  int category = 0;  // index into Scenario::offense_ids
  double share = 0;
  Severity severity = Severity::kOther;
  double prior_serious = 0;
  double pretrial_release = 0;
  Distribution pretrial_stay;
  Distribution sentenced_stay;
  int transfer_to = -1;  // facility index of `sentenced_transfer_to`, or -1
  Distribution transfer_stay;
  double lodge_probability = 0;  // resolved from ice.lodge_probability
};

struct Population {
  double noncitizen_share = 0;
  double erroneous_detainer_rate = 0;
};

struct BusinessHours {
  bool enabled = false;
  std::uint8_t days = 0;  // bit d set: day d open, d = 0 for Monday
  double from = 0;        // hour of day, [0, 24]
  double to = 24;
};

struct Pickup {
  Distribution delay;
  int teams = 0;  // 0 = unlimited
  Discipline discipline = Discipline::kFifo;
  BusinessHours business_hours;
};

struct Ice {
  double match_probability = 1;
  Distribution lodge_delay;
  double judicial_warrant_share = 0;
  double notice_lead_hours = 0;
  double release_grace_hours = 0;
  double at_large_arrests_per_year = 0;
  double detainer_stay_multiplier = 1;
  Pickup pickup;
};

struct DetainerHold {
  double limit_hours = 48;
  bool exclude_weekends_holidays = false;
};

// A policy rule: all set conditions must hold. Empty masks mean "any".
struct Rule {
  std::int8_t judicial_warrant = -1;  // -1 any, 0 false, 1 true
  std::int8_t convicted = -1;
  std::int8_t prior_serious = -1;
  std::vector<int> offenses;        // categories (Scenario::offense_ids); empty = any
  std::uint8_t severities = 0;      // bit per Severity; 0 = any
  std::uint8_t facility_kinds = 0;  // bit per FacilityKind; 0 = any
  Action action = Action::kHonor;
  double compliance = 1;
  bool has_otherwise = false;
  Action otherwise = Action::kDecline;  // used when has_otherwise
};

struct Policy {
  std::string name;
  std::string description;
  std::vector<Rule> rules;
  Action default_action = Action::kDecline;
  bool local_option = false;  // `local-option`: no rule of its own
};

struct Facility {
  std::string id;
  FacilityKind kind = FacilityKind::kJail;
  double bookings_per_day = 0;
  std::array<double, 7> day_of_week{1, 1, 1, 1, 1, 1, 1};  // Monday first
  std::array<double, 12> month{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  double capacity = -1;  // beds; < 0: no limit
  double bed_day_cost = 0;
  int policy = -1;                // index into Scenario::policies; -1: the state's
  std::vector<Offense> offenses;  // this facility's booking mix (shares sum to 1)
  Population population;
};

struct PolicyChange {
  Day date = 0;       // takes effect at 00:00 of this date
  int facility = -1;  // -1: the state policy
  int policy = 0;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string source;  // file it was read from
  Day start = 0;
  int horizon_days = 365;
  bool warmup_auto = true;
  double warmup_days = 0;  // when !warmup_auto
  int replications = 10;
  std::uint64_t seed = 0;
  std::vector<Day> holidays;  // sorted, unique
  Population population;
  std::vector<std::string> offense_ids;      // every category, in order of first appearance
  std::vector<Severity> offense_severities;  // per category
  Ice ice;
  DetainerHold hold;
  int state_policy = 0;
  bool state_preempts = false;
  std::vector<Facility> facilities;
  std::vector<Policy> policies;              // named in the file, then presets used
  std::vector<PolicyChange> policy_changes;  // sorted by date
  std::string resolved_yaml;                 // the scenario after presets, --policy and --set

  double horizon_hours() const { return 24.0 * horizon_days; }
};

}  // namespace detsim
