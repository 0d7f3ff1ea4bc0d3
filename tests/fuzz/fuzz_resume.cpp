// libFuzzer harness: the resume reader. The input is a results CSV of a
// fixed small sweep; it is read as resume reads it (lines, torn last line,
// fields) and each row checked against the sweep's points.
// InputError is an expected answer; anything else is a finding.
//
// Later harnesses (the calibration file) go beside
// this one as fuzz_<loader>.cpp and into FUZZ_HARNESSES in CMakeLists.txt.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "detsim/load.hpp"
#include "detsim/sweep.hpp"
#include "sweep/csv.hpp"

namespace {

struct Fixture {
  std::string dir;
  std::unique_ptr<detsim::SweepPlan> plan;
  std::unordered_map<std::string, int> ids;
};

Fixture& fixture() {
  static Fixture f = [] {
    Fixture x;
    const auto d = std::filesystem::temp_directory_path() /
                   ("detsim-fuzz-resume-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::filesystem::copy_file(DETSIM_SOURCE_DIR "/scenarios/county-jail.yaml", d / "base.yaml",
                               std::filesystem::copy_options::overwrite_existing);
    std::ofstream(d / "sweep.yaml") << "base: base.yaml\nreplications: 2\nseed: 5\n"
                                       "parameters:\n  ice.pickup.teams: [null, 1, 2]\n"
                                       "  ice.pickup.discipline: [fifo, edf]\n"
                                       "metrics: [honored, lapsed]\n";
    ::setenv("DETSIM_PRESETS", DETSIM_PRESET_DIR, 1);
    x.dir = d.string();
    x.plan = std::make_unique<detsim::SweepPlan>(x.dir + "/sweep.yaml");
    x.ids = detsim::point_index(x.plan->sweep());
    return x;
  }();
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Fixture& f = fixture();
  const std::string path = f.dir + "/r.csv";
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  try {
    const detsim::CsvFile file = detsim::read_csv_file(path);
    for (const std::string& row : file.rows)
      (void)detsim::results_row_problem(f.plan->sweep(), f.ids, detsim::split_csv_line(row));
    (void)detsim::results_sensitivity(f.plan->sweep(), path);
  } catch (const detsim::InputError&) {
  }
  return 0;
}
