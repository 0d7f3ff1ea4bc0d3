// A sweep file read into what running it needs: the Sweep (public view),
// the YAML values to apply with their positions, and the base scenario's
// tree, read once (docs/scenario.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "detsim/scenario.hpp"
#include "detsim/sweep.hpp"
#include "scenario/cursor.hpp"
#include "scenario/yaml_tree.hpp"

namespace detsim {

// SweepDesign's names in sweep files, in enum order.
inline constexpr std::string_view kDesignNames[] = {"grid", "random", "lhs"};

struct SweepInputs {
  Sweep sweep;
  // By parameter: where its key and its value (list or range) are written.
  std::vector<YamlPos> key_pos;
  std::vector<YamlPos> value_pos;
  // By parameter: a list's items as written (empty for a range).
  std::vector<std::vector<YamlNode>> items;
  // The base scenario's tree with the sweep's seed and replications set.
  YamlNode base;
  // The base scenario resolved (seed and replications set), as YAML text.
  std::string base_resolved_yaml;
};

// Shared with calibration files (sim/calibrate/file.cpp), which read their
// base scenario and parameters the same way:
//
// The base scenario's path written at `c`, relative to the folder of `file`
// unless absolute; fails at `c` when it cannot be read.
std::string base_path_of(const Cursor& c, const std::string& file);

// A parameter's path, written at `at`: names separated by single dots, not
// `seed` or `replications` (`own_refusal` completes that message: the file's
// own key applies instead), and not inside one of the `earlier` parameters'
// paths. Throws InputError.
void check_parameter_path(const std::string& path, YamlPos at,
                          const std::vector<std::string>& earlier, std::string_view own_refusal);

// Reads the sweep file at `path`, reads and resolves its base scenario and
// expands the design into points. Throws InputError
// ("FILE:LINE:COL: KEY.PATH: message") for any problem in the sweep file or
// the base scenario. The points' own scenarios are not checked: see
// check_points (sweep/points.hpp).
SweepInputs read_sweep_inputs(const std::string& path);

// The sweep file alone: its keys, parameters and metrics, without points
// and without the base tree. Used by read_sweep_inputs.
SweepInputs parse_sweep_file(const std::string& path);

}  // namespace detsim
