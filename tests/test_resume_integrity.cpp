// Resume and merge verify every row before they trust it: a damaged row in
// the middle is dropped and its point run again (with a message), results
// without their sidecar or of another sweep are refused unless --force, and
// two runs never append to the same results at once.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "test_sweep_support.hpp"

using namespace detsim::testing;

namespace {

constexpr const char* kSweep = R"(base: base.yaml
replications: 3
seed: 5
parameters:
  ice.lodge_probability.serious: {min: 0.2, max: 0.8, steps: 3}
  ice.pickup.teams: [null, 1]
  ice.pickup.discipline: [fifo, edf]
metrics: [honored, lapsed, released_despite_detainer]
)";

std::string args(const std::string& dir, const std::string& extra = "") {
  return "sweep " + dir + "/sweep.yaml --out " + dir + "/r.csv " + extra;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    out.push_back(text.substr(start, end - start));
  return out;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

// Splits on commas (the test sweep's fields hold no quotes).
std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',')
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

std::string unfields(const std::vector<std::string>& f) {
  std::string out;
  for (std::size_t i = 0; i < f.size(); ++i) out += (i ? "," : "") + f[i];
  return out;
}

}  // namespace

TEST_CASE("resume drops each kind of damaged row and runs its point again", "[resume]") {
  const std::string dir = sweep_dir("resume-damage", kSweep);
  REQUIRE(run_detsim(args(dir, "--quiet")).exit_code == 0);
  const std::string full = read_text(dir + "/r.csv");
  std::vector<std::string> lines = lines_of(full);
  REQUIRE(lines.size() == 13);
  const auto resume_and_check = [&](const std::string& damaged, int line) {
    write_text(dir + "/r.csv", damaged);
    const auto r = run_detsim(args(dir, "--resume"));
    CHECK(r.exit_code == 0);
    CHECK(r.err.find(dir + "/r.csv:" + std::to_string(line) + ":1: dropped (") !=
          std::string::npos);
    CHECK(r.err.find("its point runs again") != std::string::npos);
    CHECK(sorted_rows(read_text(dir + "/r.csv")) == sorted_rows(full));
  };
  SECTION("a middle row cut to 6 of its fields") {
    std::vector<std::string> f = fields(lines[5]);
    f.resize(6);
    lines[5] = unfields(f);
    resume_and_check(join_lines(lines), 6);
  }
  SECTION("a row of NUL bytes") {
    lines[4] = std::string(40, '\0');
    resume_and_check(join_lines(lines), 5);
  }
  SECTION("two swapped point ids") {
    std::vector<std::string> a = fields(lines[2]), b = fields(lines[3]);
    std::swap(a[0], b[0]);
    lines[2] = unfields(a);
    lines[3] = unfields(b);
    write_text(dir + "/r.csv", join_lines(lines));
    const auto r = run_detsim(args(dir, "--resume"));
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("r.csv:3:1: dropped (") != std::string::npos);
    CHECK(r.err.find("r.csv:4:1: dropped (") != std::string::npos);
    CHECK(sorted_rows(read_text(dir + "/r.csv")) == sorted_rows(full));
  }
  SECTION("a changed parameter column") {
    std::vector<std::string> f = fields(lines[7]);
    f[1] = f[1] == "0.2" ? "0.5" : "0.2";
    lines[7] = unfields(f);
    resume_and_check(join_lines(lines), 8);
  }
  SECTION("a metric that is not a number") {
    std::vector<std::string> f = fields(lines[9]);
    f.back() = "1.5x";
    lines[9] = unfields(f);
    resume_and_check(join_lines(lines), 10);
  }
  SECTION("a repeated row") {
    lines.insert(lines.begin() + 6, lines[2]);
    resume_and_check(join_lines(lines), 7);
  }
}

TEST_CASE("resume refuses results without their sidecar or of another sweep unless --force",
          "[resume]") {
  const std::string dir = sweep_dir("resume-sidecar", kSweep);
  REQUIRE(run_detsim(args(dir, "--quiet")).exit_code == 0);
  const std::string full = read_text(dir + "/r.csv");
  SECTION("missing sidecar") {
    std::remove((dir + "/r.csv.json").c_str());
    const auto r = run_detsim(args(dir, "--resume"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("r.csv.json:1:1: missing") != std::string::npos);
    CHECK(read_text(dir + "/r.csv") == full);
    const auto forced = run_detsim(args(dir, "--resume --force --quiet"));
    CHECK(forced.exit_code == 0);
    CHECK(read_text(dir + "/r.csv") == full);
  }
  SECTION("a CSV of another seed with its sidecar deleted") {
    std::string text = kSweep;
    text.replace(text.find("seed: 5"), 7, "seed: 6");
    write_text(dir + "/sweep.yaml", text);
    std::remove((dir + "/r.csv.json").c_str());
    const auto r = run_detsim(args(dir, "--resume"));
    CHECK(r.exit_code == 2);
    CHECK(read_text(dir + "/r.csv") == full);
  }
  SECTION("--force needs --resume") {
    CHECK(run_detsim(args(dir + "/other", "--force")).exit_code == 2);
  }
}

TEST_CASE("a second run on results another run holds exits 2 at once", "[resume]") {
  const std::string dir = sweep_dir("resume-lock", kSweep);
  REQUIRE(run_detsim(args(dir, "--quiet")).exit_code == 0);
  const std::string full = read_text(dir + "/r.csv");
  // Hold the lock as a running sweep does.
  const int fd = ::open((dir + "/r.csv").c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  const auto r = run_detsim(args(dir, "--resume"));
  ::close(fd);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("another detsim sweep is writing these results") != std::string::npos);
  CHECK(read_text(dir + "/r.csv") == full);
}

TEST_CASE("merge checks rows whole like resume", "[resume]") {
  const std::string dir = sweep_dir("merge-check", kSweep);
  REQUIRE(run_detsim(args(dir, "--quiet")).exit_code == 0);
  std::vector<std::string> lines = lines_of(read_text(dir + "/r.csv"));
  SECTION("a cut row") {
    std::vector<std::string> f = fields(lines[5]);
    f.resize(6);
    lines[5] = unfields(f);
  }
  SECTION("a changed parameter column") {
    std::vector<std::string> f = fields(lines[7]);
    f[1] = f[1] == "0.2" ? "0.5" : "0.2";
    lines[7] = unfields(f);
  }
  SECTION("a NUL row") {
    lines[4] = std::string(30, '\0');
  }
  write_text(dir + "/r.csv", join_lines(lines));
  const auto r = run_detsim("merge " + dir + "/m.csv " + dir + "/r.csv");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(dir + "/r.csv:") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/m.csv"));
}

TEST_CASE("outputs and resumed files must be regular files", "[resume]") {
  const std::string dir = sweep_dir("resume-targets", kSweep);
  SECTION("sweep --out a FIFO --resume") {
    REQUIRE(::mkfifo((dir + "/r.csv").c_str(), 0600) == 0);
    const auto r = run_detsim(args(dir, "--resume"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("not a regular file") != std::string::npos);
  }
  SECTION("merge into a FIFO") {
    REQUIRE(run_detsim(args(dir, "--quiet")).exit_code == 0);
    REQUIRE(::mkfifo((dir + "/m.csv").c_str(), 0600) == 0);
    const auto r = run_detsim("merge " + dir + "/m.csv " + dir + "/r.csv");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("is a FIFO") != std::string::npos);
  }
  SECTION("a private device node, when root") {
    if (::geteuid() != 0) return;
    // /dev/null's numbers (1, 3): a harmless device.
    REQUIRE(::mknod((dir + "/dev").c_str(), S_IFCHR | 0600, makedev(1, 3)) == 0);
    REQUIRE(run_detsim(args(dir, "--quiet")).exit_code == 0);
    const auto merged = run_detsim("merge " + dir + "/dev " + dir + "/r.csv");
    CHECK(merged.exit_code == 2);
    CHECK(merged.err.find("is a device") != std::string::npos);
    const auto resumed = run_detsim("sweep " + dir + "/sweep.yaml --out " + dir + "/dev --resume");
    CHECK(resumed.exit_code == 2);
    struct stat st {};
    REQUIRE(::stat((dir + "/dev").c_str(), &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
  }
  SECTION("a scenario that is a device or a folder") {
    const auto dev = run_detsim("run /dev/zero");
    CHECK(dev.exit_code == 2);
    CHECK(dev.err.find("/dev/zero:1:1: cannot read the file: it is not a regular file") !=
          std::string::npos);
    const auto folder = run_detsim("run " + dir);
    CHECK(folder.exit_code == 2);
    CHECK(folder.err.find("it is a folder") != std::string::npos);
  }
}
