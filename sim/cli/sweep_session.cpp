// Stop signals, progress and the closing report of `detsim sweep`.
#include "cli/sweep_session.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <csignal>
#include <cmath>
#include <limits>

#include "detsim/load.hpp"
#include "scenario/cursor.hpp"
#include "sweep/csv.hpp"

namespace detsim {

namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
struct sigaction g_old_int, g_old_term;

extern "C" void on_stop_signal(int signal) {
  g_signal.store(signal);
  g_stop.store(true);
}

// "1:02:03" or "2:03".
std::string clock_text(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

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
  for (const std::string& a : job.command_line) {
    out += ' ';
    out += shell_word(a);
    has_resume = has_resume || a == "--resume";
  }
  return has_resume ? out : out + " --resume";
}

}  // namespace

// ---- StopSignals ---------------------------------------------------------------

StopSignals::StopSignals() {
  g_stop.store(false);
  g_signal.store(0);
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // a second signal: the default action
  sigaction(SIGINT, &action, &g_old_int);
  sigaction(SIGTERM, &action, &g_old_term);
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

const std::atomic<bool>& StopSignals::flag() const {
  return g_stop;
}
int StopSignals::received() const {
  return g_signal.load();
}

// ---- SweepProgress -------------------------------------------------------------

SweepProgress::SweepProgress(const SweepJob& job, int total, int already_done)
    : enabled_(!job.quiet && isatty(STDERR_FILENO) != 0),
      total_(total),
      already_done_(already_done),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void SweepProgress::update(int finished) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (shown_ && now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  shown_ = true;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const int done = already_done_ + finished;
  const double rate = elapsed > 0 ? finished / elapsed : 0;
  const int left = total_ - done;
  const std::string eta = rate > 0 ? clock_text(left / rate) : "--:--";
  fmt::print(stderr, "\r\033[Ksweep: {}/{} points ({:.0f}%), {:.2f} points/s, ETA {}", done, total_,
             total_ > 0 ? 100.0 * done / total_ : 100.0, rate, eta);
  std::fflush(stderr);
}

void SweepProgress::clear() {
  if (!shown_) return;
  fmt::print(stderr, "\r\033[K");
  std::fflush(stderr);
  shown_ = false;
}

// ---- The end of a sweep --------------------------------------------------------

int finish_sweep(const SweepJob& job, const SweepInputs& in, const OpenResults& open,
                 ResultsWriter& writer, int signal) {
  const int total = open.already_done + static_cast<int>(open.todo.size());
  if (signal != 0) {
    writer.flush_waiting();
    fmt::print(stderr,
               "detsim sweep: stopped by {}: {} of {} points are in {}; unfinished points were "
               "abandoned.\nresume with: {}\n",
               signal == SIGINT    ? "SIGINT"
               : signal == SIGTERM ? "SIGTERM"
                                   : fmt::format("signal {}", signal),
               open.already_done + writer.finished(), total, job.out, resume_command(job));
    return 128 + signal;
  }
  if (!job.quiet) {
    fmt::print(stderr, "detsim sweep: {} points in {} ({} run now, {} found from before){}\n",
               total, job.out, writer.finished(), open.already_done,
               open.repaired ? "; an incomplete last line was removed" : "");
  }
  if (job.sensitivity) fmt::print("{}", sensitivity_table(results_sensitivity(in.sweep, job.out)));
  return 0;
}

}  // namespace detsim
