// `detsim calibrate` (docs/calibration.md): ABC-SMC over a calibration file,
// on all cores or over MPI ranks, resumable after a kill from the last
// finished round.
#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "cli/cli.hpp"
#include "cli/mpi_session.hpp"
#include "cli/signals.hpp"
#include "calibrate/candidates.hpp"
#include "detsim/calibrate.hpp"
#include "report/atomic_file.hpp"

namespace detsim::cli {
namespace {

constexpr const char* kCalibrateUsage =
    "usage: detsim calibrate CALIBRATION.yaml --out DIR [--threads N] [--resume] [--quiet]\n"
    "\n"
    "Infers the posterior over the calibration file's parameters from its observed counts\n"
    "(sequential Monte Carlo ABC; docs/calibration.md) and writes DIR/posterior.csv,\n"
    "summary.csv, predictive.csv and calibration.json. The state after each finished round is\n"
    "kept in DIR/calibration-state.json: interrupted (Ctrl-C, a kill), the calibration\n"
    "continues with --resume and ends with the same result as an uninterrupted run. Under\n"
    "mpirun (an MPI build) rank 0 runs the calibration and the other ranks simulate.";

constexpr const char* kStateFile = "calibration-state.json";

struct Job {
  std::string file, out;
  int threads = 0;
  bool resume = false, quiet = false;
  std::vector<std::string> args;
};

Job parse_job(const Args& args, bool* help) {
  po::options_description options("calibrate options");
  options.add_options()("help,h", "show this help")(
      "calibration", po::value<std::string>()->required(), "calibration file")(
      "out", po::value<std::string>()->required(), "output folder (created if missing)")(
      "threads", po::value<int>()->default_value(0),
      "worker threads (0: all cores; per rank under MPI)")(
      "resume", "continue the calibration kept in --out from its last finished round")(
      "quiet", "no progress line and no closing summary");
  po::positional_options_description positional;
  positional.add("calibration", 1);
  po::variables_map vm;
  *help = !parse(args, options, positional, kCalibrateUsage, vm);
  Job job;
  if (*help) return job;
  job.file = vm["calibration"].as<std::string>();
  job.out = vm["out"].as<std::string>();
  job.threads = vm["threads"].as<int>();
  check_threads(job.threads);
  job.resume = vm.count("resume") > 0;
  job.quiet = vm.count("quiet") > 0;
  job.args = args;
  return job;
}

void prepare_out(const Job& job) {
  namespace fs = std::filesystem;
  if (fs::exists(job.out) && !fs::is_directory(job.out)) {
    throw UsageError{fmt::format("--out {}: exists and is not a folder", job.out)};
  }
  const fs::path state = fs::path(job.out) / kStateFile;
  const fs::path result = fs::path(job.out) / "calibration.json";
  if (!job.resume && (fs::exists(state) || fs::exists(result))) {
    throw UsageError{fmt::format(
        "--out {} already holds a calibration; continue it with --resume, or choose another "
        "folder",
        job.out)};
  }
  fs::create_directories(job.out);
  for (const char* name :
       {kStateFile, "posterior.csv", "summary.csv", "predictive.csv", "calibration.json"}) {
    check_output_target((fs::path(job.out) / name).string());
  }
}

// The progress line on a terminal.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled) {}
  void update(const CalibrationProgress& p) {
    if (!enabled_) return;
    shown_ = true;
    fmt::print(stderr,
               "\r\033[Kcalibrate: round {} (tolerance {}): {}/{} candidates; {} of at most {} "
               "simulations",
               p.round, std::isinf(p.tolerance) ? "prior" : fmt::format("{:.3g}", p.tolerance),
               p.candidates_done, p.candidates, p.simulations, p.budget);
    std::fflush(stderr);
  }
  void round(const CalibrationRound& r) {
    if (!enabled_) return;
    clear();
    fmt::print(stderr, "calibrate: round {} done: tolerance {}, ESS {:.0f}, acceptance {:.2f}\n",
               r.round, std::isinf(r.tolerance) ? "prior" : fmt::format("{:.3g}", r.tolerance),
               r.ess, r.acceptance);
  }
  void clear() {
    if (!shown_) return;
    fmt::print(stderr, "\r\033[K");
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
};

void print_summary(const Job& job, const CalibrationResult& r) {
  fmt::print(stderr, "detsim calibrate: {} after {} rounds and {} simulations; results in {}\n",
             r.converged ? "converged" : "NOT converged", r.rounds.size(), r.simulations, job.out);
  fmt::print(stderr, "  {:<48} {:>12} {:>12} {:>12} {:>7}\n", "parameter", "q05", "q50", "q95",
             "width");
  for (const ParameterSummary& s : r.summary) {
    fmt::print(stderr, "  {:<48} {:>12.6g} {:>12.6g} {:>12.6g} {:>7.2f}\n", s.path, s.q05, s.q50,
               s.q95, s.width_ratio);
  }
  for (const PredictiveRow& p : r.predictive) {
    if (!p.is_target) continue;
    fmt::print(stderr, "  target {}{}: observed {}, predictive 90% [{:.6g}, {:.6g}] {}\n", p.metric,
               p.facility.empty() ? "" : " (" + p.facility + ")", p.observed, p.q05, p.q95,
               p.fits ? "fits" : "DOES NOT FIT");
  }
}

// Runs the calibration in this process (`ranks` null: on its thread pool) or
// as MPI rank 0 (`ranks`: the other ranks simulate), writes the outputs.
int calibrate(const Job& job, const CalibrationPlan& plan, CandidateExecutor* ranks) {
  Progress progress(!job.quiet && isatty(STDERR_FILENO) != 0);
  StopSignals signals;
  CalibrateOptions options;
  options.threads = job.threads;
  options.executor = ranks;
  options.state_path = (std::filesystem::path(job.out) / kStateFile).string();
  options.resume = job.resume;
  options.stop = &StopSignals::flag();
  options.tick = [&](const CalibrationProgress& p) { progress.update(p); };
  options.round_done = [&](const CalibrationRound& r) { progress.round(r); };
  const CalibrationResult result = run_calibration(plan, options);
  progress.clear();
  if (result.stopped) {
    const int sig = signals.received();
    std::string resume = "detsim calibrate";
    bool has_resume = false;
    for (const std::string& a : job.args) {
      resume += " " + a;
      has_resume = has_resume || a == "--resume";
    }
    if (!has_resume) resume += " --resume";
    fmt::print(stderr,
               "detsim calibrate: stopped by {}; the last finished round is kept in {}/{}.\n"
               "resume with: {}\n",
               sig == SIGINT    ? "SIGINT"
               : sig == SIGTERM ? "SIGTERM"
               : sig != 0       ? fmt::format("signal {}", sig)
                                : "a signal to another MPI rank",
               job.out, kStateFile, resume);
    return 128 + (sig ? sig : SIGINT);
  }
  write_calibration(plan, result, job.out);
  for (const std::string& w : result.warnings) {
    fmt::print(stderr, "detsim calibrate: warning: {}\n", w);
  }
  if (!job.quiet) print_summary(job, result);
  return 0;
}

// Under mpirun with several ranks: every rank reads the calibration, then
// (when all could) rank 0 prepares --out; then rank 0 runs the calibration
// and the others simulate its candidates.
int calibrate_mpi(const MpiSession& mpi, const Job& job) {
  std::optional<CalibrationPlan> plan;
  std::exception_ptr error;
  try {
    mpi.require_serialized();
    plan.emplace(job.file);
  } catch (...) {
    error = std::current_exception();
  }
  if (const int code = mpi.agree(error, "calibrate")) return code;
  try {
    if (mpi.rank() == 0) prepare_out(job);
  } catch (...) {
    error = std::current_exception();
  }
  if (const int code = mpi.agree(error, "calibrate")) return code;
  if (mpi.rank() != 0) return run_candidates_mpi(mpi, plan->inputs(), job.threads);
  const std::unique_ptr<CandidateExecutor> ranks = mpi_candidates(mpi, plan->inputs());
  return calibrate(job, *plan, ranks.get());
}

}  // namespace

int calibrate_command(const Args& args) {
  bool help = false;
  const Job job = parse_job(args, &help);
  if (help) return 0;
  const MpiSession mpi;
  if (mpi.size() > 1) return calibrate_mpi(mpi, job);
  const CalibrationPlan plan(job.file);
  prepare_out(job);
  return calibrate(job, plan, nullptr);
}

}  // namespace detsim::cli
