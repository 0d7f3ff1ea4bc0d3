// The metric glossary (docs/metrics.md, "Overview" and one section per
// metric): each metric's unit, kind and a one-line definition, for the web
// page's hover texts and any command that lists metrics. docs/metrics.md is
// the full text; tests check that the units and kinds here match its table.
#pragma once

#include <span>
#include <string_view>

namespace detsim {

struct GlossaryEntry {
  std::string_view name;        // the metric's name (kMetricNames)
  std::string_view unit;        // "people", "detainers", "hours", ... as docs/metrics.md
  std::string_view kind;        // "count" or "amount"
  std::string_view definition;  // one sentence
};

// Every metric docs/metrics.md defines, in its order (metrics a build does
// not count yet included). Throws nothing.
std::span<const GlossaryEntry> metric_glossary();

// The entry of `name`, or null. Throws nothing.
const GlossaryEntry* find_glossary_entry(std::string_view name);

}  // namespace detsim
