// `detsim sweep` and `detsim merge` as a user runs them: determinism,
// shards, interruption and resume, errors.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "detsim/sweep.hpp"
#include "sweep/plan.hpp"
#include "sweep/csv.hpp"
#include "sweep/job.hpp"
#include "test_sweep_support.hpp"

using namespace detsim;
using namespace detsim::testing;

namespace {

// 12 quick points.
constexpr const char* kTwelvePoints = R"(base: base.yaml
replications: 3
seed: 5
parameters:
  ice.lodge_probability.serious: {min: 0.2, max: 0.8, steps: 3}
  ice.pickup.teams: [null, 1]
  ice.pickup.discipline: [fifo, edf]
metrics: [honored, lapsed, released_despite_detainer]
)";

std::string sweep_args(const std::string& dir, const std::string& out,
                       const std::string& extra = "") {
  return "sweep " + dir + "/sweep.yaml --out " + dir + "/" + out + " --quiet " + extra;
}

}  // namespace

TEST_CASE("sweep output is byte-identical for one and two threads") {
  const std::string dir = sweep_dir("threads", kTwelvePoints);
  const auto one = run_detsim(
      sweep_args(dir, "one.csv", "--threads 1 --per-replication " + dir + "/one-reps.csv"));
  const auto two = run_detsim(
      sweep_args(dir, "two.csv", "--threads 2 --per-replication " + dir + "/two-reps.csv"));
  REQUIRE(one.exit_code == 0);
  REQUIRE(two.exit_code == 0);
  const std::string results = read_text(dir + "/one.csv");
  CHECK(results == read_text(dir + "/two.csv"));
  CHECK(read_text(dir + "/one-reps.csv") == read_text(dir + "/two-reps.csv"));
  CHECK(line_count(results) == 1 + 12);
  CHECK(
      results.rfind("point_id,ice.lodge_probability.serious,ice.pickup.teams,ice.pickup.discipline,"
                    "honored_mean,honored_ci_low,honored_ci_high,lapsed_mean,",
                    0) == 0);
  CHECK(line_count(read_text(dir + "/one-reps.csv")) == 1 + 12 * 3);
  // The sidecar: the resolved sweep, the base scenario, version, command line.
  auto a = nlohmann::json::parse(read_text(dir + "/one.csv.json"));
  auto b = nlohmann::json::parse(read_text(dir + "/two.csv.json"));
  CHECK(a["points"].size() == 12);
  CHECK(a["points"][0]["values"]["ice.pickup.teams"] == "null");
  CHECK(a["seed"] == 5);
  CHECK(a["replications"] == 3);
  CHECK(a["version"].is_string());
  CHECK(a["base_scenario"].get<std::string>().find("name: tiny") != std::string::npos);
  CHECK(a["command_line"].size() > 2);
  CHECK(a["fingerprint"] == b["fingerprint"]);
}

TEST_CASE("the union of shards is the whole sweep, and merge sorts and dedupes") {
  const std::string dir = sweep_dir("shards", kTwelvePoints);
  REQUIRE(run_detsim(sweep_args(dir, "whole.csv")).exit_code == 0);
  REQUIRE(run_detsim(sweep_args(dir, "s1.csv", "--shard 1/3")).exit_code == 0);
  REQUIRE(run_detsim(sweep_args(dir, "s2.csv", "--shard 2/3")).exit_code == 0);
  REQUIRE(run_detsim(sweep_args(dir, "s3.csv", "--shard 3/3")).exit_code == 0);
  CHECK(line_count(read_text(dir + "/s1.csv")) == 1 + 4);
  const auto merged = run_detsim("merge " + dir + "/merged.csv " + dir + "/s1.csv " + dir +
                                 "/s2.csv " + dir + "/s3.csv " + dir + "/s1.csv");
  REQUIRE(merged.exit_code == 0);
  const std::string whole = read_text(dir + "/whole.csv");
  const std::string union_text = read_text(dir + "/merged.csv");
  CHECK(sorted_rows(union_text) == sorted_rows(whole));
  CHECK(sorted_rows(union_text).size() == 12);
  // merge writes rows sorted by point id, after the header.
  const std::vector<std::string> rows = sorted_rows(union_text);
  CHECK(union_text.substr(union_text.find('\n') + 1).rfind(rows.front(), 0) == 0);
  using Json = nlohmann::json;
  SECTION("merge writes the sidecar of the whole sweep") {
    const Json whole_side = Json::parse(read_text(dir + "/whole.csv.json"));
    const Json side = Json::parse(read_text(dir + "/merged.csv.json"));
    std::vector<Json> want(whole_side["points"].begin(), whole_side["points"].end());
    std::sort(want.begin(), want.end(), [](const Json& a, const Json& b) {
      return a["point_id"].get<std::string>() < b["point_id"].get<std::string>();
    });
    CHECK(side["points"] == Json(want));
    for (const char* key :
         {"version", "seed", "replications", "metrics", "parameters", "base_scenario", "sweep"})
      CHECK(side[key] == whole_side[key]);
    CHECK(!side.contains("shard"));
    REQUIRE(side["merged_from"].size() == 4);
    CHECK(side["merged_from"][1]["shard"]["index"] == 2);
  }
  SECTION("sidecars of other sweeps are refused, and nothing is written") {
    Json other = Json::parse(read_text(dir + "/s2.csv.json"));
    other["seed"] = 6;
    write_text(dir + "/s2b.csv", read_text(dir + "/s2.csv"));
    write_text(dir + "/s2b.csv.json", other.dump());
    const auto bad = run_detsim("merge " + dir + "/m3.csv " + dir + "/s1.csv " + dir + "/s2b.csv");
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("s2b.csv.json:1:1: comes from another sweep") != std::string::npos);
    CHECK(bad.err.find("'seed'") != std::string::npos);
    CHECK(!std::filesystem::exists(dir + "/m3.csv"));
    CHECK(!std::filesystem::exists(dir + "/m3.csv.json"));
  }
  SECTION("files of other sweeps are refused") {
    write_text(dir + "/other.csv", "point_id,x\n0123,1\n");
    const auto bad =
        run_detsim("merge " + dir + "/m2.csv " + dir + "/s1.csv " + dir + "/other.csv");
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("other.csv:1:1: expected the header of") != std::string::npos);
    CHECK(!std::filesystem::exists(dir + "/m2.csv"));
  }
  SECTION("bad shard specifications are usage errors") {
    CHECK(run_detsim(sweep_args(dir, "x.csv", "--shard 4/3")).exit_code == 2);
    CHECK(run_detsim(sweep_args(dir, "x.csv", "--shard 0/3")).exit_code == 2);
    CHECK(run_detsim(sweep_args(dir, "x.csv", "--shard 2")).exit_code == 2);
  }
}

TEST_CASE("a sweep killed mid-run and resumed gives the same rows as an uninterrupted one") {
  const std::string dir = sweep_dir("kill", kThirtyPoints);
  REQUIRE(run_detsim(sweep_args(dir, "full.csv",
                                "--threads 2 --per-replication " + dir + "/full-reps.csv"))
              .exit_code == 0);
  const std::string out = dir + "/killed.csv";
  const pid_t pid = spawn_detsim({"sweep", dir + "/sweep.yaml", "--out", out, "--threads", "1",
                                  "--per-replication", dir + "/killed-reps.csv"},
                                 dir + "/err");
  wait_for_lines(out, 1 + 3);
  kill(pid, SIGKILL);
  bool signaled = false;
  wait_exit(pid, &signaled);
  CHECK(signaled);
  const std::size_t rows_at_kill = line_count(read_text(out)) - 1;
  CHECK(rows_at_kill >= 3);
  CHECK(rows_at_kill < 30);  // killed mid-run
  const auto resumed = run_detsim(sweep_args(
      dir, "killed.csv", "--threads 2 --resume --per-replication " + dir + "/killed-reps.csv"));
  REQUIRE(resumed.exit_code == 0);
  const std::string full = read_text(dir + "/full.csv");
  const std::string again = read_text(out);
  CHECK(sorted_rows(again) == sorted_rows(full));
  CHECK(again == full);  // rows are written in point order, so even the order is kept
  CHECK(sorted_rows(read_text(dir + "/killed-reps.csv")) ==
        sorted_rows(read_text(dir + "/full-reps.csv")));
}

TEST_CASE("SIGINT stops a sweep cleanly with exit code 130 and says how to resume") {
  const std::string dir = sweep_dir("sigint", kThirtyPoints);
  const std::string out = dir + "/r.csv";
  const pid_t pid =
      spawn_detsim({"sweep", dir + "/sweep.yaml", "--out", out, "--threads", "2"}, dir + "/err");
  wait_for_lines(out, 1 + 2);
  kill(pid, SIGINT);
  CHECK(wait_exit(pid) == 130);
  const std::string text = read_text(out);
  const std::string err = read_text(dir + "/err");
  CHECK(err.find("stopped by SIGINT") != std::string::npos);
  CHECK(err.find("--resume") != std::string::npos);
  REQUIRE(!text.empty());
  CHECK(text.back() == '\n');  // no partial row
  const std::size_t rows = line_count(text) - 1;
  CHECK(rows < 30);
  REQUIRE(run_detsim(sweep_args(dir, "r.csv", "--resume")).exit_code == 0);
  REQUIRE(run_detsim(sweep_args(dir, "full.csv")).exit_code == 0);
  CHECK(sorted_rows(read_text(out)) == sorted_rows(read_text(dir + "/full.csv")));
}

TEST_CASE("resume cuts off a torn last line and refuses results of another sweep") {
  const std::string dir = sweep_dir("torn", kTwelvePoints);
  REQUIRE(run_detsim(sweep_args(dir, "r.csv")).exit_code == 0);
  const std::string full = read_text(dir + "/r.csv");
  SECTION("a torn last line is repaired") {
    write_text(dir + "/r.csv", full.substr(0, full.size() - 25));
    const auto r = run_detsim("sweep " + dir + "/sweep.yaml --out " + dir + "/r.csv --resume");
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.find("(1 run now, 11 found from before); an incomplete last line was removed") !=
          std::string::npos);
    CHECK(read_text(dir + "/r.csv") == full);
  }
  SECTION("a finished sweep resumes to the same file") {
    REQUIRE(run_detsim(sweep_args(dir, "r.csv", "--resume")).exit_code == 0);
    CHECK(read_text(dir + "/r.csv") == full);
  }
  SECTION("without --resume an existing file is an error") {
    const auto r = run_detsim(sweep_args(dir, "r.csv"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("r.csv:1:1: the file exists; add --resume") != std::string::npos);
    CHECK(read_text(dir + "/r.csv") == full);
  }
  SECTION("another seed is another sweep") {
    std::string text = kTwelvePoints;
    text.replace(text.find("seed: 5"), 7, "seed: 6");
    write_text(dir + "/sweep.yaml", text);
    const auto r = run_detsim(sweep_args(dir, "r.csv", "--resume"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("r.csv.json:1:1: the existing results come from another sweep") !=
          std::string::npos);
    CHECK(read_text(dir + "/r.csv") == full);
  }
}

TEST_CASE("a bad sweep file exits with code 2, says where, and writes nothing") {
  const std::string dir = sweep_dir(
      "bad", "base: base.yaml\nparameters:\n  ice.pickup.teams: [1, 0]\nmetrics: [honored]\n");
  const auto r = run_detsim(sweep_args(dir, "r.csv"));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("sweep.yaml:3:25: ice.pickup.teams: expected") != std::string::npos);
  CHECK(!std::filesystem::exists(dir + "/r.csv"));
  CHECK(!std::filesystem::exists(dir + "/r.csv.json"));
  write_text(dir + "/sweep.yaml",
             "base: base.yaml\nparameters:\n  ice.pickup.teams: [1]\nmetrics: [honoured]\n");
  const auto m = run_detsim(sweep_args(dir, "r.csv"));
  CHECK(m.exit_code == 2);
  CHECK(m.err.find(
            "sweep.yaml:4:11: metrics[0]: unknown metric 'honoured' (did you mean 'honored'?)") !=
        std::string::npos);
  CHECK(!std::filesystem::exists(dir + "/r.csv"));
}

TEST_CASE(
    "sensitivity ranks the lodge probability above the release grace for honored under "
    "cooperative") {
  const std::string dir = sweep_dir("sensitivity", R"(base: base.yaml
replications: 3
seed: 2
parameters:
  ice.lodge_probability.serious: {min: 0.1, max: 0.9, steps: 5}
  ice.release_grace_hours: [0, 4, 8]
metrics: [honored, transfers]
)");
  const auto r =
      run_detsim("sweep " + dir + "/sweep.yaml --out " + dir + "/r.csv --quiet --sensitivity");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("standardized regression coefficients") != std::string::npos);
  const SweepInputs in = read_sweep_inputs(dir + "/sweep.yaml");
  const auto fits = results_sensitivity(in.sweep, dir + "/r.csv");
  REQUIRE(fits.size() == 2);
  REQUIRE(fits[0].metric == "honored");
  REQUIRE(fits[0].terms.size() == 2);
  CHECK(fits[0].terms[0].name == "ice.lodge_probability.serious");
  CHECK(fits[0].terms[0].coefficient > 0.9);
  // Common random numbers: the grace changes nothing about who is honored.
  CHECK_THAT(fits[0].terms[1].coefficient, Catch::Matchers::WithinAbs(0, 1e-9));
  CHECK(fits[0].r_squared > 0.9);
}
