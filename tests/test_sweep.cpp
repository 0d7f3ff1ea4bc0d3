// Sweep files, designs, point ids and sensitivity (the library, no process).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <set>

#include "detsim/load.hpp"
#include "detsim/sweep.hpp"
#include "sweep/design.hpp"
#include "sweep/plan.hpp"
#include "sweep/points.hpp"
#include "test_sweep_support.hpp"

using namespace detsim;
using namespace detsim::testing;

namespace {

SweepInputs read_sweep_text(const std::string& name, const std::string& text) {
  return read_sweep_inputs(sweep_dir(name, text) + "/sweep.yaml");
}

// The InputError message of reading (and checking) a sweep file.
std::string sweep_error(const std::string& name, const std::string& text) {
  try {
    const SweepInputs in = read_sweep_text(name, text);
    check_points(in, 2);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

SweepParameter range(double min, double max, int steps, bool integer = false, bool log = false) {
  SweepParameter p;
  p.is_range = true;
  p.min = min;
  p.max = max;
  p.steps = steps;
  p.integer = integer;
  p.log = log;
  return p;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE(
    "grid values of a range are evenly spaced, log-spaced with log, and integers lose repeats") {
  CHECK(grid_values(range(0.1, 0.5, 5)) == Strings{"0.1", "0.2", "0.3", "0.4", "0.5"});
  CHECK(grid_values(range(1, 100, 3, false, true)) == Strings{"1", "10", "100"});
  // 1, 1.5, 2, 2.5, 3, 3.5, 4 rounded: 1 2 2 3 3 4 4.
  CHECK(grid_values(range(1, 4, 7, true)) == Strings{"1", "2", "3", "4"});
  // 1, 2.15, 4.64, 10 (log) rounded: 1 2 5 10.
  CHECK(grid_values(range(1, 10, 4, true, true)) == Strings{"1", "2", "5", "10"});
  CHECK(grid_values(range(3, 3, 4)) == Strings{"3"});
  CHECK(grid_values(range(2, 9, 1)) == Strings{"2"});
}

TEST_CASE("a grid has every combination, the first parameter varying slowest") {
  const SweepInputs in = read_sweep_text("grid", R"(base: base.yaml
parameters:
  ice.pickup.teams: {min: 1, max: 4, integer: true, steps: 7}
  ice.pickup.discipline: [fifo, edf]
  ice.release_grace_hours: {min: 0, max: 4, steps: 3}
metrics: [honored]
)");
  const Sweep& s = in.sweep;
  REQUIRE(s.points.size() == 4 * 2 * 3);
  CHECK(s.points[0].values == Strings{"1", "fifo", "0"});
  CHECK(s.points[1].values == Strings{"1", "fifo", "2"});
  CHECK(s.points[3].values == Strings{"1", "edf", "0"});
  CHECK(s.points.back().values == Strings{"4", "edf", "4"});
  CHECK(s.points[3].choices == std::vector<int>{-1, 1, -1});
  std::set<std::string> ids;
  for (const SweepPoint& p : s.points) {
    CHECK(p.id.size() == 16);
    CHECK(p.sample == -1);
    ids.insert(p.id);
  }
  CHECK(ids.size() == s.points.size());
  // Defaults: the base scenario's seed and replications.
  CHECK(s.seed == 1);
  CHECK(s.replications == 3);
  CHECK_NOTHROW(check_points(in, 2));
}

TEST_CASE("lhs puts exactly one sample in each stratum of every parameter") {
  const int n = 24;
  const SweepInputs in = read_sweep_text("lhs", R"(base: base.yaml
seed: 99
design: lhs
samples: 24
parameters:
  ice.release_grace_hours: {min: 2, max: 14}
  ice.lodge_delay.mean_hours: {min: 1, max: 1000, log: true}
  state.policy: [cooperative, sanctuary, notify-only]
metrics: [honored]
)");
  const Sweep& s = in.sweep;
  REQUIRE(s.points.size() == static_cast<std::size_t>(n));
  std::vector<int> linear(n, 0), logarithmic(n, 0);
  std::vector<int> category(3, 0);
  for (const SweepPoint& p : s.points) {
    const double a = std::stod(p.values[0]);
    const double b = std::stod(p.values[1]);
    linear.at(static_cast<std::size_t>(std::floor((a - 2) / 12 * n)))++;
    logarithmic.at(static_cast<std::size_t>(std::floor(std::log(b) / std::log(1000) * n)))++;
    category.at(static_cast<std::size_t>(p.choices[2]))++;
  }
  CHECK(linear == std::vector<int>(n, 1));
  CHECK(logarithmic == std::vector<int>(n, 1));
  // 24 strata over 3 equally likely categories: 8 each.
  CHECK(category == std::vector<int>{8, 8, 8});
}

TEST_CASE("random and lhs samples depend only on the seed, and sample ids differ") {
  const std::string sweep = R"(base: base.yaml
seed: SEED
design: random
samples: 10
parameters:
  ice.release_grace_hours: {min: 0, max: 1}
  ice.pickup.teams: {min: 1, max: 3, integer: true}
)";
  const auto with_seed = [&](const std::string& seed) {
    std::string text = sweep;
    text.replace(text.find("SEED"), 4, seed);
    return read_sweep_text("random-" + seed, text).sweep;
  };
  const Sweep a = with_seed("3"), b = with_seed("3"), c = with_seed("4");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    CHECK(a.points[i].values == b.points[i].values);
    CHECK(a.points[i].id == b.points[i].id);
    CHECK(a.points[i].sample == static_cast<int>(i));
    const int teams = std::stoi(a.points[i].values[1]);
    CHECK((teams >= 1 && teams <= 3));
    ids.insert(a.points[i].id);
  }
  CHECK(ids.size() == a.points.size());
  CHECK(a.points[0].values != c.points[0].values);
}

TEST_CASE("a point id is the FNV-1a hash of names, value texts and the sample index") {
  // Published FNV-1a 64-bit test vectors.
  CHECK(fnv1a64("") == 0xcbf29ce484222325ull);
  CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cull);
  SweepParameter teams;
  teams.path = "ice.pickup.teams";
  const std::vector<SweepParameter> params{teams};
  const std::string expected = fmt::format("{:016x}", fnv1a64(std::string("ice.pickup.teams\0"
                                                                          "4\0",
                                                                          19)));
  CHECK(point_id(params, {"4"}, -1) == expected);
  CHECK(point_id(params, {"4"}, 0) != point_id(params, {"4"}, 1));
  CHECK(point_id(params, {"4"}, -1) != point_id(params, {"4.0"}, -1));
}

TEST_CASE("sensitivity ranks the parameter that drives a metric first") {
  // y = 5 x1 + 0.1 x2 + a category effect; x3 takes no part.
  std::vector<std::vector<std::string>> rows;
  std::vector<std::vector<double>> means;
  for (int i = 0; i < 30; ++i) {
    const double x1 = i % 5, x2 = (i * 7) % 11, x3 = (i * 3) % 7;
    const bool edf = i % 2 == 1;
    rows.push_back({fmt::format("{}", x1), fmt::format("{}", x2), fmt::format("{}", x3),
                    edf ? "edf" : "fifo"});
    means.push_back({5 * x1 + 0.1 * x2 + (edf ? 2.0 : 0.0), 7.0});
  }
  const auto fits = sensitivity({"x1", "x2", "x3", "discipline"}, {"y", "constant"}, rows, means);
  REQUIRE(fits.size() == 2);
  const MetricSensitivity& y = fits[0];
  REQUIRE(y.terms.size() == 4);
  CHECK(y.terms[0].name == "x1");
  CHECK(y.terms[1].name == "discipline=edf");
  CHECK(y.terms.back().name == "x3");
  CHECK_THAT(y.terms.back().coefficient,
             Catch::Matchers::WithinAbs(0, 1e-9));  // exact linear model
  CHECK_THAT(y.r_squared, Catch::Matchers::WithinAbs(1, 1e-12));
  CHECK(std::isnan(fits[1].r_squared));
  CHECK(!fits[1].note.empty());
  const std::string table = sensitivity_table(fits);
  CHECK(table.find("x1") != std::string::npos);
  CHECK(table.find("no fit") != std::string::npos);
}

TEST_CASE("sweep file errors say file:line:col and the key path") {
  SECTION("an unknown metric, with a suggestion") {
    const std::string e =
        sweep_error("bad-metric",
                    "base: base.yaml\nparameters:\n  seed_x: [1]\nmetrics: [honored, honoured]\n");
    CHECK(e.find(
              "sweep.yaml:4:20: metrics[1]: unknown metric 'honoured' (did you mean 'honored'?)") !=
          std::string::npos);
  }
  SECTION("an unknown key") {
    const std::string e =
        sweep_error("bad-key", "base: base.yaml\ndesing: grid\nparameters:\n  a: [1]\n");
    CHECK(e.find("sweep.yaml:2:1: desing: unknown key 'desing' (did you mean 'design'?)") !=
          std::string::npos);
  }
  SECTION("a grid range without steps") {
    const std::string e = sweep_error(
        "no-steps", "base: base.yaml\nparameters:\n  ice.pickup.teams: {min: 1, max: 3}\n");
    CHECK(e.find("sweep.yaml:3:21: parameters.ice.pickup.teams: missing required key 'steps'") !=
          std::string::npos);
  }
  SECTION("lhs without samples") {
    const std::string e =
        sweep_error("no-samples", "base: base.yaml\ndesign: lhs\nparameters:\n  a: [1]\n");
    CHECK(e.find("sweep.yaml:1:1: missing required key 'samples' (design: lhs)") !=
          std::string::npos);
  }
  SECTION("a path that does not resolve in the base scenario") {
    const std::string e = sweep_error(
        "bad-path", "base: base.yaml\nparameters:\n  facilities.prison.policy: [sanctuary]\n");
    CHECK(e.find("sweep.yaml:3:3: parameters.facilities.prison.policy: no list item with id "
                 "'prison' (ids: jail)") != std::string::npos);
  }
  SECTION("a key the base scenario does not have") {
    const std::string e =
        sweep_error("bad-key-path", "base: base.yaml\nparameters:\n  ice.pickup.tems: [2]\n");
    CHECK(e.find("sweep.yaml:3:3: ice.pickup.tems: unknown key 'tems' (did you mean 'teams'?)") !=
          std::string::npos);
  }
  SECTION("a value that makes the scenario invalid, at the value, naming the point") {
    const std::string e = sweep_error("bad-value",
                                      "base: base.yaml\nparameters:\n  ice.release_grace_hours: "
                                      "[1, 2]\n  ice.pickup.teams: [2, 0]\n");
    CHECK(e.find("sweep.yaml:4:25: ice.pickup.teams: expected") != std::string::npos);
    CHECK(e.find("(sweep point 1: ice.release_grace_hours=1, ice.pickup.teams=0)") !=
          std::string::npos);
  }
  SECTION("a log range from 0") {
    const std::string e = sweep_error("bad-log",
                                      "base: base.yaml\ndesign: random\nsamples: 3\nparameters:\n  "
                                      "ice.release_grace_hours: {min: 0, max: 4, log: true}\n");
    CHECK(
        e.find("sweep.yaml:5:34: parameters.ice.release_grace_hours.min: expected a number > 0") !=
        std::string::npos);
  }
  SECTION("a repeated list value") {
    const std::string e =
        sweep_error("repeat", "base: base.yaml\nparameters:\n  ice.pickup.teams: [1, 2, 1]\n");
    CHECK(
        e.find("sweep.yaml:3:28: parameters.ice.pickup.teams[2]: the value 1 is already item 0") !=
        std::string::npos);
  }
  SECTION("the seed cannot be swept") {
    const std::string e = sweep_error("seed", "base: base.yaml\nparameters:\n  seed: [1, 2]\n");
    CHECK(e.find("sweep.yaml:3:3: parameters.seed: the sweep's own `seed`") != std::string::npos);
  }
  SECTION("a base scenario that cannot be read") {
    const std::string e = sweep_error("no-base", "base: missing.yaml\nparameters:\n  a: [1]\n");
    CHECK(e.find("sweep.yaml:1:7: base: cannot read the base scenario") != std::string::npos);
  }
}

TEST_CASE("every sweep in scenarios/sweeps/ reads, expands and resolves at every point") {
  int sweeps = 0;
  for (const auto& entry : std::filesystem::directory_iterator(source_path("scenarios/sweeps"))) {
    if (entry.path().extension() != ".yaml") continue;
    INFO(entry.path().string());
    const SweepInputs in = read_sweep_inputs(entry.path().string());
    CHECK(!in.sweep.points.empty());
    CHECK_NOTHROW(check_points(in, 2));
    ++sweeps;
  }
  CHECK(sweeps >= 2);
}
