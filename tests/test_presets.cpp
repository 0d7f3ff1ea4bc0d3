// The shipped presets (scenarios/policies/, docs/policies.md), read from
// their files and run on scripted people (model/simulation.hpp
// ScriptedBooking): every rule of every preset, its exceptions included,
// decides the action it should for a person whose facts are known.
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <map>
#include <set>

#include "cli_support.hpp"
#include "detsim/expect.hpp"
#include "detsim/load.hpp"
#include "detsim/run.hpp"
#include "model/policy.hpp"
#include "model/simulation.hpp"
#include "scenario/policy_load.hpp"
#include "support.hpp"

using namespace detsim;
using namespace detsim::testing;

namespace {

const Preset& preset(const std::string& name) {
  const auto catalog = PresetCatalog::get(default_preset_dir());
  REQUIRE(catalog->error().empty());
  const Preset* p = catalog->find(name);
  REQUIRE(p != nullptr);
  return *p;
}

// Offense indices of the scripted facility, one per severity.
constexpr std::size_t kViolent = 0, kSerious = 1, kOther = 2;

// A scripted, warm-up-free 60-day scenario: one facility of `kind` under
// `policy` as the state policy (preempting), with a violent, a serious and
// an other offense; ICE never arrives within a hold unless a person's
// response says so.
Scenario preset_scenario(const Policy& policy, FacilityKind kind = FacilityKind::kJail) {
  Scenario s = basic_scenario();
  s.warmup_auto = false;
  s.warmup_days = 0;
  s.horizon_days = 60;
  s.offense_ids = {"assault", "burglary", "trespass"};
  s.offense_severities = {Severity::kViolent, Severity::kSerious, Severity::kOther};
  Facility& f = s.facilities[0];
  f.kind = kind;
  f.bed_day_cost = 100;
  f.offenses.clear();
  for (int i = 0; i < 3; ++i) {
    Offense o;
    o.id = s.offense_ids[i];
    o.category = i;
    o.severity = s.offense_severities[i];
    o.share = 1.0 / 3;
    o.pretrial_release = 0.5;
    o.pretrial_stay = fixed_hours(10);
    o.sentenced_stay = fixed_hours(10);
    o.lodge_probability = 1;
    f.offenses.push_back(o);
  }
  s.policies = {policy};
  s.state_policy = 0;
  s.state_preempts = true;
  return s;
}

// The facts of one scripted person with a detainer.
struct Facts {
  std::size_t offense = kOther;
  bool pretrial = true;
  bool judicial = false;
  bool federal = false;
  bool prior_serious = false;
  bool citizen = false;
  double compliance = 0.5;    // the uniform for a rule's compliance
  double ice_response = 100;  // hours after the notice; 100: never within a 48 h hold
};

// People booked one a day (day i at 01:00), each released 9 h later with a
// detainer that arrived 1 h after booking.
std::vector<ScriptedBooking> people(const std::vector<Facts>& facts) {
  std::vector<ScriptedBooking> out;
  for (std::size_t i = 0; i < facts.size(); ++i) {
    const Facts& f = facts[i];
    ScriptedBooking b;
    b.at = 24.0 * static_cast<double>(i) + 1;
    b.draws.offense = f.offense;
    b.draws.citizen = f.citizen;
    b.draws.prior_serious = f.prior_serious;
    b.draws.pretrial = f.pretrial;
    b.draws.stay = 9;
    b.draws.lodged = true;
    b.draws.lodge_delay = 1;
    b.draws.judicial_warrant = f.judicial;
    b.draws.federal_criminal_warrant = f.federal && !f.judicial;
    b.draws.ice_response = f.ice_response;
    b.draws.compliance = f.compliance;
    out.push_back(b);
  }
  return out;
}

struct ActionRecorder : Observer {
  std::map<std::uint64_t, int> action_by_id;
  std::map<std::uint64_t, std::string> outcome_by_id;
  bool wants_trace() const override { return true; }
  void on_person(const TraceRecord& r) override {
    action_by_id[r.id] = r.action;
    outcome_by_id[r.id] = r.outcome;
  }
};

struct Result {
  std::vector<Action> actions;  // by script position
  std::vector<std::string> outcomes;
  ReplicationMetrics metrics;
};

Result run_preset_script(const Scenario& s, const std::vector<ScriptedBooking>& script) {
  ActionRecorder rec;
  Simulation sim(s, 0, &rec, &script);
  Result out{{}, {}, sim.run()};
  REQUIRE(rec.action_by_id.size() == script.size());
  for (std::size_t i = 0; i < script.size(); ++i) {
    const int a = rec.action_by_id.at(i);  // one facility: ids are booking indices
    REQUIRE(a >= 0);
    out.actions.push_back(static_cast<Action>(a));
    out.outcomes.push_back(rec.outcome_by_id.at(i));
  }
  return out;
}

Result run_preset(const std::string& name, const std::vector<Facts>& facts,
                  FacilityKind kind = FacilityKind::kJail) {
  return run_preset_script(preset_scenario(preset(name).policy, kind), people(facts));
}

double total(const Result& o, Metric m) {
  return o.metrics.total[index(m)];
}

// Every combination of warrant, path, severity and prior record, as a
// citizen and as a noncitizen.
std::vector<Facts> everyone() {
  std::vector<Facts> out;
  for (int warrant = 0; warrant < 3; ++warrant)
    for (bool pretrial : {true, false})
      for (std::size_t offense : {kViolent, kSerious, kOther})
        for (bool prior : {false, true}) {
          Facts f;
          f.judicial = warrant == 1;
          f.federal = warrant == 2;
          f.pretrial = pretrial;
          f.offense = offense;
          f.prior_serious = prior;
          f.citizen = out.size() % 5 == 0;
          out.push_back(f);
        }
  return out;
}

// The compliance of the `i`th rule of a preset: strictly inside (0, 1), so
// that draws on both sides of it exist.
double compliance_of(const Policy& p, std::size_t i) {
  REQUIRE(i < p.rules.size());
  const double c = p.rules[i].compliance;
  REQUIRE(c > 0);
  REQUIRE(c < 1);
  return c;
}

}  // namespace

TEST_CASE("every preset file is headed by what it follows and what it leaves out") {
  const auto catalog = PresetCatalog::get(default_preset_dir());
  REQUIRE(catalog->error().empty());
  std::set<std::string> names;
  for (const Preset& p : catalog->presets()) {
    INFO(p.policy.name);
    names.insert(p.policy.name);
    std::ifstream file(default_preset_dir() + "/" + p.policy.name + ".yaml");
    std::string line, header;
    while (std::getline(file, line) && line.rfind("#", 0) == 0) header += line + "\n";
    CHECK(header.rfind("# " + p.policy.name + ":", 0) == 0);
    CHECK(header.find("# Follows:") != std::string::npos);
    CHECK(header.find("# Leaves out:") != std::string::npos);
    CHECK_FALSE(p.policy.description.empty());
  }
  CHECK(names == std::set<std::string>{"287g-jail", "287g-warrant-service", "california-values-act",
                                       "cooperative", "decline-all", "honor-all",
                                       "illinois-trust-act", "judicial-warrant-only",
                                       "local-option", "notify-only", "sanctuary", "texas-sb4"});
}

TEST_CASE("cooperative and honor-all hold everyone; sanctuary and decline-all decline everyone") {
  for (const char* name : {"cooperative", "honor-all"}) {
    INFO(name);
    const Result o = run_preset(name, everyone());
    for (Action a : o.actions) CHECK(a == Action::kHonor);
    CHECK(total(o, Metric::honored) == static_cast<double>(everyone().size()));
    CHECK(total(o, Metric::held_under_287g) == 0);
    CHECK(total(o, Metric::lapsed) == total(o, Metric::honored));  // ICE never comes in time
  }
  for (const char* name : {"sanctuary", "decline-all"}) {
    INFO(name);
    const Result o = run_preset(name, everyone());
    for (Action a : o.actions) CHECK(a == Action::kDecline);
    CHECK(total(o, Metric::declined) == static_cast<double>(everyone().size()));
  }
}

TEST_CASE("notify-only notifies everyone; 287g-jail transfers everyone at release") {
  const Result n = run_preset("notify-only", everyone());
  for (Action a : n.actions) CHECK(a == Action::kNotify);
  const Result t = run_preset("287g-jail", everyone());
  for (Action a : t.actions) CHECK(a == Action::kTransfer);
  CHECK(total(t, Metric::transferred_287g) == static_cast<double>(everyone().size()));
  CHECK(total(t, Metric::honored) == 0);
  CHECK(total(t, Metric::held_under_287g) == 0);
  CHECK(total(t, Metric::hold_hours) == 0);
}

TEST_CASE("287g-warrant-service holds everyone for ICE, counted in honored and held_under_287g") {
  const Preset& p = preset("287g-warrant-service");
  CHECK(p.policy.warrant_service_287g);
  CHECK(p.policy.rules.empty());
  // Day 0: ICE comes 5 h after the release (a transfer from the hold);
  // day 1: ICE never comes in time (a lapse at 48 h); day 2: a citizen on an
  // erroneous detainer, held and lapsed.
  Facts comes, never, citizen;
  comes.ice_response = 5;
  citizen.citizen = true;
  const Result o = run_preset("287g-warrant-service", {comes, never, citizen});
  for (Action a : o.actions) CHECK(a == Action::kHonor);
  CHECK(o.outcomes == std::vector<std::string>{"transferred_from_hold", "lapsed", "lapsed"});
  CHECK(total(o, Metric::honored) == 3);
  CHECK(total(o, Metric::held_under_287g) == 3);
  CHECK(total(o, Metric::transfers_from_hold) == 1);
  CHECK(total(o, Metric::lapsed) == 2);
  CHECK(total(o, Metric::citizens_held) == 1);
  CHECK(total(o, Metric::transferred_287g) == 0);
  CHECK(total(o, Metric::hold_hours) == 5 + 48 + 48);

  SECTION("the same people under cooperative: the same holds, none under 287(g)") {
    const Result c = run_preset("cooperative", {comes, never, citizen});
    CHECK(c.actions == o.actions);
    CHECK(c.outcomes == o.outcomes);
    CHECK(total(c, Metric::held_under_287g) == 0);
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      if (static_cast<Metric>(m) == Metric::held_under_287g) continue;
      INFO(kMetricNames[m]);
      CHECK(c.metrics.total[m] == o.metrics.total[m]);
    }
  }
}

TEST_CASE("a policy change to 287g-warrant-service counts only the holds decided under it") {
  Scenario s = preset_scenario(preset("cooperative").policy);
  s.policies.push_back(preset("287g-warrant-service").policy);
  s.policy_changes.push_back({s.start + 1, -1, 1});  // from day 1, 00:00
  const Result o = run_preset_script(s, people({Facts{}, Facts{}}));
  CHECK(total(o, Metric::honored) == 2);
  CHECK(total(o, Metric::held_under_287g) == 1);
}

TEST_CASE("judicial-warrant-only holds on a judicial warrant only") {
  Facts judicial, federal, none;
  judicial.judicial = true;
  federal.federal = true;
  const Result o = run_preset("judicial-warrant-only", {judicial, federal, none});
  CHECK(o.actions == std::vector<Action>{Action::kHonor, Action::kDecline, Action::kDecline});
}

TEST_CASE("illinois-trust-act holds on a federal criminal warrant, not a judicial one") {
  const Policy& p = preset("illinois-trust-act").policy;
  REQUIRE(p.rules.size() == 1);
  CHECK(p.default_action == Action::kDecline);
  std::vector<Facts> facts;
  std::vector<Action> expected;
  for (bool pretrial : {true, false}) {
    for (int warrant = 0; warrant < 3; ++warrant) {
      Facts f;
      f.pretrial = pretrial;
      f.offense = kViolent;
      f.prior_serious = true;
      f.judicial = warrant == 1;
      f.federal = warrant == 2;
      facts.push_back(f);
      expected.push_back(warrant == 2 ? Action::kHonor : Action::kDecline);
    }
  }
  const Result o = run_preset("illinois-trust-act", facts);
  CHECK(o.actions == expected);
  CHECK(total(o, Metric::honored) == 2);
  CHECK(total(o, Metric::notified) == 0);  // no notice without the warrant either
  CHECK(total(o, Metric::declined) == 4);
}

TEST_CASE("texas-sb4 honors every detainer, except for a person who proved status") {
  const Policy& p = preset("texas-sb4").policy;
  CHECK(p.default_action == Action::kHonor);
  // On scripted people (no one has proved status): everyone is held,
  // citizens on erroneous detainers included.
  const Result o = run_preset("texas-sb4", everyone());
  for (Action a : o.actions) CHECK(a == Action::kHonor);
  CHECK(total(o, Metric::citizens_held) > 0);
  // The exception, on the facts a decision sees: whatever the warrant,
  // path, offense or compliance draw, proof of status means no hold.
  for (const Facts& f : everyone()) {
    for (bool proven : {false, true}) {
      DecisionFacts d{f.judicial,
                      !f.pretrial,
                      f.prior_serious,
                      static_cast<int>(f.offense),
                      static_cast<Severity>(f.offense),
                      FacilityKind::kJail,
                      f.compliance,
                      f.judicial ? Warrant::kJudicial
                                 : (f.federal ? Warrant::kFederalCriminal : Warrant::kNone),
                      f.pretrial,
                      proven};
      CHECK(decide(p, d) == (proven ? Action::kDecline : Action::kHonor));
    }
  }
}

TEST_CASE("california-values-act: holds only on a judicial warrant; notices as the Act permits") {
  const Policy& p = preset("california-values-act").policy;
  REQUIRE(p.rules.size() == 4);
  CHECK(p.default_action == Action::kDecline);
  const double convicted_c = compliance_of(p, 1), prior_c = compliance_of(p, 2),
               pretrial_c = compliance_of(p, 3);
  // A draw just below a rule's compliance takes its action; one at it or
  // above falls back to decline (the response is discretionary).
  const auto below = [](double c) { return c / 2; };
  const auto above = [](double c) { return (c + 1) / 2; };
  struct Case {
    const char* what;
    Facts facts;
    Action expected;
  };
  const auto make = [](std::size_t offense, bool pretrial, bool prior, bool judicial, double draw) {
    Facts f;
    f.offense = offense;
    f.pretrial = pretrial;
    f.prior_serious = prior;
    f.judicial = judicial;
    f.compliance = draw;
    return f;
  };
  const std::vector<Case> cases = {
      {"judicial warrant, other offense, pretrial", make(kOther, true, false, true, 0.99),
       Action::kHonor},
      {"judicial warrant, violent, convicted", make(kViolent, false, false, true, 0.99),
       Action::kHonor},
      {"violent, convicted, responds", make(kViolent, false, false, false, below(convicted_c)),
       Action::kNotify},
      {"violent, convicted, does not", make(kViolent, false, false, false, above(convicted_c)),
       Action::kDecline},
      {"serious, convicted, responds", make(kSerious, false, false, false, below(convicted_c)),
       Action::kNotify},
      {"other, convicted", make(kOther, false, false, false, 0.001), Action::kDecline},
      {"prior serious, other offense, responds", make(kOther, true, true, false, below(prior_c)),
       Action::kNotify},
      {"prior serious, other offense, does not", make(kOther, false, true, false, above(prior_c)),
       Action::kDecline},
      {"violent charge, pretrial, responds", make(kViolent, true, false, false, below(pretrial_c)),
       Action::kNotify},
      {"serious charge, pretrial, does not", make(kSerious, true, false, false, above(pretrial_c)),
       Action::kDecline},
      {"other charge, pretrial", make(kOther, true, false, false, 0.001), Action::kDecline},
      {"federal criminal warrant, other offense", make(kOther, true, false, false, 0.001),
       Action::kDecline},
  };
  std::vector<Facts> facts;
  for (const Case& c : cases) facts.push_back(c.facts);
  facts.back().federal = true;
  const Result o = run_preset("california-values-act", facts);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO(cases[i].what);
    CHECK(o.actions[i] == cases[i].expected);
  }
  CHECK(total(o, Metric::honored) == 2);
  CHECK(total(o, Metric::notified) == 4);

  SECTION("a prison is treated alike (the loader allows it; validate warns)") {
    const Result prison = run_preset("california-values-act", facts, FacilityKind::kPrison);
    CHECK(prison.actions == o.actions);
  }
}

TEST_CASE("local-option leaves each facility its own policy") {
  const Preset& p = preset("local-option");
  CHECK(p.policy.local_option);
  Scenario s = preset_scenario(preset("local-option").policy);
  s.state_preempts = false;
  s.policies.push_back(preset("notify-only").policy);
  s.facilities[0].policy = 1;
  const Result o = run_preset_script(s, people({Facts{}, Facts{}}));
  CHECK(o.actions == std::vector<Action>{Action::kNotify, Action::kNotify});
}

TEST_CASE("an alias is its target under another name, in every place a policy name goes") {
  for (const auto& [alias, target] :
       {std::pair<std::string, std::string>{"honor-all", "cooperative"},
        {"decline-all", "sanctuary"}}) {
    INFO(alias);
    const Preset& a = preset(alias);
    const Preset& t = preset(target);
    CHECK(a.alias_of == target);
    CHECK(a.policy.default_action == t.policy.default_action);
    CHECK(a.policy.rules.size() == t.policy.rules.size());
    // --policy, state.policy, a facility's policy, a policy change.
    const std::string file = source_path("scenarios/local-option-state.yaml");
    const std::vector<std::string> sets = {"replications=2", "horizon_days=200", "warmup_days=20"};
    const auto results = [&](const std::string& name, int where) {
      LoadOptions lo;
      lo.sets = sets;
      if (where == 0) lo.policy_override = name;
      if (where == 1) lo.sets.push_back("facilities.notify-county.policy=" + name);
      if (where == 2) lo.sets.push_back("policy_changes.0.policy=" + name);
      const Scenario s = load_scenario(file, lo);
      RunOptions ro;
      ro.threads = 1;
      return run_replications(s, ro);
    };
    for (int where = 0; where < 3; ++where) {
      INFO("where " << where);
      const auto x = results(alias, where);
      const auto y = results(target, where);
      REQUIRE(x.size() == y.size());
      for (std::size_t r = 0; r < x.size(); ++r) {
        CHECK(std::memcmp(x[r].total.data(), y[r].total.data(), sizeof(MetricValues)) == 0);
        REQUIRE(x[r].facility.size() == y[r].facility.size());
        for (std::size_t f = 0; f < x[r].facility.size(); ++f)
          CHECK(std::memcmp(x[r].facility[f].data(), y[r].facility[f].data(),
                            sizeof(MetricValues)) == 0);
      }
    }
  }
}

TEST_CASE("detsim policies lists the aliases and shows the new conditions") {
  const auto list = run_detsim("policies");
  REQUIRE(list.exit_code == 0);
  CHECK(list.out.find("honor-all") != std::string::npos);
  CHECK(list.out.find("(= cooperative)") != std::string::npos);
  CHECK(list.out.find("decline-all") != std::string::npos);
  CHECK(list.out.find("287g-warrant-service") != std::string::npos);
  const auto illinois = run_detsim("policies illinois-trust-act");
  CHECK(illinois.out.find("{warrant: [federal_criminal]} -> honor") != std::string::npos);
  const auto texas = run_detsim("policies texas-sb4");
  CHECK(texas.out.find("{status_proven: true} -> decline") != std::string::npos);
  const auto california = run_detsim("policies california-values-act");
  CHECK(california.out.find("pretrial: true") != std::string::npos);
  const auto wso = run_detsim("policies 287g-warrant-service");
  CHECK(wso.out.find("held_under_287g") != std::string::npos);
  const auto alias = run_detsim("policies decline-all");
  CHECK(alias.out.find("another name for sanctuary") != std::string::npos);
  CHECK(alias.out.find("default: decline") != std::string::npos);
}

TEST_CASE("validate warns, without failing, when california-values-act applies to a prison") {
  const std::string dir = fresh_dir("presets-validate");
  const auto write = [&](const std::string& name, const std::string& kind,
                         const std::string& policy) {
    std::ofstream(dir + "/" + name)
        << "name: ca\nstart: 2025-01-01\nhorizon_days: 10\n"
           "offenses:\n  - id: any\n    share: 1\n"
           "    severity: violent\n"
           "    pretrial_stay: {dist: fixed, hours: 10}\n"
           "    sentenced_stay: {dist: fixed, days: 10}\n"
           "ice:\n  lodge_probability: {violent: 0.5}\n"
           "  lodge_delay: {dist: fixed, hours: 1}\n"
           "  pickup: {delay: {dist: fixed, hours: 1}}\n"
           "state: {policy: "
        << policy << ", preempts: true}\nfacilities:\n"
        << "  - id: cdcr\n    kind: " << kind << "\n    bookings_per_day: 1\n";
  };
  write("prison.yaml", "prison", "california-values-act");
  write("jail.yaml", "jail", "california-values-act");
  write("other.yaml", "prison", "sanctuary");
  const auto prison = run_detsim("validate " + dir + "/prison.yaml");
  CHECK(prison.exit_code == 0);
  CHECK(prison.err.find("warning: facility 'cdcr' is a prison under california-values-act") !=
        std::string::npos);
  CHECK(prison.err.find("7284.4(a)") != std::string::npos);
  for (const char* quiet : {"jail.yaml", "other.yaml"}) {
    const auto r = run_detsim("validate " + dir + "/" + quiet);
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
  }
  const auto alias = run_detsim("validate " + source_path("scenarios/policies/honor-all.yaml"));
  CHECK(alias.exit_code == 0);
  CHECK(alias.out.find("another name for cooperative") != std::string::npos);
}

TEST_CASE("detsim expect counts held_under_287g as the honored holds under 287g-warrant-service") {
  LoadOptions lo;
  lo.sets = {"facilities.county-jail.day_of_week=[1,1,1,1,1,1,1]"};
  lo.policy_override = "287g-warrant-service";
  const std::string file = source_path("scenarios/county-jail.yaml");
  const Expectations wso = expected_metrics(load_scenario(file, lo));
  const double honored = wso.values.total[index(Metric::honored)];
  CHECK(honored > 0);
  CHECK(wso.values.total[index(Metric::held_under_287g)] == honored);
  lo.policy_override = "cooperative";
  const Expectations coop = expected_metrics(load_scenario(file, lo));
  CHECK(coop.values.total[index(Metric::honored)] == honored);
  CHECK(coop.values.total[index(Metric::held_under_287g)] == 0);
}
