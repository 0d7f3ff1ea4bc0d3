// Running the built `detsim` command from tests.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace detsim::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh, empty folder under the system temporary folder.
inline std::string fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("detsim-test-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// Runs `detsim ARGS` (ARGS is shell text) and captures both streams.
inline CommandResult run_detsim(const std::string& args) {
  static int counter = 0;
  const std::string base =
      fresh_dir("cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  const std::string cmd =
      std::string(DETSIM_BINARY) + " " + args + " >" + base + "/out 2>" + base + "/err";
  const int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(base + "/out");
  r.err = read_text(base + "/err");
  std::filesystem::remove_all(base);
  return r;
}

inline std::string source_path(const std::string& relative) {
  return std::string(DETSIM_SOURCE_DIR) + "/" + relative;
}

}  // namespace detsim::testing
