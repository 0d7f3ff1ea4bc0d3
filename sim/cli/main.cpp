// detsim: the command-line shell. Dispatches to one file per command in sim/cli/.
#include <fmt/core.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <exception>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "detsim/load.hpp"

namespace {

constexpr const char* kMainUsage =
    "usage: detsim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.yaml        simulate replications; honored vs declined and every metric\n"
    "  compare SCENARIO.yaml --policy A --policy B ...   or   compare A.yaml B.yaml\n"
    "                           regimes on the same people, with paired differences\n"
    "  sweep SWEEP.yaml --out RESULTS.csv   run a parameter sweep\n"
    "  calibrate CALIBRATION.yaml --out DIR   infer unknown inputs from observed counts\n"
    "  merge OUT.csv RESULTS.csv...   merge sweep results (shards), sorted by point id\n"
    "  expect SCENARIO.yaml     analytic expectations (stationary, unlimited ICE capacity)\n"
    "  validate FILE...         check scenario, sweep, policy files without running them\n"
    "  policies [NAME]          list preset policies, or show one\n"
    "  serve [--port 8080]      the what-if page and its JSON API, on http://127.0.0.1:8080/\n"
    "  metrics [NAME]           list the metrics with unit and definition, or explain one\n"
    "  init FILE [--from SCENARIO.yaml]   write a commented scenario to start from\n"
    "  version                  print the version\n"
    "\n"
    "`detsim <command> --help` shows a command's options. Documentation: docs/README.md.\n";

// Standard output is an output like any file: a failed write to it (a full
// disk, a closed pipe) is an error, exit code 1, never a silent success.
int checked_stdout(const std::string& command, int code) {
  std::cout.flush();
  errno = 0;
  const bool failed = std::fflush(stdout) != 0 || std::ferror(stdout) != 0 || std::cout.fail();
  if (!failed) return code;
  const int err = errno;
  fmt::print(stderr, "detsim {}: error: cannot write to standard output{}{}\n", command,
             err ? ": " : "", err ? std::strerror(err) : "");
  return code == 0 ? 1 : code;
}

int dispatch(const std::string& command, const detsim::cli::Args& args);

}  // namespace

int main(int argc, char** argv) {
  using namespace detsim;
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    fmt::print(argc < 2 ? stderr : stdout, "{}", kMainUsage);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  const cli::Args args(argv + 2, argv + argc);
  return checked_stdout(command, dispatch(command, args));
}

namespace {

int dispatch(const std::string& command, const detsim::cli::Args& args) {
  using namespace detsim;
  try {
    if (command == "run") return cli::run_command(args);
    if (command == "compare") return cli::compare_command(args);
    if (command == "sweep") return cli::sweep_command(args);
    if (command == "calibrate") return cli::calibrate_command(args);
    if (command == "merge") return cli::merge_command(args);
    if (command == "expect") return cli::expect_command(args);
    if (command == "validate") return cli::validate_command(args);
    if (command == "policies") return cli::policies_command(args);
    if (command == "serve") return cli::serve_command(args);
    if (command == "metrics") return cli::metrics_command(args);
    if (command == "init") return cli::init_command(args);
    if (command == "version" || command == "--version") {
      fmt::print("detsim {}\n", DETSIM_VERSION);
      return 0;
    }
    fmt::print(stderr, "detsim: unknown command '{}'\n\n{}", command, kMainUsage);
    return 2;
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 2;
  } catch (const cli::UsageError& e) {
    fmt::print(stderr, "detsim {}: {}\n", command, e.message);
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "detsim {}: error: {}\n", command, e.what());
    return 1;
  }
}

}  // namespace
