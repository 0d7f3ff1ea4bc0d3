// Numbers a reader cannot misread (docs/metrics.md, Intervals): intervals
// shown never below 0, a warning under 10 replications, relative changes
// only on a baseline that supports them; and the metric glossary.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <regex>

#include "cli_support.hpp"
#include "detsim/compare.hpp"
#include "detsim/load.hpp"
#include "detsim/report.hpp"
#include "report/glossary.hpp"
#include "report/json.hpp"

using namespace detsim;
using Catch::Matchers::Contains;
using detsim::testing::run_detsim;
using detsim::testing::source_path;

namespace {

Summary summary(double mean, double low, double high) {
  Summary s;
  s.n = 3;
  s.mean = mean;
  s.sd = 1;
  s.ci_low = low;
  s.ci_high = high;
  return s;
}

}  // namespace

TEST_CASE("an interval below 0 is shown bounded at 0; the JSON keeps ci95", "[readable]") {
  const ShownInterval shown = shown_interval(summary(2.5, -16.6, 21.6));
  CHECK(shown.low == 0);
  CHECK(shown.high == 21.6);
  CHECK(shown.bounded);
  CHECK_FALSE(shown_interval(summary(5, 1, 9)).bounded);
  const Summary one = summary(5, std::nan(""), std::nan(""));
  CHECK(std::isnan(shown_interval(one).low));
  CHECK_FALSE(shown_interval(one).bounded);

  const auto j = summary_json(summary(2.5, -16.6, 21.6));
  CHECK(j["ci95"][0] == -16.6);
  CHECK(j["interval"][0] == 0.0);
  CHECK(j["interval"][1] == 21.6);
  CHECK(j["interval_bounded"] == true);
  // A difference can be negative: never bounded.
  const auto d = summary_json(summary(-2.5, -16.6, 21.6), /*difference=*/true);
  CHECK(d["interval"][0] == -16.6);
  CHECK(d["interval_bounded"] == false);
}

TEST_CASE("fewer than 10 replications: a warning naming the count", "[readable]") {
  CHECK_THAT(few_replications_warning(2), Contains("2 replications"));
  CHECK_THAT(few_replications_warning(9), Contains("unreliable"));
  CHECK(few_replications_warning(10).empty());
}

TEST_CASE("relative is not given on a zero, uncertain or small baseline", "[readable]") {
  CHECK(relative_note(Metric::honored, summary(0, 0, 0)) == "baseline mean is 0");
  CHECK(relative_note(Metric::hold_hours, summary(3, -1, 7)) == "baseline interval includes 0");
  CHECK(relative_note(Metric::citizens_held, summary(0.1, 0.05, 0.15)) ==
        "count with baseline mean below 10");
  CHECK(relative_note(Metric::hold_hours, summary(0.1, 0.05, 0.15)).empty());  // an amount
  CHECK(relative_note(Metric::honored, summary(10, 9, 11)).empty());
}

TEST_CASE("every metric has a glossary entry with a unit and a definition", "[readable]") {
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    INFO(kMetricNames[m]);
    const GlossaryEntry* e = glossary_entry(kMetricNames[m]);
    REQUIRE(e != nullptr);
    CHECK_FALSE(e->unit.empty());
    CHECK_FALSE(e->definition.empty());
  }
  CHECK(glossary_entry(Metric::hold_cost).kind == MetricKind::kAmount);
  CHECK(glossary_entry(Metric::citizens_held).kind == MetricKind::kCount);
  CHECK(metric_unit(Metric::hold_cost, "") == "cost units");
  CHECK(metric_unit(Metric::hold_cost, "USD") == "USD");
  CHECK(metric_unit(Metric::hold_hours, "USD") == "hours");
}

TEST_CASE("run --reps 2: bounded intervals, marked, and a warning", "[readable][cli]") {
  const std::string scenario = source_path("scenarios/county-jail.yaml");
  const std::string small = " --reps 2 --set horizon_days=30 --set warmup_days=10";
  const auto table = run_detsim("run " + scenario + small);
  REQUIRE(table.exit_code == 0);
  CHECK_THAT(table.err, Contains("2 replications"));
  CHECK_THAT(table.err, Contains("unreliable"));
  CHECK_FALSE(std::regex_search(table.out, std::regex(R"(\[ *-[0-9]|, *-[0-9])")));

  const auto json = run_detsim("run " + scenario + small + " --json");
  REQUIRE(json.exit_code == 0);
  const auto j = nlohmann::json::parse(json.out);
  bool any_bounded = false;
  for (const auto& [name, s] : j["metrics"].items()) {
    INFO(name);
    if (s["interval"][0].is_null()) continue;
    CHECK(s["interval"][0].get<double>() >= 0);
    CHECK(s["interval_bounded"] == (s["ci95"][0].get<double>() < 0));
    any_bounded = any_bounded || s["interval_bounded"].get<bool>();
  }
  CHECK(any_bounded == (table.out.find("*: the t interval goes below 0") != std::string::npos));

  const auto many =
      run_detsim("run " + scenario + " --reps 10 --set horizon_days=30 --set warmup_days=10");
  REQUIRE(many.exit_code == 0);
  CHECK(many.err.find("unreliable") == std::string::npos);
}

TEST_CASE("compare: relative is null with a note on a small baseline", "[readable][cli]") {
  const std::string scenario = source_path("scenarios/county-jail.yaml");
  const auto r = run_detsim("compare " + scenario +
                            " --policy cooperative --policy sanctuary --reps 3 "
                            "--set horizon_days=30 --set warmup_days=10 --json");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("3 replications"));
  const auto j = nlohmann::json::parse(r.out);
  const auto& base = j["regimes"]["cooperative"]["metrics"];
  for (const auto& [name, d] : j["differences"]["sanctuary"].items()) {
    INFO(name);
    const double mean = base[name]["mean"].get<double>();
    if (d["relative"].is_null()) {
      CHECK(d["relative_note"].is_string());
    } else {
      CHECK(d["relative_note"].is_null());
      CHECK(mean != 0);
      CHECK(base[name]["ci95"][0].get<double>() > 0);
      if (glossary_entry(name)->kind == MetricKind::kCount) CHECK(mean >= 10);
    }
  }
}

TEST_CASE("commands: metrics, init, validate by content, run without a file", "[readable][cli]") {
  const auto missing = run_detsim("run");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Contains("missing SCENARIO.yaml"));
  CHECK_THAT(missing.err, Contains("usage: detsim run"));

  const auto list = run_detsim("metrics");
  REQUIRE(list.exit_code == 0);
  for (std::size_t m = 0; m < kMetricCount; ++m)
    CHECK_THAT(list.out, Contains(std::string(kMetricNames[m])));
  const auto one = run_detsim("metrics hold_cost");
  CHECK(one.exit_code == 0);
  CHECK_THAT(one.out, Contains("cost units"));
  CHECK(run_detsim("metrics no_such_metric").exit_code == 2);

  const std::string dir = detsim::testing::fresh_dir("readable-init");
  const auto init = run_detsim("init " + dir + "/new.yaml");
  REQUIRE(init.exit_code == 0);
  const auto valid = run_detsim("validate " + dir + "/new.yaml");
  CHECK(valid.exit_code == 0);
  CHECK_THAT(valid.out, Contains("ok (scenario my-scenario"));
  CHECK(run_detsim("init " + dir + "/new.yaml").exit_code == 1);  // exists
  const auto from =
      run_detsim("init " + dir + "/copy.yaml --from " + source_path("scenarios/county-jail.yaml"));
  REQUIRE(from.exit_code == 0);
  CHECK(run_detsim("validate " + dir + "/copy.yaml").exit_code == 0);

  const auto sweep = run_detsim("validate " + source_path("scenarios/sweeps/pickup-capacity.yaml"));
  CHECK(sweep.exit_code == 0);
  CHECK_THAT(sweep.out, Contains("ok (sweep"));
  const auto policy = run_detsim("validate " + source_path("scenarios/policies/sanctuary.yaml"));
  CHECK(policy.exit_code == 0);
  CHECK_THAT(policy.out, Contains("ok (policy sanctuary"));
}

TEST_CASE("a value invalid in the file is refused even when overridden", "[readable][cli]") {
  const std::string dir = detsim::testing::fresh_dir("readable-override");
  std::string text = detsim::testing::read_text(source_path("scenarios/county-jail.yaml"));
  const auto at = text.find("replications: 20");
  REQUIRE(at != std::string::npos);
  text.replace(at, 16, "replications: 0");
  {
    std::ofstream out(dir + "/bad.yaml");
    out << text;
  }
  const auto r = run_detsim("run " + dir + "/bad.yaml --reps 2 --set horizon_days=5");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("bad.yaml:"));
  CHECK_THAT(r.err, Contains("replications"));
  CHECK(r.out.empty());
}

namespace {

// The message of the InputError that loading `text` throws, or "".
std::string readable_load_error(const std::string& text) {
  try {
    load_scenario_text(text, "s.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("YAML syntax errors name the likely cause and the offending line", "[readable]") {
  // A tab in the indentation of line 3.
  CHECK_THAT(readable_load_error("name: t\nice:\n\tpickup: 1\n"),
             Contains("s.yaml:3:1:") && Contains("tab"));
  // A key without its colon on line 2; the parser stops later.
  const std::string colon = readable_load_error("name: t\nhorizon_days\nstart: 2025-01-01\n");
  CHECK_THAT(colon,
             Contains("s.yaml:2:1:") && Contains("missing colon") && Contains("horizon_days"));
  // A line indented under a scalar.
  const std::string indent = readable_load_error("name: t\nstart: 2025-01-01\n  horizon_days: 3\n");
  CHECK_THAT(indent, Contains("s.yaml:3:3:") && Contains("bad indentation"));
}
