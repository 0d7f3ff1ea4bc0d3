// Writers of `detsim compare`: JSON, tidy CSV, the differences CSV, a
// terminal table and the results folder. Each regime's results reuse the
// run writers (run_json, metrics_csv); differences reuse summary_json.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "report/atomic_file.hpp"
#include "detsim/compare.hpp"
#include "report/header.hpp"
#include "report/json.hpp"

namespace detsim {
namespace {

using nlohmann::ordered_json;

ordered_json differences_json(const MetricDifferences& d, Breakdown breakdown) {
  ordered_json out = ordered_json::object();
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    if (!is_reported(static_cast<Metric>(m), breakdown)) continue;
    ordered_json entry = summary_json(d[m].summary, /*difference=*/true);
    entry["relative"] = json_number(d[m].relative);
    entry["relative_note"] =
        d[m].relative_note.empty() ? ordered_json(nullptr) : ordered_json(d[m].relative_note);
    out[std::string(kMetricNames[m])] = std::move(entry);
  }
  return out;
}

ordered_json slices_json(const std::vector<SliceDifferences>& slices, Breakdown breakdown) {
  ordered_json out = ordered_json::object();
  for (const SliceDifferences& s : slices) out[s.id] = differences_json(s.metrics, breakdown);
  return out;
}

std::string difference_rows(const std::string& regime, const std::string& facility,
                            const std::string& offense, const MetricDifferences& d,
                            Breakdown breakdown) {
  std::string out;
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    if (!is_reported(static_cast<Metric>(m), breakdown)) continue;
    const Summary& s = d[m].summary;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", regime, facility, offense,
                       kMetricNames[m], s.n, csv_number(s.mean), csv_number(s.sd),
                       csv_number(s.ci_low), csv_number(s.ci_high), csv_number(d[m].relative),
                       csv_field(d[m].relative_note));
  }
  return out;
}

// ---------------------------------------------------------------------------
// The terminal table

std::string fixed(double v, int places = 1) {
  if (std::isnan(v)) return "n/a";
  std::string s = fmt::format("{:.{}f}", v, places);
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string percent(double v) {
  return std::isnan(v) ? "n/a" : fixed(100 * v) + "%";
}

// Rows of cells, first column left-aligned, others right-aligned.
std::string render(const std::vector<std::vector<std::string>>& rows, bool color) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line = fmt::format("  {:<{}}", rows[r][0], width[0]);
    for (std::size_t c = 1; c < rows[r].size(); ++c)
      line += fmt::format("  {:>{}}", rows[r][c], width[c]);
    out += (r == 0 && color) ? "\x1b[1m" + line + "\x1b[0m\n" : line + "\n";
  }
  return out;
}

std::string means_block(const Comparison& c, bool color) {
  std::vector<std::vector<std::string>> rows = {{"means"}};
  for (const RegimeRun& run : c.runs) rows[0].push_back(run.regime.name);
  for (Metric m : kTableHeadline) {
    std::vector<std::string> row = {std::string(kMetricNames[index(m)])};
    for (const RegimeRun& run : c.runs) row.push_back(fixed(run.summary.total[index(m)].mean));
    rows.push_back(std::move(row));
  }
  return render(rows, color);
}

std::string difference_block(const Comparison& c, const RegimeDifferences& d, bool color) {
  std::vector<std::vector<std::string>> rows = {
      {fmt::format("{} - {}", d.regime, c.baseline().regime.name), "mean", "95% CI", "sd",
       "relative"}};
  for (Metric m : kTableHeadline) {
    const Difference& x = d.total[index(m)];
    const std::string ci =
        std::isnan(x.summary.ci_low)
            ? "n/a"
            : fmt::format("[{}, {}]", fixed(x.summary.ci_low), fixed(x.summary.ci_high));
    rows.push_back({std::string(kMetricNames[index(m)]), fixed(x.summary.mean), ci,
                    fixed(x.summary.sd), percent(x.relative)});
  }
  return render(rows, color);
}

}  // namespace

ordered_json compare_json_value(const Comparison& c) {
  const Scenario& base = c.baseline().regime.scenario;
  ordered_json out = ordered_json::object();
  out["version"] = DETSIM_VERSION;
  out["baseline"] = c.baseline().regime.name;
  out["seed"] = base.seed;
  out["replications"] = c.baseline().reps.size();
  out["period"] = period_json(base);
  out["sets"] = base.sets;
  ordered_json regimes = ordered_json::object();
  for (const RegimeRun& run : c.runs)
    regimes[run.regime.name] = run_json_value(run.regime.scenario, run.reps, run.summary);
  out["regimes"] = std::move(regimes);
  ordered_json total = ordered_json::object(), facilities = ordered_json::object(),
               offenses = ordered_json::object();
  for (const RegimeDifferences& d : c.differences) {
    total[d.regime] = differences_json(d.total, Breakdown::kTotal);
    facilities[d.regime] = slices_json(d.facilities, Breakdown::kFacility);
    offenses[d.regime] = slices_json(d.offenses, Breakdown::kOffense);
  }
  out["differences"] = std::move(total);
  out["facility_differences"] = std::move(facilities);
  out["offense_differences"] = std::move(offenses);
  return out;
}

std::string compare_json(const Comparison& c) {
  return json_document(compare_json_value(c));
}

std::string compare_metrics_csv(const Comparison& c) {
  std::string out = "regime,replication,facility,offense,metric,value\n";
  for (const RegimeRun& run : c.runs) {
    const std::string prefix = csv_field(run.regime.name) + ",";
    const std::string rows = metrics_csv(run.regime.scenario, run.reps);
    std::size_t at = rows.find('\n') + 1;  // past the header
    while (at < rows.size()) {
      const std::size_t end = rows.find('\n', at);
      out += prefix;
      out.append(rows, at, end - at + 1);
      at = end + 1;
    }
  }
  return out;
}

std::string compare_differences_csv(const Comparison& c) {
  std::string out =
      "regime,facility,offense,metric,n,mean,sd,ci_low,ci_high,relative,relative_note\n";
  for (const RegimeDifferences& d : c.differences) {
    const std::string regime = csv_field(d.regime);
    out += difference_rows(regime, "all", "all", d.total, Breakdown::kTotal);
    for (const SliceDifferences& s : d.facilities)
      out += difference_rows(regime, csv_field(s.id), "all", s.metrics, Breakdown::kFacility);
    for (const SliceDifferences& s : d.offenses)
      out += difference_rows(regime, "all", csv_field(s.id), s.metrics, Breakdown::kOffense);
  }
  return out;
}

std::string compare_table(const Comparison& c, bool color) {
  const int n = static_cast<int>(c.baseline().reps.size());
  const std::string title =
      fmt::format("compare: {} regimes, {} replication{}, seed {}; baseline {}", c.runs.size(), n,
                  n == 1 ? "" : "s", c.baseline().regime.scenario.seed, c.baseline().regime.name);
  std::string out = (color ? "\x1b[1m" + title + "\x1b[0m" : title) + "\n";
  const Scenario& base = c.baseline().regime.scenario;
  out += fmt::format("period: {}\n", period_text(base));
  out += "regimes:";
  for (const RegimeRun& run : c.runs) {
    const Scenario& s = run.regime.scenario;
    out += fmt::format(" {} ({})", run.regime.name,
                       s.policy_override.empty() ? s.source : "--policy " + s.policy_override);
    if (&run != &c.runs.back()) out += ";";
  }
  out += "\n";
  if (!base.sets.empty()) {
    out += "overrides (--set, --reps, --seed):";
    for (const std::string& set : base.sets) out += " " + set;
    out += "\n";
  }
  out +=
      fmt::format("units: people or detainers; hours; bed-days; costs in {}\n\n", money_unit(base));
  out += means_block(c, color);
  for (const RegimeDifferences& d : c.differences) out += "\n" + difference_block(c, d, color);
  out += fmt::format(
      "\nDifferences are paired by replication (the same people in every regime); 95% CI:\n"
      "Student t with n - 1 = {} degrees of freedom; relative: difference over the baseline's "
      "mean,\n"
      "n/a when the baseline's mean is 0, its interval includes 0, or it is a count below 10\n"
      "(docs/metrics.md, Intervals).\n",
      std::max(n - 1, 0));
  return out;
}

void write_compare_folder(const std::string& dir, const Comparison& c) {
  const std::filesystem::path folder(dir);
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create {}: {}", dir, ec.message()));
  write_file_atomic((folder / "compare.json").string(), compare_json(c));
  write_file_atomic((folder / "metrics.csv").string(), compare_metrics_csv(c));
  write_file_atomic((folder / "differences.csv").string(), compare_differences_csv(c));
}

}  // namespace detsim
