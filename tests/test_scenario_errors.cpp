// Bad scenarios: every rule of MODEL.md section 3 is an InputError
// "FILE:LINE:COL: KEY.PATH: message" pointing at the exact place, and
// InputError is the only exception bad input can raise.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include "detsim/load.hpp"
#include "scenario_yaml.hpp"

using namespace detsim;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// A valid scenario; the line numbers below are those of this text.
const std::string kBase = R"(name: t
start: 2025-01-01
horizon_days: 30
offenses:
  - id: a
    share: 0.5
    severity: violent
    pretrial_stay: {dist: fixed, hours: 10}
    sentenced_stay: {dist: fixed, days: 5}
  - id: b
    share: 0.5
    severity: other
    pretrial_stay: {dist: exponential, mean_hours: 12}
    sentenced_stay: {dist: lognormal, median_days: 3, sigma: 1}
ice:
  lodge_probability: {violent: 0.8, other: 0.3}
  lodge_delay: {dist: fixed, hours: 24}
  pickup:
    delay: {dist: fixed, hours: 12}
state: {policy: cooperative}
facilities:
  - id: jail
    bookings_per_day: 10
  - id: prison
    kind: prison
    bookings_per_day: 0
)";

// `text` with the first `from` replaced by `to`.
std::string edit(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("test bug: no '" + from + "' in the text");
  return text.replace(at, from.size(), to);
}

std::string edit(const std::string& from, const std::string& to) {
  return edit(kBase, from, to);
}

// kBase without the text from `from` up to `until` (or the end, if "").
std::string cut(const std::string& from, const std::string& until) {
  const std::size_t a = kBase.find(from);
  const std::size_t b = until.empty() ? kBase.size() : kBase.find(until, a);
  if (a == std::string::npos || b == std::string::npos) throw std::logic_error("test bug: cut");
  return kBase.substr(0, a) + kBase.substr(b);
}

// kBase with `lines` added at the end (from line 27).
std::string append(const std::string& lines) {
  return kBase + lines;
}

// The message of the InputError loading `text` throws; "" if it loads.
std::string error_of(const std::string& text, const LoadOptions& options = {}) {
  try {
    load_scenario_text(text, "s.yaml", options);
  } catch (const InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("not an InputError: ") + e.what();
  }
  return "";
}

struct Case {
  const char* rule;
  std::string text;
  const char* where;  // "FILE:LINE:COL: PATH:" the message starts with
  const char* says;   // part of the message
  LoadOptions options = {};
};

void check(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.rule) {
      const std::string message = error_of(c.text, c.options);
      INFO(message);
      CHECK_THAT(message, StartsWith(c.where));
      CHECK_THAT(message, Contains(c.says));
    }
  }
}

}  // namespace

TEST_CASE("the base scenario of these tests is valid") {
  CHECK(error_of(kBase) == "");
}

TEST_CASE("a scenario missing a required key is reported at its parent mapping") {
  check({
      {"name", edit("name: t\n", ""), "s.yaml:1:1: missing required key 'name'", ""},
      {"start", edit("start: 2025-01-01\n", ""), "s.yaml:1:1: missing required key 'start'", ""},
      {"horizon_days", edit("horizon_days: 30\n", ""), "s.yaml:1:1: missing", "'horizon_days'"},
      {"ice", cut("ice:\n", "state:"), "s.yaml:1:1: missing required key 'ice'", ""},
      {"facility id",
       edit("  - id: jail\n    bookings_per_day: 10\n", "  - bookings_per_day: 10\n"),
       "s.yaml:22:5: facilities[0]: missing required key 'id'", ""},
      {"bookings_per_day", edit("    bookings_per_day: 10\n", ""),
       "s.yaml:22:5: facilities[0]: missing required key 'bookings_per_day'", ""},
      {"offense share", edit("    share: 0.5\n    severity: violent", "    severity: violent"),
       "s.yaml:5:5: offenses[0]: missing required key 'share'", ""},
      {"offense sentenced_stay", edit("    sentenced_stay: {dist: fixed, days: 5}\n", ""),
       "s.yaml:5:5: offenses[0]: missing required key 'sentenced_stay'", ""},
      {"lodge_probability", edit("  lodge_probability: {violent: 0.8, other: 0.3}\n", ""),
       "s.yaml:16:3: ice: missing required key 'lodge_probability'", ""},
      {"lodge_delay", edit("  lodge_delay: {dist: fixed, hours: 24}\n", ""),
       "s.yaml:16:3: ice: missing required key 'lodge_delay'", ""},
      {"pickup delay", edit("    delay: {dist: fixed, hours: 12}", "    teams: 2"),
       "s.yaml:19:5: ice.pickup: missing required key 'delay'", ""},
      {"dist", edit("{dist: fixed, hours: 10}", "{hours: 10}"),
       "s.yaml:8:20: offenses[0].pretrial_stay: missing required key 'dist'", ""},
      {"transfer_stay",
       edit("    sentenced_stay: {dist: fixed, days: 5}\n",
            "    sentenced_stay: {dist: fixed, days: 5}\n"
            "    sentenced_transfer_to: prison\n"),
       "s.yaml:5:5: offenses[0]: missing required key 'transfer_stay'", ""},
      {"policy change policy", append("policy_changes:\n  - date: 2025-01-05\n    state: true\n"),
       "s.yaml:28:5: policy_changes[0]: missing required key 'policy'", ""},
  });
}

TEST_CASE("scenario values outside their bounds say what was expected and found") {
  check({
      {"horizon_days 0", edit("horizon_days: 30", "horizon_days: 0"),
       "s.yaml:3:15: horizon_days: expected an integer from 1 to 36500, found 0", ""},
      {"horizon_days 36501", edit("horizon_days: 30", "horizon_days: 36501"),
       "s.yaml:3:15: horizon_days:", "found 36501"},
      {"horizon_days fraction", edit("horizon_days: 30", "horizon_days: 1.5"),
       "s.yaml:3:15: horizon_days:", "expected an integer from 1 to 36500, found 1.5"},
      {"warmup_days too long", edit("horizon_days: 30\n", "horizon_days: 30\nwarmup_days: 36501\n"),
       "s.yaml:4:14: warmup_days: expected auto or a number of days >= 0 and <= 36500, found 36501",
       ""},
      {"warmup_days negative", edit("horizon_days: 30\n", "horizon_days: 30\nwarmup_days: -1\n"),
       "s.yaml:4:14: warmup_days:", "found -1"},
      {"warmup_days word", edit("horizon_days: 30\n", "horizon_days: 30\nwarmup_days: automatic\n"),
       "s.yaml:4:14: warmup_days:", "expected auto or a number"},
      {"replications 0", edit("horizon_days: 30\n", "horizon_days: 30\nreplications: 0\n"),
       "s.yaml:4:15: replications: expected an integer from 1 to 100000, found 0", ""},
      {"replications 100001",
       edit("horizon_days: 30\n", "horizon_days: 30\nreplications: 100001\n"),
       "s.yaml:4:15: replications:", "found 100001"},
      {"seed negative", edit("horizon_days: 30\n", "horizon_days: 30\nseed: -1\n"),
       "s.yaml:4:7: seed: expected an integer from 0 to 18446744073709551615, found -1", ""},
      {"seed 2^64", edit("horizon_days: 30\n", "horizon_days: 30\nseed: 18446744073709551616\n"),
       "s.yaml:4:7: seed:", "found 18446744073709551616"},
      {"seed fraction", edit("horizon_days: 30\n", "horizon_days: 30\nseed: 1.5\n"),
       "s.yaml:4:7: seed:", "found 1.5"},
      {"start not a date", edit("start: 2025-01-01", "start: 2025-02-29"),
       "s.yaml:2:8: start: expected a date YYYY-MM-DD, found 2025-02-29", ""},
      {"start shape", edit("start: 2025-01-01", "start: 2025-1-1"),
       "s.yaml:2:8: start:", "YYYY-MM-DD"},
      {"holiday", append("calendar: {holidays: [2025-13-01]}\n"),
       "s.yaml:27:23: calendar.holidays[0]: expected a date YYYY-MM-DD, found 2025-13-01", ""},
      {"noncitizen_share", append("population: {noncitizen_share: 1.5}\n"),
       "s.yaml:27:32: population.noncitizen_share: expected a share in [0, 1], found 1.5", ""},
      {"erroneous_detainer_rate", append("population: {erroneous_detainer_rate: -0.1}\n"),
       "s.yaml:27:39: population.erroneous_detainer_rate: expected a probability in [0, 1]", ""},
      {"limit_hours", append("detainer_hold: {limit_hours: -1}\n"),
       "s.yaml:27:30: detainer_hold.limit_hours: expected a number >= 0, found -1", ""},
      {"exclude_weekends_holidays", append("detainer_hold: {exclude_weekends_holidays: maybe}\n"),
       "s.yaml:27:44: detainer_hold.exclude_weekends_holidays: expected true or false, found maybe",
       ""},
  });
}

TEST_CASE("scenario facility values outside their bounds say what was expected and found") {
  const auto with = [](const std::string& line) {
    return edit("    bookings_per_day: 10\n", "    bookings_per_day: 10\n" + line + "\n");
  };
  check({
      {"bookings_per_day negative", edit("bookings_per_day: 10", "bookings_per_day: -3"),
       "s.yaml:23:23: facilities[0].bookings_per_day: expected a number >= 0 and <= 1000000, "
       "found -3",
       ""},
      {"bookings_per_day too many", edit("bookings_per_day: 10", "bookings_per_day: 1000001"),
       "s.yaml:23:23: facilities[0].bookings_per_day:", "found 1000001"},
      {"kind", with("    kind: cell"),
       "s.yaml:24:11: facilities[0].kind:", "expected one of jail, prison, found cell"},
      {"capacity", with("    capacity: -1"),
       "s.yaml:24:15: facilities[0].capacity: expected null (no limit) or a number >= 0, found -1",
       ""},
      {"bed_day_cost", with("    bed_day_cost: -5"),
       "s.yaml:24:19: facilities[0].bed_day_cost: expected a number >= 0, found -5", ""},
      {"day_of_week length", with("    day_of_week: [1, 1, 1, 1, 1, 1]"),
       "s.yaml:24:18: facilities[0].day_of_week: expected 7 values (Monday first), found 6", ""},
      {"month length", with("    month: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"),
       "s.yaml:24:12: facilities[0].month: expected 12 values (January first), found 13", ""},
      {"negative multiplier", with("    day_of_week: [1, 1, -1, 1, 1, 1, 1]"),
       "s.yaml:24:25: facilities[0].day_of_week[2]: expected a number >= 0, found -1", ""},
      {"duplicate id", edit("  - id: prison", "  - id: jail"),
       "s.yaml:24:9: facilities[1].id: duplicate facility id 'jail' (also facilities[0])", ""},
      {"no facilities", cut("facilities:\n", "") + "facilities: []\n",
       "s.yaml:21:13: facilities:", "expected a non-empty list of facilities"},
      {"population override", with("    population: {noncitizen_share: 2}"),
       "s.yaml:24:36: facilities[0].population.noncitizen_share:", "expected a share in [0, 1]"},
  });
}

TEST_CASE("scenario ICE values outside their bounds say what was expected and found") {
  const auto ice = [](const std::string& line) {
    return edit("  lodge_delay:", line + "\n  lodge_delay:");
  };
  const auto pickup = [](const std::string& line) {
    return edit("    delay: {dist: fixed, hours: 12}",
                "    delay: {dist: fixed, hours: 12}\n" + line);
  };
  check({
      {"match_probability", ice("  match_probability: 2"),
       "s.yaml:17:22: ice.match_probability: expected a probability in [0, 1], found 2", ""},
      {"judicial_warrant_share", ice("  judicial_warrant_share: 1.1"),
       "s.yaml:17:27: ice.judicial_warrant_share: expected a share in [0, 1], found 1.1", ""},
      {"notice_lead_hours", ice("  notice_lead_hours: -1"),
       "s.yaml:17:22: ice.notice_lead_hours: expected a number >= 0, found -1", ""},
      {"release_grace_hours", ice("  release_grace_hours: -2"),
       "s.yaml:17:24: ice.release_grace_hours:", "found -2"},
      {"at_large_arrests_per_year", ice("  at_large_arrests_per_year: -1"),
       "s.yaml:17:30: ice.at_large_arrests_per_year:", "expected a number >= 0"},
      {"detainer_stay_multiplier", ice("  detainer_stay_multiplier: 0"),
       "s.yaml:17:29: ice.detainer_stay_multiplier: expected a number > 0, found 0", ""},
      {"lodge probability", edit("{violent: 0.8,", "{violent: 1.5,"),
       "s.yaml:16:32: ice.lodge_probability.violent: expected a probability in [0, 1], found 1.5",
       ""},
      {"lodge_probability key", edit("other: 0.3}", "other: 0.3, violet: 0.1}"),
       "s.yaml:16:49: ice.lodge_probability.violet: 'violet' is neither an offense id nor a "
       "severity",
       "(did you mean 'violent'?)"},
      {"lodge_probability coverage", edit("{violent: 0.8, other: 0.3}", "{violent: 0.8}"),
       "s.yaml:16:22: ice.lodge_probability: no lodge probability for offense 'b' (severity other)",
       ""},
      {"lodge_probability type", edit("{violent: 0.8, other: 0.3}", "0.5"),
       "s.yaml:16:22: ice.lodge_probability: expected a mapping", "found 0.5"},
      {"teams 0", pickup("    teams: 0"),
       "s.yaml:20:12: ice.pickup.teams: expected null (unlimited) or an integer from 1 to 1000000, "
       "found 0",
       ""},
      {"teams fraction", pickup("    teams: 1.5"), "s.yaml:20:12: ice.pickup.teams:", "found 1.5"},
      {"discipline", pickup("    discipline: lifo"),
       "s.yaml:20:17: ice.pickup.discipline: expected one of fifo, edf, found lifo", ""},
      {"business hours order", pickup("    business_hours: {days: [mon], from: 18, to: 8}"),
       "s.yaml:20:49: ice.pickup.business_hours.to: expected an hour after 'from' (18) and <= 24, "
       "found 8",
       ""},
      {"business hours range", pickup("    business_hours: {days: [mon], from: 25, to: 26}"),
       "s.yaml:20:41: ice.pickup.business_hours.from: expected a number >= 0 and <= 24, found 25",
       ""},
      {"business day name", pickup("    business_hours: {days: [mon, tues], from: 8, to: 9}"),
       "s.yaml:20:34: ice.pickup.business_hours.days[1]:", "found tues (did you mean 'tue'?)"},
      {"business days empty", pickup("    business_hours: {days: [], from: 8, to: 9}"),
       "s.yaml:20:28: ice.pickup.business_hours.days: expected a non-empty list of days", ""},
      {"business day twice", pickup("    business_hours: {days: [mon, mon], from: 8, to: 9}"),
       "s.yaml:20:34: ice.pickup.business_hours.days[1]: 'mon' is listed twice", ""},
      {"business hours missing", pickup("    business_hours: {days: [mon], from: 8}"),
       "s.yaml:20:21: ice.pickup.business_hours: missing required key 'to'", ""},
  });
}

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
       "known policies: 287g-jail, california-values-act, cooperative,",
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

TEST_CASE("scenario syntax errors and text that is not UTF-8 are reported where they are") {
  check({
      {"unclosed list", edit("name: t\n", "name: [t\n"), "s.yaml:", "YAML syntax error"},
      {"bad indentation", edit("  - id: b\n", " - id: b\n"), "s.yaml:", "YAML syntax error"},
      {"invalid UTF-8", edit("name: t", "name: t\xC3("),
       "s.yaml:1:8: the text is not valid UTF-8 (byte 0xC3)", ""},
      {"invalid UTF-8 later", append("# caf\xE9\n"),
       "s.yaml:27:6: the text is not valid UTF-8 (byte 0xE9)", ""},
      {"overlong UTF-8", append("# \xC0\xAF\n"), "s.yaml:27:3: the text is not valid UTF-8", ""},
      {"NUL byte", append(std::string("# a\0b\n", 6)), "s.yaml:27:4: a control character (0x00)",
       ""},
      {"two documents", kBase + "---\nname: u\n", "s.yaml:", "only one YAML document is allowed"},
      {"alias of its own container", edit("name: t", "name: &x [1, *x]"),
       "s.yaml:1:14:", "an alias (*) may not refer to a node that contains it"},
      {"undefined alias", edit("name: t", "name: *nope"), "s.yaml:1:", "YAML syntax error"},
  });
  CHECK(error_of(append("description: café – ünïcödé ✓\n")) == "");
  std::string unclosed = error_of(edit("name: t\n", "name: [t\n"));
  CHECK_THAT(unclosed, StartsWith("s.yaml:2:"));
}

TEST_CASE("a bad --set reports the segment it cannot follow, and values in error at --set:1:COL") {
  const auto set = [](const std::string& argument) {
    return error_of(kBase, LoadOptions{{argument}, "", ""});
  };
  CHECK(set("facilities.nope.policy=sanctuary") ==
        "--set:1:1: facilities.nope.policy: no list item with id 'nope' (ids: jail, prison)");
  CHECK(set("facilities.jail.bookings_per_day=-3") ==
        "--set:1:34: facilities[0].bookings_per_day: expected a number >= 0 and <= 1000000, found "
        "-3");
  CHECK(set("horizon_days") == "--set:1:1: expected PATH=VALUE, found 'horizon_days'");
  CHECK(set("name.first=x") ==
        "--set:1:1: name.first: 'name' is a value (t), not a mapping or a list");
  CHECK(set("offenses.5.share=1") ==
        "--set:1:1: offenses.5.share: index 5 is past the end of the list (2 items)");
  CHECK(set("ice..teams=1") ==
        "--set:1:1: ice..teams: expected a path of names separated by single dots");
  CHECK(set("ice.pickup.temas=3") ==
        "--set:1:18: ice.pickup.temas: unknown key 'temas' (did you mean 'teams'?)");
  CHECK_THAT(set("ice.pickup.delay={dist: fixed"), StartsWith("--set:1:"));
  CHECK_THAT(set("ice.pickup.delay={dist: fixed"), Contains("YAML syntax error"));
  CHECK_THAT(set("offenses.a.pretrial_stay={dist: fixed, hours: -1}"),
             StartsWith("--set:1:47: offenses[0].pretrial_stay.hours: expected a number >= 0"));
  YamlNode tree = parse_yaml("a: [1, 2]\n", "t.yaml");
  try {
    apply_set(tree, "a.x", YamlNode::scalar("3"));
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "--set:1:1: a.x: no list item 'x' (the list has 2 items: use an index from 0)");
  }
}

TEST_CASE("a --policy override of a scenario must name a known policy that can preempt") {
  CHECK_THAT(error_of(kBase, LoadOptions{{}, "local-option", ""}),
             StartsWith("--policy:1:1: state.policy: 'local-option' leaves each facility its own "
                        "policy, so it cannot preempt"));
  CHECK_THAT(error_of(kBase, LoadOptions{{}, "sanctuery", ""}),
             StartsWith("--policy:1:1: state.policy: unknown policy 'sanctuery' (did you mean "
                        "'sanctuary'?); known policies: 287g-jail, "));
}

TEST_CASE("garbage scenario input raises InputError and nothing else") {
  std::string bomb = "name: t\n";
  bomb += "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 8; ++i) {
    bomb += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) bomb += (k ? ", *l" : "*l") + std::to_string(i - 1);
    bomb += "]\n";
  }
  check({
      {"empty file", "", "s.yaml:1:1: the scenario is empty", ""},
      {"only a comment", "# nothing\n", "s.yaml:1:1: the scenario is empty", ""},
      {"a list", "- a\n- b\n", "s.yaml:1:1: expected a mapping of scenario keys", "found a list"},
      {"a scalar", "hello\n", "s.yaml:1:1: expected a mapping of scenario keys", "found hello"},
      {"binary bytes", std::string("\x01\x02garbage\xff\x00", 11),
       "s.yaml:1:1: a control character (0x01)", ""},
      {"a huge integer", edit("horizon_days: 30", "horizon_days: 99999999999999999999999"),
       "s.yaml:3:15: horizon_days: expected an integer from 1 to 36500", ""},
      {"1e400", edit("horizon_days: 30", "horizon_days: 1e400"),
       "s.yaml:3:15: horizon_days: expected an integer from 1 to 36500, found 1e400", ""},
      {"1e400 bookings", edit("bookings_per_day: 10", "bookings_per_day: 1e400"),
       "s.yaml:23:23: facilities[0].bookings_per_day:", "found 1e400 (too large for a number)"},
      {"nan", edit("bookings_per_day: 10", "bookings_per_day: .nan"),
       "s.yaml:23:23: facilities[0].bookings_per_day: expected a number", "found .nan"},
      {"inf", edit("bookings_per_day: 10", "bookings_per_day: .inf"),
       "s.yaml:23:23: facilities[0].bookings_per_day: expected a number", "found .inf"},
      {"hex", edit("bookings_per_day: 10", "bookings_per_day: 0x10"),
       "s.yaml:23:23: facilities[0].bookings_per_day: expected a number", "found 0x10"},
      {"deep nesting", "name: " + std::string(5000, '['), "s.yaml:1:", "YAML nested more than"},
      {"an alias bomb", bomb, "s.yaml:", "too many YAML nodes"},
  });
  CHECK_THAT(error_of(kBase, LoadOptions{{}, "", ""}), Catch::Matchers::Equals(""));
  try {
    load_scenario("/nonexistent/scenario.yaml");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "/nonexistent/scenario.yaml:1:1: cannot read the file");
  }
}

TEST_CASE("truncated and mutated scenarios raise InputError and nothing else") {
  std::string example;
  REQUIRE(read_file_text(DETSIM_SOURCE_DIR "/tests/data/loader/example.yaml", &example));
  for (std::size_t n = 0; n < example.size(); n += 11) {
    const std::string message = error_of(example.substr(0, n));
    INFO(n << ": " << message);
    CHECK_THAT(message, !StartsWith("not an InputError"));
  }
  std::mt19937 rng(12345);  // fixed: the same mutations on every run
  const std::string bytes = " :-[]{},#&*!|>'\"%@`\n\t0123456789.eE+abcxyz\xC3\xA9\xFF";
  for (int i = 0; i < 300; ++i) {
    std::string text = example;
    for (int k = 0; k < 3; ++k) {
      text[rng() % text.size()] = bytes[rng() % bytes.size()];
    }
    const std::string message = error_of(text);
    INFO(i << ": " << message);
    CHECK_THAT(message, !StartsWith("not an InputError"));
  }
}

TEST_CASE("preset files with errors are reported with their file and line") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("detsim-bad-presets-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "bad.yaml") << "name: other-name\ndefault: honor\n";
  std::ofstream(dir / "off.yaml") << "name: off\ndefault: honor\nrules:\n  - when: {offense: [a]}\n"
                                     "    action: honor\n";
  std::ofstream(dir / "good.yaml") << "name: good\ndefault: notify\n";
  try {
    load_presets(dir.string());
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          (dir / "bad.yaml").string() +
              ":1:7: name: expected 'bad' (the file's name), found other-name");
  }
  std::filesystem::remove(dir / "bad.yaml");
  const std::string off_dir = dir.string() + "/.";  // another folder name: read afresh
  try {
    load_presets(off_dir);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(e.what(), StartsWith(off_dir + "/off.yaml:4:21: rules[0].when.offense: a preset "
                                              "cannot name offenses"));
  }
  // The good preset stays usable; an unknown name mentions the broken file.
  LoadOptions options{{}, "", off_dir};
  CHECK(error_of(edit("{policy: cooperative}", "{policy: good}"), options) == "");
  CHECK_THAT(error_of(kBase, options), Contains("off.yaml:4:21"));
  CHECK_THAT(error_of(kBase, options), StartsWith("s.yaml:20:17: state.policy: unknown policy"));
  CHECK_THAT(error_of(kBase, LoadOptions{{}, "", "/nonexistent/presets"}),
             Contains("cannot read the preset folder"));
  CHECK_THROWS_AS(load_presets("/nonexistent/presets"), InputError);
  std::filesystem::remove_all(dir);
}
