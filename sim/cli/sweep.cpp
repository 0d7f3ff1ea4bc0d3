// `detsim sweep` and `detsim merge` (MODEL.md section 9).
#include <fmt/format.h>

#include <charconv>
#include <filesystem>

#include "report/atomic_file.hpp"
#include "cli/cli.hpp"
#include "sweep/csv.hpp"
#include "cli/mpi_sweep.hpp"
#include "cli/sweep_session.hpp"

namespace detsim::cli {
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

constexpr const char* kMergeUsage =
    "usage: detsim merge OUT.csv RESULTS.csv...\n"
    "\n"
    "Merges results (or per-replication) files of one sweep, such as its shards: same header,\n"
    "repeated rows once, sorted by point id. OUT.csv is replaced atomically.";

// "I/N" with 1 <= I <= N.
void parse_shard(const std::string& text, SweepJob& job) {
  const auto slash = text.find('/');
  const auto number = [&](std::string_view s, int* out) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && end == s.data() + s.size();
  };
  const std::string_view all(text);
  const bool ok = slash != std::string::npos && number(all.substr(0, slash), &job.shard) &&
                  number(all.substr(slash + 1), &job.shard_count) && job.shard_count >= 1 &&
                  job.shard >= 1 && job.shard <= job.shard_count;
  if (!ok)
    throw UsageError{fmt::format("--shard: expected I/N with 1 <= I <= N, found '{}'", text)};
}

SweepJob parse_job(const Args& args, bool* help) {
  po::options_description options("sweep options");
  options.add_options()("help,h", "show this help")("sweep", po::value<std::string>()->required(),
                                                    "sweep file")(
      "out", po::value<std::string>()->required(), "results CSV, one row per point")(
      "threads", po::value<int>()->default_value(0),
      "worker threads (0: all cores; per rank under MPI)")(
      "shard", po::value<std::string>(), "I/N: run only the points whose index modulo N is I-1")(
      "resume", "continue the results in --out: keep finished points, run the others")(
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
  job.threads = vm["threads"].as<int>();
  if (job.threads < 0) throw UsageError{"--threads: expected 0 (all cores) or more"};
  if (vm.count("shard")) parse_shard(vm["shard"].as<std::string>(), job);
  job.resume = vm.count("resume") > 0;
  job.quiet = vm.count("quiet") > 0;
  job.sensitivity = vm.count("sensitivity") > 0;
  if (vm.count("per-replication")) job.per_replication = vm["per-replication"].as<std::string>();
  const auto same = [](const std::string& a, const std::string& b) {
    return std::filesystem::weakly_canonical(a) == std::filesystem::weakly_canonical(b);
  };
  if (!job.per_replication.empty() &&
      (same(job.per_replication, job.out) || same(job.per_replication, sidecar_path(job.out)))) {
    throw UsageError{"--per-replication must name another file than --out and its .json"};
  }
  job.command_line = args;
  return job;
}

int run_locally(const SweepJob& job) {
  const SweepInputs in = read_sweep_inputs(job.sweep_path);
  check_points(in, job.threads);
  OpenResults open;
  open_results(job, in, open);
  ResultsWriter writer(in.sweep, open);
  SweepProgress progress(job, open.already_done + static_cast<int>(open.todo.size()),
                         open.already_done);
  StopSignals signals;
  ListFeed feed(open.todo);
  ExecuteOptions options;
  options.threads = job.threads;
  options.stop = &signals.flag();
  options.tick = [&] { progress.update(writer.finished()); };
  execute_points(in, feed, writer, options);
  progress.clear();
  return finish_sweep(job, in, open, writer, signals.received());
}

}  // namespace

int sweep_command(const Args& args) {
  bool help = false;
  const SweepJob job = parse_job(args, &help);
  if (help) return 0;
  const MpiSession mpi;
  if (mpi.size() > 1) return run_sweep_mpi(mpi, job);
  return run_locally(job);
}

int merge_command(const Args& args) {
  po::options_description options("merge options");
  options.add_options()("help,h", "show this help")(
      "files", po::value<std::vector<std::string>>()->required(),
      "OUT.csv, then the files to merge");
  po::positional_options_description positional;
  positional.add("files", -1);
  po::variables_map vm;
  if (!parse(args, options, positional, kMergeUsage, vm)) return 0;
  const auto files = vm["files"].as<std::vector<std::string>>();
  if (files.size() < 2) throw UsageError{"expected OUT.csv and at least one file to merge"};
  const std::vector<std::string> inputs(files.begin() + 1, files.end());
  std::vector<std::string> warnings;
  const std::string merged = merge_results(inputs, &warnings);
  const std::string sidecar = merge_sidecars(inputs, &warnings);
  for (const std::string& w : warnings) fmt::print(stderr, "detsim merge: {}\n", w);
  const auto parent = std::filesystem::path(files[0]).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  write_file_atomic(files[0], merged);
  if (!sidecar.empty()) write_file_atomic(sidecar_path(files[0]), sidecar);
  return 0;
}

}  // namespace detsim::cli
