// `facilities_table: FILE.csv` in a scenario: one facility per row, added to
// the scenario's `facilities:` list before anything else reads the tree, so
// that `--set`, sweeps and calibrations address a table facility by its id
// like any other, errors in a cell are reported at FILE.csv:LINE:COL by the
// ordinary checks, and the resolved scenario inlines the rows.
#pragma once

#include <string>

#include "scenario/yaml_tree.hpp"

namespace detsim {

// If `root` has a `facilities_table` key, reads the CSV file it names (a path
// relative to the directory of `source`, the scenario's file), appends one
// facility mapping per row to `facilities` (created when absent or null) and
// removes the key. Every value node carries its cell's position. Throws
// InputError for a file that cannot be read, is not UTF-8 text, or whose
// header or rows are malformed (FILE.csv:LINE:COL: ...). Values are checked
// later, with the rest of the scenario. Does nothing without the key.
void expand_facilities_table(YamlNode& root, const std::string& source);

// The YAML tree of the scenario file at `path` with its facility table
// expanded: the base of sweeps and calibrations. Throws InputError.
YamlNode read_scenario_tree(const std::string& path);

}  // namespace detsim
