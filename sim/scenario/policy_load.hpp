// Reading policies (docs/policies.md): a scenario's `policies.NAME`
// entries and the preset files of scenarios/policies/.
//
// A preset file is a policy entry plus its name:
//   name: california-values-act      # must match the file name
//   description: one paragraph       # shown by `detsim policies`
//   default: decline                 # honor | notify | decline | transfer
//   rules:                           # optional; first match wins
//     - when: {judicial_warrant: true}
//       action: honor
// or, for the state-only `local-option`, `local_option: true` and no
// default or rules; or, for another name of a preset, `alias_of: PRESET`
// (and `name`, `description`): the same policy under this name. Presets may
// not use `offense` conditions: offense ids belong to a scenario.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "detsim/scenario.hpp"
#include "scenario/check.hpp"
#include "scenario/cursor.hpp"
#include "scenario/yaml_tree.hpp"

namespace detsim {

// Reads a policy mapping named `name`. `offenses` resolves `offense`
// conditions; null for a preset file (which may also have `name:`).
Policy read_policy(const Cursor& c, const std::string& name, const OffenseCatalog* offenses);

struct Preset {
  Policy policy;
  YamlNode entry;        // the file's mapping without `name`, as inserted in resolved YAML
  std::string alias_of;  // for another name of a preset: that preset's name; else ""
};

// Checks a preset file's keys and that its `name` is `name` (the file's
// name without .yaml). Throws InputError.
void check_preset_name(const YamlNode& root, const std::string& name);

// The presets of one folder, read once per process and shared (thread-safe;
// the catalog is immutable once made).
class PresetCatalog {
 public:
  // The catalog of `dir`, read on first use. Never throws: a folder that
  // cannot be read or a preset file with an error is kept as error(), and
  // the other presets stay usable.
  static std::shared_ptr<const PresetCatalog> get(const std::string& dir);

  const std::string& dir() const { return dir_; }
  // The first problem met reading the folder, or "".
  const std::string& error() const { return error_; }
  // The preset called `name`, or nullptr.
  const Preset* find(std::string_view name) const;
  // Sorted by name.
  const std::vector<Preset>& presets() const { return presets_; }
  std::vector<std::string> names() const;
  // The preset of an alias file (`alias_of: TARGET`, TARGET a preset of
  // this catalog that is no alias): TARGET's policy under the alias's name,
  // with the alias's description when it has one. Throws InputError.
  Preset alias_preset(const YamlNode& root, const std::string& name) const;

 private:
  explicit PresetCatalog(std::string dir);
  void read_folder();

  std::string dir_;
  std::string error_;
  std::vector<Preset> presets_;
};

// The preset folder for `options_dir`: itself if not empty, else
// $DETSIM_PRESETS if set, else the presets found next to the running code
// (SOURCE/scenarios/policies from a build tree, PREFIX/share/detsim/policies
// when installed), else scenarios/policies in the working folder.
std::string preset_dir_for(const std::string& options_dir);

}  // namespace detsim
