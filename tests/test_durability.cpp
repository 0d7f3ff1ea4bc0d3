// Outputs are complete or absent: a full disk, a full standard output or a
// stop signal never leaves a cut file under a final name, litter beside it,
// or a success exit code (issue: "nothing lost, nothing wrong").
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "cli_support.hpp"

namespace fs = std::filesystem;
using namespace detsim::testing;

namespace {

struct Child {
  int exit_code = -1;  // -1: ended by a signal
  std::string err;
};

// Starts `detsim ARGS` with stdout to `out_path`, stderr captured, and (when
// `fsize` > 0) files limited to `fsize` bytes (SIGXFSZ ignored, so writes
// fail with EFBIG as on a full disk). `during` runs while the child runs.
Child run_child(const std::vector<std::string>& args, const std::string& out_path, rlim_t fsize = 0,
                const std::function<void(pid_t)>& during = {}) {
  const std::string err_path = fresh_dir("durability-err-" + std::to_string(::getpid())) + "/err";
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (fsize > 0) {
      ::signal(SIGXFSZ, SIG_IGN);
      const struct rlimit limit { fsize, fsize };
      ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    if (!std::freopen(out_path.c_str(), "w", stdout)) ::_exit(120);
    if (!std::freopen(err_path.c_str(), "w", stderr)) ::_exit(121);
    std::vector<char*> argv;
    static std::string binary = DETSIM_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  if (during) during(pid);
  int status = 0;
  ::waitpid(pid, &status, 0);
  Child c;
  c.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  c.err = read_text(err_path);
  return c;
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  return names;
}

const std::string kCountyJail = source_path("scenarios/county-jail.yaml");

}  // namespace

TEST_CASE("a trace cut by a full disk fails and leaves nothing", "[durability]") {
  const std::string dir = fresh_dir("durability-fsize");
  // 200 KB: the header and some rows fit, the whole trace (megabytes) does not.
  const Child c = run_child({"run", kCountyJail, "--reps", "2", "--threads", "2", "--trace",
                             dir + "/trace.csv", "--out", dir + "/out", "--series"},
                            dir + "/stdout", 200 * 1024);
  CHECK(c.exit_code == 1);
  CHECK(c.err.find("cannot write " + dir + "/trace.csv") != std::string::npos);
  CHECK_FALSE(fs::exists(dir + "/trace.csv"));
  CHECK_FALSE(fs::exists(dir + "/out/series.csv"));
  // Nothing but the (empty) standard output file: the --out folder is
  // written whole or not at all.
  std::vector<std::string> left = entries(dir);
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"stdout"});
  fs::remove_all(dir);
}

TEST_CASE("a failed write to standard output is an error naming it", "[durability]") {
  const std::string dir = fresh_dir("durability-stdout");
  SECTION("full device") {
    const Child c = run_child({"run", kCountyJail, "--reps", "2", "--json"}, "/dev/full");
    CHECK(c.exit_code == 1);
    CHECK(c.err.find("cannot write to standard output") != std::string::npos);
  }
  SECTION("file size limit (a disk that fills)") {
    const Child c =
        run_child({"run", kCountyJail, "--reps", "2", "--json"}, dir + "/run.json", 4096);
    CHECK(c.exit_code == 1);
    CHECK(c.err.find("cannot write to standard output") != std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("SIGTERM during run --trace --series leaves no output and no litter", "[durability]") {
  const std::string dir = fresh_dir("durability-sigterm");
  const Child c = run_child({"run", kCountyJail, "--reps", "400", "--threads", "2", "--trace",
                             dir + "/trace.csv", "--out", dir + "/out", "--series"},
                            dir + "/stdout", 0, [&](pid_t pid) {
                              // Wait until part files exist (replications are running), then stop.
                              for (int i = 0; i < 3000; ++i) {
                                bool running = false;
                                for (const auto& name : entries(dir))
                                  if (name.find(".part") != std::string::npos) running = true;
                                if (running) break;
                                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                              }
                              ::kill(pid, SIGTERM);
                            });
  CHECK(c.exit_code == 128 + SIGTERM);
  CHECK(c.err.find("no output written") != std::string::npos);
  std::vector<std::string> left = entries(dir);
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"stdout"});  // no --out folder either
  fs::remove_all(dir);
}

TEST_CASE("outputs never replace a device, a FIFO or a folder", "[durability]") {
  const std::string dir = fresh_dir("durability-targets");
  SECTION("--trace to a device") {
    const Child c =
        run_child({"run", kCountyJail, "--reps", "2", "--trace", "/dev/full"}, dir + "/stdout");
    CHECK(c.exit_code == 2);
    CHECK(c.err.find("/dev/full: is a device") != std::string::npos);
  }
  SECTION("--trace to a FIFO") {
    REQUIRE(::mkfifo((dir + "/fifo").c_str(), 0600) == 0);
    const Child c =
        run_child({"run", kCountyJail, "--reps", "2", "--trace", dir + "/fifo"}, dir + "/stdout");
    CHECK(c.exit_code == 2);
    CHECK(c.err.find("is a FIFO") != std::string::npos);
    struct stat st {};
    REQUIRE(::stat((dir + "/fifo").c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));
  }
  SECTION("--trace to a folder") {
    fs::create_directories(dir + "/folder");
    const Child c =
        run_child({"run", kCountyJail, "--reps", "2", "--trace", dir + "/folder"}, dir + "/stdout");
    CHECK(c.exit_code == 2);
    CHECK(c.err.find("is a directory") != std::string::npos);
    CHECK(fs::is_directory(dir + "/folder"));
  }
  fs::remove_all(dir);
}

TEST_CASE("a thread that cannot start is an error message, not an abort", "[durability]") {
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer reserves far more address space than RLIMIT_AS allows
  // here, so the limit would fail the child for a reason of its own.
  SUCCEED("not run under AddressSanitizer");
  return;
#endif
  const std::string dir = fresh_dir("durability-threads");
  // Address space for a few dozen 8 MiB thread stacks, not a thousand.
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const struct rlimit limit { 512ULL << 20, 512ULL << 20 };
    ::setrlimit(RLIMIT_AS, &limit);
    if (!std::freopen((dir + "/err").c_str(), "w", stderr)) ::_exit(121);
    if (!std::freopen("/dev/null", "w", stdout)) ::_exit(120);
    static std::string binary = DETSIM_BINARY, run = "run", reps = "--reps", n = "1000",
                       threads = "--threads", t = "1000", scenario = kCountyJail, set = "--set",
                       horizon = "horizon_days=10";
    char* argv[] = {binary.data(),  run.data(), scenario.data(), reps.data(),    n.data(),
                    threads.data(), t.data(),   set.data(),      horizon.data(), nullptr};
    ::execv(binary.c_str(), argv);
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));  // not killed by SIGABRT
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(read_text(dir + "/err").find("cannot start worker thread") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("at most 1024 worker threads (--threads)", "[durability]") {
  const auto r = run_detsim("run " + kCountyJail + " --threads 5000");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--threads 5000: expected 0 (all cores) to 1024") != std::string::npos);
}

TEST_CASE("run refuses work nobody can finish without --yes; validate prints the estimate",
          "[durability]") {
  const std::string big = kCountyJail + " --set horizon_days=36500 --set replications=100000";
  const auto r = run_detsim("run " + big);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("bookings to simulate (100000 replications), more than 1e+11; add --yes") !=
        std::string::npos);
  const auto v = run_detsim("validate " + kCountyJail);
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("bookings to simulate)") != std::string::npos);
}

TEST_CASE("input messages name the real cause: tags, CR-only lines, folders", "[durability]") {
  const std::string dir = fresh_dir("durability-messages");
  const std::string text = read_text(kCountyJail);
  SECTION("a custom tag") {
    std::string t = text;
    t.replace(t.find("horizon_days: 365"), 17, "horizon_days: !custom 365");
    std::ofstream(dir + "/s.yaml", std::ios::binary) << t;
    const auto r = run_detsim("validate " + dir + "/s.yaml");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown YAML tag '!custom'") != std::string::npos);
  }
  SECTION("CR-only line endings") {
    std::string t = text;
    for (char& c : t)
      if (c == '\n') c = '\r';
    std::ofstream(dir + "/s.yaml", std::ios::binary) << t;
    const auto r = run_detsim("validate " + dir + "/s.yaml");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("the lines end with CR alone") != std::string::npos);
  }
  SECTION("a folder as the scenario") {
    const auto r = run_detsim("validate " + dir);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(dir + ":1:1: cannot read the file: it is a folder") != std::string::npos);
  }
  fs::remove_all(dir);
}
