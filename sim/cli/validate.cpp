// `detsim validate`: scenario files checked without running them.
#include <fmt/core.h>

#include "cli/cli.hpp"
#include "detsim/load.hpp"

namespace detsim::cli {

int validate_command(const Args& args) {
  po::options_description options("validate options");
  options.add_options()("help,h", "show this help")(
      "scenario", po::value<std::vector<std::string>>()->required(), "scenario files")(
      "quiet,q", "print nothing for valid files");
  po::positional_options_description positional;
  positional.add("scenario", -1);
  po::variables_map vm;
  if (!parse(args, options, positional, "usage: detsim validate SCENARIO.yaml...", vm)) return 0;
  int bad = 0;
  for (const std::string& path : vm["scenario"].as<std::vector<std::string>>()) {
    try {
      const Scenario s = load_scenario(path);
      if (!vm.count("quiet"))
        fmt::print("{}: ok ({}, {} facilities, {} offense categories, about {:.3g} bookings to "
                   "simulate)\n",
                   path, s.name, s.facilities.size(), s.offense_ids.size(),
                   estimated_bookings(s, s.replications));
    } catch (const InputError& e) {
      fmt::print(stderr, "{}\n", e.what());
      ++bad;
    }
  }
  return bad ? 2 : 0;
}

}  // namespace detsim::cli
