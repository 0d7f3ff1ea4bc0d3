// libFuzzer harness: the sweep loader and point resolution. The input is a
// sweep file (written to a private folder holding base.yaml, a copy of
// scenarios/county-jail.yaml); the first few points are resolved.
// InputError is an expected answer; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "detsim/load.hpp"
#include "fuzz_support.hpp"
#include "detsim/sweep.hpp"

namespace {

const std::string& folder() {
  static const std::string dir = detsim::fuzz::folder_with_base("sweep");
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = folder() + "/sweep.yaml";
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  try {
    const detsim::SweepPlan plan(path);
    const int points = static_cast<int>(plan.sweep().points.size());
    for (int i = 0; i < points && i < 4; ++i) (void)plan.point_scenario(i);
  } catch (const detsim::InputError&) {
  }
  return 0;
}
