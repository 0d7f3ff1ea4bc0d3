// Reading scenarios: YAML text -> checked, resolved Scenario (docs/scenario.md).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "detsim/scenario.hpp"

namespace detsim {

// A user error in an input file. what() is one line in the form compilers
// use: "FILE:LINE:COL: KEY.PATH: message" (line and column from 1).
// Commands report it and exit with code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LoadOptions {
  // `--set PATH=VALUE` overrides, applied in order to the YAML tree before it
  // is checked. PATH uses dots; list items are addressed by id
  // (facilities.county-jail.policy) or by index (offenses.0.share).
  std::vector<std::string> sets;
  // `--policy NAME`: every facility uses NAME for the whole run, overriding
  // state preemption and policy_changes. Empty: no override.
  std::string policy_override;
  // Folder of preset policy files (scenarios/policies). Empty: $DETSIM_PRESETS
  // when set, else the presets found next to the running program (its build
  // tree's scenarios/policies, or PREFIX/share/detsim/policies when installed).
  std::string preset_dir;
};

// Reads, resolves and checks a scenario file. Throws InputError.
Scenario load_scenario(const std::string& path, const LoadOptions& options = {});

// Same, from text; `source` names it in messages.
Scenario load_scenario_text(const std::string& text, const std::string& source,
                            const LoadOptions& options = {});

// The preset policies shipped in the preset folder, sorted by name, each with
// its description (the comment in its file). Throws InputError.
std::vector<Policy> load_presets(const std::string& preset_dir = {});

// The preset folder in use (see LoadOptions::preset_dir).
std::string default_preset_dir();

}  // namespace detsim
