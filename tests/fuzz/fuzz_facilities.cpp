// libFuzzer harness: the facility table (`facilities_table: FILE.csv`). The
// input is the CSV file; a small scenario names it, and the scenario is
// loaded whole (the rows become facilities and are checked like any other),
// once as written and once with a --set on a table facility.
// InputError is an expected answer; anything else is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "detsim/load.hpp"

namespace {

// A folder with the scenario that names t.csv (made once per process).
const std::string& folder() {
  static const std::string dir = [] {
    const auto d = std::filesystem::temp_directory_path() /
                   ("detsim-fuzz-facilities-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::ofstream(d / "scenario.yaml")
        << "name: fuzz\nstart: 2025-01-01\nhorizon_days: 2\nreplications: 1\n"
           "offenses:\n  - {id: any, share: 1, severity: serious, pretrial_release: 0.8,\n"
           "     pretrial_stay: {dist: exponential, mean_hours: 30},\n"
           "     sentenced_stay: {dist: fixed, days: 4}}\n"
           "ice:\n  lodge_probability: {serious: 0.7}\n"
           "  lodge_delay: {dist: exponential, mean_hours: 10}\n"
           "  pickup: {delay: {dist: lognormal, median_hours: 20, sigma: 0.8}}\n"
           "state: {policy: cooperative}\nfacilities_table: t.csv\n";
    return d.string();
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& dir = folder();
  std::ofstream(dir + "/t.csv", std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  detsim::LoadOptions options;
  options.preset_dir = DETSIM_PRESET_DIR;
  try {
    const detsim::Scenario s = detsim::load_scenario(dir + "/scenario.yaml", options);
    if (!s.facilities.empty()) {
      options.sets.push_back("facilities." + s.facilities.front().id + ".capacity=10");
      (void)detsim::load_scenario(dir + "/scenario.yaml", options);
    }
  } catch (const detsim::InputError&) {
  }
  return 0;
}
