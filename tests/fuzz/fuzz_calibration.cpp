// libFuzzer harness: the calibration file loader. The input is a calibration
// file (written to a private folder holding base.yaml, a copy of
// scenarios/county-jail.yaml); reading it checks every key, resolves the
// base scenario at both ends of every prior and finds each target's
// facility. InputError is an expected answer; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "detsim/calibrate.hpp"
#include "detsim/load.hpp"
#include "fuzz_support.hpp"

namespace {

const std::string& folder() {
  static const std::string dir = detsim::fuzz::folder_with_base("calibration");
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = folder() + "/calibration.yaml";
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  try {
    const detsim::CalibrationPlan plan(path);
    (void)plan.resolved_yaml();
  } catch (const detsim::InputError&) {
  }
  return 0;
}
