// `detsim run`: replications of one scenario, summarized.
#include <fmt/core.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/cli.hpp"
#include "cli/posterior.hpp"
#include "cli/signals.hpp"
#include "detsim/load.hpp"
#include "detsim/report.hpp"
#include "detsim/run.hpp"
#include "detsim/stats.hpp"
#include "report/ordered_csv.hpp"
#include "report/atomic_file.hpp"
#include "report/monthly_series.hpp"
#include "report/out_folder.hpp"

namespace detsim::cli {
namespace {

// Sends trace records to one observer and series records to another.
class TeeObserver : public Observer {
 public:
  TeeObserver(std::unique_ptr<Observer> trace, std::unique_ptr<Observer> series)
      : trace_(std::move(trace)), series_(std::move(series)) {}
  bool wants_trace() const override { return true; }
  bool wants_series() const override { return true; }
  void on_person(const TraceRecord& r) override { trace_->on_person(r); }
  void on_day(const SeriesRecord& r) override { series_->on_day(r); }

 private:
  std::unique_ptr<Observer> trace_, series_;
};

// `--series monthly` as one token (the option's value is optional, which
// the parser takes only after '=').
Args series_with_value(Args args) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--series" && (args[i + 1] == "daily" || args[i + 1] == "monthly")) {
      args[i] += "=" + args[i + 1];
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    }
  }
  return args;
}

}  // namespace

int run_command(const Args& args) {
  po::options_description options("run options");
  options.add_options()("help,h", "show this help")("scenario", po::value<std::string>(),
                                                    "scenario file")(
      "policy", po::value<std::string>(), "apply this policy to every facility for the whole run")(
      "json", "print JSON on stdout")("csv", "print the tidy per-replication CSV on stdout")(
      "out", po::value<std::string>(),
      "write metrics.csv, summary.csv, run.json and the resolved scenario into DIR")(
      "series", po::value<std::string>()->implicit_value("daily"),
      "with --out: also write the series: daily (the default; series.csv, a row per replication, "
      "day and facility) or monthly (series_monthly.csv, means and 95% intervals)")(
      "force",
      "with --out: replace the folder of an earlier run (its manifest.json lists every "
      "file in it)")("trace", po::value<std::string>(), "write a per-person trace CSV to FILE")(
      "precision", po::value<double>(),
      "add replications (checked at 10, 20, 40, ...) until every headline metric's 95% CI "
      "half-width is within this share of its mean, e.g. 0.02")(
      "max-reps", po::value<int>()->default_value(10000),
      "with --precision: the most replications to run")(
      "yes", "run even when more than 10^11 bookings are estimated")(
      "posterior", po::value<std::string>(),
      "run across draws from the posterior in DIR (detsim calibrate --out DIR)")(
      "draws", po::value<int>()->default_value(20), "with --posterior: the number of draws");
  add_scenario_options(options);
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map vm;
  const std::string usage = "usage: detsim run SCENARIO.yaml [options]";
  if (!parse(series_with_value(args), options, positional, usage, vm)) return 0;
  if (!vm.count("scenario"))
    throw UsageError{"missing SCENARIO.yaml\n" + usage +
                     "\n(`detsim run --help` lists the options)"};
  const std::string series_kind = vm.count("series") ? vm["series"].as<std::string>() : "";
  if (!series_kind.empty() && series_kind != "daily" && series_kind != "monthly")
    throw UsageError{"--series " + series_kind + ": expected daily or monthly"};
  if (vm.count("json") && vm.count("csv")) throw UsageError{"--json and --csv exclude each other"};
  if (vm.count("series") && !vm.count("out")) throw UsageError{"--series needs --out DIR"};

  LoadOptions lo = load_options(vm);
  if (vm.count("policy")) lo.policy_override = vm["policy"].as<std::string>();
  if (vm.count("posterior")) {
    return posterior_command(vm["scenario"].as<std::string>(), {"run"}, {lo},
                             vm["posterior"].as<std::string>(), vm["draws"].as<int>(),
                             vm["threads"].as<int>(), vm.count("json") > 0);
  }
  const Scenario scenario = load_scenario(vm["scenario"].as<std::string>(), lo);

  check_work(scenario, vm.count("precision") ? vm["max-reps"].as<int>() : scenario.replications,
             vm.count("yes") > 0);
  if (vm.count("trace")) warn_trace_size(scenario, scenario.replications);
  std::optional<OutFolder> out;  // checked before anything runs
  if (vm.count("out"))
    out.emplace(vm["out"].as<std::string>(), vm.count("force") > 0, command_line("run", args));
  RunOptions ro;
  ro.threads = vm["threads"].as<int>();
  // SIGINT/SIGTERM: running replications finish, then nothing is written.
  const StopSignals signals;
  ro.cancel = &StopSignals::flag();
  std::unique_ptr<OrderedCsv> trace, series;
  if (vm.count("trace"))
    trace = std::make_unique<OrderedCsv>(vm["trace"].as<std::string>(), OrderedCsv::Kind::kTrace,
                                         scenario, 0);
  if (series_kind == "daily")
    series = std::make_unique<OrderedCsv>(out->staging() + "/series.csv", OrderedCsv::Kind::kSeries,
                                          scenario, 0);
  std::unique_ptr<MonthlySeries> monthly;
  if (series_kind == "monthly") monthly = std::make_unique<MonthlySeries>(scenario);
  if (trace || series || monthly) {
    ro.observer = [&](int rep) -> std::unique_ptr<Observer> {
      std::unique_ptr<Observer> days = series    ? series->observer(rep)
                                       : monthly ? monthly->observer(rep)
                                                 : nullptr;
      if (trace && days)
        return std::make_unique<TeeObserver>(trace->observer(rep), std::move(days));
      return trace ? trace->observer(rep) : std::move(days);
    };
    ro.done = [&](int rep) {
      if (trace) trace->finish(rep);
      if (series) series->finish(rep);
    };
  }
  std::vector<ReplicationMetrics> reps;
  std::optional<PrecisionRun> precision;
  try {
    if (vm.count("precision")) {
      const double rel = vm["precision"].as<double>();
      const int max_reps = vm["max-reps"].as<int>();
      if (!(rel > 0)) throw UsageError{"--precision must be > 0"};
      if (max_reps < 2) throw UsageError{"--max-reps must be at least 2"};
      precision = run_to_precision(scenario, rel, max_reps, ro);
      reps = precision->reps;
      if (precision->reached) {
        fmt::print(stderr, "precision {} reached after {} replications\n", rel, reps.size());
      } else {
        fmt::print(stderr, "warning: precision {} not reached after --max-reps {} replications\n",
                   rel, reps.size());
      }
    } else {
      reps = run_replications(scenario, ro);
    }
  } catch (const Cancelled&) {
    fmt::print(stderr, "detsim run: stopped by signal {}; no output written\n", signals.received());
    return 128 + signals.received();
  }
  if (trace) trace->commit();
  if (series) series->commit();
  const RunSummary summary = summarize_run(reps);
  std::cerr << few_replications_warning(static_cast<int>(reps.size()));

  if (out) {
    write_run_folder(out->staging(), scenario, reps, summary);
    if (monthly) write_file_atomic(out->staging() + "/series_monthly.csv", monthly->csv());
    out->commit();
  }
  if (vm.count("json")) {
    std::cout << run_json(scenario, reps, summary, precision ? &*precision : nullptr);
  } else if (vm.count("csv")) {
    std::cout << metrics_csv(scenario, reps);
  } else {
    std::cout << run_table(scenario, summary, isatty(STDOUT_FILENO) != 0);
  }
  return 0;
}

}  // namespace detsim::cli
