// Reading duration distributions (docs/scenario.md), and their means.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "detsim/load.hpp"
#include "scenario/check.hpp"

namespace detsim {

namespace {

constexpr std::string_view kDistNames[] = {"fixed", "exponential", "lognormal", "gamma",
                                           "empirical"};
constexpr double kHoursPerDay = 24;

// The keys each kind of distribution may have, in kDistNames' order.
const std::vector<std::string_view>& kind_keys(Distribution::Kind kind) {
  static const std::vector<std::string_view> kKeys[] = {
      {"dist", "hours", "days"},
      {"dist", "mean_hours", "mean_days"},
      {"dist", "median_hours", "median_days", "sigma"},
      {"dist", "mean_hours", "mean_days", "cv"},
      {"dist", "hours", "days", "weights"},
  };
  return kKeys[static_cast<int>(kind)];
}

// A value given in hours or days (`hours_key` or `days_key`, exactly one),
// with its cursor and the factor that converts it to hours.
struct UnitValue {
  Cursor cursor;
  double to_hours;
};

UnitValue hours_or_days(const MapReader& m, std::string_view hours_key, std::string_view days_key) {
  const auto hours = m.find(hours_key);
  const auto days = m.find(days_key);
  if (hours && days) {
    m.cursor().fail(fmt::format("give either '{}' or '{}', not both", hours_key, days_key));
  }
  if (!hours && !days) {
    m.cursor().fail(fmt::format("missing required key '{}' (or '{}')", hours_key, days_key));
  }
  return hours ? UnitValue{*hours, 1.0} : UnitValue{*days, kHoursPerDay};
}

double read_duration(const MapReader& m, std::string_view hours_key, std::string_view days_key,
                     const Range& range) {
  const UnitValue v = hours_or_days(m, hours_key, days_key);
  return read_number(v.cursor, range) * v.to_hours;
}

void read_empirical(const MapReader& m, Distribution& d) {
  const UnitValue v = hours_or_days(m, "hours", "days");
  for (const Cursor& item : v.cursor.items("a list of values")) {
    d.values.push_back(read_number(item, at_least(0)) * v.to_hours);
  }
  if (d.values.empty()) v.cursor.expected("a non-empty list of values");
  std::vector<double> weights(d.values.size(), 1.0);
  if (const auto w = m.find("weights")) {
    const std::vector<Cursor> items = w->items("a list of weights");
    if (items.size() != d.values.size()) {
      w->fail(fmt::format("expected {} weights (one per value), found {}", d.values.size(),
                          items.size()));
    }
    for (std::size_t i = 0; i < items.size(); ++i) weights[i] = read_number(items[i], at_least(0));
  }
  double total = 0;
  for (double x : weights) total += x;
  if (!(total > 0)) m.find("weights")->fail("expected weights that are not all 0");
  double running = 0;
  for (double x : weights) {
    running += x;
    d.cumulative.push_back(running / total);
  }
  d.cumulative.back() = 1;
}

}  // namespace

Distribution read_distribution(const Cursor& c) {
  if (!c.node().is_map()) c.expected("a distribution such as {dist: fixed, hours: 2}");
  const MapReader all(c, {"dist", "hours", "days", "mean_hours", "mean_days", "median_hours",
                          "median_days", "sigma", "cv", "weights"});
  Distribution d;
  d.kind = static_cast<Distribution::Kind>(read_choice(all.required("dist"), kDistNames));
  const auto& keys = kind_keys(d.kind);
  for (const YamlEntry& e : c.node().entries) {
    if (std::find(keys.begin(), keys.end(), e.key) == keys.end()) {
      throw InputError(
          format_input_error(e.key_pos.known() ? e.key_pos : c.pos(), c.child_path(e.key),
                             fmt::format("'{}' does not apply to dist: {} (its keys: {})", e.key,
                                         kDistNames[static_cast<int>(d.kind)], join(keys))));
    }
  }
  switch (d.kind) {
    case Distribution::Kind::kFixed:
      d.a = read_duration(all, "hours", "days", at_least(0));
      break;
    case Distribution::Kind::kExponential:
      d.a = read_duration(all, "mean_hours", "mean_days", above(0));
      break;
    case Distribution::Kind::kLognormal:
      d.a = read_duration(all, "median_hours", "median_days", above(0));
      d.b = read_number(all.required("sigma"), at_least(0));  // 0: the median, always
      break;
    case Distribution::Kind::kGamma:
      d.a = read_duration(all, "mean_hours", "mean_days", above(0));
      // cv > 0: a gamma with cv 0 has no shape parameter (write `fixed` instead).
      d.b = read_number(all.required("cv"), above(0));
      break;
    case Distribution::Kind::kEmpirical:
      read_empirical(all, d);
      break;
  }
  return d;
}

double Distribution::mean() const {
  switch (kind) {
    case Kind::kFixed:
    case Kind::kExponential:
    case Kind::kGamma:
      return a;
    case Kind::kLognormal:
      return a * std::exp(b * b / 2);
    case Kind::kEmpirical: {
      double m = 0, previous = 0;
      for (std::size_t i = 0; i < values.size(); ++i) {
        m += values[i] * (cumulative[i] - previous);
        previous = cumulative[i];
      }
      return m;
    }
  }
  return a;
}

}  // namespace detsim
