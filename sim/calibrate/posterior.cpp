// A calibration's posterior as input to runs: reading posterior.csv and
// resampling its particles by weight.
#include <fmt/format.h>

#include <charconv>
#include <filesystem>

#include "calibrate/smc.hpp"
#include "detsim/load.hpp"
#include "sweep/csv.hpp"

namespace detsim {

namespace {

constexpr std::uint32_t kPurposeResample = 114;

[[noreturn]] void fail(const std::string& path, std::size_t line, const std::string& message) {
  throw InputError(fmt::format("{}:{}:1: {}", path, line, message));
}

}  // namespace

Posterior read_posterior(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / "posterior.csv").string();
  if (!std::filesystem::is_regular_file(path)) {
    throw InputError(
        fmt::format("{}:1:1: no posterior here (run `detsim calibrate` with --out {})", path, dir));
  }
  const CsvFile f = read_csv_file(path);
  const std::vector<std::string> header = split_csv_line(f.header);
  if (header.size() < 3 || header[0] != "particle" || header[1] != "weight") {
    fail(path, 1, "expected the header particle,weight,PARAMETER...");
  }
  if (!f.torn.empty()) fail(path, f.rows.size() + 2, "an incomplete last line");
  Posterior p;
  p.paths.assign(header.begin() + 2, header.end());
  double total = 0;
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    const std::vector<std::string> cells = split_csv_line(f.rows[i]);
    if (cells.size() != header.size()) {
      fail(path, i + 2, fmt::format("expected {} fields, found {}", header.size(), cells.size()));
    }
    double w = -1;
    const std::string& t = cells[1];
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), w);
    if (ec != std::errc() || end != t.data() + t.size() || !(w >= 0)) {
      fail(path, i + 2, fmt::format("expected a weight >= 0, found '{}'", t));
    }
    total += w;
    p.weights.push_back(w);
    p.values.emplace_back(cells.begin() + 2, cells.end());
  }
  if (p.values.empty() || !(total > 0)) fail(path, 1, "no particle with a positive weight");
  for (double& w : p.weights) w /= total;
  return p;
}

std::vector<int> resample_posterior(const Posterior& posterior, int draws, std::uint64_t seed) {
  const double u = calibration_stream(seed, kPurposeResample, 0, 0).uniform();
  return systematic_resample(posterior.weights, draws, u);
}

std::vector<std::string> posterior_sets(const Posterior& posterior, int particle) {
  std::vector<std::string> sets;
  for (std::size_t k = 0; k < posterior.paths.size(); ++k) {
    sets.push_back(posterior.paths[k] + "=" +
                   posterior.values[static_cast<std::size_t>(particle)][k]);
  }
  return sets;
}

}  // namespace detsim
