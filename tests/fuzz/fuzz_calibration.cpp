// libFuzzer harness: the calibration file loader. The input is a calibration
// file (written to a private folder holding base.yaml, a copy of
// scenarios/county-jail.yaml); reading it checks every key, resolves the
// base scenario at both ends of every prior and finds each target's
// facility. InputError is an expected answer; anything else is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "detsim/calibrate.hpp"
#include "detsim/load.hpp"

namespace {

const std::string& folder() {
  static const std::string dir = [] {
    const auto d = std::filesystem::temp_directory_path() /
                   ("detsim-fuzz-calibration-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::filesystem::copy_file(DETSIM_SOURCE_DIR "/scenarios/county-jail.yaml", d / "base.yaml",
                               std::filesystem::copy_options::overwrite_existing);
    ::setenv("DETSIM_PRESETS", DETSIM_PRESET_DIR, 1);
    return d.string();
  }();
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
