// Bad scenarios, keys and values: every rule of docs/scenario.md is an
// InputError "FILE:LINE:COL: KEY.PATH: message" pointing at the exact place.
// (Lists, distributions and policies: test_scenario_errors_lists.cpp; bad
// text, --set and presets: test_scenario_errors_input.cpp.)
#include <catch2/catch.hpp>

#include "detsim/load.hpp"
#include "scenario_errors_support.hpp"
#include "scenario/scenario_yaml.hpp"

using namespace detsim;
using namespace detsim::testing;

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
       "s.yaml:4:14: warmup_days: expected auto, stationary or a number of days >= 0 and <= 36500, "
       "found 36501",
       ""},
      {"warmup_days negative", edit("horizon_days: 30\n", "horizon_days: 30\nwarmup_days: -1\n"),
       "s.yaml:4:14: warmup_days:", "found -1"},
      {"warmup_days word", edit("horizon_days: 30\n", "horizon_days: 30\nwarmup_days: automatic\n"),
       "s.yaml:4:14: warmup_days:", "expected auto, stationary or a number"},
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
