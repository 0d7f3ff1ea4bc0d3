// Scenario trees for callers that vary a scenario, such as sweeps: read the
// base file once, copy its tree per point (a plain value copy that keeps
// every position), apply the point's values, resolve.
//
//   const YamlNode base = read_yaml_file(path);      // once
//   YamlNode tree = base;                            // per point, any thread
//   apply_set(tree, "ice.pickup.teams", YamlNode::scalar("4"));
//   Scenario s = resolve_scenario(tree, path, options);
//
// A YamlNode is a value: copies share nothing, and const trees may be read
// from several threads at once.
#pragma once

#include <string>

#include <cstdint>

#include "detsim/load.hpp"
#include "detsim/scenario.hpp"
#include "scenario/yaml_tree.hpp"

namespace detsim {

// The largest input file read as text (a scenario, a sweep, a policy, a
// sidecar): 64 MiB.
inline constexpr std::uint64_t kMaxInputBytes = 64ULL << 20;

// Reads a whole file into *text; false if it cannot be read, is not a
// regular file (a folder, a device, a FIFO: never read, so /dev/zero does
// not read without end) or is larger than `max_bytes`. *why (if given) then
// says which.
bool read_file_text(const std::string& path, std::string* text, std::string* why = nullptr,
                    std::uint64_t max_bytes = kMaxInputBytes);

// The YAML tree of a file. Throws InputError ("PATH:1:1: cannot read the
// file: why", or an error of parse_yaml).
YamlNode read_yaml_file(const std::string& path);

// Sets the value at `path` (README.md): segments separated by dots;
// in a mapping a segment is a key (a missing key is added; a missing or null
// mapping on the way is created); in a list it is an item's `id`, else an
// index from 0; `*` in a list stands for every item
// (`facilities.*.capacity`). Throws InputError ("--set:1:1: PATH: no list item with id
// 'x' (ids: ...)") when a segment cannot be followed. The value keeps its
// own positions, so errors found in it later point at where it was written
// ("--set:1:COL", a sweep file); a value made in code (YamlNode::scalar) has
// none and is reported at the position of the key it replaced.
void apply_set(YamlNode& root, const std::string& path, const YamlNode& value);

// One `--set PATH=VALUE` argument: VALUE is parsed as YAML (`36`, `null`,
// `[1, 2]`, `{dist: fixed, hours: 3}`, `sanctuary`). Errors in the value are
// reported as "--set:1:COL", COL counted in the whole argument.
void apply_set_argument(YamlNode& root, const std::string& argument);

// `--policy NAME`: the state policy becomes NAME and preempts every
// facility's; policy_changes are removed. The name is checked when the tree
// is resolved (errors are reported at "--policy:1:1").
void apply_policy_override(YamlNode& root, const std::string& name);

// Where the value at `path` (dots; list items by id or index, as apply_set)
// was written in `root`: its node's position, or that of the nearest
// enclosing node written (a value left to its default). Never throws.
YamlPos locate_path(const YamlNode& root, const std::string& path);

// Checks `root` (after options.sets and options.policy_override, applied to
// a copy) and resolves it into a Scenario whose `source` is `source`.
// Presets come from options.preset_dir (see LoadOptions). Throws InputError.
Scenario resolve_scenario(const YamlNode& root, const std::string& source,
                          const LoadOptions& options);

}  // namespace detsim
