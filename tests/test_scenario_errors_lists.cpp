// Bad scenarios, lists, distributions and policies: offenses, stay
// distributions, policy rules, names and changes (docs/scenario.md).
#include <catch2/catch.hpp>

#include "detsim/load.hpp"
#include "scenario_errors_support.hpp"
#include "scenario/scenario_yaml.hpp"

using namespace detsim;
using namespace detsim::testing;

TEST_CASE("scenario offense lists need unique ids, known facilities and shares summing to 1") {
  const std::string own =
      "    offenses:\n      - id: a\n        share: 1\n        severity: violent\n"
      "        pretrial_stay: {dist: fixed, hours: 1}\n"
      "        sentenced_stay: {dist: fixed, hours: 1}\n";
  const auto with_own = [&](const std::string& extra) {
    return edit("    bookings_per_day: 10\n", "    bookings_per_day: 10\n" + own + extra);
  };
  const auto transfer = [](const std::string& lines) {
    return edit("    sentenced_stay: {dist: fixed, days: 5}\n",
                "    sentenced_stay: {dist: fixed, days: 5}\n" + lines);
  };
  check({
      {"share", edit("share: 0.5", "share: 1.5"),
       "s.yaml:6:12: offenses[0].share: expected a share in [0, 1], found 1.5", ""},
      {"shares sum", edit("share: 0.5", "share: 0.4"),
       "s.yaml:5:3: offenses: the shares sum to 0.9, expected 1 (within 1e-6)", ""},
      {"duplicate id", edit("  - id: b", "  - id: a"),
       "s.yaml:10:9: offenses[1].id: duplicate id 'a' in this list", ""},
      {"severity", edit("severity: other", "severity: minor"),
       "s.yaml:12:15: offenses[1].severity: expected one of violent, serious, other, found minor",
       ""},
      {"prior_serious",
       edit("    severity: violent\n", "    severity: violent\n    prior_serious: 1.2\n"),
       "s.yaml:8:20: offenses[0].prior_serious: expected a probability in [0, 1], found 1.2", ""},
      {"pretrial_release",
       edit("    severity: violent\n", "    severity: violent\n    pretrial_release: -0.1\n"),
       "s.yaml:8:23: offenses[0].pretrial_release:", "found -0.1"},
      {"empty list", edit(cut("offenses:\n", "ice:\n"), "ice:\n", "offenses: []\nice:\n"),
       "s.yaml:4:11: offenses:", "expected a non-empty list of offenses, found a list"},
      {"unknown transfer facility",
       transfer("    sentenced_transfer_to: prisn\n    transfer_stay: {dist: fixed, days: 9}\n"),
       "s.yaml:10:28: offenses[0].sentenced_transfer_to: no facility with id 'prisn' "
       "(did you mean 'prison'?) (ids: jail, prison)",
       ""},
      {"transfer_stay alone", transfer("    transfer_stay: {dist: fixed, days: 9}\n"),
       "s.yaml:10:20: offenses[0].transfer_stay: 'transfer_stay' needs 'sentenced_transfer_to'",
       ""},
      {"inherited transfer to itself",
       edit(transfer(
                "    sentenced_transfer_to: prison\n    transfer_stay: {dist: fixed, days: 9}\n"),
            "    bookings_per_day: 0", "    bookings_per_day: 1"),
       "s.yaml:26:5: facilities[1]: this facility uses the scenario's offenses, whose 'a' is "
       "transferred to 'prison' itself",
       ""},
      {"own transfer to itself",
       with_own(
           "        sentenced_transfer_to: jail\n        transfer_stay: {dist: fixed, hours: 1}\n"),
       "s.yaml:30:32: facilities[0].offenses[0].sentenced_transfer_to: expected another facility's "
       "id",
       ""},
      {"own shares", edit(with_own(""), "        share: 1\n", "        share: 0.3\n"),
       "s.yaml:25:7: facilities[0].offenses: the shares sum to 0.3", ""},
      {"one severity per id",
       edit(with_own(""), "        severity: violent", "        severity: other"),
       "s.yaml:27:19: facilities[0].offenses[0].severity: offense 'a' is violent at offenses[0].id",
       ""},
  });
}

TEST_CASE("scenario distributions need one known dist, one unit and parameters in bounds") {
  const auto pretrial = [](const std::string& dist) {
    return edit("{dist: fixed, hours: 10}", dist);
  };
  check({
      {"unknown dist", pretrial("{dist: expo, hours: 10}"),
       "s.yaml:8:27: offenses[0].pretrial_stay.dist: expected one of fixed, exponential, "
       "lognormal, "
       "gamma, empirical, found expo",
       ""},
      {"hours and days", pretrial("{dist: fixed, hours: 10, days: 1}"),
       "s.yaml:8:20: offenses[0].pretrial_stay: give either 'hours' or 'days', not both", ""},
      {"no unit", pretrial("{dist: fixed}"),
       "s.yaml:8:20: offenses[0].pretrial_stay: missing required key 'hours' (or 'days')", ""},
      {"negative fixed", pretrial("{dist: fixed, hours: -1}"),
       "s.yaml:8:41: offenses[0].pretrial_stay.hours: expected a number >= 0, found -1", ""},
      {"mean 0", edit("mean_hours: 12", "mean_hours: 0"),
       "s.yaml:13:52: offenses[1].pretrial_stay.mean_hours: expected a number > 0, found 0", ""},
      {"median 0", edit("median_days: 3", "median_days: 0"),
       "s.yaml:14:52: offenses[1].sentenced_stay.median_days: expected a number > 0, found 0", ""},
      {"sigma negative", edit("sigma: 1}", "sigma: -1}"),
       "s.yaml:14:62: offenses[1].sentenced_stay.sigma: expected a number >= 0, found -1", ""},
      {"sigma missing", edit(", sigma: 1}", "}"),
       "s.yaml:14:21: offenses[1].sentenced_stay: missing required key 'sigma'", ""},
      {"gamma cv 0",
       edit("{dist: exponential, mean_hours: 12}", "{dist: gamma, mean_hours: 12, cv: 0}"),
       "s.yaml:13:54: offenses[1].pretrial_stay.cv: expected a number > 0, found 0", ""},
      {"key of another dist", edit("mean_hours: 12}", "mean_hours: 12, sigma: 1}"),
       "s.yaml:13:56: offenses[1].pretrial_stay.sigma: 'sigma' does not apply to dist: exponential "
       "(its keys: dist, mean_hours, mean_days)",
       ""},
      {"unknown key", pretrial("{dist: fixed, hour: 10}"),
       "s.yaml:8:34: offenses[0].pretrial_stay.hour: unknown key 'hour' (did you mean 'hours'?)",
       ""},
      {"empirical empty", pretrial("{dist: empirical, hours: []}"),
       "s.yaml:8:45: offenses[0].pretrial_stay.hours: expected a non-empty list of values", ""},
      {"empirical value", pretrial("{dist: empirical, hours: [1, -2]}"),
       "s.yaml:8:49: offenses[0].pretrial_stay.hours[1]: expected a number >= 0, found -2", ""},
      {"weights length", pretrial("{dist: empirical, hours: [1, 2], weights: [1]}"),
       "s.yaml:8:62: offenses[0].pretrial_stay.weights: expected 2 weights (one per value), found "
       "1",
       ""},
      {"negative weight", pretrial("{dist: empirical, hours: [1, 2], weights: [1, -1]}"),
       "s.yaml:8:66: offenses[0].pretrial_stay.weights[1]: expected a number >= 0, found -1", ""},
      {"zero weights", pretrial("{dist: empirical, hours: [1, 2], weights: [0, 0]}"),
       "s.yaml:8:62: offenses[0].pretrial_stay.weights: expected weights that are not all 0", ""},
      {"not a mapping", pretrial("10"),
       "s.yaml:8:20: offenses[0].pretrial_stay: expected a distribution such as {dist: fixed, "
       "hours: 2}, found 10",
       ""},
  });
}

TEST_CASE("scenario policies and their rules are checked whether used or not") {
  const auto rule = [](const std::string& when, const std::string& rest) {
    return append("policies:\n  mine:\n    default: decline\n    rules:\n      - when: " + when +
                  "\n        action: honor\n" + rest);
  };
  check({
      {"when key", rule("{judicial_warant: true}", ""),
       "s.yaml:31:16: policies.mine.rules[0].when.judicial_warant: unknown key 'judicial_warant' "
       "(did you mean 'judicial_warrant'?)",
       ""},
      {"offense id", rule("{offense: [c]}", ""),
       "s.yaml:31:26: policies.mine.rules[0].when.offense[0]: unknown offense 'c' (ids: a, b)", ""},
      {"severity", rule("{severity: [violent, minor]}", ""),
       "s.yaml:31:36: policies.mine.rules[0].when.severity[1]: expected one of violent, serious, "
       "other, found minor",
       ""},
      {"empty severity list", rule("{severity: []}", ""),
       "s.yaml:31:26: policies.mine.rules[0].when.severity: expected a severity or a non-empty "
       "list",
       ""},
      {"facility_kind", rule("{facility_kind: cell}", ""),
       "s.yaml:31:31: policies.mine.rules[0].when.facility_kind: expected one of jail, prison, "
       "found cell",
       ""},
      {"convicted", rule("{convicted: maybe}", ""),
       "s.yaml:31:27: policies.mine.rules[0].when.convicted: expected true or false, found maybe",
       ""},
      {"compliance", rule("{convicted: true}", "        compliance: 1.5\n"),
       "s.yaml:33:21: policies.mine.rules[0].compliance: expected a probability in [0, 1], found "
       "1.5",
       ""},
      {"otherwise", rule("{convicted: true}", "        otherwise: maybe\n"),
       "s.yaml:33:20: policies.mine.rules[0].otherwise: expected one of honor, notify, decline, "
       "transfer, found maybe",
       ""},
      {"action",
       append("policies:\n  mine:\n    default: decline\n    rules:\n      - action: hold\n"),
       "s.yaml:31:17: policies.mine.rules[0].action: expected one of honor, notify, decline, "
       "transfer, found hold",
       ""},
      {"missing action",
       append("policies:\n  mine:\n    default: decline\n    rules:\n      - when: {convicted: "
              "true}\n"),
       "s.yaml:31:9: policies.mine.rules[0]: missing required key 'action'", ""},
      {"missing default", append("policies:\n  mine:\n    rules: []\n"),
       "s.yaml:29:5: policies.mine: missing required key 'default'", ""},
      {"local_option with a default",
       append("policies:\n  mine:\n    local_option: true\n    default: honor\n"),
       "s.yaml:30:14: policies.mine.default: a local_option policy leaves each facility its own",
       ""},
      {"policies not a mapping", append("policies: [a]\n"),
       "s.yaml:27:11: policies: expected a mapping of policy names to policies, found a list", ""},
      {"rules not a list", append("policies:\n  mine: {default: honor, rules: {a: 1}}\n"),
       "s.yaml:28:33: policies.mine.rules: expected a list of rules, found a mapping", ""},
  });
}

TEST_CASE("scenario policy names must exist and local-option is a state policy only") {
  const auto with = [](const std::string& line) {
    return edit("    bookings_per_day: 10\n", "    bookings_per_day: 10\n" + line + "\n");
  };
  check({
      {"unknown state policy", edit("{policy: cooperative}", "{policy: cooperativ}"),
       "s.yaml:20:17: state.policy: unknown policy 'cooperativ' (did you mean 'cooperative'?); "
       "known policies: 287g-jail, 287g-warrant-service, california-values-act, cooperative,",
       ""},
      {"preempts", edit("{policy: cooperative}", "{policy: cooperative, preempts: yes}"),
       "s.yaml:20:40: state.preempts: expected true or false, found yes", ""},
      {"local-option cannot preempt",
       edit("{policy: cooperative}", "{policy: local-option, preempts: true}"),
       "s.yaml:20:17: state.policy: 'local-option' leaves each facility its own policy, so it "
       "cannot preempt",
       ""},
      {"local-option needs facility policies",
       edit("{policy: cooperative}", "{policy: local-option}"),
       "s.yaml:22:5: facilities[0]: missing required key 'policy': under the state policy "
       "'local-option' each facility names its own",
       ""},
      {"the default state policy is local-option",
       cut("state: {policy: cooperative}\n", "facilities:"),
       "s.yaml:21:5: facilities[0]: missing required key 'policy'", "'local-option'"},
      {"local-option later in the timeline",
       append("policy_changes:\n  - {date: 2025-01-10, state: true, policy: local-option}\n"),
       "s.yaml:22:5: facilities[0]: missing required key 'policy'", "'local-option'"},
      {"unknown facility policy", with("    policy: nope"),
       "s.yaml:24:13: facilities[0].policy: unknown policy 'nope'", "known policies:"},
      {"local-option on a facility", with("    policy: local-option"),
       "s.yaml:24:13: facilities[0].policy: 'local-option' is a state policy only", ""},
  });
}

TEST_CASE("scenario policy changes need a date inside the horizon, one target and a known policy") {
  const auto change = [](const std::string& date, const std::string& target,
                         const std::string& policy) {
    return append("policy_changes:\n  - date: " + date + "\n" + target + "    policy: " + policy +
                  "\n");
  };
  const std::string jail = "    facility: jail\n";
  CHECK(error_of(change("2025-01-30", jail, "sanctuary")) == "");
  CHECK(error_of(change("2025-01-01", "    state: true\n", "sanctuary")) == "");
  check({
      {"before the start", change("2024-12-31", jail, "sanctuary"),
       "s.yaml:28:11: policy_changes[0].date: expected a date from 2025-01-01 to 2025-01-30 "
       "(inside the horizon), found 2024-12-31",
       ""},
      {"at the end of the horizon", change("2025-01-31", jail, "sanctuary"),
       "s.yaml:28:11: policy_changes[0].date:", "found 2025-01-31"},
      {"not a date", change("soon", jail, "sanctuary"),
       "s.yaml:28:11: policy_changes[0].date:", "expected a date YYYY-MM-DD, found soon"},
      {"facility and state", change("2025-01-05", jail + "    state: true\n", "sanctuary"),
       "s.yaml:28:5: policy_changes[0]: give either 'facility: ID' or 'state: true', not both", ""},
      {"no target", change("2025-01-05", "", "sanctuary"),
       "s.yaml:28:5: policy_changes[0]: missing required key 'facility' (or 'state: true')", ""},
      {"state false", change("2025-01-05", "    state: false\n", "sanctuary"),
       "s.yaml:29:12: policy_changes[0].state: expected true (a change of the state policy), found "
       "false",
       ""},
      {"unknown facility", change("2025-01-05", "    facility: jial\n", "sanctuary"),
       "s.yaml:29:15: policy_changes[0].facility: no facility with id 'jial' (did you mean "
       "'jail'?) "
       "(ids: jail, prison)",
       ""},
      {"unknown policy", change("2025-01-05", jail, "sanctury"),
       "s.yaml:30:13: policy_changes[0].policy: unknown policy 'sanctury' (did you mean "
       "'sanctuary'?)",
       ""},
      {"local-option for a facility", change("2025-01-05", jail, "local-option"),
       "s.yaml:30:13: policy_changes[0].policy: 'local-option' is a state policy only", ""},
      {"local-option under preemption",
       edit(change("2025-01-05", "    state: true\n", "local-option"), "{policy: cooperative}",
            "{policy: cooperative, preempts: true}"),
       "s.yaml:30:13: policy_changes[0].policy: 'local-option' leaves each facility its own policy",
       ""},
      {"not a list", append("policy_changes: {date: 2025-01-05}\n"),
       "s.yaml:27:17: policy_changes: expected a list of policy changes, found a mapping", ""},
  });
}

TEST_CASE(
    "scenario values of the wrong type and unknown keys are reported, never a yaml-cpp exception") {
  check({
      {"a word for a number", edit("bookings_per_day: 10", "bookings_per_day: ten"),
       "s.yaml:23:23: facilities[0].bookings_per_day: expected a number >= 0 and <= 1000000, found "
       "ten",
       ""},
      {"a quoted number", edit("bookings_per_day: 10", "bookings_per_day: \"10\""),
       "s.yaml:23:23: facilities[0].bookings_per_day:", "found \"10\" (a quoted string)"},
      {"a mapping for a list",
       edit("    bookings_per_day: 10\n", "    bookings_per_day: 10\n    day_of_week: {mon: 1}\n"),
       "s.yaml:24:18: facilities[0].day_of_week: expected a list of 7 numbers (Monday first), "
       "found "
       "a mapping",
       ""},
      {"a list for a mapping", edit(cut("ice:\n", "state:"), "state:", "ice: [1]\nstate:"),
       "s.yaml:15:6: ice: expected a mapping, found a list", ""},
      {"a mapping for the facilities", cut("facilities:\n", "") + "facilities: {id: jail}\n",
       "s.yaml:21:13: facilities: expected a list of facilities, found a mapping", ""},
      {"a list for a name", edit("name: t", "name: [t]"),
       "s.yaml:1:7: name: expected a string, found a list", ""},
      {"null for a name", edit("name: t", "name:"),
       "s.yaml:1:1: name: expected a string, found null", ""},
      {"top-level key", edit("horizon_days: 30", "horizon_day: 30"),
       "s.yaml:3:1: horizon_day: unknown key 'horizon_day' (did you mean 'horizon_days'?)", ""},
      {"key with no near match", append("colour: red\n"),
       "s.yaml:27:1: colour: unknown key 'colour' (expected one of: name, description, start,", ""},
      {"nested key",
       edit("    delay: {dist: fixed, hours: 12}",
            "    delay: {dist: fixed, hours: 12}\n    temas: 2"),
       "s.yaml:20:5: ice.pickup.temas: unknown key 'temas' (did you mean 'teams'?)", ""},
      {"duplicate key", edit("horizon_days: 30\n", "horizon_days: 30\nname: u\n"),
       "s.yaml:4:1: duplicate key 'name' (first given at line 1)", ""},
      {"a list as a key", append("[a]: 1\n"), "s.yaml:27:1: a mapping key must be a plain name",
       ""},
  });
}
