// Stationary scenarios, built in code, on which `expect` is checked against
// the simulation: together they cover lognormal, exponential, gamma, fixed
// and empirical stays, delays and ICE responses; honor, notify, decline and
// 287(g) transfers; rules with compliance and judicial warrants; notice lead
// times; several facilities; erroneous detainers on citizens; a stay
// multiplier; at-large arrests; an automatic and a short numeric warm-up;
// day-of-week and month multipliers of the booking rate; stay multipliers by
// anticipated action.
#pragma once

#include <string>
#include <vector>

#include "support.hpp"

namespace detsim::testing {

struct OffenseSpec {
  std::string id;
  Severity severity;
  double share, prior_serious, pretrial_release;
  Distribution pretrial_stay, sentenced_stay;
  double lodge_probability;
};

// A scenario skeleton: presets cooperative (0), sanctuary (1), notify-only
// (2) and 287g-jail (3); offense categories from `offenses`; no facility.
inline Scenario skeleton(const std::string& name, int horizon_days,
                         const std::vector<OffenseSpec>& offenses) {
  Scenario s = basic_scenario();
  s.name = name;
  s.horizon_days = horizon_days;
  s.offense_ids.clear();
  s.offense_severities.clear();
  s.facilities.clear();
  Facility f;
  for (const OffenseSpec& spec : offenses) {
    Offense o;
    o.id = spec.id;
    o.category = static_cast<int>(s.offense_ids.size());
    o.share = spec.share;
    o.severity = spec.severity;
    o.prior_serious = spec.prior_serious;
    o.pretrial_release = spec.pretrial_release;
    o.pretrial_stay = spec.pretrial_stay;
    o.sentenced_stay = spec.sentenced_stay;
    o.lodge_probability = spec.lodge_probability;
    s.offense_ids.push_back(spec.id);
    s.offense_severities.push_back(spec.severity);
    f.offenses.push_back(o);
  }
  s.facilities.push_back(f);  // a template, replaced by add_facility
  return s;
}

inline void add_facility(Scenario& s, const std::string& id, double per_day, int policy,
                         double noncitizen_share, double erroneous_rate) {
  Facility f = s.facilities.front();
  if (f.id.empty()) s.facilities.clear();
  f.id = id;
  f.bookings_per_day = per_day;
  f.policy = policy;
  f.population.noncitizen_share = noncitizen_share;
  f.population.erroneous_detainer_rate = erroneous_rate;
  s.facilities.push_back(f);
}

// A: two jails, lognormal everything, one honoring and one notifying, many
// erroneous detainers on citizens.
inline Scenario lognormal_two_jails() {
  Scenario s = skeleton("lognormal-two-jails", 60,
                        {{"violent", Severity::kViolent, 0.3, 0.3, 0.6, lognormal_hours(36, 1.0),
                          lognormal_hours(240, 0.6), 0.8},
                         {"other", Severity::kOther, 0.7, 0.05, 0.9, lognormal_hours(12, 1.2),
                          lognormal_hours(96, 0.5), 0.5}});
  s.ice.match_probability = 0.9;
  s.ice.lodge_delay = lognormal_hours(18, 0.9);
  s.ice.pickup.delay = lognormal_hours(20, 0.8);
  s.ice.release_grace_hours = 3;
  add_facility(s, "jail-a", 120, 0, 0.4, 0.05);
  add_facility(s, "jail-b", 80, 2, 0.4, 0.05);
  return s;
}

// B: exponential and gamma draws, a notice lead on the sentenced path, a
// rule-based policy with judicial warrants and compliance.
inline Scenario rules_with_lead() {
  Scenario s = skeleton("rules-with-lead", 60,
                        {{"assault", Severity::kViolent, 0.4, 0.25, 0.3, exponential_hours(30),
                          gamma_hours(144, 0.6), 0.9},
                         {"theft", Severity::kSerious, 0.6, 0.1, 0.5, gamma_hours(20, 1.5),
                          exponential_hours(72), 0.6}});
  s.ice.lodge_delay = exponential_hours(20);
  s.ice.pickup.delay = gamma_hours(16, 0.5);
  s.ice.judicial_warrant_share = 0.15;
  s.ice.notice_lead_hours = 24;
  s.ice.release_grace_hours = 4;
  Policy p = simple_policy("county-rule", Action::kDecline);
  Rule warrant;
  warrant.judicial_warrant = 1;
  warrant.action = Action::kHonor;
  Rule violent;
  violent.severities = 1u << static_cast<int>(Severity::kViolent);
  violent.convicted = 1;
  violent.action = Action::kNotify;
  Rule prior;
  prior.prior_serious = 1;
  prior.action = Action::kHonor;
  prior.compliance = 0.7;
  prior.has_otherwise = true;
  prior.otherwise = Action::kNotify;
  p.rules = {warrant, violent, prior};
  s.policies.push_back(p);
  add_facility(s, "jail", 150, static_cast<int>(s.policies.size()) - 1, 0.6, 0.02);
  return s;
}

// C: empirical stays and lodge delays, a stay multiplier of 2.5 (releases
// beyond the automatic warm-up, which ignores the multiplier).
inline Scenario empirical_stretched() {
  Scenario s = skeleton("empirical-stretched", 40,
                        {{"any", Severity::kSerious, 1.0, 0.0, 1.0,
                          empirical_hours({6, 30, 70, 200}, {4, 3, 2, 1}), fixed_hours(100), 0.7}});
  s.ice.lodge_delay = empirical_hours({2, 20, 50}, {1, 2, 1});
  s.ice.pickup.delay = lognormal_hours(10, 1.0);
  s.ice.detainer_stay_multiplier = 2.5;
  add_facility(s, "jail", 200, 0, 1.0, 0.0);
  return s;
}

// D: a sanctuary city and a 287(g) county, at-large arrests, a fixed lodge
// delay.
inline Scenario sanctuary_and_287g() {
  Scenario s = skeleton("sanctuary-and-287g", 60,
                        {{"felony", Severity::kSerious, 0.5, 0.2, 0.7, lognormal_hours(30, 1.1),
                          lognormal_hours(200, 0.7), 0.8},
                         {"misdemeanor", Severity::kOther, 0.5, 0.05, 0.95, exponential_hours(10),
                          gamma_hours(72, 0.4), 0.4}});
  s.ice.lodge_delay = fixed_hours(12);
  s.ice.pickup.delay = lognormal_hours(24, 0.7);
  s.ice.at_large_arrests_per_year = 12;
  add_facility(s, "city", 100, 1, 0.5, 0.01);
  add_facility(s, "county", 60, 3, 0.5, 0.01);
  return s;
}

// E: a two-day numeric warm-up (many people booked before it are missing),
// a notice lead of 36 hours with a fixed ICE response of 30 hours, one
// notifying and one honoring facility.
inline Scenario short_warmup_fixed_response() {
  Scenario s = skeleton("short-warmup", 50,
                        {{"any", Severity::kSerious, 1.0, 0.1, 0.4, exponential_hours(24),
                          lognormal_hours(120, 0.8), 0.8}});
  s.warmup_auto = false;
  s.warmup_days = 2;
  s.ice.lodge_delay = lognormal_hours(30, 1.2);
  s.ice.pickup.delay = fixed_hours(30);
  s.ice.notice_lead_hours = 36;
  s.ice.release_grace_hours = 8;
  add_facility(s, "notifying", 120, 2, 0.7, 0.0);
  add_facility(s, "honoring", 80, 0, 0.7, 0.0);
  return s;
}

// F: booking rates by day of week (a weekend peak) at one jail and by month
// (a window across three months, starting mid-month) at the other, a
// notice lead, honor and notify, at-large arrests after lapses and missed
// notices.
inline Scenario weekly_and_seasonal() {
  Scenario s = skeleton("weekly-and-seasonal", 75,
                        {{"felony", Severity::kSerious, 0.4, 0.2, 0.5, lognormal_hours(30, 1.0),
                          lognormal_hours(150, 0.6), 0.8},
                         {"misdemeanor", Severity::kOther, 0.6, 0.05, 0.9, exponential_hours(14),
                          gamma_hours(60, 0.5), 0.5}});
  s.start = 20089 + 45;  // 2025-02-15
  s.ice.lodge_delay = lognormal_hours(16, 0.9);
  s.ice.pickup.delay = lognormal_hours(30, 0.7);
  s.ice.notice_lead_hours = 24;
  s.ice.release_grace_hours = 6;
  s.ice.at_large_arrests_per_year = 8;
  add_facility(s, "weekly", 150, 0, 0.5, 0.01);
  s.facilities.back().day_of_week = {0.6, 0.8, 1.0, 1.0, 1.3, 1.9, 1.4};
  add_facility(s, "seasonal", 120, 2, 0.5, 0.01);
  s.facilities.back().month = {1, 0.5, 1.6, 0.8, 1, 1, 1, 1, 1, 1, 1, 1};
  return s;
}

// G: stay multipliers by anticipated action (honor 3, notify 1.5, transfer
// 2, decline 1) on a mostly pretrial population, a rule with compliance
// that splits people between honor and decline, a 287(g) jail, day-of-week
// multipliers.
inline Scenario multipliers_by_action() {
  Scenario s = skeleton("multipliers-by-action", 60,
                        {{"violent", Severity::kViolent, 0.3, 0.3, 0.8, lognormal_hours(40, 1.0),
                          lognormal_hours(120, 0.5), 0.8},
                         {"other", Severity::kOther, 0.7, 0.05, 0.9, gamma_hours(18, 0.8),
                          exponential_hours(48), 0.5}});
  s.ice.lodge_delay = exponential_hours(12);
  s.ice.pickup.delay = lognormal_hours(20, 0.8);
  s.ice.release_grace_hours = 4;
  s.ice.stay_multiplier_by_action = true;
  s.ice.stay_multipliers = {3.0, 1.5, 1.0, 2.0};
  Policy p = simple_policy("split", Action::kNotify);
  Rule violent;
  violent.severities = 1u << static_cast<int>(Severity::kViolent);
  violent.action = Action::kHonor;
  violent.compliance = 0.6;
  violent.has_otherwise = true;
  violent.otherwise = Action::kDecline;
  p.rules = {violent};
  s.policies.push_back(p);
  add_facility(s, "split", 150, static_cast<int>(s.policies.size()) - 1, 0.6, 0.02);
  s.facilities.back().day_of_week = {1.0, 1.0, 1.0, 1.0, 1.2, 1.5, 1.2};
  add_facility(s, "deputized", 80, 3, 0.6, 0.02);
  return s;
}

inline std::vector<Scenario> expect_scenarios() {
  return {lognormal_two_jails(),         rules_with_lead(),
          empirical_stretched(),         sanctuary_and_287g(),
          short_warmup_fixed_response(), weekly_and_seasonal(),
          multipliers_by_action()};
}

}  // namespace detsim::testing
