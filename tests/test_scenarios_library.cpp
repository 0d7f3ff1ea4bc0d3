// The scenario library in scenarios/: every file validates, every preset
// policy is used somewhere, and each library scenario runs and keeps the
// decision invariants of docs/metrics.md.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cli_support.hpp"

using namespace detsim::testing;
namespace fs = std::filesystem;

namespace {

// The .yaml files directly under DIR (not in subfolders), sorted.
std::vector<fs::path> yaml_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

// TEXT without YAML comments (from an unquoted '#' to the end of the line).
std::string without_comments(const std::string& text) {
  static const std::regex comment(R"((^|\s)#[^\n]*)");
  return std::regex_replace(text, comment, "$1");
}

// The value of the top-level `base:` key of a sweep file, or "".
std::string sweep_base(const std::string& text) {
  static const std::regex base(R"((^|\n)base:\s*([^\s#]+))");
  std::smatch m;
  return std::regex_search(text, m, base) ? m[2].str() : "";
}

const fs::path kScenarios = source_path("scenarios");

// The scenarios this library adds; each runs in seconds.
const std::vector<std::string> kLibrary = {"illinois-2025",   "texas-sb4",
                                           "california-sb54", "local-option-state",
                                           "287g-county",     "illinois-statewide"};

}  // namespace

TEST_CASE("every scenario file in scenarios/ passes detsim validate") {
  const auto files = yaml_files(kScenarios);
  REQUIRE(files.size() >= 1 + kLibrary.size());
  for (const auto& f : files) {
    INFO(f.string());
    const auto r = run_detsim("validate " + f.string());
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
  }
}

TEST_CASE("every sweep in scenarios/sweeps/ has a base scenario that validates") {
  const auto sweeps = yaml_files(kScenarios / "sweeps");
  REQUIRE(!sweeps.empty());
  for (const auto& s : sweeps) {
    INFO(s.string());
    const std::string base = sweep_base(read_text(s.string()));
    REQUIRE(!base.empty());
    const fs::path scenario = s.parent_path() / base;
    REQUIRE(fs::exists(scenario));
    CHECK(run_detsim("validate " + scenario.string()).exit_code == 0);
  }
}

TEST_CASE("every preset policy is used by at least one scenario in scenarios/") {
  std::set<std::string> presets = {
      "cooperative",        "notify-only",           "sanctuary", "judicial-warrant-only",
      "illinois-trust-act", "california-values-act", "texas-sb4", "287g-jail",
      "local-option"};
  // Another name for a preset (`alias_of:`) is used where its target is.
  for (const auto& p : yaml_files(kScenarios / "policies")) {
    if (read_text(p.string()).find("\nalias_of:") == std::string::npos)
      presets.insert(p.stem().string());
  }

  std::string library;
  for (const auto& f : yaml_files(kScenarios))
    library += without_comments(read_text(f.string())) + "\n";
  for (const auto& name : presets) {
    INFO("preset " << name);
    const std::regex used("(^|\\n)\\s*-?\\s*policy:\\s*" + name + "\\s*(\\n|$)");
    CHECK(std::regex_search(library, used));
  }
}

TEST_CASE("each library scenario runs and keeps the decision invariants in every replication") {
  for (const auto& name : kLibrary) {
    SECTION(name) {
      const auto r =
          run_detsim("run " + (kScenarios / (name + ".yaml")).string() + " --reps 2 --json");
      REQUIRE(r.exit_code == 0);
      const auto j = nlohmann::json::parse(r.out);
      CHECK(j["scenario"] == name);
      REQUIRE(j["per_replication"].size() == 2);
      for (const auto& rep : j["per_replication"]) {
        const auto v = [&rep](const char* m) { return rep.at(m).get<double>(); };
        CHECK(v("decisions") ==
              v("honored") + v("notified") + v("declined") + v("transferred_287g"));
        CHECK(v("honored") == v("transfers_from_hold") + v("lapsed") + v("holds_open_at_end"));
        CHECK(v("transfers") ==
              v("transfers_from_hold") + v("transfers_on_notice") + v("transferred_287g"));
        CHECK(v("decisions") > 0);
      }
    }
  }
}
