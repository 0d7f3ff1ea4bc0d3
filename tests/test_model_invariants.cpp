// The invariants of docs/metrics.md on several scenarios and seeds.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "detsim/run.hpp"
#include "support.hpp"

using namespace detsim;
using namespace detsim::testing;

namespace {

double v(const MetricValues& m, Metric k) {
  return m[index(k)];
}

void check_identities(const MetricValues& m, double limit_hours, bool weekend_rule) {
  using M = Metric;
  CHECK(v(m, M::decisions) ==
        v(m, M::honored) + v(m, M::notified) + v(m, M::declined) + v(m, M::transferred_287g));
  CHECK(v(m, M::honored) ==
        v(m, M::transfers_from_hold) + v(m, M::lapsed) + v(m, M::holds_open_at_end));
  CHECK(v(m, M::transfers) ==
        v(m, M::transfers_from_hold) + v(m, M::transfers_on_notice) + v(m, M::transferred_287g));
  CHECK(v(m, M::notified) ==
        v(m, M::transfers_on_notice) + v(m, M::missed_notices) + v(m, M::notices_open_at_end));
  CHECK(v(m, M::released_despite_detainer) == v(m, M::declined) + v(m, M::lapsed) +
                                                  v(m, M::notified) - v(m, M::transfers_on_notice) -
                                                  v(m, M::notices_open_at_end));
  CHECK(v(m, M::released_despite_detainer_convicted) <= v(m, M::released_despite_detainer));
  CHECK(v(m, M::noncitizen_bookings) <= v(m, M::bookings));
  CHECK(v(m, M::citizens_held) <= v(m, M::honored));
  CHECK(v(m, M::detainers_in_custody_total_at_end) == v(m, M::detainers_in_custody_at_end) +
                                                          v(m, M::holds_open_at_end) +
                                                          v(m, M::notices_open_at_end));
  CHECK(v(m, M::detainers_active_recorded_at_end) >= v(m, M::detainers_in_custody_total_at_end));
  if (!weekend_rule) CHECK(v(m, M::max_hold_hours) <= limit_hours + 1e-9);
  CHECK(v(m, M::max_hold_hours) <= limit_hours + 96 + 24 * 14);  // wall clock, generous holidays
}

void check_all(const ReplicationMetrics& r, const Scenario& s) {
  check_identities(r.total, s.hold.limit_hours, s.hold.exclude_weekends_holidays);
  for (const auto& f : r.facility)
    check_identities(f, s.hold.limit_hours, s.hold.exclude_weekends_holidays);
  for (const auto& o : r.offense)
    check_identities(o, s.hold.limit_hours, s.hold.exclude_weekends_holidays);
}

// Variants of the basic scenario that exercise every path.
std::map<std::string, Scenario> variants() {
  std::map<std::string, Scenario> out;
  Scenario base = basic_scenario();
  base.horizon_days = 60;
  base.facilities[0].bookings_per_day = 100;
  out["basic"] = base;

  Scenario mixed = base;
  mixed.ice.notice_lead_hours = 48;
  mixed.ice.release_grace_hours = 3;
  mixed.facilities[0].offenses[0].pretrial_release = 0.6;
  mixed.facilities[0].population.noncitizen_share = 0.5;
  mixed.facilities[0].population.erroneous_detainer_rate = 0.01;
  mixed.ice.judicial_warrant_share = 0.3;
  Policy rules;
  rules.name = "rules";
  rules.default_action = Action::kDecline;
  Rule warrant;
  warrant.judicial_warrant = 1;
  warrant.action = Action::kHonor;
  Rule convicted;
  convicted.convicted = 1;
  convicted.action = Action::kNotify;
  convicted.compliance = 0.7;
  convicted.has_otherwise = true;
  convicted.otherwise = Action::kTransfer;
  rules.rules = {warrant, convicted};
  mixed.policies.push_back(rules);
  mixed.state_policy = static_cast<int>(mixed.policies.size() - 1);
  out["mixed-rules"] = mixed;

  Scenario teams = mixed;
  teams.ice.pickup.teams = 2;
  teams.ice.pickup.discipline = Discipline::kEdf;
  teams.state_policy = 0;
  out["teams-edf"] = teams;

  Scenario weekend = base;
  weekend.hold.exclude_weekends_holidays = true;
  weekend.holidays = {20089 + 10, 20089 + 30};
  weekend.ice.pickup.business_hours = {true, 0b0011111, 8, 18};
  weekend.ice.at_large_arrests_per_year = 2;
  out["weekend-rule"] = weekend;

  Scenario multiplier = mixed;
  multiplier.ice.detainer_stay_multiplier = 3.7;
  multiplier.state_policy = 2;  // notify-only
  out["stay-multiplier"] = multiplier;
  return out;
}

}  // namespace

TEST_CASE("the identities of docs/metrics.md hold on every breakdown, scenario and seed") {
  for (auto& [name, scenario] : variants()) {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      scenario.seed = seed;
      INFO(name << " seed " << seed);
      const ReplicationMetrics r = simulate(scenario, 0);
      check_all(r, scenario);
      CHECK(r.total[index(Metric::decisions)] > 0);
    }
  }
}

TEST_CASE("cooperative honors at least as many detainers as any other policy; sanctuary none") {
  Scenario s = variants()["mixed-rules"];
  s.seed = 5;
  std::map<std::string, double> honored;
  for (std::size_t p = 0; p < s.policies.size(); ++p) {
    s.state_policy = static_cast<int>(p);
    for (int rep = 0; rep < 3; ++rep) {
      const ReplicationMetrics r = simulate(s, rep);
      honored[s.policies[p].name + std::to_string(rep)] = r.total[index(Metric::honored)];
    }
  }
  for (int rep = 0; rep < 3; ++rep) {
    const std::string k = std::to_string(rep);
    CHECK(honored["sanctuary" + k] == 0);
    for (const auto& p : s.policies) CHECK(honored["cooperative" + k] >= honored[p.name + k]);
    CHECK(honored["cooperative" + k] > honored["rules" + k]);
  }
}

TEST_CASE("results are identical whatever the thread count") {
  const Scenario s = variants()["teams-edf"];
  RunOptions one, two;
  one.threads = 1;
  two.threads = 2;
  one.replications = two.replications = 6;
  const auto a = run_replications(s, one);
  const auto b = run_replications(s, two);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].total == b[i].total);
    CHECK(a[i].facility == b[i].facility);
    CHECK(a[i].offense == b[i].offense);
  }
  CHECK(a[0].total != a[1].total);  // replications differ
}

namespace {

struct PeopleRecorder : Observer {
  std::map<std::uint64_t, std::pair<double, double>> people;  // id -> booked, release
  std::map<std::uint64_t, int> endings;
  bool wants_trace() const override { return true; }
  void on_person(const TraceRecord& r) override {
    people[r.id] = {r.booked_at, r.scheduled_release};
    endings[r.id] += 1;
  }
};

}  // namespace

TEST_CASE("two policies see the same people, stays and detainers (common random numbers)") {
  Scenario s = variants()["mixed-rules"];
  PeopleRecorder coop, sanct;
  s.state_policy = 0;
  const ReplicationMetrics a = simulate(s, 0, &coop);
  s.state_policy = 1;
  const ReplicationMetrics b = simulate(s, 0, &sanct);
  for (Metric m : {Metric::bookings, Metric::noncitizen_bookings, Metric::detainers_lodged,
                   Metric::detainers_late, Metric::detainers_on_citizens}) {
    CHECK(a.total[index(m)] == b.total[index(m)]);
  }
  // Same people with the same scheduled releases (holds change only who is
  // still in custody when the trace ends, so compare the common ids).
  int common = 0;
  for (const auto& [id, times] : coop.people) {
    auto it = sanct.people.find(id);
    if (it == sanct.people.end()) continue;
    ++common;
    CHECK(it->second == times);
  }
  CHECK(common > 1000);
}

TEST_CASE("every person in the trace ends in exactly one way") {
  for (auto& [name, scenario] : variants()) {
    PeopleRecorder rec;
    simulate(scenario, 1, &rec);
    INFO(name);
    for (const auto& [id, n] : rec.endings) REQUIRE(n == 1);
    CHECK(rec.endings.size() > 100);
  }
}
