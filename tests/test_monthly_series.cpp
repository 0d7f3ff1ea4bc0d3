// `run --series monthly`: one row per month, facility and series column,
// the mean over replications of the daily series' monthly sums (flows) or
// day means (stocks), with a 95% interval.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli_support.hpp"

using namespace detsim::testing;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

namespace {

std::vector<std::vector<std::string>> rows_of(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream fields(line);
    std::string x;
    while (std::getline(fields, x, ',')) f.push_back(x);
    rows.push_back(f);
  }
  return rows;
}

}  // namespace

TEST_CASE("run --series monthly gives each month's mean over replications of the daily series") {
  const std::string base = fresh_dir("monthly_series");
  const std::string run = "run " + source_path("scenarios/county-jail.yaml") +
                          " --reps 3 --set horizon_days=70 --threads 2 --out ";
  REQUIRE(run_detsim(run + base + "/daily --series").exit_code == 0);
  REQUIRE(run_detsim(run + base + "/monthly --series monthly").exit_code == 0);

  // Monthly sums (flows) and day means (stocks) of the daily rows, by
  // replication: replication,date,facility,occupancy,holds_active,decisions,...
  const auto daily = rows_of(read_text(base + "/daily/series.csv"));
  REQUIRE(daily.front()[1] == "date");
  std::map<std::pair<std::string, int>, std::vector<double>> sums;  // (month, column) -> by rep
  std::map<std::pair<std::string, int>, int> days;
  for (std::size_t i = 1; i < daily.size(); ++i) {
    const auto& r = daily[i];
    const std::string month = r[1].substr(0, 7);
    const int rep = std::stoi(r[0]);
    for (int c = 3; c < 11; ++c) {
      auto& v = sums[{month, c}];
      v.resize(3, 0.0);
      v[rep] += std::stod(r[c]);
    }
    if (rep == 0) ++days[{month, 0}];
  }
  const auto monthly = rows_of(read_text(base + "/monthly/series_monthly.csv"));
  REQUIRE(monthly.front() == std::vector<std::string>{"month", "facility", "series", "n", "mean",
                                                      "ci_low", "ci_high", "ci_bounded"});
  REQUIRE(monthly.size() == 1 + 3 * 8);  // January to March 2025, one facility, 8 columns
  const std::vector<std::string> names = {"occupancy", "holds_active", "decisions", "honored",
                                          "notified",  "declined",     "transfers", "lapsed"};
  for (std::size_t i = 1; i < monthly.size(); ++i) {
    const auto& r = monthly[i];
    INFO(r[0] << " " << r[2]);
    const int c = 3 + static_cast<int>((i - 1) % 8);
    CHECK(r[2] == names[static_cast<std::size_t>(c - 3)]);
    CHECK(r[3] == "3");
    double mean = 0;
    for (double x : sums[{r[0], c}]) mean += x / 3.0;
    if (c < 5) mean /= days[{r[0], 0}];  // stocks: the mean of the month's days
    CHECK_THAT(std::stod(r[4]), WithinRel(mean, 1e-9) || Catch::Matchers::WithinAbs(mean, 1e-9));
    CHECK(std::stod(r[5]) >= 0);
    CHECK(std::stod(r[5]) <= std::stod(r[4]) + 1e-9);
    CHECK(std::stod(r[6]) >= std::stod(r[4]) - 1e-9);
  }
  CHECK(monthly[1][0] == "2025-01");
  CHECK(monthly.back()[0] == "2025-03");
  CHECK_THAT(read_text(base + "/monthly/manifest.json"), Contains("series_monthly.csv"));
}

TEST_CASE("run --series takes daily or monthly only") {
  const auto r = run_detsim("run " + source_path("scenarios/county-jail.yaml") +
                            " --reps 2 --out " + fresh_dir("monthly_bad") + "/x --series=weekly");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("daily or monthly"));
}
