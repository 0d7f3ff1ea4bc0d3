// Loading valid scenarios: values resolved as docs/scenario.md and docs/policies.md say,
// `--set`, `--policy`, presets and the resolved YAML.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "detsim/load.hpp"
#include "scenario/scenario_yaml.hpp"

using namespace detsim;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

namespace {

const std::string kExample = DETSIM_SOURCE_DIR "/tests/data/loader/example.yaml";

int policy_index(const Scenario& s, const std::string& name) {
  for (std::size_t i = 0; i < s.policies.size(); ++i) {
    if (s.policies[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

// Everything after the first line (the resolved text's header comment).
std::string body(const std::string& text) {
  return text.substr(text.find('\n') + 1);
}

// A small valid scenario with two facilities, for variations.
const char* const kTwoFacilities = R"(name: two
start: 2024-03-01
horizon_days: 10
warmup_days: 3.5
offenses:
  - id: assault
    share: 0.25
    severity: violent
    pretrial_stay: {dist: empirical, days: [1, 2, 4], weights: [1, 1, 2]}
    sentenced_stay: {dist: gamma, mean_days: 10, cv: 0.5}
    sentenced_transfer_to: prison
    transfer_stay: {dist: fixed, days: 300}
  - id: theft
    share: 0.75
    severity: other
    pretrial_stay: {dist: fixed, hours: 6}
    sentenced_stay: {dist: fixed, hours: 60}
ice:
  lodge_probability: {violent: 0.9, other: 0.2, dui: 0.5}
  lodge_delay: {dist: fixed, hours: 2}
  pickup:
    delay: {dist: fixed, hours: 3}
    teams: 2
    discipline: edf
    business_hours: {days: [mon, tue, wed, thu, fri], from: 8, to: 18}
population: {noncitizen_share: 0.1, erroneous_detainer_rate: 0.001}
state: {policy: sanctuary, preempts: true}
facilities:
  - id: jail
    bookings_per_day: 50
    offenses:
      - id: dui
        share: 0.5
        severity: serious
        pretrial_stay: {dist: fixed, hours: 5}
        sentenced_stay: {dist: fixed, hours: 50}
      - id: assault
        share: 0.5
        severity: violent
        pretrial_stay: {dist: fixed, hours: 1}
        sentenced_stay: {dist: fixed, hours: 2}
        sentenced_transfer_to: prison
        transfer_stay: {dist: fixed, hours: 3}
    population: {noncitizen_share: 0.3}
  - id: prison
    kind: prison
    bookings_per_day: 0
)";

}  // namespace

TEST_CASE("the example scenario of the scenario reference loads with every value resolved") {
  const Scenario s = load_scenario(kExample);
  CHECK(s.name == "example-county");
  CHECK(s.source == kExample);
  CHECK(s.start == 20089);  // 2025-01-01
  CHECK(s.horizon_days == 365);
  CHECK(s.warmup_auto);
  CHECK(s.replications == 20);
  CHECK(s.seed == 42);
  CHECK(s.holidays == std::vector<Day>{20089, 20089 + 184, 20089 + 358});
  CHECK(s.population.noncitizen_share == 0.07);
  CHECK(s.population.erroneous_detainer_rate == 0.0002);

  SECTION("offense categories, stays in hours and lodge probabilities by severity") {
    CHECK(s.offense_ids == std::vector<std::string>{"assault", "traffic"});
    CHECK(s.offense_severities == std::vector<Severity>{Severity::kViolent, Severity::kOther});
    REQUIRE(s.facilities.size() == 1);
    const std::vector<Offense>& mix = s.facilities[0].offenses;
    REQUIRE(mix.size() == 2);
    CHECK(mix[0].category == 0);
    CHECK(mix[0].share == 0.20);
    CHECK(mix[0].prior_serious == 0.15);
    CHECK(mix[0].pretrial_release == 0.75);
    CHECK(mix[0].pretrial_stay.kind == Distribution::Kind::kLognormal);
    CHECK(mix[0].pretrial_stay.a == 40);
    CHECK(mix[0].pretrial_stay.b == 1.2);
    CHECK(mix[0].sentenced_stay.a == 60 * 24);  // median_days: 60
    CHECK(mix[0].lodge_probability == 0.8);     // violent
    CHECK(mix[0].transfer_to == -1);
    CHECK(mix[1].pretrial_stay.kind == Distribution::Kind::kExponential);
    CHECK(mix[1].pretrial_stay.a == 12);
    CHECK(mix[1].sentenced_stay.kind == Distribution::Kind::kFixed);
    CHECK(mix[1].sentenced_stay.a == 5 * 24);  // days: 5
    CHECK(mix[1].lodge_probability == 0.3);    // other
  }
  SECTION("ICE, hold and facility values") {
    CHECK(s.ice.match_probability == 0.95);
    CHECK(s.ice.lodge_delay.a == 24);
    CHECK(s.ice.judicial_warrant_share == 0.01);
    CHECK(s.ice.notice_lead_hours == 24);
    CHECK(s.ice.release_grace_hours == 2);
    CHECK(s.ice.at_large_arrests_per_year == 0);
    CHECK(s.ice.detainer_stay_multiplier == 1);
    CHECK(s.ice.pickup.delay.a == 18);
    CHECK(s.ice.pickup.teams == 0);
    CHECK(s.ice.pickup.discipline == Discipline::kFifo);
    CHECK_FALSE(s.ice.pickup.business_hours.enabled);
    CHECK(s.hold.limit_hours == 48);
    CHECK_FALSE(s.hold.exclude_weekends_holidays);
    const Facility& f = s.facilities[0];
    CHECK(f.id == "county-jail");
    CHECK(f.kind == FacilityKind::kJail);
    CHECK(f.bookings_per_day == 120);
    CHECK(f.day_of_week[5] == 1.2);
    CHECK(f.month[11] == 1);
    CHECK(f.capacity == 2500);
    CHECK(f.bed_day_cost == 150);
    CHECK(f.population.noncitizen_share == 0.07);
  }
  SECTION("policies: the file's, then presets in order of first reference") {
    std::vector<std::string> names;
    for (const Policy& p : s.policies) names.push_back(p.name);
    CHECK(names == std::vector<std::string>{"county-rule", "local-option", "cooperative",
                                            "illinois-trust-act"});
    CHECK(s.policies[s.state_policy].name == "local-option");
    CHECK(s.policies[s.state_policy].local_option);
    CHECK_FALSE(s.state_preempts);
    CHECK(s.policies[s.facilities[0].policy].name == "cooperative");
    const Policy& rule = s.policies[0];
    CHECK(rule.default_action == Action::kDecline);
    REQUIRE(rule.rules.size() == 3);
    CHECK(rule.rules[0].judicial_warrant == 1);
    CHECK(rule.rules[1].severities == 1u << static_cast<int>(Severity::kViolent));
    CHECK(rule.rules[1].convicted == 1);
    CHECK(rule.rules[1].action == Action::kNotify);
    CHECK(rule.rules[2].prior_serious == 1);
    CHECK(rule.rules[2].compliance == 0.8);
    CHECK(rule.rules[2].has_otherwise);
    CHECK(rule.rules[2].otherwise == Action::kDecline);
  }
  SECTION("policy changes are sorted by date") {
    REQUIRE(s.policy_changes.size() == 2);
    CHECK(s.policy_changes[0].date == 20089 + 181);  // 2025-07-01
    CHECK(s.policies[s.policy_changes[0].policy].name == "illinois-trust-act");
    CHECK(s.policy_changes[0].facility == 0);
    CHECK(s.policy_changes[1].date == 20089 + 273);  // 2025-10-01
    CHECK(s.policies[s.policy_changes[1].policy].name == "county-rule");
  }
  SECTION("the resolved YAML holds the presets it uses") {
    CHECK_THAT(s.resolved_yaml, Contains("  illinois-trust-act:\n"));
    CHECK_THAT(s.resolved_yaml, Contains("  cooperative:\n"));
    CHECK_THAT(s.resolved_yaml, Contains("local_option: true"));
    CHECK_THAT(s.resolved_yaml, !Contains("sanctuary"));
  }
}

TEST_CASE("the resolved YAML alone reproduces the scenario, without the preset folder") {
  LoadOptions options;
  options.sets = {"facilities.county-jail.bookings_per_day=80"};
  const Scenario s = load_scenario(kExample, options);
  LoadOptions no_presets;
  no_presets.preset_dir = "/nonexistent/preset/folder";
  const Scenario again = load_scenario_text(s.resolved_yaml, "resolved.yaml", no_presets);
  CHECK(body(again.resolved_yaml) == body(s.resolved_yaml));
  CHECK(again.facilities[0].bookings_per_day == 80);
  REQUIRE(again.policies.size() == s.policies.size());
  for (std::size_t i = 0; i < s.policies.size(); ++i) {
    CHECK(again.policies[i].name == s.policies[i].name);
    CHECK(again.policies[i].rules.size() == s.policies[i].rules.size());
    CHECK(again.policies[i].default_action == s.policies[i].default_action);
    CHECK(again.policies[i].description == s.policies[i].description);
  }
  CHECK(again.policy_changes.size() == 2);
  CHECK(again.facilities[0].offenses[0].sentenced_stay.a == 1440);
}

TEST_CASE("a --set path addresses list items by id and by index, and parses values as YAML") {
  LoadOptions options;
  options.sets = {
      "facilities.county-jail.bookings_per_day=36",
      "offenses.0.pretrial_stay={dist: fixed, hours: 3}",
      "offenses.traffic.share=0.8",
      "policy_changes.1.policy=sanctuary",
      "policies.county-rule.rules.0.action=notify",
      "ice.pickup.teams=4",
      "ice.pickup.business_hours={days: [sat, sun], from: 0, to: 24}",
      "calendar.holidays=[2025-12-31, 2025-01-02]",
      "detainer_hold.exclude_weekends_holidays=true",
  };
  const Scenario s = load_scenario(kExample, options);
  CHECK(s.facilities[0].bookings_per_day == 36);
  CHECK(s.facilities[0].offenses[0].pretrial_stay.kind == Distribution::Kind::kFixed);
  CHECK(s.facilities[0].offenses[0].pretrial_stay.a == 3);
  CHECK(s.policies[s.policy_changes[0].policy].name == "sanctuary");  // file order: 1
  CHECK(s.policies[policy_index(s, "county-rule")].rules[0].action == Action::kNotify);
  CHECK(s.ice.pickup.teams == 4);
  CHECK(s.ice.pickup.business_hours.enabled);
  CHECK(s.ice.pickup.business_hours.days == 0b1100000);
  CHECK(s.holidays == std::vector<Day>{20090, 20088 + 365});
  CHECK(s.hold.exclude_weekends_holidays);
  CHECK_THAT(s.resolved_yaml, Contains("bookings_per_day: 36"));

  SECTION("a missing section is created on the way") {
    const Scenario t = load_scenario_text(kTwoFacilities, "two.yaml",
                                          LoadOptions{{"detainer_hold.limit_hours=24"}, "", ""});
    CHECK(t.hold.limit_hours == 24);
    CHECK_THAT(t.resolved_yaml, Contains("detainer_hold: {limit_hours: 24}"));
    YamlNode tree = parse_yaml("name: x\n", "t.yaml");
    apply_set(tree, "calendar.holidays", parse_yaml("[2025-01-01]", "v"));
    CHECK(emit_yaml(tree) == "name: x\ncalendar: {holidays: [2025-01-01]}\n");
  }
  SECTION("null clears an optional value") {
    const Scenario t = load_scenario(kExample, LoadOptions{{"facilities.0.capacity=null"}, "", ""});
    CHECK(t.facilities[0].capacity < 0);
  }
}

TEST_CASE("a --policy override of a scenario applies one policy to every facility all run") {
  LoadOptions options;
  options.policy_override = "sanctuary";
  const Scenario s = load_scenario(kExample, options);
  CHECK(s.policies[s.state_policy].name == "sanctuary");
  CHECK(s.state_preempts);
  CHECK(s.policy_changes.empty());
  CHECK_THAT(s.resolved_yaml, Contains("state: {policy: sanctuary, preempts: true}"));
  CHECK_THAT(s.resolved_yaml, !Contains("policy_changes"));
  const Scenario again = load_scenario_text(s.resolved_yaml, "resolved.yaml");
  CHECK(again.policies[again.state_policy].name == "sanctuary");
  CHECK(again.state_preempts);
  CHECK(again.policy_changes.empty());

  SECTION("a policy of the file itself may be the override") {
    const Scenario t = load_scenario(kExample, LoadOptions{{}, "county-rule", ""});
    CHECK(t.policies[t.state_policy].name == "county-rule");
  }
}

TEST_CASE("a misspelled scenario key is reported with a did-you-mean suggestion") {
  std::string text;
  REQUIRE(read_file_text(kExample, &text));
  text.replace(text.find("bookings_per_day: 120"), 16, "bookings_per_dya");
  try {
    load_scenario_text(text, "typo.yaml");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "typo.yaml:61:5: facilities[0].bookings_per_dya: unknown key 'bookings_per_dya' "
          "(did you mean 'bookings_per_day'?)");
  }
}

TEST_CASE("every preset loads with the exact rules of docs/policies.md") {
  const std::vector<Policy> presets = load_presets();
  std::set<std::string> names;
  for (const Policy& p : presets) {
    names.insert(p.name);
    CHECK_FALSE(p.description.empty());
    std::ifstream file(default_preset_dir() + "/" + p.name + ".yaml");
    std::string first_line;
    std::getline(file, first_line);
    CHECK(first_line.rfind("# " + p.name + ":", 0) == 0);  // the comment on what it approximates
  }
  CHECK(names == std::set<std::string>{"287g-jail", "287g-warrant-service", "california-values-act",
                                       "cooperative", "decline-all", "honor-all",
                                       "illinois-trust-act", "judicial-warrant-only",
                                       "local-option", "notify-only", "sanctuary", "texas-sb4"});
  const auto get = [&](const std::string& name) -> const Policy& {
    for (const Policy& p : presets) {
      if (p.name == name) return p;
    }
    FAIL("no preset " << name);
    return presets.front();
  };
  const auto no_rules = [&](const std::string& name, Action action) {
    INFO(name);
    CHECK(get(name).rules.empty());
    CHECK(get(name).default_action == action);
    CHECK_FALSE(get(name).local_option);
  };
  no_rules("cooperative", Action::kHonor);
  no_rules("honor-all", Action::kHonor);
  no_rules("decline-all", Action::kDecline);
  no_rules("287g-warrant-service", Action::kHonor);
  for (const Policy& p : presets)
    CHECK(p.warrant_service_287g == (p.name == "287g-warrant-service"));
  no_rules("notify-only", Action::kNotify);
  no_rules("sanctuary", Action::kDecline);
  no_rules("287g-jail", Action::kTransfer);
  for (const char* name : {"judicial-warrant-only", "illinois-trust-act"}) {
    INFO(name);
    const Policy& p = get(name);
    REQUIRE(p.rules.size() == 1);
    if (std::string(name) == "illinois-trust-act") {  // a federal criminal warrant only
      CHECK(p.rules[0].judicial_warrant == -1);
      CHECK(p.rules[0].warrants == 1u << static_cast<int>(Warrant::kFederalCriminal));
    } else {
      CHECK(p.rules[0].judicial_warrant == 1);
      CHECK(p.rules[0].warrants == 0);
    }
    CHECK(p.rules[0].convicted == -1);
    CHECK(p.rules[0].prior_serious == -1);
    CHECK(p.rules[0].severities == 0);
    CHECK(p.rules[0].action == Action::kHonor);
    CHECK(p.rules[0].compliance == 1);
    CHECK(p.default_action == Action::kDecline);
  }
  const Policy& ca = get("california-values-act");
  REQUIRE(ca.rules.size() == 4);
  CHECK(ca.rules[0].judicial_warrant == 1);
  CHECK(ca.rules[0].action == Action::kHonor);
  CHECK(ca.rules[1].severities == 0b011);  // violent, serious
  CHECK(ca.rules[1].convicted == 1);
  CHECK(ca.rules[1].judicial_warrant == -1);
  CHECK(ca.rules[1].action == Action::kNotify);
  CHECK(ca.rules[2].prior_serious == 1);
  CHECK(ca.rules[2].severities == 0);
  CHECK(ca.rules[2].action == Action::kNotify);
  CHECK(ca.rules[3].severities == 0b011);  // violent, serious
  CHECK(ca.rules[3].pretrial == 1);
  CHECK(ca.rules[3].action == Action::kNotify);
  for (std::size_t i = 1; i < 4; ++i) {  // discretionary notices (illustrative compliance)
    CHECK(ca.rules[i].compliance > 0);
    CHECK(ca.rules[i].compliance < 1);
    CHECK_FALSE(ca.rules[i].has_otherwise);  // else the default, decline
  }
  CHECK(ca.default_action == Action::kDecline);
  const Policy& tx = get("texas-sb4");
  REQUIRE(tx.rules.size() == 1);
  CHECK(tx.rules[0].status_proven == 1);
  CHECK(tx.rules[0].judicial_warrant == -1);
  CHECK(tx.rules[0].action == Action::kDecline);
  CHECK(tx.rules[0].compliance == 1);
  CHECK(tx.default_action == Action::kHonor);
  CHECK(get("local-option").local_option);
  CHECK(get("local-option").rules.empty());
}

TEST_CASE("a scenario's own policy named like a preset replaces the preset") {
  const std::string text = R"(name: x
start: 2025-01-01
horizon_days: 3
offenses:
  - {id: a, share: 1, severity: other, pretrial_stay: {dist: fixed, hours: 1},
     sentenced_stay: {dist: fixed, hours: 2}}
ice:
  lodge_probability: {other: 1}
  lodge_delay: {dist: fixed, hours: 1}
  pickup: {delay: {dist: fixed, hours: 1}}
state: {policy: sanctuary}
facilities: [{id: a, bookings_per_day: 1}]
policies:
  sanctuary: {default: notify, rules: [{when: {offense: [a]}, action: honor}]}
)";
  const Scenario s = load_scenario_text(text, "own.yaml");
  REQUIRE(s.policies.size() == 1);
  CHECK(s.policies[0].default_action == Action::kNotify);
  CHECK(s.policies[0].rules[0].offenses == std::vector<int>{0});
  CHECK(s.replications == 10);  // defaults
  CHECK(s.seed == 0);
  CHECK(s.warmup_stationary);
  CHECK_FALSE(s.warmup_auto);
  CHECK(s.facilities[0].policy == -1);
}

TEST_CASE("a scenario's facility overrides, transfers and categories are resolved per facility") {
  const Scenario s = load_scenario_text(kTwoFacilities, "two.yaml");
  CHECK_FALSE(s.warmup_auto);
  CHECK(s.warmup_days == 3.5);
  CHECK(s.offense_ids == std::vector<std::string>{"assault", "theft", "dui"});
  CHECK(s.offense_severities ==
        std::vector<Severity>{Severity::kViolent, Severity::kOther, Severity::kSerious});
  const Facility& jail = s.facilities[0];
  const Facility& prison = s.facilities[1];
  REQUIRE(jail.offenses.size() == 2);
  CHECK(jail.offenses[0].id == "dui");
  CHECK(jail.offenses[0].category == 2);
  CHECK(jail.offenses[0].lodge_probability == 0.5);  // by id
  CHECK(jail.offenses[1].category == 0);
  CHECK(jail.offenses[1].lodge_probability == 0.9);  // by severity
  CHECK(jail.offenses[1].transfer_to == 1);
  CHECK(jail.offenses[1].transfer_stay.a == 3);
  CHECK(jail.population.noncitizen_share == 0.3);
  CHECK(jail.population.erroneous_detainer_rate == 0.001);  // not overridden
  REQUIRE(prison.offenses.size() == 2);                     // the scenario's
  CHECK(prison.kind == FacilityKind::kPrison);
  CHECK(prison.offenses[0].transfer_to == -1);  // to itself, and it books nobody
  CHECK(prison.population.noncitizen_share == 0.1);
  CHECK(s.ice.pickup.teams == 2);
  CHECK(s.ice.pickup.discipline == Discipline::kEdf);
  CHECK(s.ice.pickup.business_hours.enabled);
  CHECK(s.ice.pickup.business_hours.days == 0b0011111);
  CHECK(s.ice.pickup.business_hours.from == 8);
  CHECK(s.ice.pickup.business_hours.to == 18);
  CHECK(s.state_preempts);
  SECTION("empirical stays are in hours with normalized cumulative weights") {
    const Distribution& d = prison.offenses[0].pretrial_stay;
    CHECK(d.kind == Distribution::Kind::kEmpirical);
    CHECK(d.values == std::vector<double>{24, 48, 96});
    CHECK(d.cumulative == std::vector<double>{0.25, 0.5, 1.0});
    CHECK(d.mean() == 0.25 * 24 + 0.25 * 48 + 0.5 * 96);
    const Distribution& g = prison.offenses[0].sentenced_stay;
    CHECK(g.kind == Distribution::Kind::kGamma);
    CHECK(g.a == 240);
    CHECK(g.b == 0.5);
  }
}

TEST_CASE("distribution means of scenario stays follow their definitions") {
  Distribution d;
  d.a = 10;
  d.b = 0.5;
  d.kind = Distribution::Kind::kFixed;
  CHECK(d.mean() == 10);
  d.kind = Distribution::Kind::kExponential;
  CHECK(d.mean() == 10);
  d.kind = Distribution::Kind::kGamma;
  CHECK(d.mean() == 10);
  d.kind = Distribution::Kind::kLognormal;
  CHECK_THAT(d.mean(), WithinRel(10 * std::exp(0.125), 1e-12));
  d.kind = Distribution::Kind::kEmpirical;
  d.values = {1, 3};
  d.cumulative = {0.75, 1};
  CHECK(d.mean() == 1.5);
}

TEST_CASE("scenario enums print as the YAML names them") {
  CHECK(std::string(to_string(Severity::kSerious)) == "serious");
  CHECK(std::string(to_string(Action::kTransfer)) == "transfer");
  CHECK(std::string(to_string(Action::kNotify)) == "notify");
  CHECK(std::string(to_string(FacilityKind::kPrison)) == "prison");
}

TEST_CASE("presets come from LoadOptions::preset_dir, else $DETSIM_PRESETS") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("detsim-presets-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "only-here.yaml") << "# a test preset\nname: only-here\n"
                                           "description: test\ndefault: notify\n";
  std::string text = kTwoFacilities;
  text.replace(text.find("policy: sanctuary"), 17, "policy: only-here");
  const Scenario s = load_scenario_text(text, "two.yaml", LoadOptions{{}, "", dir.string()});
  CHECK(s.policies[s.state_policy].default_action == Action::kNotify);
  CHECK(load_presets(dir.string()).size() == 1);

  ::setenv("DETSIM_PRESETS", dir.string().c_str(), 1);
  CHECK(default_preset_dir() == dir.string());
  CHECK(load_scenario_text(text, "two.yaml").policies[0].name == "only-here");
  ::unsetenv("DETSIM_PRESETS");
  CHECK(default_preset_dir() == DETSIM_SOURCE_DIR "/scenarios/policies");
  std::filesystem::remove_all(dir);
}

TEST_CASE("resolving a scenario tree leaves it unchanged, and copies are independent") {
  const YamlNode base = read_yaml_file(kExample);
  const std::string before = emit_yaml(base);
  YamlNode point = base;
  apply_set(point, "ice.pickup.teams", YamlNode::scalar("7"));
  const Scenario s = resolve_scenario(point, kExample, LoadOptions{{"seed=9"}, "sanctuary", ""});
  CHECK(s.ice.pickup.teams == 7);
  CHECK(s.seed == 9);
  CHECK(emit_yaml(base) == before);
  CHECK(resolve_scenario(base, kExample, {}).ice.pickup.teams == 0);
}

TEST_CASE("scenarios load the same from several threads at once") {
  const std::string expected = load_scenario(kExample).resolved_yaml;
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) results[t] = load_scenario(kExample).resolved_yaml;
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& r : results) CHECK(r == expected);
}

namespace {

// Equal kinds, texts and children; a quoted scalar stays quoted.
bool same_tree(const YamlNode& a, const YamlNode& b) {
  if (a.kind != b.kind || a.text != b.text || (a.quoted && !b.quoted)) return false;
  if (a.items.size() != b.items.size() || a.entries.size() != b.entries.size()) return false;
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    if (!same_tree(a.items[i], b.items[i])) return false;
  }
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    if (a.entries[i].key != b.entries[i].key) return false;
    if (!same_tree(a.entries[i].value, b.entries[i].value)) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("the YAML written for resolved scenarios parses back to the same tree") {
  const char* const texts[] = {
      "a: 'x: y'\nb: '#c'\nc: '- d'\nd: ''\ne: ' lead'\nf: 'true'\ng: \"null\"\nh: ~\n",
      "f: [a, 'b,c', '[x]', '{y}', -1, .5, 1e3]\n\"m: n\": 1\n\"-\": 2\n'': 3\n",
      "j: [[1, 2], [3], []]\nk: [{a: 1, b: [1, 2]}, {c: {d: e}}, {}]\n",
      "l: |\n  line one\n  line two \"quoted\" \\ back\n\nm: >\n  folded\n\n  paragraphs\n",
      "n: [{id: a-long-identifier-number-one, value: 1}, {id: a-long-identifier-number-two, "
      "value: 2}]\n",
      "o: café – ünïcödé ✓\np: \"tab\\there\"\nq: \"bell\\a\"\n",
      "- a\n- [b, c]\n- d: e\n  f: g\n- - h\n  - i\n",
  };
  for (const char* text : texts) {
    INFO(text);
    const YamlNode tree = parse_yaml(text, "t.yaml");
    const std::string emitted = emit_yaml(tree);
    INFO(emitted);
    const YamlNode again = parse_yaml(emitted, "emitted.yaml");
    CHECK(same_tree(tree, again));
    CHECK(emit_yaml(again) == emitted);
  }
}
