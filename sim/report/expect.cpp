// Writers of `detsim expect`: JSON (README.md) and a terminal table.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "detsim/expect.hpp"
#include "report/json.hpp"

namespace detsim {
namespace {

using nlohmann::ordered_json;

ordered_json values_json(const Expectations& e, const MetricValues& values, bool occupancy) {
  ordered_json out = ordered_json::object();
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    if (!e.available[m] || (!occupancy && is_occupancy_metric(static_cast<Metric>(m)))) continue;
    out[std::string(kMetricNames[m])] = values[m];
  }
  return out;
}

// Fixed-point with one decimal, never "-0.0".
std::string cell(double value) {
  std::string s = fmt::format("{:.1f}", value);
  if (s == "-0.0") s = "0.0";
  return s;
}

}  // namespace

ordered_json expect_json_value(const Scenario& sc, const Expectations& e) {
  ordered_json out = ordered_json::object();
  out["scenario"] = sc.name;
  out["version"] = DETSIM_VERSION;
  out["method"] = "analytic";
  out["horizon_days"] = sc.horizon_days;
  out["warmup_days"] = e.warmup_hours / 24.0;
  out["metrics"] = values_json(e, e.values.total, true);
  ordered_json facilities = ordered_json::object();
  for (std::size_t f = 0; f < sc.facilities.size() && f < e.values.facility.size(); ++f)
    facilities[sc.facilities[f].id] = {{"metrics", values_json(e, e.values.facility[f], true)}};
  out["facilities"] = std::move(facilities);
  ordered_json offenses = ordered_json::object();
  for (std::size_t o = 0; o < sc.offense_ids.size() && o < e.values.offense.size(); ++o)
    offenses[sc.offense_ids[o]] = {{"metrics", values_json(e, e.values.offense[o], false)}};
  out["offenses"] = std::move(offenses);
  return out;
}

std::string expect_json(const Scenario& sc, const Expectations& e) {
  return json_document(expect_json_value(sc, e));
}

std::string expect_table(const Scenario& sc, const Expectations& e, bool color) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"expected over the horizon", "total"};
  for (const Facility& f : sc.facilities) header.push_back(f.id);
  if (sc.facilities.size() == 1) header.pop_back();  // the total says it all
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    if (!e.available[m]) continue;
    std::vector<std::string> row = {std::string(kMetricNames[m]), cell(e.values.total[m])};
    if (sc.facilities.size() > 1)
      for (const MetricValues& v : e.values.facility) row.push_back(cell(v[m]));
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(header.size(), 0);
  for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string s = fmt::format("  {:<{}}", cells[0], width[0]);
    for (std::size_t c = 1; c < cells.size(); ++c) s += fmt::format("  {:>{}}", cells[c], width[c]);
    return s + "\n";
  };
  const std::string title =
      fmt::format("{}: analytic expectations over {} days (warm-up {:.1f} days)", sc.name,
                  sc.horizon_days, e.warmup_hours / 24.0);
  std::string out = (color ? "\x1b[1m" + title + "\x1b[0m" : title) + "\n\n";
  out += color ? "\x1b[1m" + line(header).substr(0, line(header).size() - 1) + "\x1b[0m\n"
               : line(header);
  for (const auto& row : rows) out += line(row);
  out +=
      "\nExpected means of `detsim run` over infinitely many replications: booking rates by day "
      "of\nweek and month, unlimited ICE capacity; extremes and ICE queue metrics have no closed "
      "form here.\n";
  return out;
}

}  // namespace detsim
