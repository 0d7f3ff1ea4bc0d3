// Tidy CSV output of `run` and the run folder (`--out DIR`).

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "report/atomic_file.hpp"
#include "detsim/report.hpp"
#include "report/glossary.hpp"

namespace detsim {

namespace {

constexpr const char* kAll = "all";

// One breakdown's identity in the CSV: its facility and offense columns.
struct Slice {
  Breakdown breakdown;
  std::string facility;  // already a CSV field
  std::string offense;   // already a CSV field
  int index;
};

// Totals, then each facility, then each offense category.
std::vector<Slice> slices(const Scenario& scenario, std::size_t facilities, std::size_t offenses) {
  std::vector<Slice> out = {{Breakdown::kTotal, kAll, kAll, 0}};
  for (std::size_t f = 0; f < facilities; ++f) {
    out.push_back(
        {Breakdown::kFacility, csv_field(scenario.facilities.at(f).id), kAll, static_cast<int>(f)});
  }
  for (std::size_t o = 0; o < offenses; ++o) {
    out.push_back(
        {Breakdown::kOffense, kAll, csv_field(scenario.offense_ids.at(o)), static_cast<int>(o)});
  }
  return out;
}

const MetricValues& values_of(const ReplicationMetrics& rep, const Slice& slice) {
  const auto i = static_cast<std::size_t>(slice.index);
  switch (slice.breakdown) {
    case Breakdown::kFacility:
      return rep.facility.at(i);
    case Breakdown::kOffense:
      return rep.offense.at(i);
    case Breakdown::kTotal:
      break;
  }
  return rep.total;
}

const MetricSummaries& summaries_of(const RunSummary& summary, const Slice& slice) {
  const auto i = static_cast<std::size_t>(slice.index);
  switch (slice.breakdown) {
    case Breakdown::kFacility:
      return summary.facility.at(i);
    case Breakdown::kOffense:
      return summary.offense.at(i);
    case Breakdown::kTotal:
      break;
  }
  return summary.total;
}

void write_file(const std::filesystem::path& path, std::string_view content) {
  write_file_atomic(path.string(), content);
}

}  // namespace

std::string csv_field(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_number(double value) {
  if (std::isnan(value)) return "";
  return fmt::format("{}", value);
}

std::string metrics_csv(const Scenario& scenario, const std::vector<ReplicationMetrics>& reps) {
  std::string out = "replication,facility,offense,metric,value\n";
  if (reps.empty()) return out;
  const auto all = slices(scenario, reps.front().facility.size(), reps.front().offense.size());
  for (std::size_t r = 0; r < reps.size(); ++r) {
    for (const Slice& slice : all) {
      const MetricValues& values = values_of(reps[r], slice);
      for (std::size_t m = 0; m < kMetricCount; ++m) {
        if (!is_reported(static_cast<Metric>(m), slice.breakdown)) continue;
        out += fmt::format("{},{},{},{},{}\n", r, slice.facility, slice.offense, kMetricNames[m],
                           csv_number(values[m]));
      }
    }
  }
  return out;
}

std::string summary_csv(const Scenario& scenario, const RunSummary& summary) {
  std::string out = "facility,offense,metric,n,mean,sd,ci_low,ci_high,min,max,ci_bounded,unit\n";
  if (summary.total.size() != kMetricCount) return out;
  for (const Slice& slice : slices(scenario, summary.facility.size(), summary.offense.size())) {
    const MetricSummaries& summaries = summaries_of(summary, slice);
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      if (!is_reported(static_cast<Metric>(m), slice.breakdown)) continue;
      const Summary& s = summaries[m];
      const ShownInterval ci = shown_interval(s);
      out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", slice.facility, slice.offense,
                         kMetricNames[m], s.n, csv_number(s.mean), csv_number(s.sd),
                         csv_number(ci.low), csv_number(ci.high), csv_number(s.min),
                         csv_number(s.max), ci.bounded ? "true" : "false",
                         csv_field(metric_unit(static_cast<Metric>(m), scenario.currency)));
    }
  }
  return out;
}

void write_run_folder(const std::string& dir, const Scenario& scenario,
                      const std::vector<ReplicationMetrics>& reps, const RunSummary& summary) {
  const std::filesystem::path folder(dir);
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create {}: {}", dir, ec.message()));
  write_file(folder / "metrics.csv", metrics_csv(scenario, reps));
  write_file(folder / "summary.csv", summary_csv(scenario, summary));
  write_file(folder / "run.json", run_json(scenario, reps, summary));
  write_file(folder / "scenario.resolved.yaml", scenario.resolved_yaml);
}

}  // namespace detsim
