#include <fmt/core.h>

#include <iostream>

#include "cli/cli.hpp"

namespace detsim::cli {

bool parse(const Args& args, const po::options_description& options,
           const po::positional_options_description& positional, const std::string& usage,
           po::variables_map& vm) {
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << usage << "\n" << options << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError{e.what()};
  }
  return true;
}

void check_threads(int threads) {
  if (threads < 0 || threads > kMaxThreads)
    throw UsageError{fmt::format("--threads {}: expected 0 (all cores) to {}", threads, kMaxThreads)};
}

void add_scenario_options(po::options_description& options) {
  options.add_options()("reps", po::value<int>(), "replications (overrides the scenario's)")(
      "seed", po::value<std::uint64_t>(), "seed (overrides the scenario's)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "PATH=VALUE: override a scenario value (repeatable), e.g. ice.pickup.teams=4")(
      "threads", po::value<int>()->default_value(0)->notifier(check_threads),
      "worker threads (0: all cores; at most 1024)");
}

LoadOptions load_options(const po::variables_map& vm) {
  LoadOptions o;
  if (vm.count("set")) o.sets = vm["set"].as<std::vector<std::string>>();
  if (vm.count("reps")) o.sets.push_back(fmt::format("replications={}", vm["reps"].as<int>()));
  if (vm.count("seed")) o.sets.push_back(fmt::format("seed={}", vm["seed"].as<std::uint64_t>()));
  return o;
}

}  // namespace detsim::cli
