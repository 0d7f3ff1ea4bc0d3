// `detsim expect`: analytic expectations of a scenario.
#include <unistd.h>

#include <iostream>

#include "cli/cli.hpp"
#include "detsim/expect.hpp"
#include "detsim/load.hpp"

namespace detsim::cli {

int expect_command(const Args& args) {
  po::options_description options("expect options");
  options.add_options()("help,h", "show this help")(
      "scenario", po::value<std::string>(), "scenario file")(
      "policy", po::value<std::string>(), "apply this policy to every facility for the whole run")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "PATH=VALUE: override a scenario value (repeatable)")("json", "print JSON on stdout");
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map vm;
  const std::string usage =
      "usage: detsim expect SCENARIO.yaml [--json] [--policy NAME] [--set PATH=VALUE]...\n"
      "Expected counts over the horizon, without simulating, for scenarios with unlimited\n"
      "ICE capacity (no teams, business hours, weekend-excluding holds, policy changes or\n"
      "transfers between facilities); day-of-week and month multipliers are integrated.";
  if (!parse(args, options, positional, usage, vm)) return 0;
  if (!vm.count("scenario")) throw UsageError{"missing SCENARIO.yaml\n" + usage};

  LoadOptions lo;
  if (vm.count("set")) lo.sets = vm["set"].as<std::vector<std::string>>();
  if (vm.count("policy")) lo.policy_override = vm["policy"].as<std::string>();
  const Scenario scenario = load_scenario(vm["scenario"].as<std::string>(), lo);
  const Expectations e = expected_metrics(scenario);
  if (vm.count("json")) {
    std::cout << expect_json(scenario, e);
  } else {
    std::cout << expect_table(scenario, e, isatty(STDOUT_FILENO) != 0);
  }
  return 0;
}

}  // namespace detsim::cli
