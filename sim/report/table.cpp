// The terminal table of `run`: the headline first, then every total metric,
// then a few key means per facility.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "detsim/report.hpp"
#include "report/glossary.hpp"
#include "report/header.hpp"

namespace detsim {

namespace {

// Means shown per facility.
constexpr std::array<Metric, 7> kFacilityColumns = {Metric::bookings,
                                                    Metric::honored,
                                                    Metric::declined,
                                                    Metric::transfers,
                                                    Metric::released_despite_detainer,
                                                    Metric::hold_hours,
                                                    Metric::mean_occupancy};

constexpr const char* kBold = "\x1b[1m";
constexpr const char* kReset = "\x1b[0m";

// Decimals for a metric's values: shares need more than counts and hours.
int decimals(Metric m) {
  return m == Metric::ice_team_utilization ? 3 : 1;
}

// Fixed-point `value`, "n/a" for NaN, never "-0.0".
std::string number(double value, int places) {
  if (std::isnan(value)) return "n/a";
  std::string s = fmt::format("{:.{}f}", value, places);
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string bold(const std::string& text, bool color) {
  return color ? kBold + text + kReset : text;
}

// Rows of cells; the first column left-aligned, the others right-aligned,
// two spaces apart, rows indented by two.
struct TextTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  std::string render(bool color) const {
    std::vector<std::size_t> width(header.size(), 0);
    for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
    for (const auto& row : rows) {
      for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    }
    std::string out = bold(line(header, width), color) + "\n";
    for (const auto& row : rows) out += line(row, width) + "\n";
    return out;
  }

  static std::string line(const std::vector<std::string>& cells,
                          const std::vector<std::size_t>& width) {
    std::string out = "  ";
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c == 0) {
        out += fmt::format("{:<{}}", cells[c], width[c]);
      } else {
        out += fmt::format("  {:>{}}", cells[c], width[c]);
      }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  }
};

// "[low, high]" with both bounds padded so the brackets line up in a column.
struct CiFormat {
  std::size_t low_width = 0, high_width = 0;
};

// A bounded interval ends with "*" (explained under the table); the others
// with a space when any in the block is bounded, so the brackets line up.
std::vector<std::string> summary_cells(Metric m, const Summary& s, const CiFormat& ci,
                                       bool any_bounded, const std::string& currency) {
  const int places = decimals(m);
  const ShownInterval shown = shown_interval(s);
  std::string interval = "n/a";
  if (!std::isnan(shown.low)) {
    interval = fmt::format("[{:>{}}, {:>{}}]", number(shown.low, places), ci.low_width,
                           number(shown.high, places), ci.high_width);
  }
  if (any_bounded) interval += shown.bounded ? "*" : " ";
  return {std::string(kMetricNames[index(m)]),
          std::string(metric_unit(m, currency)),
          number(s.mean, places),
          interval,
          number(s.sd, places),
          number(s.min, places),
          number(s.max, places)};
}

std::string summary_block(const std::string& title, const std::vector<Metric>& metrics,
                          const MetricSummaries& summaries, const std::string& currency,
                          bool color) {
  CiFormat ci;
  bool any_bounded = false;
  for (Metric m : metrics) {
    const ShownInterval s = shown_interval(summaries[index(m)]);
    ci.low_width = std::max(ci.low_width, number(s.low, decimals(m)).size());
    ci.high_width = std::max(ci.high_width, number(s.high, decimals(m)).size());
    any_bounded = any_bounded || s.bounded;
  }
  TextTable table;
  table.header = {title, "unit", "mean", "95% CI", "sd", "min", "max"};
  for (Metric m : metrics)
    table.rows.push_back(summary_cells(m, summaries[index(m)], ci, any_bounded, currency));
  return table.render(color);
}

std::string bed_day_costs(const Scenario& scenario);

std::string facility_block(const Scenario& scenario, const RunSummary& summary, bool color) {
  TextTable table;
  table.header = {"per facility (means)", "policy"};
  for (Metric m : kFacilityColumns) table.header.emplace_back(kMetricNames[index(m)]);
  table.header.push_back(fmt::format("hold_cost ({})", money_unit(scenario)));
  for (std::size_t f = 0; f < summary.facility.size() && f < scenario.facilities.size(); ++f) {
    std::vector<std::string> row = {scenario.facilities[f].id,
                                    facility_policy_text(scenario, static_cast<int>(f))};
    for (Metric m : kFacilityColumns) {
      row.push_back(number(summary.facility[f][index(m)].mean, decimals(m)));
    }
    row.push_back(number(summary.facility[f][index(Metric::hold_cost)].mean, 1));
    table.rows.push_back(std::move(row));
  }
  return table.render(color) +
         fmt::format("  (hold_hours in hours; mean_occupancy in people; bed-day cost: {})\n",
                     bed_day_costs(scenario));
}

// "jail 143, annex 120 cost units": each facility's bed-day cost.
std::string bed_day_costs(const Scenario& scenario) {
  std::string out;
  for (const Facility& f : scenario.facilities) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", f.id, f.bed_day_cost);
  }
  return out + " " + money_unit(scenario) + " a bed-day";
}

// Every metric, without the ICE queue metrics when teams are unlimited
// (they are not measured then).
std::vector<Metric> all_metrics(const Scenario& scenario) {
  std::vector<Metric> out;
  for (std::size_t i = 0; i < kMetricCount; ++i) {
    const auto m = static_cast<Metric>(i);
    if (scenario.ice.pickup.teams == 0 && is_ice_queue_metric(m)) continue;
    out.push_back(m);
  }
  return out;
}

}  // namespace

std::string run_table(const Scenario& scenario, const RunSummary& summary, bool color) {
  const int n = summary.total.empty() ? 0 : summary.total.front().n;
  std::string out = bold(fmt::format("{}: {} replication{}, seed {}", scenario.name, n,
                                     n == 1 ? "" : "s", scenario.seed),
                         color);
  out += "\n" + header_lines(scenario) + "\n";
  if (summary.total.size() != kMetricCount) return out;
  out +=
      summary_block("headline", std::vector<Metric>(kTableHeadline.begin(), kTableHeadline.end()),
                    summary.total, scenario.currency, color);
  out += "\n";
  out += summary_block("all metrics (totals)", all_metrics(scenario), summary.total,
                       scenario.currency, color);
  if (!summary.facility.empty()) {
    out += "\n";
    out += facility_block(scenario, summary, color);
  }
  out += fmt::format("\n95% CI: Student t with n - 1 = {} degrees of freedom{}.\n",
                     std::max(n - 1, 0), n < 2 ? " (n/a with one replication)" : "");
  bool any_bounded = false;
  for (const Summary& s : summary.total) any_bounded = any_bounded || shown_interval(s).bounded;
  if (any_bounded)
    out += "*: the t interval goes below 0; its lower bound is shown as 0 (docs/metrics.md).\n";
  return out;
}

}  // namespace detsim
