// Faults and limits of sweeps: killed at random moments and resumed, two
// resumes at once, more threads than work, a results file too small for a
// sensitivity (a fuzzing finding), the plan's size said at once, and
// messages that name where a bad value came from.
#include <signal.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "detsim/load.hpp"
#include "detsim/sweep.hpp"
#include "sweep/csv.hpp"
#include "test_sweep_support.hpp"

using namespace detsim;
using namespace detsim::testing;

namespace {

std::vector<std::string> sweep_argv(const std::string& dir, const std::string& out) {
  return {"sweep",
          dir + "/sweep.yaml",
          "--out",
          dir + "/" + out,
          "--threads",
          "2",
          "--per-replication",
          dir + "/" + out + ".reps",
          "--resume",
          "--quiet"};
}

// The uninterrupted run the others are compared with.
void full_run(const std::string& dir) {
  REQUIRE(run_detsim("sweep " + dir + "/sweep.yaml --out " + dir + "/full.csv --quiet " +
                     "--threads 2 --per-replication " + dir + "/full.csv.reps")
              .exit_code == 0);
}

void check_same_as_full(const std::string& dir, const std::string& out) {
  const std::string full = read_text(dir + "/full.csv"), got = read_text(dir + "/" + out);
  CHECK(got.substr(0, got.find('\n')) == full.substr(0, full.find('\n')));
  CHECK(sorted_rows(got) == sorted_rows(full));  // no row lost, none twice
  CHECK(sorted_rows(read_text(dir + "/" + out + ".reps")) ==
        sorted_rows(read_text(dir + "/full.csv.reps")));
}

}  // namespace

TEST_CASE("a sweep killed at random moments, again and again, then resumed, has every row once",
          "[faults]") {
  const std::string dir = sweep_dir("faults-kill", kThirtyPoints);
  full_run(dir);
  // Fixed seed: the same kill times every run (where they land still varies
  // with the machine's load, which is the point).
  std::mt19937 rng(20261201);
  std::uniform_int_distribution<int> delay_ms(0, 150);
  int killed = 0;
  for (int k = 0; k < 8; ++k) {
    const pid_t pid = spawn_detsim(sweep_argv(dir, "r.csv"), dir + "/err");
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ::kill(pid, SIGKILL);
    bool signaled = false;
    const int code = wait_exit(pid, &signaled);
    killed += signaled;
    if (!signaled) CHECK(code == 0);  // finished before the kill
  }
  CHECK(killed > 0);
  const auto last = run_detsim("sweep " + dir + "/sweep.yaml --out " + dir + "/r.csv --resume " +
                               "--quiet --threads 2 --per-replication " + dir + "/r.csv.reps");
  INFO(last.err);
  REQUIRE(last.exit_code == 0);
  check_same_as_full(dir, "r.csv");
}

TEST_CASE("two resumes at once: one runs, the other finishes first or exits 2 at once",
          "[faults]") {
  const std::string dir = sweep_dir("faults-two", kThirtyPoints);
  full_run(dir);
  for (int round = 0; round < 3; ++round) {
    const std::string out = "r" + std::to_string(round) + ".csv";
    const pid_t first = spawn_detsim(sweep_argv(dir, out), dir + "/err0");
    wait_for_lines(dir + "/" + out, 1 + 4);
    ::kill(first, SIGKILL);
    wait_exit(first);
    if (round > 0) {
      // A damaged row in the middle: the resume that wins rewrites the file
      // (a new file, locked before it is renamed into place).
      std::string text = read_text(dir + "/" + out);
      const std::size_t second_row = text.find('\n', text.find('\n') + 1) + 1;
      text.replace(second_row, 16, std::string(16, '0'));
      write_text(dir + "/" + out, text);
    }
    const pid_t a = spawn_detsim(sweep_argv(dir, out), dir + "/err-a");
    const pid_t b = spawn_detsim(sweep_argv(dir, out), dir + "/err-b");
    const int code_a = wait_exit(a), code_b = wait_exit(b);
    for (const auto& [code, err] : {std::pair{code_a, read_text(dir + "/err-a")},
                                    std::pair{code_b, read_text(dir + "/err-b")}}) {
      INFO(err);
      CHECK((code == 0 || code == 2));
      if (code == 2)
        CHECK(err.find("another detsim sweep is writing these results") != std::string::npos);
    }
    CHECK((code_a == 0 || code_b == 0));
    check_same_as_full(dir, out);
  }
}

TEST_CASE("a sweep starts no more worker threads than it has work", "[faults]") {
#if defined(__SANITIZE_ADDRESS__)
  SUCCEED("not run under AddressSanitizer (its address-space reservation trips RLIMIT_AS)");
  return;
#endif
  const std::string dir = sweep_dir("faults-cap", R"(base: base.yaml
replications: 1
seed: 5
parameters:
  ice.pickup.discipline: [fifo, edf]
metrics: [honored]
)");
  // Address space for a few dozen 8 MiB thread stacks, not a thousand: the
  // sweep must start 2 workers (2 points x 1 replication), not 1000.
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const struct rlimit limit { 512ULL << 20, 512ULL << 20 };
    ::setrlimit(RLIMIT_AS, &limit);
    if (!std::freopen((dir + "/err").c_str(), "w", stderr)) ::_exit(121);
    if (!std::freopen("/dev/null", "w", stdout)) ::_exit(120);
    static std::string binary = DETSIM_BINARY, sweep = "sweep", file = dir + "/sweep.yaml",
                       out = "--out", csv = dir + "/r.csv", threads = "--threads", n = "1000";
    char* argv[] = {binary.data(), sweep.data(),   file.data(), out.data(),
                    csv.data(),    threads.data(), n.data(),    nullptr};
    ::execv(binary.c_str(), argv);
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  INFO(read_text(dir + "/err"));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(line_count(read_text(dir + "/r.csv")) == 3);
}

TEST_CASE("a sensitivity of fewer than 2 rows is an error, not a crash (a fuzzing finding)",
          "[faults]") {
  // The fuzz_resume fixture and the input that crashed it
  // (tests/fuzz/corpus/resume/regression-empty-sensitivity.csv).
  const std::string dir = fresh_dir("faults-sensitivity");
  std::filesystem::copy_file(source_path("scenarios/county-jail.yaml"), dir + "/base.yaml");
  write_text(dir + "/sweep.yaml",
             "base: base.yaml\nreplications: 2\nseed: 5\nparameters:\n"
             "  ice.pickup.teams: [null, 1, 2]\n  ice.pickup.discipline: [fifo, edf]\n"
             "metrics: [honored, lapsed]\n");
  const SweepPlan plan(dir + "/sweep.yaml");
  std::filesystem::copy_file(
      source_path("tests/fuzz/corpus/resume/regression-empty-sensitivity.csv"), dir + "/r.csv");
  CHECK_THROWS_WITH(results_sensitivity(plan.sweep(), dir + "/r.csv"),
                    Catch::Contains("the sensitivity needs at least 2 result rows"));
  // One whole row of this sweep is still too few.
  const std::string seed = read_text(source_path("tests/fuzz/corpus/resume/results.csv"));
  const std::size_t two_lines = seed.find('\n', seed.find('\n') + 1) + 1;
  write_text(dir + "/one.csv", seed.substr(0, two_lines));
  CHECK_THROWS_WITH(results_sensitivity(plan.sweep(), dir + "/one.csv"),
                    Catch::Contains("the sensitivity needs at least 2 result rows"));
  // Through the command: exit 2 and the message.
  write_text(dir + "/one-point.yaml",
             "base: base.yaml\nreplications: 1\nseed: 5\nparameters:\n"
             "  ice.pickup.discipline: [fifo]\nmetrics: [honored]\n");
  const auto s =
      run_detsim("sweep " + dir + "/one-point.yaml --out " + dir + "/q.csv --quiet --sensitivity");
  CHECK(s.exit_code == 2);
  CHECK(s.err.find("the sensitivity needs at least 2 result rows") != std::string::npos);
}

TEST_CASE("a sweep says its plan's size before it checks the points", "[faults]") {
  const std::string dir = sweep_dir("faults-plan", kThirtyPoints);
  const auto r = run_detsim("sweep " + dir + "/sweep.yaml --out " + dir + "/r.csv --threads 2");
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.rfind("detsim sweep: 30 points x 4 replications = 120 simulations (about ", 0) == 0);
  const auto shard =
      run_detsim("sweep " + dir + "/sweep.yaml --out " + dir + "/s.csv --shard 2/3 --threads 2");
  CHECK(shard.err.rfind("detsim sweep: 10 points (shard 2/3) x 4 replications = 40 simulations",
                        0) == 0);
}

TEST_CASE("messages name where a bad value came from: --reps, --set, expect", "[faults]") {
  const std::string scenario = source_path("scenarios/county-jail.yaml");
  auto r = run_detsim("run " + scenario + " --reps 1e9");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--reps 1e9: expected an integer from 1 to 100000") != std::string::npos);
  r = run_detsim("run " + scenario + " --reps 1000000000");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--reps 1000000000: expected an integer from 1 to 100000") != std::string::npos);
  r = run_detsim("run " + scenario + " --set a.b.c.d.e=1");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--set:1:1: a: unknown key 'a'") != std::string::npos);
  r = run_detsim("run " + scenario + " --set ice.pickup.nope.d=1");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--set:1:12: ice.pickup.nope: unknown key 'nope'") != std::string::npos);
  // expect's refusal: the line and column of the key in the file...
  const std::string texas = source_path("scenarios/texas-sb4.yaml");
  r = run_detsim("expect " + texas);
  CHECK(r.exit_code == 2);
  const std::string text = read_text(texas);
  const std::size_t at = text.find("business_hours:");
  REQUIRE(at != std::string::npos);
  const std::size_t line_start = text.rfind('\n', at) + 1;
  const auto line = std::count(text.begin(), text.begin() + static_cast<long>(at), '\n') + 1;
  const auto column = at - line_start + 1;
  CHECK(r.err.find(fmt::format("texas-sb4.yaml:{}:{}: ice.pickup.business_hours: "
                               "expect assumes ICE arrives a response time after the notice",
                               line, column + std::string("business_hours: ").size())) !=
        std::string::npos);
  // ...or of the --set that gave it.
  r = run_detsim("expect " + scenario + " --set ice.pickup.teams=3");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--set:1:18: ice.pickup.teams: expect assumes unlimited ICE capacity") !=
        std::string::npos);
}
