// `detsim merge`: sweep results (shards) merged, sorted by point id.
#include <fmt/format.h>

#include <filesystem>

#include "cli/cli.hpp"
#include "report/atomic_file.hpp"
#include "sweep/csv.hpp"
#include "sweep/merge.hpp"
#include "sweep/job.hpp"

namespace detsim::cli {
namespace {

constexpr const char* kMergeUsage =
    "usage: detsim merge OUT.csv RESULTS.csv...\n"
    "\n"
    "Merges results (or per-replication) files of one sweep, such as its shards: same header,\n"
    "repeated rows once, sorted by point id. OUT.csv is replaced atomically.";

}  // namespace

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
