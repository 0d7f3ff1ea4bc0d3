// The progress line of `detsim sweep`.
#include "cli/progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace detsim {
namespace {

// "1:02:03" or "2:03".
std::string clock_text(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace

SweepProgress::SweepProgress(bool enabled, int total, int already_done)
    : enabled_(enabled),
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

}  // namespace detsim
