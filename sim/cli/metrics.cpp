// `detsim metrics [NAME]`: the metric glossary in the terminal
// (docs/metrics.md has the full definitions).
#include <fmt/core.h>

#include <algorithm>

#include "cli/cli.hpp"
#include "report/glossary.hpp"

namespace detsim::cli {

int metrics_command(const Args& args) {
  po::options_description options("metrics options");
  options.add_options()("help,h", "show this help")("name", po::value<std::string>(),
                                                    "a metric to explain");
  po::positional_options_description positional;
  positional.add("name", 1);
  po::variables_map vm;
  if (!parse(args, options, positional,
             "usage: detsim metrics [NAME]\n"
             "Lists every metric with its unit, kind and definition, or explains one.",
             vm))
    return 0;
  const auto kind = [](MetricKind k) { return k == MetricKind::kCount ? "count" : "amount"; };
  if (vm.count("name")) {
    const std::string name = vm["name"].as<std::string>();
    const int m = metric_index(name);
    if (m < 0)
      throw UsageError{fmt::format("unknown metric '{}'; `detsim metrics` lists them", name)};
    const GlossaryEntry& e = glossary_entry(static_cast<Metric>(m));
    fmt::print("{}\n  {}\n  unit: {}; kind: {}; counted {}\n  see docs/metrics.md#{}\n", e.name,
               e.definition, e.unit, kind(e.kind), e.counted, e.name);
    return 0;
  }
  std::size_t name_width = 6, unit_width = 4;
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    const GlossaryEntry& e = glossary_entry(static_cast<Metric>(m));
    name_width = std::max(name_width, e.name.size());
    unit_width = std::max(unit_width, e.unit.size());
  }
  fmt::print("{:<{}}  {:<{}}  {:<6}  {}\n", "metric", name_width, "unit", unit_width, "kind",
             "definition");
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    const GlossaryEntry& e = glossary_entry(static_cast<Metric>(m));
    fmt::print("{:<{}}  {:<{}}  {:<6}  {}\n", e.name, name_width, e.unit, unit_width, kind(e.kind),
               e.definition);
  }
  fmt::print(
      "\nCosts are in the scenario's `currency`, else \"cost units\". "
      "Full definitions: docs/metrics.md.\n");
  return 0;
}

}  // namespace detsim::cli
