// Output writers: JSON shape, terminal table, tidy CSV and the run folder.

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "report/atomic_file.hpp"
#include "detsim/report.hpp"
#include "detsim/version.hpp"
#include "report/json.hpp"

namespace fs = std::filesystem;
using detsim::Metric;
using nlohmann::ordered_json;

namespace {

detsim::Scenario fake_scenario() {
  detsim::Scenario s;
  s.name = "test-county";
  s.seed = 42;
  s.replications = 3;
  s.facilities.resize(2);
  s.facilities[0].id = "county-jail";
  s.facilities[1].id = "state,prison";  // a comma, to be quoted in CSV
  s.offense_ids = {"assault", "traffic"};
  s.resolved_yaml = "name: test-county\nseed: 42\n";
  return s;
}

// Replication r: total metric m = 10 r + m, facility f = total + f, offense
// o = total - o.
detsim::ReplicationMetrics fake_replication(int r) {
  detsim::ReplicationMetrics rep;
  for (std::size_t m = 0; m < detsim::kMetricCount; ++m) rep.total[m] = 10.0 * r + double(m);
  rep.total[detsim::index(Metric::ice_team_utilization)] = 0.25;
  for (int f = 0; f < 2; ++f) {
    rep.facility.push_back(rep.total);
    for (double& v : rep.facility.back()) v += f;
  }
  for (int o = 0; o < 2; ++o) {
    rep.offense.push_back(rep.total);
    for (double& v : rep.offense.back()) v -= o;
  }
  return rep;
}

std::vector<detsim::ReplicationMetrics> fake_reps(int n) {
  std::vector<detsim::ReplicationMetrics> reps;
  for (int r = 0; r < n; ++r) reps.push_back(fake_replication(r));
  return reps;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// A fresh, empty folder under the system's temporary folder.
fs::path scratch_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("detsim-test-report-" + name);
  fs::remove_all(dir);
  return dir;
}

}  // namespace

TEST_CASE("The run JSON has the contract's keys and shape", "[report][json]") {
  const auto scenario = fake_scenario();
  const auto reps = fake_reps(3);
  const ordered_json j =
      ordered_json::parse(detsim::run_json(scenario, reps, detsim::summarize_run(reps)));

  CHECK(j["scenario"] == "test-county");
  CHECK(j["seed"] == 42);
  CHECK(j["replications"] == 3);
  CHECK(j["version"] == detsim::version());
  const auto& honored = j["metrics"]["honored"];
  for (const char* key : {"mean", "sd", "ci95", "min", "max"}) CHECK(honored.contains(key));
  CHECK(honored["mean"] == 16.0);  // m = 6: (6 + 16 + 26) / 3
  CHECK(honored["sd"] == 10.0);
  REQUIRE(honored["ci95"].size() == 2);
  CHECK(honored["min"] == 6.0);
  CHECK(honored["max"] == 26.0);
  CHECK(j["facilities"]["county-jail"]["metrics"]["honored"]["mean"] == 16.0);
  CHECK(j["facilities"]["state,prison"]["metrics"]["honored"]["mean"] == 17.0);
  CHECK(j["offenses"]["traffic"]["metrics"]["honored"]["mean"] == 15.0);
  REQUIRE(j["per_replication"].is_array());
  CHECK(j["per_replication"].size() == 3);
  CHECK(j["per_replication"][2]["honored"] == 26.0);
  CHECK(j["per_replication"][0].size() == detsim::kMetricCount);
  CHECK(j["resolved_scenario"] == scenario.resolved_yaml);
}

TEST_CASE("The run JSON lists keys and metrics in a fixed order", "[report][json]") {
  const auto reps = fake_reps(2);
  const ordered_json j =
      ordered_json::parse(detsim::run_json(fake_scenario(), reps, detsim::summarize_run(reps)));
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"scenario", "seed", "replications", "version", "period",
                                         "policy_override", "sets", "currency", "units", "metrics",
                                         "facilities", "offenses", "per_replication",
                                         "resolved_scenario"});
  std::vector<std::string> metrics;
  for (const auto& item : j["metrics"].items()) metrics.push_back(item.key());
  REQUIRE(metrics.size() == detsim::kMetricCount);
  for (std::size_t i = 0; i < metrics.size(); ++i) CHECK(metrics[i] == detsim::kMetricNames[i]);
}

TEST_CASE("Offense categories omit occupancy and ICE queue metrics, facilities the ICE queue's",
          "[report][json]") {
  const auto reps = fake_reps(2);
  const ordered_json j =
      ordered_json::parse(detsim::run_json(fake_scenario(), reps, detsim::summarize_run(reps)));
  const auto& facility = j["facilities"]["county-jail"]["metrics"];
  const auto& offense = j["offenses"]["assault"]["metrics"];
  CHECK(j["metrics"].contains("ice_team_utilization"));
  CHECK(facility.contains("mean_occupancy"));
  CHECK_FALSE(facility.contains("ice_mean_wait_hours"));
  CHECK_FALSE(facility.contains("ice_team_utilization"));
  for (const char* name : {"mean_occupancy", "peak_occupancy", "over_capacity_hours",
                           "ice_mean_wait_hours", "ice_team_utilization"}) {
    CHECK_FALSE(offense.contains(name));
  }
  CHECK(offense.contains("honored"));
}

TEST_CASE("One replication writes null for sd and the interval", "[report][json]") {
  const auto reps = fake_reps(1);
  const ordered_json j =
      ordered_json::parse(detsim::run_json(fake_scenario(), reps, detsim::summarize_run(reps)));
  const auto& honored = j["metrics"]["honored"];
  CHECK(honored["mean"] == 6.0);
  CHECK(honored["sd"].is_null());
  CHECK(honored["ci95"][0].is_null());
  CHECK(honored["ci95"][1].is_null());
  const std::string text = j.dump();
  CHECK(text.find("NaN") == std::string::npos);
  CHECK(text.find("\"sd\":null") != std::string::npos);
}

TEST_CASE("JSON metric values print as doubles, deterministically", "[report][json]") {
  detsim::Summary s;
  s.n = 2;
  s.mean = 412;
  s.sd = 0.1;
  s.ci_low = 1e-5;
  s.ci_high = 2.5;
  s.min = 0;
  s.max = 1e300;
  CHECK(
      detsim::summary_json(s).dump() ==
      R"({"mean":412.0,"sd":0.1,"ci95":[1e-05,2.5],"interval":[1e-05,2.5],"interval_bounded":false,"min":0.0,"max":1e+300})");
}

TEST_CASE("CSV fields are quoted only when they must be", "[report][csv]") {
  CHECK(detsim::csv_field("county-jail") == "county-jail");
  CHECK(detsim::csv_field("") == "");
  CHECK(detsim::csv_field("a,b") == "\"a,b\"");
  CHECK(detsim::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(detsim::csv_field("two\nlines") == "\"two\nlines\"");
}

TEST_CASE("CSV numbers are shortest round-trip and empty for NaN", "[report][csv]") {
  CHECK(detsim::csv_number(412) == "412");
  CHECK(detsim::csv_number(0.1) == "0.1");
  CHECK(detsim::csv_number(-2.5) == "-2.5");
  CHECK(detsim::csv_number(1.0 / 3.0) == "0.3333333333333333");
  CHECK(detsim::csv_number(std::nan("")) == "");
}

TEST_CASE("The tidy CSV has one row per replication, slice and metric, in order", "[report][csv]") {
  const auto scenario = fake_scenario();
  const auto reps = fake_reps(2);
  const std::string csv = detsim::metrics_csv(scenario, reps);
  CHECK(first_line(csv) == "replication,facility,offense,metric,value");
  CHECK(csv.find("\n0,all,all,bookings,0\n") != std::string::npos);
  CHECK(csv.find("\n1,all,all,honored,16\n") != std::string::npos);
  CHECK(csv.find("\n1,\"state,prison\",all,honored,17\n") != std::string::npos);
  CHECK(csv.find("\n0,all,traffic,honored,5\n") != std::string::npos);
  CHECK(csv.find("all,assault,mean_occupancy") == std::string::npos);
  CHECK(csv.find("county-jail,all,ice_team_utilization") == std::string::npos);
  // Totals: every metric; 2 facilities: all but 2; 2 categories: all but 5.
  const std::size_t per_rep =
      detsim::kMetricCount + 2 * (detsim::kMetricCount - 2) + 2 * (detsim::kMetricCount - 5);
  CHECK(std::size_t(std::count(csv.begin(), csv.end(), '\n')) == 1 + 2 * per_rep);
  CHECK(csv.find("\n0,all,all,bookings,") < csv.find("\n0,county-jail,"));
  CHECK(csv.find("\n0,county-jail,") < csv.find("\n0,all,assault,"));
  CHECK(csv.find("\n0,all,traffic,") < csv.find("\n1,all,all,"));
}

TEST_CASE("The summary CSV leaves NaN fields empty", "[report][csv]") {
  const auto reps = fake_reps(1);
  const std::string csv = detsim::summary_csv(fake_scenario(), detsim::summarize_run(reps));
  CHECK(first_line(csv) ==
        "facility,offense,metric,n,mean,sd,ci_low,ci_high,min,max,ci_bounded,unit");
  CHECK(csv.find("\nall,all,honored,1,6,,,,6,6,false,people\n") != std::string::npos);
  CHECK(csv.find("\n\"state,prison\",all,honored,1,7,,,,7,7,false,people\n") != std::string::npos);
}

TEST_CASE("The run folder holds exactly the four files, written atomically",
          "[report][csv][json]") {
  const fs::path dir = scratch_dir("folder") / "nested";
  const auto scenario = fake_scenario();
  const auto reps = fake_reps(3);
  const auto summary = detsim::summarize_run(reps);
  detsim::write_run_folder(dir.string(), scenario, reps, summary);
  detsim::write_run_folder(dir.string(), scenario, reps, summary);  // overwrite in place

  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.insert(entry.path().filename().string());
  }
  CHECK(names ==
        std::set<std::string>{"metrics.csv", "run.json", "scenario.resolved.yaml", "summary.csv"});
  CHECK(first_line(slurp(dir / "metrics.csv")) == "replication,facility,offense,metric,value");
  CHECK(first_line(slurp(dir / "summary.csv")) ==
        "facility,offense,metric,n,mean,sd,ci_low,ci_high,min,max,ci_bounded,unit");
  CHECK(slurp(dir / "scenario.resolved.yaml") == scenario.resolved_yaml);
  CHECK(slurp(dir / "metrics.csv") == detsim::metrics_csv(scenario, reps));
  const std::string json = slurp(dir / "run.json");
  CHECK(json == detsim::run_json(scenario, reps, summary));
  CHECK(ordered_json::parse(json)["replications"] == 3);
  fs::remove_all(dir.parent_path());
}

TEST_CASE("An atomic write replaces the file and leaves no temporary behind", "[report]") {
  const fs::path dir = scratch_dir("atomic");
  fs::create_directories(dir);
  const fs::path file = dir / "out.txt";
  detsim::write_file_atomic(file.string(), "first");
  detsim::write_file_atomic(file.string(), "second");
  CHECK(slurp(file) == "second");
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  fs::remove_all(dir);
}

TEST_CASE("An atomic write that fails names the path and leaves nothing", "[report]") {
  const fs::path dir = scratch_dir("atomic-fail");
  fs::create_directories(dir / "taken");  // a folder where the file should go
  const std::string target = (dir / "taken").string();
  CHECK_THROWS_WITH(detsim::write_file_atomic(target, "x"),
                    Catch::Contains(target) && Catch::Contains("directory"));
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  CHECK_THROWS_WITH(detsim::write_file_atomic((dir / "missing" / "f").string(), "x"),
                    Catch::Contains("missing/f") && Catch::Contains("No such file"));
  fs::remove_all(dir);
}

TEST_CASE("The table shows the headline first, every metric and each facility", "[report][table]") {
  const auto reps = fake_reps(3);
  auto scenario = fake_scenario();
  const std::string table = detsim::run_table(scenario, detsim::summarize_run(reps), false);
  CHECK(first_line(table) == "test-county: 3 replications, seed 42");
  const auto headline = table.find("headline");
  CHECK(headline < table.find("honored"));
  CHECK(table.find("honored") < table.find("declined"));
  CHECK(table.find("declined") < table.find("all metrics"));
  CHECK(table.find("  honored ") != std::string::npos);
  CHECK(table.find("16.0") != std::string::npos);                  // honored mean
  CHECK(table.find("[") != std::string::npos);                     // the interval
  CHECK(table.find("over_capacity_hours") != std::string::npos);   // every metric
  CHECK(table.find("ice_team_utilization") == std::string::npos);  // teams unlimited
  CHECK(table.find("state,prison") != std::string::npos);
  CHECK(table.find("\x1b[") == std::string::npos);
  scenario.ice.pickup.teams = 2;
  const std::string colored = detsim::run_table(scenario, detsim::summarize_run(reps), true);
  CHECK(colored.find("\x1b[1m") != std::string::npos);
  CHECK(colored.find("0.250") != std::string::npos);  // utilization, 3 decimals
}

TEST_CASE("Table columns line up across rows", "[report][table]") {
  const auto reps = fake_reps(3);
  const std::string table = detsim::run_table(fake_scenario(), detsim::summarize_run(reps), false);
  // In the block of all metrics every row ends at the same column (the max).
  const auto start = table.find("\n  all metrics") + 1;
  const auto end = table.find("\n\n", start);
  std::istringstream block(table.substr(start, end - start));
  std::string line;
  std::set<std::size_t> widths;
  while (std::getline(block, line)) widths.insert(line.size());
  CHECK(widths.size() == 1);
}

TEST_CASE("The table of one replication shows n/a for the spread", "[report][table]") {
  const auto reps = fake_reps(1);
  const std::string table = detsim::run_table(fake_scenario(), detsim::summarize_run(reps), false);
  CHECK(first_line(table) == "test-county: 1 replication, seed 42");
  CHECK(table.find("n/a") != std::string::npos);
}
