// `detsim run`, `validate` and `policies` as a user runs them.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <set>
#include <vector>

#include "cli_support.hpp"

using namespace detsim::testing;

namespace {

const std::string kScenario = source_path("scenarios/county-jail.yaml");
const std::string kSmall = " --reps 4 --set horizon_days=60 --set warmup_days=30";

}  // namespace

TEST_CASE("run --json is byte-identical for one and two threads") {
  const auto one = run_detsim("run " + kScenario + kSmall + " --json --threads 1");
  const auto two = run_detsim("run " + kScenario + kSmall + " --json --threads 2");
  REQUIRE(one.exit_code == 0);
  REQUIRE(two.exit_code == 0);
  CHECK(one.out == two.out);
  const auto j = nlohmann::json::parse(one.out);
  CHECK(j["scenario"] == "county-jail");
  CHECK(j["replications"] == 4);
  CHECK(j["seed"] == 42);
  CHECK(j.contains("version"));
  CHECK(j["metrics"]["honored"].contains("ci95"));
  CHECK(j["facilities"]["county-jail"]["metrics"].contains("declined"));
  CHECK(j["offenses"]["violent"]["metrics"].contains("honored"));
  CHECK(j["per_replication"].size() == 4);
  CHECK(j["resolved_scenario"].get<std::string>().find("horizon_days: 60") != std::string::npos);
}

TEST_CASE("run --seed changes the results and --policy applies to every facility") {
  const auto a = run_detsim("run " + kScenario + kSmall + " --json --seed 1");
  const auto b = run_detsim("run " + kScenario + kSmall + " --json --seed 2");
  const auto s = run_detsim("run " + kScenario + kSmall + " --json --policy sanctuary");
  REQUIRE(a.exit_code == 0);
  REQUIRE(s.exit_code == 0);
  CHECK(a.out != b.out);
  const auto js = nlohmann::json::parse(s.out);
  CHECK(js["metrics"]["honored"]["max"] == 0);
  CHECK(js["metrics"]["declined"]["mean"].get<double>() > 0);
}

TEST_CASE(
    "run --out writes the tidy CSV, summary, JSON and resolved scenario, and no temporary files") {
  const std::string dir = fresh_dir("run-out");
  const auto r = run_detsim("run " + kScenario + kSmall + " --out " + dir + "/results --series");
  REQUIRE(r.exit_code == 0);
  for (const char* f :
       {"metrics.csv", "summary.csv", "run.json", "scenario.resolved.yaml", "series.csv"})
    CHECK(std::filesystem::exists(dir + "/results/" + f));
  CHECK(read_text(dir + "/results/metrics.csv")
            .rfind("replication,facility,offense,metric,value\n", 0) == 0);
  const std::string series = read_text(dir + "/results/series.csv");
  CHECK(series.rfind("replication,date,facility,occupancy,holds_active,decisions,honored,notified,"
                     "declined,transfers,lapsed\n",
                     0) == 0);
  // 4 replications x 60 days x 1 facility, plus the header.
  CHECK(std::count(series.begin(), series.end(), '\n') == 1 + 4 * 60);
  for (const auto& e : std::filesystem::directory_iterator(dir + "/results"))
    CHECK(e.path().filename().string().find("tmp") == std::string::npos);
  // The resolved scenario reproduces the run.
  const auto again = run_detsim("run " + dir + "/results/scenario.resolved.yaml --json");
  const auto first = run_detsim("run " + kScenario + kSmall + " --json");
  REQUIRE(again.exit_code == 0);
  auto ja = nlohmann::json::parse(again.out), jf = nlohmann::json::parse(first.out);
  CHECK(ja["metrics"] == jf["metrics"]);
}

TEST_CASE("a bad scenario exits with code 2, says where, and writes nothing") {
  const std::string dir = fresh_dir("bad-run");
  {
    std::ofstream f(dir + "/bad.yaml");
    f << read_text(kScenario);
    f << "unknown_key: 1\n";
  }
  const auto r =
      run_detsim("run " + dir + "/bad.yaml --out " + dir + "/out --trace " + dir + "/trace.csv");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("bad.yaml:") != std::string::npos);
  CHECK(r.err.find("unknown_key") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/out"));
  CHECK_FALSE(std::filesystem::exists(dir + "/trace.csv"));
}

TEST_CASE("bad command-line use exits with code 2") {
  CHECK(run_detsim("run").exit_code == 2);
  CHECK(run_detsim("run " + kScenario + " --reps").exit_code == 2);
  CHECK(run_detsim("run " + kScenario + " --no-such-option").exit_code == 2);
  CHECK(run_detsim("run " + kScenario + " --reps 0").exit_code == 2);
  CHECK(run_detsim("run " + kScenario + " --set nope.path=1").exit_code == 2);
  CHECK(run_detsim("run " + kScenario + " --policy no-such-policy").exit_code == 2);
  CHECK(run_detsim("run /no/such/file.yaml").exit_code == 2);
  CHECK(run_detsim("frobnicate").exit_code == 2);
}

TEST_CASE("validate accepts every shipped scenario and policies lists every preset") {
  std::string files;
  for (const auto& e : std::filesystem::directory_iterator(source_path("scenarios")))
    if (e.path().extension() == ".yaml") files += " " + e.path().string();
  const auto v = run_detsim("validate" + files);
  INFO(v.err);
  CHECK(v.exit_code == 0);
  const auto p = run_detsim("policies");
  REQUIRE(p.exit_code == 0);
  for (const char* name :
       {"cooperative", "notify-only", "sanctuary", "judicial-warrant-only", "illinois-trust-act",
        "california-values-act", "texas-sb4", "287g-jail", "local-option"})
    CHECK(p.out.find(name) != std::string::npos);
  const auto one = run_detsim("policies california-values-act");
  CHECK(one.exit_code == 0);
  CHECK(one.out.find("notify") != std::string::npos);
  CHECK(run_detsim("policies no-such").exit_code == 2);
}

TEST_CASE("the trace has one line per person, each ending in exactly one way") {
  const std::string dir = fresh_dir("trace");
  const auto r =
      run_detsim("run " + kScenario + kSmall + " --threads 2 --trace " + dir + "/trace.csv");
  REQUIRE(r.exit_code == 0);
  std::ifstream in(dir + "/trace.csv");
  std::string line;
  std::getline(in, line);
  CHECK(line ==
        "replication,id,facility,offense,severity,citizen,convicted,booked_at,scheduled_release,"
        "detainer,judicial_warrant,action,outcome,outcome_at,hold_hours,booked_at_iso,"
        "scheduled_release_iso,outcome_at_iso");
  std::set<std::pair<std::string, std::string>> seen;
  const std::set<std::string> endings = {"released",
                                         "declined_released",
                                         "lapsed",
                                         "missed_notice",
                                         "transferred_from_hold",
                                         "transferred_on_notice",
                                         "transferred_287g",
                                         "in_custody"};
  int last_rep = 0, lines = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    REQUIRE(f.size() == 18);  // the three times again as ISO date-times
    const int rep = std::stoi(f[0]);
    CHECK(rep >= last_rep);  // replication order, whatever the threads
    last_rep = rep;
    CHECK(seen.insert({f[0], f[1]}).second);  // each person once
    CHECK(endings.count(f[12]) == 1);
    if (f[12] == "in_custody")
      CHECK(std::stod(f[13]) == 60 * 24);
    else
      CHECK(std::stod(f[13]) < 60 * 24);
    ++lines;
  }
  CHECK(last_rep == 3);
  CHECK(lines > 1000);
}
