// Facility tables (`facilities_table: FILE.csv`): rows become facilities,
// errors point at FILE.csv:LINE:COL with the column, `--set` reaches table
// facilities by id and with `facilities.*`, and a table gives the same run
// as the same facilities written in YAML.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_support.hpp"
#include "detsim/load.hpp"
#include "detsim/report.hpp"
#include "detsim/run.hpp"
#include "detsim/stats.hpp"
#include "detsim/sweep.hpp"

using namespace detsim;
using namespace detsim::testing;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// A scenario without facilities; the table or `facilities:` is appended.
const std::string kHead = R"(name: NAME
start: 2025-01-01
horizon_days: 20
warmup_days: 5
replications: 2
seed: 11
population: {noncitizen_share: 0.2}
offenses:
  - id: a
    share: 0.6
    severity: violent
    pretrial_stay: {dist: lognormal, median_hours: 30, sigma: 1}
    sentenced_stay: {dist: fixed, days: 4}
    sentenced_transfer_to: prison
    transfer_stay: {dist: fixed, days: 6}
  - id: b
    share: 0.4
    severity: other
    pretrial_stay: {dist: exponential, mean_hours: 12}
    sentenced_stay: {dist: lognormal, median_days: 3, sigma: 1}
ice:
  lodge_probability: {violent: 0.8, other: 0.3}
  lodge_delay: {dist: fixed, hours: 6}
  pickup:
    delay: {dist: fixed, hours: 12}
state: {policy: cooperative}
)";

const std::string kTable =
    "id,kind,bookings_per_day,capacity,bed_day_cost,policy,noncitizen_share,"
    "population.erroneous_detainer_rate\n"
    "north,jail,12.5,40,90,sanctuary,0.3,\n"
    "south,jail,8,,,,,0.001\n"
    "prison,prison,0,,150,,0.1,\n";

// The same facilities as kTable, in the order and text the table gives them.
const std::string kYamlFacilities = R"(facilities:
  - id: north
    kind: jail
    bookings_per_day: 12.5
    capacity: 40
    bed_day_cost: 90
    policy: sanctuary
    population: {noncitizen_share: 0.3}
  - id: south
    kind: jail
    bookings_per_day: 8
    population: {erroneous_detainer_rate: 0.001}
  - id: prison
    kind: prison
    bookings_per_day: 0
    bed_day_cost: 150
    population: {noncitizen_share: 0.1}
)";

std::string with_name(std::string text, const std::string& name) {
  return text.replace(text.find("NAME"), 4, name);
}

void write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

// A folder with s.yaml (kHead + `extra`, naming t.csv) and t.csv (`table`).
std::string scenario_with_table(const std::string& table, const std::string& extra = "") {
  static int counter = 0;
  const std::string dir =
      fresh_dir("table-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  write(dir + "/t.csv", table);
  write(dir + "/s.yaml", with_name(kHead, "t") + extra + "facilities_table: t.csv\n");
  return dir;
}

// The InputError message of loading dir/s.yaml (with `sets`), "" if none,
// with the folder removed from it.
std::string table_error_of(const std::string& dir, std::vector<std::string> sets = {}) {
  try {
    load_scenario(dir + "/s.yaml", LoadOptions{std::move(sets), "", ""});
  } catch (const InputError& e) {
    std::string m = e.what();
    for (std::size_t at; (at = m.find(dir + "/")) != std::string::npos;)
      m.erase(at, dir.size() + 1);
    return m;
  }
  return "";
}

std::string table_error(const std::string& table, const std::string& extra = "") {
  return table_error_of(scenario_with_table(table, extra));
}

std::string run_text(const Scenario& s) {
  RunOptions o;
  o.threads = 1;
  const auto reps = run_replications(s, o);
  return run_json(s, reps, summarize_run(reps));
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

TEST_CASE("a facility table adds its rows to the scenario's facilities") {
  const std::string dir = scenario_with_table(kTable, R"(facilities:
  - id: extra
    bookings_per_day: 1
)");
  const Scenario s = load_scenario(dir + "/s.yaml");
  REQUIRE(s.facilities.size() == 4);
  CHECK(s.facilities[0].id == "extra");
  CHECK(s.facilities[1].id == "north");
  CHECK(s.facilities[1].bookings_per_day == 12.5);
  CHECK(s.facilities[1].capacity == 40);
  CHECK(s.facilities[1].bed_day_cost == 90);
  CHECK(s.policies[static_cast<std::size_t>(s.facilities[1].policy)].name == "sanctuary");
  CHECK(s.facilities[1].population.noncitizen_share == 0.3);
  CHECK(s.facilities[2].population.noncitizen_share == 0.2);  // empty cell: the scenario's
  CHECK(s.facilities[2].population.erroneous_detainer_rate == 0.001);
  CHECK(s.facilities[2].policy < 0);  // empty cell: the state's
  CHECK(s.facilities[3].kind == FacilityKind::kPrison);
  // Sentenced transfers of the scenario's offenses reach the table's prison.
  CHECK(s.facilities[1].offenses[0].transfer_to == 3);
  // The resolved scenario inlines the rows and drops the table.
  CHECK_THAT(s.resolved_yaml, !Contains("facilities_table"));
  CHECK_THAT(s.resolved_yaml, Contains("id: north"));
}

TEST_CASE("a scenario with a table runs exactly as the same facilities written in YAML") {
  const std::string dir = scenario_with_table(kTable);
  write(dir + "/y.yaml", with_name(kHead, "y") + kYamlFacilities);
  const Scenario from_table = load_scenario(dir + "/s.yaml");
  const Scenario from_yaml = load_scenario(dir + "/y.yaml");
  std::string a = run_text(from_table);
  std::string b = run_text(from_yaml);
  REQUIRE(a.size() > 1000);
  CHECK_THAT(a, Contains("\"resolved_scenario\""));
  // The name and the file's path are the only differences.
  replace_all(a, dir + "/s.yaml", "FILE");
  replace_all(b, dir + "/y.yaml", "FILE");
  replace_all(a, "\"t\"", "\"NAME\"");
  replace_all(b, "\"y\"", "\"NAME\"");
  replace_all(a, "name: t\\n", "name: NAME\\n");
  replace_all(b, "name: y\\n", "name: NAME\\n");
  CHECK(a == b);
  // The resolved YAML reproduces the run on its own.
  const Scenario again = load_scenario_text(from_table.resolved_yaml, dir + "/r.yaml");
  CHECK(run_text(again).size() > 1000);
  CHECK(again.resolved_yaml.substr(again.resolved_yaml.find('\n')) ==
        from_table.resolved_yaml.substr(from_table.resolved_yaml.find('\n')));
}

TEST_CASE("facility table errors point at FILE.csv:LINE:COL with the column") {
  // Missing required column.
  CHECK(table_error("id,bookings_per_day\nx,3\n") ==
        "t.csv:1:1: facilities_table: missing required column 'kind' (the first line names the "
        "columns)");
  // Unknown column, with a suggestion.
  CHECK(table_error("id,kind,bookings_per_day,capcity\nx,jail,3,5\n") ==
        "t.csv:1:26: facilities_table: unknown column 'capcity' (did you mean 'capacity'?); "
        "columns: id, kind, bookings_per_day, capacity, bed_day_cost, marginal_bed_day_cost, "
        "policy, noncitizen_share and population.KEY");
  // Bad number, in each numeric column.
  CHECK(table_error("id,kind,bookings_per_day\nx,jail,3\ny,jail,many\n") ==
        "t.csv:3:8: facilities[1].bookings_per_day: expected a number >= 0 and <= 1000000, found "
        "many");
  CHECK(table_error("id,kind,bookings_per_day,capacity\nx,jail,3,-4\n") ==
        "t.csv:2:10: facilities[0].capacity: expected null (no limit) or a number >= 0, found -4");
  CHECK(table_error("id,kind,bookings_per_day,bed_day_cost\nx,jail,3,cheap\n") ==
        "t.csv:2:10: facilities[0].bed_day_cost: expected a number >= 0, found cheap");
  CHECK(table_error("id,kind,bookings_per_day,marginal_bed_day_cost\nx,jail,3,-1\n") ==
        "t.csv:2:10: facilities[0].marginal_bed_day_cost: expected a number >= 0, found -1");
  CHECK(table_error("id,kind,bookings_per_day,noncitizen_share\nx,jail,3,1.5\n") ==
        "t.csv:2:10: facilities[0].population.noncitizen_share: expected a share in [0, 1], found "
        "1.5");
  // Unknown kind and unknown policy.
  CHECK_THAT(table_error("id,kind,bookings_per_day\nx,jial,3\n"),
             StartsWith("t.csv:2:3: facilities[0].kind: expected one of jail, prison, found jial"));
  CHECK_THAT(table_error("id,kind,bookings_per_day,policy\nx,jail,3,sancturay\nprison,prison,0,\n"),
             StartsWith("t.csv:2:10: facilities[0].policy: unknown policy 'sancturay' (did you "
                        "mean 'sanctuary'?)"));
  // Unknown population key.
  CHECK_THAT(table_error("id,kind,bookings_per_day,population.noncitizen\nx,jail,3,0.1\n"),
             StartsWith("t.csv:2:10: facilities[0].population.noncitizen: unknown key "
                        "'noncitizen'"));
  // Duplicate id: within the table, and across the table and `facilities:`.
  CHECK(table_error("id,kind,bookings_per_day\nx,jail,3\nx,jail,4\n") ==
        "t.csv:3:1: facilities[1].id: duplicate facility id 'x' (also facilities[0])");
  CHECK(table_error("id,kind,bookings_per_day\nprison,prison,0\nx,jail,4\n",
                    "facilities:\n  - {id: x, bookings_per_day: 1}\n") ==
        "t.csv:3:1: facilities[2].id: duplicate facility id 'x' (also facilities[0])");
  // Empty required cell, wrong cell count, quotes.
  CHECK(table_error("id,kind,bookings_per_day\nx,jail,\n") ==
        "t.csv:2:8: facilities[0].bookings_per_day: this column is required: the cell cannot be "
        "empty");
  CHECK(table_error("id,kind,bookings_per_day\nx,jail,3,4\n") ==
        "t.csv:2:10: facilities[0]: expected 3 cells (one per column), found 4");
  CHECK(table_error("id,kind,bookings_per_day\n\"x,jail,3\n") ==
        "t.csv:2:1: a quoted cell must end with a quote on its own line");
  CHECK(table_error("id,kind,bookings_per_day,noncitizen_share,population.noncitizen_share\n") ==
        "t.csv:1:43: facilities_table: column 'population.noncitizen_share' sets the same key as "
        "column 'noncitizen_share'");
  CHECK(table_error("") == "t.csv:1:1: facilities_table: the file is empty");
  CHECK(table_error("id,kind,bookings_per_day\nx,jail,3\xff\n") ==
        "t.csv:2:9: the text is not valid UTF-8 (byte 0xFF)");
  // A file that cannot be read: at the key in the scenario.
  const std::string dir = scenario_with_table(kTable);
  std::filesystem::remove(dir + "/t.csv");
  CHECK(table_error_of(dir) ==
        "s.yaml:27:19: facilities_table: cannot read the facility table t.csv");
}

TEST_CASE("facility table cells: quotes, spaces, CRLF, blank lines and a byte order mark") {
  const std::string dir = scenario_with_table(
      "\xEF\xBB\xBFid , kind,bookings_per_day\r\n\r\n \"north\" ,jail, \"12.5\"\r\n"
      "\"so\"\"uth\",jail,3\r\nprison,prison,0");
  const Scenario s = load_scenario(dir + "/s.yaml");
  REQUIRE(s.facilities.size() == 3);
  CHECK(s.facilities[0].id == "north");
  CHECK(s.facilities[0].bookings_per_day == 12.5);  // quoting does not make a number text
  CHECK(s.facilities[1].id == "so\"uth");
}

TEST_CASE("a --set reaches table facilities by id, and facilities.* sets every facility") {
  const std::string dir = scenario_with_table(kTable, R"(facilities:
  - id: extra
    bookings_per_day: 1
    population: {noncitizen_share: 0.5}
)");
  const Scenario s = load_scenario(
      dir + "/s.yaml",
      LoadOptions{{"facilities.south.capacity=7", "facilities.*.population.noncitizen_share=0.08"},
                  "",
                  ""});
  REQUIRE(s.facilities.size() == 4);
  CHECK(s.facilities[2].capacity == 7);
  for (const Facility& f : s.facilities) {
    INFO(f.id);
    CHECK(f.population.noncitizen_share == 0.08);
  }
  CHECK(s.facilities[2].population.erroneous_detainer_rate == 0.001);  // other keys kept
  CHECK(table_error_of(dir, {"facilities.nope.capacity=1"}) ==
        "--set:1:1: facilities.nope.capacity: no list item with id 'nope' (ids: extra, north, "
        "south, prison)");
  CHECK(table_error_of(dir, {"ice.*.x=1"}) ==
        "--set:1:1: ice.*.x: '*' stands for every item of a list, and 'ice' is not a list");
  CHECK(table_error_of(dir, {"facilities.*.capacity=-1"}) ==
        "--set:1:23: facilities[0].capacity: expected null (no limit) or a number >= 0, found -1");
  CHECK_THAT(table_error_of(dir, {"facilities_table=other.csv"}),
             StartsWith("--set:1:18: facilities_table: the facility table is read before --set"));
}

TEST_CASE("a sweep addresses table facilities by id and with facilities.*") {
  const std::string dir = scenario_with_table(kTable);
  write(dir + "/sweep.yaml", R"(base: s.yaml
replications: 1
parameters:
  facilities.north.capacity: [5, 9]
  facilities.*.bed_day_cost: [0, 70]
)");
  const SweepPlan plan(dir + "/sweep.yaml");
  REQUIRE(plan.sweep().points.size() == 4);
  const Scenario last = plan.point_scenario(3);
  REQUIRE(last.facilities.size() == 3);
  CHECK(last.facilities[0].capacity == 9);
  for (const Facility& f : last.facilities) CHECK(f.bed_day_cost == 70);
  write(dir + "/bad.yaml", "base: s.yaml\nparameters:\n  facilities.nope.capacity: [5]\n");
  try {
    SweepPlan bad(dir + "/bad.yaml");
    bad.check(1);
    FAIL("no error for an unknown facility id");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Contains("no list item with id 'nope' (ids: north, south, "
                                               "prison)"));
  }
}

TEST_CASE("the statewide Illinois scenario: 93 jails and IDOC from its table; expect refuses it") {
  const std::string path = source_path("scenarios/illinois-statewide.yaml");
  const Scenario s = load_scenario(path);
  REQUIRE(s.facilities.size() == 94);
  int jails = 0;
  for (const Facility& f : s.facilities) {
    INFO(f.id);
    jails += f.kind == FacilityKind::kJail;
    if (f.kind == FacilityKind::kPrison) {
      CHECK(f.id == "idoc");
      CHECK(f.bookings_per_day == 0);  // its admissions are the jails' transfers
    } else {
      CHECK(f.offenses[0].transfer_to == 93);  // violent felonies, sentenced: to IDOC
    }
  }
  CHECK(jails == 93);
  CHECK(s.policies[static_cast<std::size_t>(s.state_policy)].name == "illinois-trust-act");
  CHECK(s.state_preempts);
  const auto r = run_detsim("expect " + path);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("expect does not follow people moved between facilities"));
}
