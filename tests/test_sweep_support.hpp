// Small sweeps for the sweep tests: a tiny base scenario (one jail, a few
// weeks) and sweep files written into a fresh folder.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <thread>
#include <sstream>
#include <string>
#include <vector>

#include "cli_support.hpp"

extern char** environ;

namespace detsim::testing {

// One jail, one offense category, cooperative, 20 days after a 5-day
// warm-up: a point takes a few milliseconds.
inline constexpr const char* kTinyBase = R"(name: tiny
start: 2025-01-01
horizon_days: 20
warmup_days: 5
replications: 3
seed: 1
population: {noncitizen_share: 0.3}
offenses:
  - {id: any, share: 1, severity: serious, pretrial_release: 0.8,
     pretrial_stay: {dist: exponential, mean_hours: 30}, sentenced_stay: {dist: fixed, days: 4}}
ice:
  lodge_probability: {serious: 0.7}
  lodge_delay: {dist: exponential, mean_hours: 10}
  release_grace_hours: 2
  pickup: {delay: {dist: lognormal, median_hours: 20, sigma: 0.8}}
state: {policy: cooperative}
facilities:
  - {id: jail, bookings_per_day: 60}
)";

// A sweep of a base.yaml beside it with a facility `jail`: 30 points of
// about 15 ms each (4 replications of 40 days).
inline constexpr const char* kThirtyPoints = R"(base: base.yaml
replications: 4
seed: 5
parameters:
  horizon_days: [40]
  facilities.jail.bookings_per_day: {min: 100, max: 300, steps: 3}
  ice.release_grace_hours: {min: 0, max: 9, steps: 10}
metrics: [honored, lapsed, hold_hours]
)";

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A fresh folder holding base.yaml (kTinyBase) and sweep.yaml (`sweep`).
// Returns the folder.
inline std::string sweep_dir(const std::string& name, const std::string& sweep) {
  const std::string dir = fresh_dir("sweep-" + name);
  write_text(dir + "/base.yaml", kTinyBase);
  write_text(dir + "/sweep.yaml", sweep);
  return dir;
}

// The lines of `text` after the first, sorted.
inline std::vector<std::string> sorted_rows(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

inline std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Starts `detsim ARGS...` with stdout discarded and stderr to `err`.
inline pid_t spawn_detsim(const std::vector<std::string>& args, const std::string& err) {
  std::vector<std::string> all{DETSIM_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  return pid;
}

// Waits until `path` has at least `lines` newlines (or 20 s pass).
inline void wait_for_lines(const std::string& path, std::size_t lines) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (line_count(read_text(path)) < lines && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

inline int wait_exit(pid_t pid, bool* signaled = nullptr) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (signaled) *signaled = WIFSIGNALED(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace detsim::testing
