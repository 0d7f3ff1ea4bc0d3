// What the file-reading harnesses share: a private folder for this fuzzing
// process, holding base.yaml (a copy of scenarios/county-jail.yaml) for the
// files that name a base scenario, with the preset policies found through
// DETSIM_PRESETS.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace detsim::fuzz {

inline std::string folder_with_base(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() /
                 ("detsim-fuzz-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  std::filesystem::copy_file(DETSIM_SOURCE_DIR "/scenarios/county-jail.yaml", d / "base.yaml",
                             std::filesystem::copy_options::overwrite_existing);
  ::setenv("DETSIM_PRESETS", DETSIM_PRESET_DIR, 1);
  return d.string();
}

}  // namespace detsim::fuzz
