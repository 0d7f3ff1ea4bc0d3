// Lifted detainers, proof of status and re-bookings (docs/model.md): hand-
// worked cases on scripted people (model.hpp ScriptedBooking), the
// re-booking count against its expected value given the releases, and the
// same people under sanctuary and cooperative.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "detsim/load.hpp"
#include "detsim/run.hpp"
#include "engine/calendar.hpp"
#include "model/simulation.hpp"
#include "scenario/policy_load.hpp"
#include "support.hpp"

using namespace detsim;
using namespace detsim::testing;
using Catch::Matchers::WithinAbs;

namespace {

struct Ending {
  std::string outcome;
  double at = 0;
  bool detainer = false;
  int action = -1;
};

struct EndingRecorder : Observer {
  std::map<std::uint64_t, Ending> by_id;
  std::vector<TraceRecord> all;
  bool wants_trace() const override { return true; }
  void on_person(const TraceRecord& r) override {
    by_id[r.id] = {r.outcome, r.outcome_at, r.detainer, r.action};
    all.push_back(r);
  }
};

// A warm-up-free 10-day scenario (one serious offense, noncitizens) under
// `policy`, ICE response 2 h unless the script says otherwise.
Scenario scripted(const Policy& policy) {
  Scenario s = basic_scenario();
  s.start = days_from_civil(2025, 1, 6);  // a Monday
  s.warmup_auto = false;
  s.warmup_days = 0;
  s.horizon_days = 10;
  s.policies.push_back(policy);
  s.state_policy = static_cast<int>(s.policies.size()) - 1;
  return s;
}

// The draws of a person with a detainer 1 h after booking and a 9 h stay
// (booking_at(release, d): booked at release - 9, detainer at release - 8).
PersonDraws detained_draws(bool citizen = false, bool pretrial = true) {
  PersonDraws d;
  d.citizen = citizen;
  d.pretrial = pretrial;
  d.stay = 9;
  d.lodged = true;
  d.lodge_delay = 1;
  d.ice_response = 100;  // never within a 48 h hold
  return d;
}
ScriptedBooking booking_at(double release, const PersonDraws& d) {
  ScriptedBooking b;
  b.at = release - d.stay;
  b.draws = d;
  return b;
}

ReplicationMetrics run(const Scenario& s, const std::vector<ScriptedBooking>& script,
                       EndingRecorder* rec = nullptr) {
  Simulation sim(s, 0, rec, &script);
  return sim.run();
}

constexpr std::uint64_t kRebooked = std::uint64_t{1} << 56;  // first re-booking's id bit

}  // namespace

TEST_CASE("a detainer lifted one hour before the release ends it: no decision, no hold") {
  const Scenario s = scripted(simple_policy("honor-everyone", Action::kHonor));
  PersonDraws d = detained_draws();
  d.lift_delay = 7;  // booked at 11, detainer at 12, lift at 19, release at 20
  EndingRecorder rec;
  const ReplicationMetrics m = run(s, {booking_at(20, d)}, &rec);
  CHECK(total(m, Metric::detainers_lodged) == 1);
  CHECK(total(m, Metric::detainers_lifted) == 1);
  CHECK(total(m, Metric::citizen_detainers_lifted) == 0);
  CHECK(total(m, Metric::decisions) == 0);
  CHECK(total(m, Metric::honored) == 0);
  CHECK(total(m, Metric::hold_hours) == 0);
  CHECK(total(m, Metric::released_despite_detainer) == 0);
  CHECK(rec.by_id.at(0).outcome == "released");
  CHECK(rec.by_id.at(0).at == 20);
  CHECK_FALSE(rec.by_id.at(0).detainer);

  SECTION("a lift at the release is ignored: the decision stands") {
    d.lift_delay = 8;  // lift at 20
    const ReplicationMetrics m2 = run(s, {booking_at(20, d)});
    CHECK(total(m2, Metric::detainers_lifted) == 0);
    CHECK(total(m2, Metric::honored) == 1);
    CHECK(total(m2, Metric::lapsed) == 1);
    CHECK(total(m2, Metric::hold_hours) == 48);
  }
  SECTION("a notice sent before the lift is withdrawn: ICE present at release takes no one") {
    Scenario led = s;
    led.ice.notice_lead_hours = 5;  // sentenced: notice at 15, ICE there at 17
    PersonDraws e = detained_draws(false, false);
    e.ice_response = 2;
    const ReplicationMetrics unlifted = run(led, {booking_at(20, e)});
    CHECK(total(unlifted, Metric::transfers_from_hold) == 1);
    e.lift_delay = 7;
    const ReplicationMetrics lifted = run(led, {booking_at(20, e)});
    CHECK(total(lifted, Metric::detainers_lifted) == 1);
    CHECK(total(lifted, Metric::transfers) == 0);
    CHECK(total(lifted, Metric::decisions) == 0);
  }
  SECTION("a lift does not undo a stay already stretched by the multiplier") {
    Scenario stretched = s;
    stretched.ice.detainer_stay_multiplier = 3;  // 12 + 3 * 8 = 36 h: 16 extra hours
    PersonDraws e = detained_draws();
    e.lift_delay = 20;  // lift at 32, before the stretched release at 36
    EndingRecorder r2;
    const ReplicationMetrics m2 = run(stretched, {booking_at(20, e)}, &r2);
    CHECK(total(m2, Metric::detainers_lifted) == 1);
    CHECK(total(m2, Metric::decisions) == 0);
    CHECK_THAT(total(m2, Metric::extra_stay_bed_days), WithinAbs(16.0 / 24.0, 1e-12));
    CHECK(r2.by_id.at(0).at == 36);
  }
}

TEST_CASE("proof of status before the notice makes status_proven true at the decision") {
  // As Texas SB 4's exception: decline a person who proved status, honor the rest.
  Policy texas = simple_policy("honor-unless-proven", Action::kHonor);
  Rule proven;
  proven.status_proven = 1;
  proven.action = Action::kDecline;
  texas.rules = {proven};
  Scenario s = scripted(texas);
  s.ice.notice_lead_hours = 4;  // sentenced: notice at 16 for a release at 20

  PersonDraws lawful = detained_draws(false, false);
  lawful.lawful = true;
  lawful.proof_delay = 3;  // detainer at 12, proof at 15 < notice at 16
  PersonDraws late = lawful;
  late.proof_delay = 5;  // 5 h after the detainer: 1 h after the notice (lead 4, stay 9)
  PersonDraws citizen = detained_draws(true, false);
  citizen.proof_delay = 3;  // a citizen's proof 3 h after the detainer: ICE lifts it
  const std::vector<ScriptedBooking> script = {booking_at(20, lawful), booking_at(40, late),
                                               booking_at(60, citizen)};
  EndingRecorder rec;
  const ReplicationMetrics m = run(s, script, &rec);
  CHECK(total(m, Metric::declined) == 1);
  CHECK(total(m, Metric::honored) == 1);
  CHECK(total(m, Metric::detainers_lifted) == 1);
  CHECK(total(m, Metric::citizen_detainers_lifted) == 1);
  CHECK(total(m, Metric::citizens_held) == 0);
  CHECK(total(m, Metric::detainers_on_citizens) == 1);
  CHECK(rec.by_id.at(0).outcome == "declined_released");
  CHECK(rec.by_id.at(1).outcome == "lapsed");
  CHECK(rec.by_id.at(2).outcome == "released");

  SECTION("without lift_citizen_on_proof the citizen's proof is an exception, not a lift") {
    s.ice.lift_citizen_on_proof = false;
    const ReplicationMetrics m2 = run(s, script);
    CHECK(total(m2, Metric::detainers_lifted) == 0);
    CHECK(total(m2, Metric::declined) == 2);
    CHECK(total(m2, Metric::citizens_held) == 0);
  }
  SECTION("the texas-sb4 preset takes the same actions on the same people") {
    const auto catalog = PresetCatalog::get(default_preset_dir());
    REQUIRE(catalog->error().empty());
    const Preset* sb4 = catalog->find("texas-sb4");
    REQUIRE(sb4 != nullptr);
    Scenario t = scripted(sb4->policy);
    t.ice.notice_lead_hours = 4;
    EndingRecorder rec4;
    const ReplicationMetrics m4 = run(t, script, &rec4);
    CHECK(total(m4, Metric::declined) == 1);
    CHECK(total(m4, Metric::honored) == 1);
    CHECK(total(m4, Metric::citizen_detainers_lifted) == 1);
    CHECK(rec4.by_id.at(0).outcome == "declined_released");
    CHECK(rec4.by_id.at(1).outcome == "lapsed");
  }
  SECTION("on the pretrial path the notice is at the release: a proof before it counts") {
    PersonDraws pre = detained_draws(false, true);
    pre.lawful = true;
    pre.proof_delay = 7.5;  // proof at 19.5, release (and notice) at 20
    const ReplicationMetrics m3 = run(s, {booking_at(20, pre)});
    CHECK(total(m3, Metric::declined) == 1);
  }
}

TEST_CASE("a person declined is re-booked at the same facility with a new offense and stay") {
  Scenario s = scripted(simple_policy("decline-everyone", Action::kDecline));
  s.facilities[0].population.rebooking_per_year = {0, 1, 0};  // serious: the offense's severity
  PersonDraws first = detained_draws();
  first.rebooking_delay = 30;  // declined at 20, re-booked at 50
  PersonDraws second = detained_draws();
  second.stay = 12;               // released at 62
  second.rebooking_delay = 1000;  // re-booked again at 1062: after the horizon (240)
  ScriptedBooking b = booking_at(20, first);
  b.rebookings = {second};
  EndingRecorder rec;
  const ReplicationMetrics m = run(s, {b}, &rec);
  CHECK(total(m, Metric::bookings) == 2);
  CHECK(total(m, Metric::noncitizen_bookings) == 2);
  CHECK(total(m, Metric::rebookings) == 1);
  CHECK(total(m, Metric::rebookings_after_release_despite_detainer) == 1);
  CHECK(total(m, Metric::declined) == 2);
  CHECK(total(m, Metric::detainers_lodged) == 2);
  REQUIRE(rec.by_id.count(kRebooked) == 1);
  CHECK(rec.by_id.at(0).at == 20);
  CHECK(rec.by_id.at(kRebooked).outcome == "declined_released");
  CHECK(rec.by_id.at(kRebooked).at == 62);

  SECTION("a person transferred to ICE is not re-booked") {
    Scenario coop = s;
    coop.policies.push_back(simple_policy("honor-everyone", Action::kHonor));
    coop.state_policy = static_cast<int>(coop.policies.size()) - 1;
    ScriptedBooking c = b;
    c.draws.ice_response = 5;  // ICE arrives during the hold
    const ReplicationMetrics m2 = run(coop, {c});
    CHECK(total(m2, Metric::transfers_from_hold) == 1);
    CHECK(total(m2, Metric::rebookings) == 0);
    CHECK(total(m2, Metric::bookings) == 1);
  }
  SECTION("a re-booking beyond the window does not happen") {
    s.facilities[0].population.rebooking_window_days = 1;  // 24 h < 30 h
    const ReplicationMetrics m3 = run(s, {b});
    CHECK(total(m3, Metric::rebookings) == 0);
  }
  SECTION("a person released without a detainer is re-booked too, not counted as despite") {
    ScriptedBooking plain = b;
    plain.draws.lodged = false;
    const ReplicationMetrics m4 = run(s, {plain});
    CHECK(total(m4, Metric::rebookings) == 1);
    CHECK(total(m4, Metric::rebookings_after_release_despite_detainer) == 0);
  }
}

TEST_CASE("a lift and a re-booking under a policy change between the detainer and the release") {
  // Honor until day 1, decline from day 1; the stay multiplier by action
  // follows the policy when the detainer arrives (honor: 3), the decision
  // the policy at the release (decline).
  Scenario s = scripted(simple_policy("honor-everyone", Action::kHonor));
  s.policies.push_back(simple_policy("decline-everyone", Action::kDecline));
  s.policy_changes.push_back({s.start + 1, -1, static_cast<int>(s.policies.size()) - 1});
  s.ice.stay_multiplier_by_action = true;
  s.ice.stay_multipliers = {3.0, 1.0, 1.0, 1.0};
  s.facilities[0].population.rebooking_per_year = {0, 2, 0};
  PersonDraws d = detained_draws();
  d.stay = 20;  // booked at 10, detainer at 11, release 30 stretched to 11 + 3 * 19 = 68
  d.rebooking_delay = 12;
  PersonDraws again = detained_draws();
  again.lodged = false;
  ScriptedBooking b;
  b.at = 10;
  b.draws = d;
  b.rebookings = {again};
  EndingRecorder rec;
  const ReplicationMetrics m = run(s, {b}, &rec);
  CHECK(total(m, Metric::declined) == 1);
  CHECK_THAT(total(m, Metric::extra_stay_bed_days), WithinAbs(38.0 / 24.0, 1e-12));
  CHECK(rec.by_id.at(0).at == 68);
  CHECK(total(m, Metric::rebookings_after_release_despite_detainer) == 1);
  CHECK(rec.by_id.at(kRebooked).outcome == "released");
  CHECK(rec.by_id.at(kRebooked).at == 68 + 12 + 9);
}

TEST_CASE("with recording, a re-booked person leaves the agency's list of active detainers") {
  Scenario s = scripted(simple_policy("decline-everyone", Action::kDecline));
  Recording r;
  r.release_recorded = 0;  // never recorded: listed while in the community
  r.lag = fixed_hours(0);
  r.open_record_days = 365;
  s.recording = r;
  PersonDraws d = detained_draws();
  d.rebooking_delay = 30;
  PersonDraws again = detained_draws();
  again.lodged = false;
  again.stay = 1000;  // still in custody at the end, without a detainer
  ScriptedBooking b = booking_at(20, d);
  b.rebookings = {again};
  const ReplicationMetrics off = run(s, {b});
  CHECK(total(off, Metric::detainers_active_recorded_at_end) == 1);  // no re-bookings
  s.facilities[0].population.rebooking_per_year = {0, 1, 0};
  const ReplicationMetrics on = run(s, {b});
  CHECK(total(on, Metric::rebookings) == 1);
  CHECK(total(on, Metric::detainers_active_recorded_at_end) == 0);
}

namespace {

// A jail whose people are re-booked at 3 a year within 60 days: 40 bookings
// a day, 120 days, no warm-up (every release is traced).
Scenario rebooking_jail() {
  Scenario s = basic_scenario();
  s.horizon_days = 120;
  s.warmup_auto = false;
  s.warmup_days = 0;
  s.facilities[0].bookings_per_day = 40;
  s.facilities[0].population.rebooking_per_year = {0, 3, 0};
  s.facilities[0].population.rebooking_window_days = 60;
  s.ice.pickup.delay = lognormal_hours(40, 0.7);  // many lapses: releases despite detainers
  return s;
}

}  // namespace

// Statistical check (one of kStatisticalChecks): given the releases to the
// community at times t_i, re-booking i happens in the window with
// probability p_i = 1 - exp(-r min(W, T - t_i)), its delay drawn afresh, so
// N - sum p_i is a martingale with variance sum p_i (1 - p_i) (summed over
// replications), and the check is |N - sum p_i| <= z sqrt(sum p_i (1 - p_i)).
TEST_CASE("the re-booking count agrees with its expected value given the releases") {
  const Scenario s = rebooking_jail();
  const double r = 3.0 / (365.25 * 24), W = 60 * 24.0, T = s.horizon_hours();
  double count = 0, expected = 0, variance = 0;
  for (int rep = 0; rep < 20; ++rep) {
    EndingRecorder rec;
    Simulation sim(s, rep, &rec);
    count += sim.run().total[index(Metric::rebookings)];
    for (const TraceRecord& t : rec.all) {
      const std::string outcome = t.outcome;
      if (outcome != "released" && outcome != "declined_released" && outcome != "lapsed" &&
          outcome != "missed_notice")
        continue;
      const double p = 1 - std::exp(-r * std::min(W, T - t.outcome_at));
      expected += p;
      variance += p * (1 - p);
    }
  }
  INFO("re-bookings " << count << ", expected " << expected << ", sd " << std::sqrt(variance));
  CHECK(count > 1000);
  CHECK(std::abs(count - expected) <= family_z() * std::sqrt(variance));
}

TEST_CASE(
    "on the same people sanctuary releases and re-books more despite detainers, "
    "cooperative adds more stay") {
  Scenario s = rebooking_jail();
  s.ice.stay_multiplier_by_action = true;
  s.ice.stay_multipliers = {3.7, 1.0, 1.0, 3.7};  // honor and transfer, the county study
  const auto run_policy = [&](int policy) {
    s.state_policy = policy;
    Simulation sim(s, 0, nullptr);
    return sim.run();
  };
  const ReplicationMetrics cooperative = run_policy(0), sanctuary = run_policy(1);
  CHECK(total(sanctuary, Metric::rebookings_after_release_despite_detainer) >
        total(cooperative, Metric::rebookings_after_release_despite_detainer));
  CHECK(total(sanctuary, Metric::extra_stay_bed_days) <
        total(cooperative, Metric::extra_stay_bed_days));
  CHECK(total(sanctuary, Metric::extra_stay_bed_days) == 0);
  CHECK(total(cooperative, Metric::rebookings_after_release_despite_detainer) > 0);
  // The first bookings are the same people.
  CHECK(total(sanctuary, Metric::bookings) - total(sanctuary, Metric::rebookings) ==
        total(cooperative, Metric::bookings) - total(cooperative, Metric::rebookings));
}

TEST_CASE("new keys at their defaults leave a run unchanged, and re-bookings keep CRN") {
  Scenario s = rebooking_jail();
  s.facilities[0].population.rebooking_per_year = {0, 0, 0};
  const ReplicationMetrics a = Simulation(s, 0, nullptr).run();
  s.facilities[0].population.rebooking_window_days = 10;
  s.ice.relodge_probability = 0.3;
  s.ice.lift_citizen_on_proof = false;
  s.facilities[0].population.status_proof_delay = fixed_hours(3);  // probability 0
  const ReplicationMetrics b = Simulation(s, 0, nullptr).run();
  CHECK(a.total == b.total);
  // With re-bookings on, the same policy twice gives the same run.
  s.facilities[0].population.rebooking_per_year = {0, 2, 0};
  CHECK(Simulation(s, 3, nullptr).run().total == Simulation(s, 3, nullptr).run().total);
}

TEST_CASE("a stay multiplier by action equals the number when the policy takes one action") {
  // Under cooperative every detainer is honored, so {honor: 2.5} is the
  // number 2.5 for everyone (the same people, bit for bit); likewise
  // {decline: 2.5} under sanctuary.
  Scenario by_action = basic_scenario();
  by_action.horizon_days = 60;
  by_action.ice.stay_multiplier_by_action = true;
  Scenario number = basic_scenario();
  number.horizon_days = 60;
  number.ice.detainer_stay_multiplier = 2.5;
  for (const auto& [policy, action] : {std::pair{0, Action::kHonor}, {1, Action::kDecline}}) {
    by_action.state_policy = number.state_policy = policy;
    by_action.ice.stay_multipliers = {1, 1, 1, 1};
    by_action.ice.stay_multipliers[static_cast<std::size_t>(action)] = 2.5;
    const ReplicationMetrics a = Simulation(by_action, 1, nullptr).run();
    const ReplicationMetrics b = Simulation(number, 1, nullptr).run();
    CHECK(a.total == b.total);
    CHECK(a.total[index(Metric::extra_stay_bed_days)] > 0);
  }
}
