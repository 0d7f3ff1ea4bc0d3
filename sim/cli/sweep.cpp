// `detsim sweep` (docs/scenario.md): one process, or MPI ranks.
#include <fmt/format.h>

#include <unistd.h>

#include <charconv>
#include <csignal>
#include <filesystem>
#include <optional>

#include "cli/cli.hpp"
#include "cli/mpi_session.hpp"
#include "cli/progress.hpp"
#include "cli/signals.hpp"
#include "cli/sweep.hpp"
#include "sweep/csv.hpp"
#include "sweep/design.hpp"
#include "sweep/plan.hpp"

namespace detsim {
namespace {

// A shell word: as is when safe, else in single quotes.
std::string shell_word(const std::string& word) {
  const bool safe =
      !word.empty() &&
      word.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") ==
          std::string::npos;
  if (safe) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string resume_command(const SweepJob& job) {
  std::string out = "detsim sweep";
  bool has_resume = false;
  for (const std::string& a : job.run.command_line) {
    out += ' ';
    out += shell_word(a);
    has_resume = has_resume || a == "--resume";
  }
  return has_resume ? out : out + " --resume";
}

}  // namespace

int finish_sweep(const SweepJob& job, const Sweep& sweep, const SweepStatus& status, int signal) {
  const int total = status.total;
  if (signal != 0) {
    fmt::print(stderr,
               "detsim sweep: stopped by {}: {} of {} points are in {}; unfinished points were "
               "abandoned.\nresume with: {}\n",
               signal == SIGINT    ? "SIGINT"
               : signal == SIGTERM ? "SIGTERM"
                                   : fmt::format("signal {}", signal),
               status.already_done + status.finished, total, job.out, resume_command(job));
    return 128 + signal;
  }
  if (!job.quiet) {
    fmt::print(stderr, "detsim sweep: {} points in {} ({} run now, {} found from before){}\n",
               total, job.out, status.finished, status.already_done,
               status.repaired ? "; an incomplete last line was removed" : "");
  }
  if (job.sensitivity) fmt::print("{}", sensitivity_table(results_sensitivity(sweep, job.out)));
  return 0;
}

namespace cli {
namespace {

constexpr const char* kSweepUsage =
    "usage: detsim sweep SWEEP.yaml --out RESULTS.csv [--threads N] [--shard I/N] [--resume]\n"
    "                    [--quiet] [--per-replication FILE] [--sensitivity]\n"
    "\n"
    "Runs every point of the sweep (its base scenario with the point's values, the sweep's seed\n"
    "and replications) and appends one row per point to RESULTS.csv as points finish; the\n"
    "sweep and the resolved base scenario are recorded in RESULTS.csv.json. Under mpirun (an\n"
    "MPI build) the points are spread over the ranks. Interrupted (Ctrl-C, SIGTERM, a kill),\n"
    "it continues with --resume, without losing or repeating a row.";

// "I/N" with 1 <= I <= N.
void parse_shard(const std::string& text, SweepJob& job) {
  const auto slash = text.find('/');
  const auto number = [&](std::string_view s, int* out) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && end == s.data() + s.size();
  };
  const std::string_view all(text);
  const bool ok = slash != std::string::npos && number(all.substr(0, slash), &job.run.shard) &&
                  number(all.substr(slash + 1), &job.run.shard_count) && job.run.shard_count >= 1 &&
                  job.run.shard >= 1 && job.run.shard <= job.run.shard_count;
  if (!ok)
    throw UsageError{fmt::format("--shard: expected I/N with 1 <= I <= N, found '{}'", text)};
}

SweepJob parse_sweep_job(const Args& args, bool* help) {
  po::options_description options("sweep options");
  options.add_options()("help,h", "show this help")("sweep", po::value<std::string>()->required(),
                                                    "sweep file")(
      "out", po::value<std::string>()->required(), "results CSV, one row per point")(
      "threads", po::value<int>()->default_value(0),
      "worker threads (0: all cores; at most 1024; per rank under MPI)")(
      "shard", po::value<std::string>(), "I/N: run only the points whose index modulo N is I-1")(
      "resume", "continue the results in --out: keep finished points, run the others")(
      "force",
      "with --resume: continue results whose sidecar (.json) is missing or another sweep's "
      "(each row is still checked against this sweep's points)")(
      "quiet", "no progress line and no closing message")(
      "per-replication", po::value<std::string>(),
      "also write one row per point and replication to FILE")(
      "sensitivity", "at the end, print standardized regression coefficients of each metric");
  po::positional_options_description positional;
  positional.add("sweep", 1);
  po::variables_map vm;
  *help = !parse(args, options, positional, kSweepUsage, vm);
  SweepJob job;
  if (*help) return job;
  job.sweep_path = vm["sweep"].as<std::string>();
  job.out = vm["out"].as<std::string>();
  job.run.threads = vm["threads"].as<int>();
  check_threads(job.run.threads);
  if (vm.count("shard")) parse_shard(vm["shard"].as<std::string>(), job);
  job.run.resume = vm.count("resume") > 0;
  job.run.force = vm.count("force") > 0;
  if (job.run.force && !job.run.resume) throw UsageError{"--force needs --resume"};
  job.quiet = vm.count("quiet") > 0;
  job.sensitivity = vm.count("sensitivity") > 0;
  if (vm.count("per-replication"))
    job.run.per_replication = vm["per-replication"].as<std::string>();
  const auto same = [](const std::string& a, const std::string& b) {
    return std::filesystem::weakly_canonical(a) == std::filesystem::weakly_canonical(b);
  };
  if (!job.run.per_replication.empty() && (same(job.run.per_replication, job.out) ||
                                           same(job.run.per_replication, sidecar_path(job.out)))) {
    throw UsageError{"--per-replication must name another file than --out and its .json"};
  }
  job.run.command_line = args;
  return job;
}

// The plan's size, said as soon as the sweep file is read: before the base
// scenario is applied to every point and the points are checked, which
// takes a while for a large plan. The bookings are the base scenario's.
void print_plan(const SweepJob& job) {
  if (job.quiet) return;
  const SweepInputs head = parse_sweep_file(job.sweep_path);
  const Sweep& s = head.sweep;
  std::int64_t points = planned_points(head);
  if (job.run.shard_count > 1)  // the points whose index modulo N is I-1
    points = points >= job.run.shard ? (points - job.run.shard) / job.run.shard_count + 1 : 0;
  const Scenario base = load_scenario(s.base_path);
  const int reps = s.replications > 0 ? s.replications : base.replications;
  const auto simulations = points * reps;
  fmt::print(stderr,
             "detsim sweep: {} points{} x {} replications = {} simulations (about {:.3g} "
             "bookings); preparing them\n",
             points,
             job.run.shard_count > 1
                 ? fmt::format(" (shard {}/{})", job.run.shard, job.run.shard_count)
                 : "",
             reps, simulations, estimated_bookings(base, 1) * static_cast<double>(simulations));
}

int run_locally(const SweepJob& job) {
  print_plan(job);
  const SweepPlan plan(job.sweep_path);
  SweepRunOptions options = job.run;
  options.stop = &StopSignals::flag();
  std::optional<SweepProgress> progress;
  std::optional<StopSignals> signals;
  const auto start = [&](const SweepStatus& s) {
    for (const std::string& message : s.dropped) fmt::print(stderr, "{}\n", message);
    progress.emplace(!job.quiet && isatty(STDERR_FILENO) != 0, s.total, s.already_done);
    signals.emplace();
  };
  const auto tick = [&](const SweepStatus& s) { progress->update(s.finished); };
  const SweepStatus status = run_sweep(plan, job.out, options, start, tick);
  progress->clear();
  return finish_sweep(job, plan.sweep(), status, signals->received());
}

}  // namespace

int sweep_command(const Args& args) {
  bool help = false;
  const SweepJob job = parse_sweep_job(args, &help);
  if (help) return 0;
  const MpiSession mpi;
  if (mpi.size() > 1) return run_sweep_mpi(mpi, job);
  return run_locally(job);
}

}  // namespace cli
}  // namespace detsim
