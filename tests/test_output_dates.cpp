// Dates in the streamed outputs: the trace's ISO 8601 date-times beside its
// hours, the series' dates, and the warning before a large trace.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "engine/calendar.hpp"

using namespace detsim::testing;
using Catch::Matchers::Contains;

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, ',')) out.push_back(field);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

// Hours after 2025-01-01T00:00:00 of an ISO date-time.
double hours_since_2025(const std::string& iso) {
  REQUIRE(iso.size() == 19);
  CHECK(iso[10] == 'T');
  const int days = static_cast<int>(detsim::days_from_civil(std::stoi(iso.substr(0, 4)),
                                                            std::stoi(iso.substr(5, 2)),
                                                            std::stoi(iso.substr(8, 2))) -
                                    detsim::days_from_civil(2025, 1, 1));
  return days * 24.0 + std::stoi(iso.substr(11, 2)) + std::stoi(iso.substr(14, 2)) / 60.0 +
         std::stoi(iso.substr(17, 2)) / 3600.0;
}

}  // namespace

TEST_CASE("the trace gives each time in hours and as an ISO date-time to the second") {
  const std::string dir = fresh_dir("output_dates");
  const auto r = run_detsim("run " + source_path("scenarios/county-jail.yaml") +
                            " --reps 1 --set horizon_days=20 --trace " + dir + "/trace.csv");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, !Contains("MB"));
  std::stringstream in(read_text(dir + "/trace.csv"));
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = split(line);
  REQUIRE(header.size() == 18);
  CHECK(header[15] == "booked_at_iso");
  CHECK(header[16] == "scheduled_release_iso");
  CHECK(header[17] == "outcome_at_iso");
  int rows = 0, before_start = 0;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = split(line);
    REQUIRE(f.size() == 18);
    for (const auto& [hours, iso] : {std::pair{7, 15}, std::pair{8, 16}, std::pair{13, 17}}) {
      INFO(line);
      CHECK(std::abs(hours_since_2025(f[iso]) - std::stod(f[hours])) <= 0.5 / 3600 + 1e-9);
    }
    before_start += std::stod(f[7]) < 0;
    ++rows;
  }
  CHECK(rows > 1000);
  CHECK(before_start > 0);  // people booked in the warm-up show 2024 dates
  std::filesystem::remove_all(dir);
}

TEST_CASE("run warns before writing a trace expected to exceed 100 MB") {
  // The default scenario's trace of 20 replications is about 180 MB. The
  // warning comes before the run; an unwritable trace then stops it.
  const auto r = run_detsim("run " + source_path("scenarios/county-jail.yaml") +
                            " --trace /nonexistent-folder/trace.csv");
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Contains("warning: the trace will be about 17") && Contains("MB") &&
                        Contains("20 replications"));
  CHECK(r.out.empty());
}
