// People and law (docs/model.md, docs/scenario.md): the keys for warrants,
// proof of status, lifts, re-bookings and costs, and hand-worked cases of
// their rules on scripted people (model.hpp ScriptedBooking).
#include <catch2/catch.hpp>
#include <map>

#include "detsim/load.hpp"
#include "engine/calendar.hpp"
#include "model/simulation.hpp"
#include "support.hpp"

using namespace detsim;
using namespace detsim::testing;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

// A valid scenario; `ice_extra`, `population_extra` and `facility_extra`
// are inserted as YAML lines into their sections.
std::string scenario_text(const std::string& ice_extra = "",
                          const std::string& population_extra = "",
                          const std::string& facility_extra = "",
                          const std::string& policies = "") {
  return "name: people-law\n"
         "start: 2025-01-06\n"
         "horizon_days: 30\n"
         "warmup_days: 0\n"
         "population:\n"
         "  noncitizen_share: 0.5\n" +
         population_extra +
         "offenses:\n"
         "  - id: assault\n"
         "    share: 0.4\n"
         "    severity: violent\n"
         "    pretrial_release: 0.5\n"
         "    pretrial_stay: {dist: fixed, hours: 20}\n"
         "    sentenced_stay: {dist: fixed, days: 5}\n"
         "  - id: theft\n"
         "    share: 0.6\n"
         "    severity: other\n"
         "    pretrial_stay: {dist: fixed, hours: 10}\n"
         "    sentenced_stay: {dist: fixed, days: 2}\n"
         "ice:\n"
         "  lodge_probability: {violent: 0.8, other: 0.3}\n"
         "  lodge_delay: {dist: fixed, hours: 2}\n"
         "  pickup: {delay: {dist: fixed, hours: 6}}\n" +
         ice_extra +
         "facilities:\n"
         "  - id: jail\n"
         "    bookings_per_day: 10\n"
         "    bed_day_cost: 100\n"
         "    policy: cooperative\n" +
         facility_extra + policies;
}

Scenario load(const std::string& text) {
  return load_scenario_text(text, "people-law.yaml", LoadOptions{});
}

// The error message of loading `text`, or "" when it loads.
std::string load_error(const std::string& text) {
  try {
    load(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the new keys default to the model without them") {
  const Scenario s = load(scenario_text());
  CHECK(s.population.lawful_status_share == 0);
  CHECK(s.population.status_proof_probability == 0);
  CHECK_FALSE(s.population.has_status_proof_delay);
  CHECK(s.population.rebooking_per_year == std::array<double, 3>{0, 0, 0});
  CHECK(s.population.rebooking_window_days == 365);
  CHECK(s.ice.detainer_stay_multiplier == 1);
  CHECK_FALSE(s.ice.stay_multiplier_by_action);
  CHECK(s.ice.relodge_probability < 0);
  CHECK(s.ice.lift_citizen_on_proof);
  CHECK(s.ice.federal_criminal_warrant_share == 0);
  CHECK(s.facilities[0].marginal_bed_day_cost < 0);
  for (const Offense& o : s.facilities[0].offenses) CHECK(o.lift_probability == 0);
}

TEST_CASE("the new keys are read and checked") {
  const Scenario s =
      load(scenario_text("  federal_criminal_warrant_share: 0.25\n  judicial_warrant_share: 0.5\n"
                         "  lift_citizen_on_proof: false\n  lift_probability: 0\n",
                         "  lawful_status_share: 0.3\n  rebooking_window_days: 30\n"
                         "  status_proof_delay: {dist: fixed, hours: 3}\n",
                         "    marginal_bed_day_cost: 40\n"));
  CHECK(s.ice.federal_criminal_warrant_share == 0.25);
  CHECK_FALSE(s.ice.lift_citizen_on_proof);
  CHECK(s.population.lawful_status_share == 0.3);
  CHECK(s.population.rebooking_window_days == 30);
  CHECK(s.facilities[0].population.rebooking_window_days == 30);
  CHECK(s.population.has_status_proof_delay);
  CHECK(s.population.status_proof_delay.a == 3);
  CHECK(s.facilities[0].marginal_bed_day_cost == 40);

  CHECK_THAT(load_error(scenario_text("  judicial_warrant_share: 0.6\n"
                                      "  federal_criminal_warrant_share: 0.5\n")),
             Contains("ice.federal_criminal_warrant_share") && Contains("<= 1"));
  CHECK_THAT(load_error(scenario_text("", "  status_proof_probability: 0.5\n")),
             Contains("status_proof_delay"));
  CHECK_THAT(load_error(scenario_text("  lift_probability: {violent: 0.1, other: 0}\n")),
             Contains("lift_delay"));
  CHECK_THAT(load_error(scenario_text("  lift_probability: {violent: 0.1}\n"
                                      "  lift_delay: {dist: fixed, hours: 1}\n")),
             Contains("no lift probability for offense 'theft'"));
  CHECK_THAT(load_error(scenario_text("  detainer_stay_multiplier: {honour: 2}\n")),
             Contains("did you mean 'honor'"));
  CHECK_THAT(load_error(scenario_text("", "  rebooking_per_year: {violent: -1}\n")),
             Contains("population.rebooking_per_year.violent"));
  CHECK_THAT(load_error(scenario_text("", "  rebooking_window_days: 0\n")),
             Contains("population.rebooking_window_days"));
  CHECK_THAT(load_error(scenario_text("", "", "    marginal_bed_day_cost: -1\n")),
             Contains("facilities[0].marginal_bed_day_cost"));
  const std::string bad_warrant =
      "policies:\n  mine:\n    default: decline\n    rules:\n"
      "      - when: {warrant: [federal]}\n        action: honor\n";
  CHECK_THAT(load_error(scenario_text("", "", "", bad_warrant)),
             Contains("expected one of judicial, federal_criminal, none"));
}

TEST_CASE("lifts, proof of status, re-bookings and relodging load with values") {
  const Scenario s = load(scenario_text(
      "  lift_probability: {violent: 0.2, theft: 0.1, other: 0}\n"
      "  lift_delay: {dist: exponential, mean_days: 10}\n  relodge_probability: 0.5\n",
      "  lawful_status_share: 0.4\n  status_proof_probability: 0.5\n"
      "  status_proof_delay: {dist: fixed, hours: 36}\n"
      "  rebooking_per_year: {violent: 1.5, other: 0.5}\n"));
  CHECK(s.ice.relodge_probability == 0.5);
  CHECK(s.population.status_proof_probability == 0.5);
  CHECK(s.facilities[0].population.rebooking_per_year == std::array<double, 3>{1.5, 0, 0.5});
  for (const Offense& o : s.facilities[0].offenses)
    CHECK(o.lift_probability == (o.id == "assault" ? 0.2 : 0.1));
  CHECK(s.ice.lift_delay.a == 240);
  CHECK(load(scenario_text("", "  rebooking_per_year: 2\n")).population.rebooking_per_year ==
        std::array<double, 3>{2, 2, 2});
}

namespace {

// A scripted, warm-up-free 10-day scenario under `policy` (added to basic_scenario's).
Scenario scripted_scenario(const Policy& policy) {
  Scenario s = basic_scenario();
  s.warmup_auto = false;
  s.warmup_days = 0;
  s.horizon_days = 10;
  s.facilities[0].bed_day_cost = 120;
  s.policies.push_back(policy);
  s.state_policy = static_cast<int>(s.policies.size()) - 1;
  return s;
}

// A noncitizen with a detainer 1 h after booking, released 9 h after booking
// at `release`; ICE never arrives within a 48 h hold (response 100 h).
ScriptedBooking detained(double release, bool pretrial, bool judicial, bool federal) {
  ScriptedBooking b;
  b.at = release - 9;
  b.draws.citizen = false;
  b.draws.pretrial = pretrial;
  b.draws.stay = 9;
  b.draws.lodged = true;
  b.draws.lodge_delay = 1;
  b.draws.judicial_warrant = judicial;
  b.draws.federal_criminal_warrant = federal;
  b.draws.ice_response = 100;
  return b;
}

}  // namespace

TEST_CASE("warrant and pretrial conditions pick the action on scripted people") {
  Policy p;
  p.name = "federal-warrant-or-pretrial";
  p.default_action = Action::kDecline;
  Rule federal;
  federal.warrants = 1u << static_cast<int>(Warrant::kFederalCriminal);
  federal.action = Action::kHonor;
  Rule judicial;
  judicial.judicial_warrant = 1;
  judicial.action = Action::kTransfer;
  Rule pretrial;
  pretrial.pretrial = 1;
  pretrial.action = Action::kNotify;
  p.rules = {federal, judicial, pretrial};
  const Scenario s = scripted_scenario(p);
  const std::vector<ScriptedBooking> script = {
      detained(20, false, false, true),   // federal criminal warrant: honor
      detained(30, false, true, false),   // judicial: transfer
      detained(40, true, false, false),   // no warrant, pretrial: notify
      detained(50, false, false, false),  // no warrant, sentenced: decline
  };
  Simulation sim(s, 0, nullptr, &script);
  const ReplicationMetrics m = sim.run();
  CHECK(m.total[index(Metric::honored)] == 1);
  CHECK(m.total[index(Metric::transferred_287g)] == 1);
  CHECK(m.total[index(Metric::notified)] == 1);
  CHECK(m.total[index(Metric::declined)] == 1);
  // The honored person lapses after 48 h: 2 bed-days at 120 (no marginal cost).
  CHECK_THAT(m.total[index(Metric::hold_cost)], WithinAbs(240, 1e-9));
  CHECK_THAT(m.total[index(Metric::detention_cost)], WithinAbs(240, 1e-9));
  CHECK(m.total[index(Metric::extra_stay_bed_days)] == 0);
  CHECK(m.total[index(Metric::held_under_287g)] == 0);
}

TEST_CASE("a marginal bed-day cost replaces the average in hold and detention costs") {
  Scenario s = scripted_scenario(simple_policy("honor-everyone", Action::kHonor));
  s.facilities[0].marginal_bed_day_cost = 30;
  const std::vector<ScriptedBooking> script = {detained(20, false, false, false)};
  Simulation sim(s, 0, nullptr, &script);
  const ReplicationMetrics m = sim.run();
  CHECK(m.total[index(Metric::lapsed)] == 1);
  CHECK_THAT(m.total[index(Metric::hold_cost)], WithinAbs(60, 1e-9));
  CHECK_THAT(m.facility[0][index(Metric::detention_cost)], WithinAbs(60, 1e-9));
  CHECK_THAT(m.offense[0][index(Metric::detention_cost)], WithinAbs(60, 1e-9));
}

TEST_CASE("the stay multiplier by action follows the policy in force when the detainer arrives") {
  // Honor until day 1, decline from day 1 (a change between the detainer
  // and the release): the stay is stretched by honor's factor, the decision
  // is a decline.
  Scenario s = scripted_scenario(simple_policy("honor-everyone", Action::kHonor));
  s.policies.push_back(simple_policy("decline-everyone", Action::kDecline));
  s.policy_changes.push_back({s.start + 1, -1, static_cast<int>(s.policies.size()) - 1});
  s.ice.stay_multiplier_by_action = true;
  s.ice.stay_multipliers = {3.0, 1.0, 1.0, 1.0};
  // Booked at 10 h, detainer at 11 h, scheduled release at 30 h: stretched to
  // 11 + 3 * 19 = 68 h (day 2, declined): 38 extra hours.
  ScriptedBooking b = detained(30, true, false, false);
  b.at = 10;
  b.draws.stay = 20;
  const std::vector<ScriptedBooking> script = {b};
  Simulation sim(s, 0, nullptr, &script);
  const ReplicationMetrics m = sim.run();
  CHECK(m.total[index(Metric::declined)] == 1);
  CHECK(m.total[index(Metric::honored)] == 0);
  CHECK_THAT(m.total[index(Metric::extra_stay_bed_days)], WithinAbs(38.0 / 24.0, 1e-12));
  CHECK_THAT(m.total[index(Metric::extra_stay_cost)], WithinAbs(38.0 / 24.0 * 120, 1e-9));
  CHECK_THAT(m.total[index(Metric::detention_cost)], WithinAbs(38.0 / 24.0 * 120, 1e-9));

  SECTION("under decline from the start, the decline factor (1) applies: no extra stay") {
    s.policy_changes.clear();
    s.state_policy = static_cast<int>(s.policies.size()) - 1;
    Simulation sim2(s, 0, nullptr, &script);
    const ReplicationMetrics m2 = sim2.run();
    CHECK(m2.total[index(Metric::declined)] == 1);
    CHECK(m2.total[index(Metric::extra_stay_bed_days)] == 0);
  }
  SECTION("a sentenced person's stay is never stretched") {
    ScriptedBooking c = b;
    c.draws.pretrial = false;
    const std::vector<ScriptedBooking> sentenced = {c};
    Simulation sim3(s, 0, nullptr, &sentenced);
    CHECK(sim3.run().total[index(Metric::extra_stay_bed_days)] == 0);
  }
}

TEST_CASE("extra stay bed-days count only inside the window, and a factor below 1 removes them") {
  Scenario s = scripted_scenario(simple_policy("honor-everyone", Action::kHonor));
  s.ice.detainer_stay_multiplier = 0.5;
  // Detainer at 11 h, release at 30 h: shortened to 11 + 0.5 * 19 = 20.5 h.
  ScriptedBooking b = detained(30, true, false, false);
  b.at = 10;
  b.draws.stay = 20;
  const std::vector<ScriptedBooking> script = {b};
  Simulation sim(s, 0, nullptr, &script);
  CHECK_THAT(sim.run().total[index(Metric::extra_stay_bed_days)], WithinAbs(-9.5 / 24.0, 1e-12));
  // Stretched past the horizon (240 h): only the part before it counts.
  s.ice.detainer_stay_multiplier = 20;  // 11 + 20 * 19 = 391 h
  Simulation sim2(s, 0, nullptr, &script);
  CHECK_THAT(sim2.run().total[index(Metric::extra_stay_bed_days)], WithinAbs(210.0 / 24.0, 1e-12));
}

TEST_CASE(
    "with the multiplier by action, cooperative adds extra stay bed-days and sanctuary none") {
  Scenario s = basic_scenario();
  s.horizon_days = 60;
  s.ice.stay_multiplier_by_action = true;
  s.ice.stay_multipliers = {3.7, 1.0, 1.0, 3.7};  // honor and transfer 3.7, the county study
  s.facilities[0].bed_day_cost = 100;
  const auto run = [&](int policy) {
    s.state_policy = policy;
    Simulation sim(s, 0, nullptr);
    return sim.run();
  };
  const ReplicationMetrics cooperative = run(0), sanctuary = run(1);
  CHECK(cooperative.total[index(Metric::extra_stay_bed_days)] > 0);
  CHECK(sanctuary.total[index(Metric::extra_stay_bed_days)] == 0);
  CHECK(cooperative.total[index(Metric::detention_cost)] >
        sanctuary.total[index(Metric::detention_cost)]);
  // Same people: bookings and detainers lodged do not depend on the policy.
  CHECK(cooperative.total[index(Metric::bookings)] == sanctuary.total[index(Metric::bookings)]);
  CHECK(cooperative.total[index(Metric::detainers_lodged)] ==
        sanctuary.total[index(Metric::detainers_lodged)]);
}

TEST_CASE("a scenario file with lifts, proof of status and re-bookings runs them") {
  const Scenario s = load(
      scenario_text("  lift_probability: 0.5\n  lift_delay: {dist: fixed, hours: 1}\n",
                    "  lawful_status_share: 0.5\n  status_proof_probability: 0.5\n"
                    "  status_proof_delay: {dist: fixed, hours: 1}\n  rebooking_per_year: 5\n"));
  Simulation sim(s, 0, nullptr);
  const ReplicationMetrics m = sim.run();
  const auto at = [&](Metric x) { return m.total[index(x)]; };
  CHECK(at(Metric::detainers_lifted) > 0);
  CHECK(at(Metric::detainers_lifted) < at(Metric::detainers_lodged));
  CHECK(at(Metric::rebookings) > 0);
  CHECK(at(Metric::rebookings) < at(Metric::bookings));
  // Cooperative with ICE in time: no one is released despite a detainer.
  CHECK(at(Metric::released_despite_detainer) == 0);
  CHECK(at(Metric::rebookings_after_release_despite_detainer) == 0);
}
