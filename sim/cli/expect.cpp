// `detsim expect`: analytic expectations of a scenario.
#include <unistd.h>

#include <iostream>

#include "cli/cli.hpp"
#include "detsim/expect.hpp"
#include "detsim/load.hpp"
#include "scenario/cursor.hpp"
#include "scenario/facility_table.hpp"
#include "scenario/scenario_yaml.hpp"

namespace detsim::cli {

namespace {

// A refusal of expected_metrics ("SOURCE: KEY.PATH: why") with the line and
// column of the key in the scenario file (or of the --set that gave it).
std::string located(const std::string& what, const Scenario& scenario, const LoadOptions& lo) {
  const std::string prefix = scenario.source + ": ";
  const std::size_t colon = what.find(": ", prefix.size());
  if (scenario.source.empty() || what.rfind(prefix, 0) != 0 || colon == std::string::npos)
    return what;
  const std::string path = what.substr(prefix.size(), colon - prefix.size());
  YamlNode tree = read_scenario_tree(scenario.source);
  for (const std::string& set : lo.sets) apply_set_argument(tree, set);
  if (!lo.policy_override.empty()) apply_policy_override(tree, lo.policy_override);
  return format_input_error(locate_path(tree, path), path, what.substr(colon + 2));
}

}  // namespace

int expect_command(const Args& args) {
  po::options_description options("expect options");
  options.add_options()("help,h", "show this help")("scenario", po::value<std::string>(),
                                                    "scenario file")(
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
  const Expectations e = [&] {
    try {
      return expected_metrics(scenario);
    } catch (const InputError& refusal) {
      throw InputError(located(refusal.what(), scenario, lo));
    }
  }();
  if (vm.count("json")) {
    std::cout << expect_json(scenario, e);
  } else {
    std::cout << expect_table(scenario, e, isatty(STDOUT_FILENO) != 0);
  }
  return 0;
}

}  // namespace detsim::cli
