#include <fmt/core.h>

#include <charconv>

#include <iostream>

#include "cli/cli.hpp"
#include "experiment/warmup.hpp"

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

double estimated_bookings(const Scenario& scenario, int replications) {
  double per_day = 0;
  for (const Facility& f : scenario.facilities) per_day += f.bookings_per_day;
  const double days = scenario.horizon_days + warmup_hours(scenario) / 24.0;
  return per_day * days * replications;
}

void check_work(const Scenario& scenario, int replications, bool yes) {
  const double bookings = estimated_bookings(scenario, replications);
  if (bookings > kMaxBookingsWithoutYes && !yes) {
    throw UsageError{fmt::format(
        "about {:.3g} bookings to simulate ({} replications), more than {:.0e}; add --yes to run "
        "them anyway",
        bookings, replications, kMaxBookingsWithoutYes)};
  }
  if (bookings >= 1e9)
    fmt::print(stderr, "detsim: about {:.3g} bookings to simulate ({} replications)\n", bookings,
               replications);
}

void warn_trace_size(const Scenario& scenario, int replications) {
  constexpr double kBytesPerRow = 190;  // measured on the default scenario's trace
  double rows = 0;
  for (const Facility& f : scenario.facilities) {
    double week = 0, year = 0;
    for (double m : f.day_of_week) week += m / 7.0;
    for (double m : f.month) year += m / 12.0;
    rows += f.bookings_per_day * week * year * scenario.horizon_days;
  }
  const double megabytes = rows * replications * kBytesPerRow / 1e6;
  if (megabytes > 100)
    fmt::print(stderr,
               "warning: the trace will be about {:.0f} MB ({} replications of about {:.3g} "
               "people each); fewer replications (--reps) or a shorter horizon make it smaller\n",
               megabytes, replications, rows);
}

std::string command_line(const std::string& command, const Args& args) {
  std::string out = "detsim " + command;
  for (const std::string& a : args) {
    const bool plain = !a.empty() && a.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_./=:,+@%") == std::string::npos;
    std::string quoted = "'";
    for (char c : a) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += " " + (plain ? a : quoted + "'");
  }
  return out;
}

void check_threads(int threads) {
  if (threads < 0 || threads > kMaxThreads)
    throw UsageError{
        fmt::format("--threads {}: expected 0 (all cores) to {}", threads, kMaxThreads)};
}

void add_scenario_options(po::options_description& options) {
  options.add_options()("reps", po::value<std::string>(),
                        "replications (overrides the scenario's; 1 to 100000)")(
      "seed", po::value<std::uint64_t>(), "seed (overrides the scenario's)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "PATH=VALUE: override a scenario value (repeatable), e.g. ice.pickup.teams=4")(
      "threads", po::value<int>()->default_value(0)->notifier(check_threads),
      "worker threads (0: all cores; at most 1024)");
}

namespace {

// --reps N, checked here so that an error names --reps (not the --set it
// becomes).
long long reps_option(const po::variables_map& vm) {
  const std::string text = vm["reps"].as<std::string>();
  long long n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > kMaxReplications)
    throw UsageError{
        fmt::format("--reps {}: expected an integer from 1 to {}", text, kMaxReplications)};
  return n;
}

}  // namespace

LoadOptions load_options(const po::variables_map& vm) {
  LoadOptions o;
  if (vm.count("set")) o.sets = vm["set"].as<std::vector<std::string>>();
  if (vm.count("reps")) o.sets.push_back(fmt::format("replications={}", reps_option(vm)));
  if (vm.count("seed")) o.sets.push_back(fmt::format("seed={}", vm["seed"].as<std::uint64_t>()));
  return o;
}

}  // namespace detsim::cli
