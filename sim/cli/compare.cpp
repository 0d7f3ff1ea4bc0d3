// `detsim compare`: regimes on the same people, with paired differences.
//
//   compare SCENARIO.yaml --policy A --policy B [...]   one file, one regime per policy
//   compare A.yaml B.yaml [...]                         one regime per file
//
// Every regime runs replications 0 .. n-1 with the same seed. With several
// files, the first file's seed and replication count (after --seed, --reps
// and --set) apply to all, so the replications pair the same people.
#include <fmt/core.h>
#include <unistd.h>

#include <iostream>
#include <optional>

#include "cli/cli.hpp"
#include "cli/posterior.hpp"
#include "detsim/compare.hpp"
#include "detsim/load.hpp"
#include "detsim/report.hpp"
#include "report/out_folder.hpp"

namespace detsim::cli {
namespace {

constexpr const char* kCompareUsage =
    "usage: detsim compare SCENARIO.yaml --policy A --policy B [...] [options]\n"
    "       detsim compare A.yaml B.yaml [...] [options]\n"
    "Runs every regime on the same replications (common random numbers) and reports each\n"
    "regime's metrics and the paired differences from the first (the baseline).";

std::vector<Regime> policy_regimes(const std::string& file,
                                   const std::vector<std::string>& policies,
                                   const LoadOptions& base) {
  const std::vector<std::string> names = regime_names(policies);
  std::vector<Regime> out;
  for (std::size_t i = 0; i < policies.size(); ++i) {
    LoadOptions lo = base;
    lo.policy_override = policies[i];
    out.push_back({names[i], load_scenario(file, lo)});
  }
  return out;
}

std::vector<Regime> file_regimes(const std::vector<std::string>& files, const LoadOptions& base) {
  std::vector<Scenario> scenarios = {load_scenario(files.front(), base)};
  LoadOptions rest = base;
  rest.sets.push_back(fmt::format("seed={}", scenarios.front().seed));
  rest.sets.push_back(fmt::format("replications={}", scenarios.front().replications));
  for (std::size_t i = 1; i < files.size(); ++i) scenarios.push_back(load_scenario(files[i], rest));
  std::vector<std::string> base_names;
  for (const Scenario& s : scenarios) base_names.push_back(s.name);
  const std::vector<std::string> names = regime_names(base_names);
  std::vector<Regime> out;
  for (std::size_t i = 0; i < scenarios.size(); ++i)
    out.push_back({names[i], std::move(scenarios[i])});
  return out;
}

}  // namespace

int compare_command(const Args& args) {
  po::options_description options("compare options");
  options.add_options()("help,h", "show this help")(
      "scenario", po::value<std::vector<std::string>>(), "scenario file(s)")(
      "policy", po::value<std::vector<std::string>>()->composing(),
      "a regime: this policy applied to every facility (repeat; with one scenario file)")(
      "json", "print JSON on stdout")(
      "csv", "print the tidy per-replication CSV of every regime on stdout")(
      "out", po::value<std::string>(),
      "write compare.json, metrics.csv and differences.csv into DIR")(
      "posterior", po::value<std::string>(),
      "compare across draws from the posterior in DIR (detsim calibrate --out DIR)")(
      "draws", po::value<int>()->default_value(20), "with --posterior: the number of draws")(
      "force",
      "with --out: replace the folder of an earlier run (its manifest.json lists every "
      "file in it)");
  add_scenario_options(options);
  po::positional_options_description positional;
  positional.add("scenario", -1);
  po::variables_map vm;
  if (!parse(args, options, positional, kCompareUsage, vm)) return 0;
  if (!vm.count("scenario"))
    throw UsageError{std::string("missing SCENARIO.yaml\n") + kCompareUsage};
  if (vm.count("json") && vm.count("csv")) throw UsageError{"--json and --csv exclude each other"};

  const auto files = vm["scenario"].as<std::vector<std::string>>();
  const std::vector<std::string> policies =
      vm.count("policy") ? vm["policy"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (files.size() > 1 && !policies.empty())
    throw UsageError{"give either one scenario with several --policy, or several scenario files"};
  if (files.size() == 1 && policies.size() < 2)
    throw UsageError{
        "compare needs two or more regimes: --policy A --policy B, or two scenario files"};

  const LoadOptions lo = load_options(vm);
  if (vm.count("posterior")) {
    if (files.size() != 1)
      throw UsageError{"--posterior takes one scenario with --policy A --policy B"};
    std::vector<LoadOptions> regimes;
    for (const std::string& p : policies) {
      regimes.push_back(lo);
      regimes.back().policy_override = p;
    }
    return posterior_command(files.front(), regime_names(policies), regimes,
                             vm["posterior"].as<std::string>(), vm["draws"].as<int>(),
                             vm["threads"].as<int>(), vm.count("json") > 0);
  }
  std::vector<Regime> regimes =
      files.size() == 1 ? policy_regimes(files.front(), policies, lo) : file_regimes(files, lo);
  std::optional<OutFolder> out;  // checked before anything runs
  if (vm.count("out"))
    out.emplace(vm["out"].as<std::string>(), vm.count("force") > 0, command_line("compare", args));
  CompareOptions co;
  co.threads = vm["threads"].as<int>();
  const Comparison c = compare_regimes(std::move(regimes), co);
  std::cerr << few_replications_warning(static_cast<int>(c.baseline().reps.size()));

  if (out) {
    write_compare_folder(out->staging(), c);
    out->commit();
  }
  if (vm.count("json")) {
    std::cout << compare_json(c);
  } else if (vm.count("csv")) {
    std::cout << compare_metrics_csv(c);
  } else {
    std::cout << compare_table(c, isatty(STDOUT_FILENO) != 0);
  }
  return 0;
}

}  // namespace detsim::cli
