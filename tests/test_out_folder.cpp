// `--out DIR`: a manifest of what one run wrote, refusal of a folder holding
// other files, --force replacing an earlier run's folder whole.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "cli_support.hpp"
#include "report/out_folder.hpp"

using namespace detsim::testing;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

const std::string kRun = "run " + source_path("scenarios/county-jail.yaml") +
                         " --reps 2 --set horizon_days=20 --threads 2 --out ";

std::set<std::string> names_in(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

}  // namespace

TEST_CASE("sha256_hex gives the FIPS 180-4 test vectors") {
  CHECK(detsim::sha256_hex("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(detsim::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(detsim::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("run --out writes a manifest listing every file with its size and SHA-256") {
  const std::string dir = fresh_dir("out_folder") + "/results";
  const auto r = run_detsim(kRun + dir + " --series");
  REQUIRE(r.exit_code == 0);
  const auto m = nlohmann::json::parse(read_text(dir + "/manifest.json"));
  CHECK_THAT(m["command"].get<std::string>(), Contains("detsim run ") && Contains("--series"));
  CHECK(m["version"].get<std::string>().size() > 0);
  std::set<std::string> listed;
  for (const auto& f : m["files"]) {
    const std::string name = f["name"], bytes = read_text(dir + "/" + name);
    listed.insert(name);
    CHECK(f["bytes"].get<std::size_t>() == bytes.size());
    CHECK(f["sha256"] == detsim::sha256_hex(bytes));
  }
  CHECK(listed == std::set<std::string>{"metrics.csv", "run.json", "scenario.resolved.yaml",
                                        "series.csv", "summary.csv"});
  CHECK(names_in(dir).size() == listed.size() + 1);                   // and the manifest
  CHECK(names_in(fs::path(dir).parent_path().string()).size() == 1);  // no temporary left
}

TEST_CASE("run --out refuses a folder holding files, and --force replaces an earlier run's whole") {
  const std::string dir = fresh_dir("out_folder_force") + "/results";
  REQUIRE(run_detsim(kRun + dir + " --series").exit_code == 0);
  const std::string before = read_text(dir + "/manifest.json");

  const auto refused = run_detsim(kRun + dir + " --seed 9");
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Contains("not empty") && Contains("--force"));
  CHECK(refused.out.empty());
  CHECK(read_text(dir + "/manifest.json") == before);  // nothing written

  const auto forced = run_detsim(kRun + dir + " --seed 9 --force");
  REQUIRE(forced.exit_code == 0);
  CHECK(read_text(dir + "/manifest.json") != before);
  CHECK(names_in(dir).count("series.csv") == 0);  // the earlier run's series is gone
  CHECK_THAT(read_text(dir + "/manifest.json"), Contains("--seed 9"));

  std::ofstream(dir + "/notes.txt") << "mine\n";
  const auto foreign = run_detsim(kRun + dir + " --force");
  CHECK(foreign.exit_code == 1);
  CHECK_THAT(foreign.err, Contains("notes.txt"));
  CHECK(names_in(dir).count("notes.txt") == 1);
}

TEST_CASE("compare --out writes a manifest too and refuses a folder of other files") {
  const std::string dir = fresh_dir("out_folder_compare");
  std::ofstream(dir + "/data.csv") << "1\n";
  const std::string compare = "compare " + source_path("scenarios/county-jail.yaml") +
                              " --policy cooperative --policy sanctuary --reps 2 "
                              "--set horizon_days=20 --out ";
  const auto refused = run_detsim(compare + dir);
  CHECK(refused.exit_code == 1);
  CHECK(names_in(dir) == std::set<std::string>{"data.csv"});
  REQUIRE(run_detsim(compare + dir + "/new").exit_code == 0);
  CHECK(names_in(dir + "/new") ==
        std::set<std::string>{"compare.json", "differences.csv", "manifest.json", "metrics.csv"});
}
