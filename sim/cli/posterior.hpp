// `--posterior DIR` for `detsim run` and `detsim compare`.
#pragma once

#include <string>
#include <vector>

#include "cli/cli.hpp"

namespace detsim::cli {

// Runs `scenario_path` under each regime's load options across `draws`
// posterior draws from DIR/posterior.csv and prints a table (or JSON).
// `names`: the regimes' names (the first is the baseline of differences).
int posterior_command(const std::string& scenario_path, const std::vector<std::string>& names,
                      const std::vector<LoadOptions>& regimes, const std::string& dir, int draws,
                      int threads, bool json);

}  // namespace detsim::cli
