// `detsim init FILE [--from SCENARIO]`: a commented scenario to start from.
// Without --from, a small one-facility scenario with every value marked
// illustrative; with --from, a copy of SCENARIO's text (checked first)
// under a comment naming it. Never overwrites FILE unless --force.
#include <fmt/core.h>

#include <filesystem>

#include "cli/cli.hpp"
#include "detsim/load.hpp"
#include "report/atomic_file.hpp"
#include "scenario/scenario_yaml.hpp"

namespace detsim::cli {
namespace {

constexpr const char* kTemplate =
    R"(# A scenario to start from, written by `detsim init`. Every key is described
# in docs/scenario.md (type, unit, default, bounds); every metric in
# docs/metrics.md. Values below are illustrative: replace them with figures
# from a public source and cite it in a comment (docs/sources.md).
# Check the file with `detsim validate FILE`, run it with `detsim run FILE`.
name: my-scenario
description: >
  One county jail, one year, detainers honored. All values illustrative.
start: 2025-01-01          # first day of the counted window (ISO date)
horizon_days: 365          # days counted
warmup_days: stationary    # steady-state start (or auto, or days simulated before the window)
replications: 20           # independent runs; intervals need at least 10
seed: 1
# currency: USD            # label of costs; without it, "cost units"

population:
  noncitizen_share: 0.07             # illustrative: share of bookings
  erroneous_detainer_rate: 0.0002    # illustrative: detainers on citizens per citizen booking

offenses:                  # the booking mix; shares sum to 1
  - id: violent
    share: 0.2                       # illustrative
    severity: violent
    prior_serious: 0.15              # illustrative
    pretrial_release: 0.75           # illustrative
    pretrial_stay:  {dist: lognormal, median_hours: 40, sigma: 1.2}   # illustrative
    sentenced_stay: {dist: lognormal, median_days: 60, sigma: 0.9}    # illustrative
  - id: other
    share: 0.8                       # illustrative
    severity: other
    prior_serious: 0.02              # illustrative
    pretrial_release: 0.95           # illustrative
    pretrial_stay:  {dist: exponential, mean_hours: 12}               # illustrative
    sentenced_stay: {dist: fixed, days: 5}                            # illustrative

ice:
  match_probability: 0.95            # illustrative: share of noncitizens ICE identifies
  lodge_probability: {violent: 0.8, serious: 0.6, other: 0.3}        # illustrative
  lodge_delay: {dist: lognormal, median_hours: 24, sigma: 1.0}       # illustrative
  pickup:
    delay: {dist: lognormal, median_hours: 18, sigma: 0.8}            # illustrative
    teams: null                      # null: unlimited

detainer_hold:
  limit_hours: 48                    # Form I-247A: up to 48 hours past release

state:
  policy: cooperative                # a preset: `detsim policies` lists them

facilities:
  - id: county-jail
    kind: jail
    bookings_per_day: 50             # illustrative
    capacity: 1000                   # illustrative: beds
    bed_day_cost: 100                # illustrative: cost of a bed for a day
)";

}  // namespace

int init_command(const Args& args) {
  po::options_description options("init options");
  options.add_options()("help,h", "show this help")("file", po::value<std::string>(),
                                                    "the scenario file to write")(
      "from", po::value<std::string>(), "start from this scenario's text")(
      "force", "replace FILE if it exists");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  const std::string usage =
      "usage: detsim init FILE [--from SCENARIO.yaml] [--force]\n"
      "Writes a commented scenario to start from (docs/scenario.md describes every key).";
  if (!parse(args, options, positional, usage, vm)) return 0;
  if (!vm.count("file")) throw UsageError{"missing FILE\n" + usage};
  const std::string file = vm["file"].as<std::string>();
  if (std::filesystem::exists(file) && !vm.count("force")) {
    fmt::print(stderr, "detsim init: {} exists; --force replaces it\n", file);
    return 1;
  }
  std::string text = kTemplate;
  if (vm.count("from")) {
    const std::string from = vm["from"].as<std::string>();
    load_scenario(from);  // refuses an invalid scenario (exit 2)
    std::string original;
    if (!read_file_text(from, &original))
      throw std::runtime_error(fmt::format("cannot read {}", from));
    text = fmt::format(
        "# Started from {} by `detsim init`. Keys: docs/scenario.md; metrics:\n"
        "# docs/metrics.md. Check with `detsim validate`.\n{}",
        from, original);
  }
  write_file_atomic(file, text);
  fmt::print("wrote {}\n", file);
  return 0;
}

}  // namespace detsim::cli
