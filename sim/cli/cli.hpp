// The `detsim` command's subcommands (README.md, `detsim --help`). Each takes its own
// arguments (after the subcommand name) and returns the process exit code:
// 0 success, 2 bad input or usage (message on stderr, nothing written),
// 1 any other failure.
#pragma once

#include <string>
#include <vector>

namespace detsim::cli {

using Args = std::vector<std::string>;

int run_command(const Args& args);
int validate_command(const Args& args);
int policies_command(const Args& args);
int compare_command(const Args& args);
int expect_command(const Args& args);
int sweep_command(const Args& args);
int merge_command(const Args& args);
int serve_command(const Args& args);
int metrics_command(const Args& args);
int init_command(const Args& args);
int calibrate_command(const Args& args);

// A command-line usage error: reported like InputError, exit code 2.
struct UsageError {
  std::string message;
};

}  // namespace detsim::cli

#include <boost/program_options.hpp>

#include "detsim/load.hpp"

namespace detsim::cli {

namespace po = boost::program_options;

// Parses `args` against `options` and `positional`; --help prints `usage`
// and the options and returns false (the caller exits 0).
// Throws UsageError on a bad option.
bool parse(const Args& args, const po::options_description& options,
           const po::positional_options_description& positional, const std::string& usage,
           po::variables_map& vm);

// The most replications a scenario may have (docs/scenario.md), so --reps.
inline constexpr long long kMaxReplications = 100'000;

// The most worker threads a command accepts (--threads).
inline constexpr int kMaxThreads = 1024;
// Throws UsageError unless 0 <= threads <= kMaxThreads.
void check_threads(int threads);

// The bookings a run of `scenario` simulates, estimated: the facilities'
// mean bookings a day times the simulated days (warm-up included) times
// `replications`.
double estimated_bookings(const Scenario& scenario, int replications);

// The most bookings `run` simulates without --yes: 10^11 (days of one core).
inline constexpr double kMaxBookingsWithoutYes = 1e11;

// Throws UsageError when the estimate is above kMaxBookingsWithoutYes and
// `yes` is false; prints the estimate on stderr when it is at least 10^9.
void check_work(const Scenario& scenario, int replications, bool yes);
// Warns on stderr when a per-person trace of `replications` replications is
// expected to exceed 100 MB (about one row per booking in the window).
void warn_trace_size(const Scenario& scenario, int replications);
// The command line as a shell would take it back: "detsim COMMAND ARGS...",
// arguments quoted where needed (for the --out manifest).
std::string command_line(const std::string& command, const Args& args);

// Adds the scenario options every simulating command shares:
// --reps, --seed, --set, --threads.
void add_scenario_options(po::options_description& options);

// The scenario options of `vm` as load options: --set in order, then --reps
// and --seed as `replications=` and `seed=` overrides (so they are checked
// and recorded in the resolved scenario like any other value).
LoadOptions load_options(const po::variables_map& vm);

}  // namespace detsim::cli
