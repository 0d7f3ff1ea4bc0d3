// The metric glossary: each metric's unit, kind and a one-line definition,
// the short form of docs/metrics.md, for `detsim metrics`, the tables and
// any other front end that explains a number.
#pragma once

#include <span>
#include <string_view>

#include "detsim/metrics.hpp"

namespace detsim {

// A count (people or detainers) or an amount (hours, bed-days, costs,
// averages, shares). Relative changes of counts need a baseline of at
// least 10 (docs/metrics.md, Intervals).
enum class MetricKind { kCount, kAmount };

struct GlossaryEntry {
  std::string_view name;  // as in kMetricNames
  std::string_view unit;  // "people", "hours", "cost units", ...
  MetricKind kind;
  std::string_view counted;     // "at booking", "at the decision", ...
  std::string_view definition;  // one sentence
};

// Every metric docs/metrics.md defines, in its order (a superset of
// kMetricNames: metrics of this release's model may come first in the docs).
std::span<const GlossaryEntry> glossary();

// The entry of `name`, or nullptr.
const GlossaryEntry* glossary_entry(std::string_view name);

// The entry of `m`. Every metric has one (tests/test_glossary.cpp).
const GlossaryEntry& glossary_entry(Metric m);

// The unit of `m` as shown to a reader: money metrics in `currency` when
// it is not empty, else "cost units".
std::string_view metric_unit(Metric m, std::string_view currency);

// Whether `unit` is a money unit ("cost units").
bool is_money_unit(std::string_view unit);

}  // namespace detsim
