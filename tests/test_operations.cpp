// Hand-worked cases for ICE teams, business hours, the weekend rule,
// transfers between facilities and policy timelines (docs/model.md).
// People are scripted (model.hpp ScriptedBooking) so every time is known.
#include <catch2/catch.hpp>
#include <map>

#include "engine/calendar.hpp"
#include "detsim/run.hpp"
#include "model/simulation.hpp"
#include "support.hpp"

using namespace detsim;
using namespace detsim::testing;

namespace {

struct OpsEnding {
  std::string outcome;
  double at = 0;
  double hold_hours = 0;
  int facility = 0;
  int action = -1;
};

struct OpsEndingRecorder : Observer {
  std::map<std::uint64_t, OpsEnding> by_id;
  bool wants_trace() const override { return true; }
  void on_person(const TraceRecord& r) override {
    by_id[r.id] = {r.outcome, r.outcome_at, r.hold_hours, r.facility, r.action};
  }
};

// Scripted scenario: no warm-up, 30 days, rules "convicted -> notify, else
// honor", lead 0.
Scenario scripted_scenario() {
  Scenario s = basic_scenario();
  s.start = days_from_civil(2025, 1, 6);  // a Monday
  s.warmup_auto = false;
  s.warmup_days = 0;
  s.horizon_days = 30;
  Policy p;
  p.name = "notify-convicted";
  p.default_action = Action::kHonor;
  Rule r;
  r.convicted = 1;
  r.action = Action::kNotify;
  p.rules = {r};
  s.policies.push_back(p);
  s.state_policy = static_cast<int>(s.policies.size() - 1);
  return s;
}

// A person with a detainer (arriving 1 h after booking) released at
// `release`, with ICE response `response`; convicted people are notified.
ScriptedBooking person(double release, double response, bool convicted = false, int facility = 0) {
  ScriptedBooking b;
  b.facility = facility;
  b.at = release - 9;
  b.draws.citizen = false;
  b.draws.pretrial = !convicted;
  b.draws.stay = 9;
  b.draws.lodged = true;
  b.draws.lodge_delay = 1;
  b.draws.ice_response = response;
  return b;
}

// Runs the script; endings by script position (ids are per facility and
// in booking order, and scripts here are in booking order per facility).
std::vector<OpsEnding> run_script(const Scenario& s, const std::vector<ScriptedBooking>& script,
                                  ReplicationMetrics* metrics = nullptr) {
  OpsEndingRecorder rec;
  Simulation sim(s, 0, &rec, &script);
  const ReplicationMetrics m = sim.run();
  if (metrics) *metrics = m;
  std::vector<OpsEnding> out;
  std::map<int, std::uint64_t> next_per_facility;
  for (const ScriptedBooking& b : script) {
    const std::uint64_t id = (std::uint64_t(b.facility) << 40) | next_per_facility[b.facility]++;
    out.push_back(rec.by_id.at(id));
  }
  return out;
}

}  // namespace

TEST_CASE("one FIFO team serves requests in order and the second waits for it") {
  Scenario s = scripted_scenario();
  s.ice.pickup.teams = 1;
  ReplicationMetrics m;
  const auto e = run_script(s, {person(10, 5), person(11, 5)}, &m);
  CHECK(e[0].outcome == "transferred_from_hold");
  CHECK(e[0].at == 15);
  CHECK(e[0].hold_hours == 5);
  CHECK(e[1].outcome == "transferred_from_hold");
  CHECK(e[1].at == 20);  // dispatched at 15 when the team came free
  CHECK(m.total[index(Metric::ice_mean_wait_hours)] == 2);  // (0 + 4) / 2
  CHECK_THAT(m.total[index(Metric::ice_team_utilization)],
             Catch::Matchers::WithinRel(10.0 / (30 * 24), 1e-12));
}

TEST_CASE(
    "a request whose deadline passes while it waits is dropped and the team serves the next") {
  Scenario s = scripted_scenario();
  s.ice.pickup.teams = 1;
  s.ice.release_grace_hours = 2;
  ReplicationMetrics m;
  const auto e = run_script(s, {person(10, 30), person(11, 1, true), person(12, 5)}, &m);
  CHECK(e[0].outcome == "transferred_from_hold");
  CHECK(e[0].at == 40);
  CHECK(e[1].outcome == "missed_notice");  // grace ended at 13 while waiting
  CHECK(e[1].at == 13);
  CHECK(e[2].outcome == "transferred_from_hold");
  CHECK(e[2].at == 45);  // the team freed at 40 skipped the dropped request
  CHECK(m.total[index(Metric::missed_notices)] == 1);
  CHECK(m.total[index(Metric::released_despite_detainer)] == 1);
}

TEST_CASE("FIFO and EDF order waiting requests differently, and a late team still goes") {
  Scenario s = scripted_scenario();
  s.ice.pickup.teams = 1;
  s.ice.release_grace_hours = 20;
  // A holds the team 10..20; then B (hold, deadline 60), C (notice, deadline
  // 33, response 9) and D (hold, deadline 62, response 1) wait.
  const std::vector<ScriptedBooking> script = {person(10, 10), person(12, 5), person(13, 9, true),
                                               person(14, 1)};
  SECTION("FIFO: B first; C's team leaves at 25, arrives late at 34; D waits for it") {
    const auto e = run_script(s, script);
    CHECK(e[1].at == 25);
    CHECK(e[2].outcome == "missed_notice");
    CHECK(e[2].at == 33);
    CHECK(e[3].outcome == "transferred_from_hold");
    CHECK(e[3].at == 35);  // dispatched at 34, when the late team came back
  }
  SECTION("EDF: C's earlier deadline goes first and C is transferred on notice") {
    s.ice.pickup.discipline = Discipline::kEdf;
    const auto e = run_script(s, script);
    CHECK(e[2].outcome == "transferred_on_notice");
    CHECK(e[2].at == 29);
    CHECK(e[1].at == 34);
    CHECK(e[3].at == 35);
  }
}

TEST_CASE(
    "business hours defer an arrival to the next opening, and the weekend rule extends the hold") {
  Scenario s = scripted_scenario();
  s.ice.pickup.business_hours = {true, 0b0011111, 8, 18};
  const double friday_17 = 4 * 24 + 17, monday_8 = 7 * 24 + 8;
  SECTION("with the 48-hour wall-clock rule the hold lapses first") {
    const auto e = run_script(s, {person(friday_17, 2)});
    CHECK(e[0].outcome == "lapsed");
    CHECK(e[0].at == friday_17 + 48);
  }
  SECTION("excluding the weekend, ICE arrives Monday 08:00 within the hold") {
    s.hold.exclude_weekends_holidays = true;
    ReplicationMetrics m;
    const auto e = run_script(s, {person(friday_17, 2)}, &m);
    CHECK(e[0].outcome == "transferred_from_hold");
    CHECK(e[0].at == monday_8);
    CHECK(m.total[index(Metric::max_hold_hours)] == monday_8 - friday_17);  // wall clock
  }
}

TEST_CASE(
    "a person moved from jail to prison is booked once and decided once, under the prison's "
    "policy") {
  Scenario s = scripted_scenario();
  s.policies.push_back(simple_policy("sanctuary-jail", Action::kDecline));
  Facility prison = s.facilities[0];
  prison.id = "prison";
  prison.kind = FacilityKind::kPrison;
  prison.policy = 0;  // cooperative
  s.facilities[0].policy = static_cast<int>(s.policies.size() - 1);
  s.facilities[0].offenses[0].transfer_to = 1;
  s.facilities.push_back(prison);
  ScriptedBooking early = person(20, 1, true), late = person(20, 1, true);
  early.draws.transfer_stay = 20;  // moves at 20, released at 40
  late.draws.transfer_stay = 20;
  late.draws.lodge_delay = 15;  // detainer arrives at 26, in the prison
  ReplicationMetrics m;
  const auto e = run_script(s, {early, late}, &m);
  CHECK(e[0].outcome == "transferred_from_hold");
  CHECK(e[0].facility == 1);
  CHECK(e[0].at == 41);
  CHECK(m.facility[0][index(Metric::bookings)] == 2);
  CHECK(m.facility[1][index(Metric::bookings)] == 0);
  CHECK(m.facility[0][index(Metric::decisions)] == 0);
  CHECK(m.facility[1][index(Metric::honored)] == 2);
  CHECK(m.facility[0][index(Metric::detainers_lodged)] == 1);  // arrived in the jail
  CHECK(m.facility[1][index(Metric::detainers_lodged)] == 1);  // arrived in the prison
  CHECK(m.total[index(Metric::transfers)] == 2);
}

TEST_CASE("a policy change flips decisions from its date on, by the scheduled release") {
  Scenario s = scripted_scenario();
  s.state_policy = 0;                         // cooperative
  s.policy_changes = {{s.start + 5, -1, 1}};  // the state turns to sanctuary on day 5
  s.ice.notice_lead_hours = 72;
  const double day5 = 5 * 24;
  // The third is told (notice) on day 2, before the change, but released after it.
  const auto e =
      run_script(s, {person(day5 - 1, 100), person(day5 + 1, 100), person(day5 + 10, 100, true)});
  CHECK(e[0].action == static_cast<int>(Action::kHonor));
  CHECK(e[1].action == static_cast<int>(Action::kDecline));
  CHECK(e[2].action == static_cast<int>(Action::kDecline));
}

TEST_CASE("on a loaded scenario lapses fall as ICE teams are added (same people)") {
  Scenario s = basic_scenario();
  s.horizon_days = 60;
  s.facilities[0].bookings_per_day = 100;
  std::vector<double> lapsed;
  // About 1.5 decisions an hour with a mean response of 38 h need about 57
  // teams; well below that every team is sent to requests about to expire.
  for (int teams : {40, 60, 80, 0}) {
    s.ice.pickup.teams = teams;
    RunOptions ro;
    ro.replications = 4;
    double sum = 0;
    for (const auto& r : run_replications(s, ro)) {
      sum += r.total[index(Metric::lapsed)];
      CHECK(r.total[index(Metric::honored)] == r.total[index(Metric::transfers_from_hold)] +
                                                   r.total[index(Metric::lapsed)] +
                                                   r.total[index(Metric::holds_open_at_end)]);
    }
    lapsed.push_back(sum);
  }
  for (std::size_t i = 1; i < lapsed.size(); ++i) CHECK(lapsed[i] <= lapsed[i - 1]);
  CHECK(lapsed[1] < 0.5 * lapsed[0]);
  CHECK(lapsed[2] < lapsed[1]);
}

// Exact ties, settled by the order of simultaneous events (model/events.hpp).
TEST_CASE("ICE arriving exactly at the hold's deadline is a transfer, not a lapse") {
  Scenario s = scripted_scenario();  // 48-hour wall-clock hold, unlimited teams
  SECTION("arrival at the deadline (release 10, deadline 58)") {
    ReplicationMetrics m;
    const auto e = run_script(s, {person(10, 48)}, &m);
    CHECK(e[0].outcome == "transferred_from_hold");
    CHECK(e[0].at == 58);
    CHECK(e[0].hold_hours == 48);
    CHECK(m.total[index(Metric::transfers_from_hold)] == 1);
    CHECK(m.total[index(Metric::lapsed)] == 0);
    CHECK(m.total[index(Metric::hold_hours)] == 48);
  }
  SECTION("arrival just after the deadline: the hold lapses") {
    ReplicationMetrics m;
    const auto e = run_script(s, {person(10, 48.001)}, &m);
    CHECK(e[0].outcome == "lapsed");
    CHECK(e[0].at == 58);
    CHECK(m.total[index(Metric::lapsed)] == 1);
  }
  SECTION("arrival exactly at the end of grace is a transfer on notice") {
    s.ice.release_grace_hours = 2;
    const auto e = run_script(s, {person(10, 2, true)});
    CHECK(e[0].outcome == "transferred_on_notice");
    CHECK(e[0].at == 12);
  }
}

TEST_CASE("a team freed at the instant a waiting request expires does not take it") {
  Scenario s = scripted_scenario();
  s.ice.pickup.teams = 1;
  s.ice.release_grace_hours = 2;
  // A holds the team 10..30. B (notified, released at 28) waits with its
  // grace ending at 30, the instant the team is free; C (held, released at
  // 29) waits behind B in FIFO order. The team must skip B and take C at 30.
  ReplicationMetrics m;
  const auto e = run_script(s, {person(10, 20), person(28, 5, true), person(29, 1)}, &m);
  CHECK(e[0].outcome == "transferred_from_hold");
  CHECK(e[0].at == 30);
  CHECK(e[1].outcome == "missed_notice");
  CHECK(e[1].at == 30);
  CHECK(e[2].outcome == "transferred_from_hold");
  CHECK(e[2].at == 31);  // dispatched at 30; had the team gone to B it would be 36
  CHECK(m.total[index(Metric::missed_notices)] == 1);
  CHECK(m.total[index(Metric::transfers_on_notice)] == 0);
}
