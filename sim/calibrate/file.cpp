// Reading a calibration file (docs/calibration.md) and its base scenario.
//
// Choices where the format leaves room (documented in docs/calibration.md):
// - `seed` defaults to the base scenario's, `replications` to 1, `method`
//   to abc-smc, `particles` to 500, `budget` to 50,000.
// - The budget must pay for round 0 and the predictive check:
//   budget >= particles x (replications + 1).
// - A parameter path may not be `seed` or `replications`, nor lie inside
//   another's; with `integer: true` min and max are integers; with
//   `log: true` min > 0.
// - A target's metric may appear twice only for different facilities.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "calibrate/plan.hpp"
#include "scenario/cursor.hpp"
#include "scenario/facility_table.hpp"
#include "scenario/scenario_yaml.hpp"
#include "sweep/points.hpp"

namespace detsim {

namespace {

constexpr std::string_view kMethods[] = {"abc-smc"};

CalibrationParameter read_prior(const Cursor& c, const std::string& path) {
  if (!c.node().is_map()) c.expected("a prior {min, max} (optionally log: true, integer: true)");
  const MapReader m(c, {"min", "max", "log", "integer"});
  CalibrationParameter p;
  p.path = path;
  if (auto x = m.find("log")) p.log = read_bool(*x);
  if (auto x = m.find("integer")) p.integer = read_bool(*x);
  const Cursor min = m.required("min");
  const Cursor max = m.required("max");
  const double inf = std::numeric_limits<double>::infinity();
  p.min = read_number(min, p.log ? above(0) : Range{-inf, inf, true, true, "a number"});
  p.max = read_number(max, above(p.min));
  if (p.integer && p.min != std::floor(p.min)) min.expected("an integer (integer: true)");
  if (p.integer && p.max != std::floor(p.max)) max.expected("an integer (integer: true)");
  return p;
}

void read_parameters(const Cursor& c, CalibrationInputs& in) {
  if (!c.node().is_map() || c.node().entries.empty()) {
    c.expected("a non-empty mapping of scenario paths to priors {min, max}");
  }
  for (const YamlEntry& e : c.node().entries) {
    const YamlPos key_pos = e.key_pos.known() ? e.key_pos : c.pos();
    const Cursor value(e.value, c.child_path(e.key), key_pos);
    std::vector<std::string> earlier;
    for (const CalibrationParameter& q : in.calibration.parameters) earlier.push_back(q.path);
    check_parameter_path(e.key, key_pos, earlier,
                         "`{}` is set by the calibration itself and cannot have a prior");
    in.calibration.parameters.push_back(read_prior(value, e.key));
    SweepParameter sp;
    sp.path = e.key;
    sp.is_range = true;
    in.sweep.sweep.parameters.push_back(sp);
    in.sweep.key_pos.push_back(key_pos);
    in.sweep.value_pos.push_back(value.pos());
    in.sweep.items.emplace_back();
  }
}

Metric read_metric(const Cursor& c) {
  const std::string name = read_string(c);
  const int m = metric_index(name);
  if (m < 0) {
    std::vector<std::string_view> names(kMetricNames.begin(), kMetricNames.end());
    const std::string hint = did_you_mean(name, names);
    c.fail(hint.empty() ? fmt::format("unknown metric '{}' (see `detsim metrics`)", name)
                        : fmt::format("unknown metric '{}'{}", name, hint));
  }
  return static_cast<Metric>(m);
}

void read_targets(const Cursor& c, Calibration& cal, std::vector<Cursor>& facility_keys) {
  const std::vector<Cursor> items = c.items("a list of targets {metric, observed, sd}");
  if (items.empty()) c.expected("a non-empty list of targets {metric, observed, sd}");
  for (const Cursor& item : items) {
    if (!item.node().is_map()) item.expected("a target {metric, facility, observed, sd}");
    const MapReader m(item, {"metric", "facility", "observed", "sd"});
    CalibrationTarget t;
    t.metric = read_metric(m.required("metric"));
    if (auto x = m.find("facility")) {
      t.facility = read_string(*x);
      facility_keys.push_back(*x);
    } else {
      facility_keys.push_back(item);
    }
    t.observed = read_number(m.required("observed"), at_least(0));
    t.sd = read_number(m.required("sd"), above(0));
    for (const CalibrationTarget& u : cal.targets) {
      if (u.metric == t.metric && u.facility == t.facility) {
        item.fail(fmt::format("the metric '{}'{} is already a target",
                              kMetricNames[index(t.metric)],
                              t.facility.empty() ? "" : " of facility " + t.facility));
      }
    }
    cal.targets.push_back(t);
  }
}

std::string resolved_text(const Calibration& c) {
  std::string out = fmt::format(
      "base: {}\nseed: {}\nreplications: {}\nmethod: {}\nparticles: {}\nbudget: {}\nparameters:\n",
      c.base_path, c.seed, c.replications, c.method, c.particles, c.budget);
  for (const CalibrationParameter& p : c.parameters) {
    out += fmt::format("  {}: {{min: {}, max: {}, log: {}, integer: {}}}\n", p.path, p.min, p.max,
                       p.log, p.integer);
  }
  out += "targets:\n";
  for (const CalibrationTarget& t : c.targets) {
    out +=
        fmt::format("  - {{metric: {}{}, observed: {}, sd: {}}}\n", kMetricNames[index(t.metric)],
                    t.facility.empty() ? "" : ", facility: " + t.facility, t.observed, t.sd);
  }
  return out;
}

// A point with every prior at its lower (upper) end, to check the paths.
SweepPoint end_point(const CalibrationInputs& in, bool upper) {
  SweepPoint point;
  point.index = upper ? 1 : 0;
  for (const CalibrationParameter& p : in.calibration.parameters) {
    point.values.push_back(value_text(upper ? p.max : p.min, p.integer));
    point.choices.push_back(-1);
  }
  point.values.push_back(std::to_string(in.calibration.seed));
  point.choices.push_back(-1);
  return point;
}

}  // namespace

double Coordinate::value(double z) const {
  double x = log ? std::exp(z) : z;
  if (integer) x = std::round(x);
  return x;
}

Coordinate coordinate(const CalibrationParameter& p) {
  Coordinate c;
  c.log = p.log;
  c.integer = p.integer;
  const double pad = p.integer ? 0.5 : 0.0;
  const double lo = p.min - pad, hi = p.max + pad;
  c.lo = p.log ? std::log(lo) : lo;
  c.hi = p.log ? std::log(hi) : hi;
  return c;
}

std::string value_text(double value, bool integer) {
  return integer ? fmt::format("{}", std::llround(value)) : fmt::format("{}", value);
}

CalibrationInputs read_calibration_inputs(const std::string& path) {
  const YamlNode root = read_yaml_file(path);
  const Cursor c(root, "", root.pos);
  if (!root.is_map()) c.expected("a mapping with base, parameters and targets");
  const MapReader m(c, {"name", "description", "base", "seed", "replications", "method",
                        "particles", "budget", "parameters", "targets"});
  CalibrationInputs in;
  Calibration& cal = in.calibration;
  cal.source = path;
  cal.base_path = base_path_of(m.required("base"), path);
  if (auto x = m.find("replications"))
    cal.replications = static_cast<int>(read_integer(*x, 1, 100000));
  if (auto x = m.find("method")) cal.method = std::string(kMethods[read_choice(*x, kMethods)]);
  if (auto x = m.find("particles"))
    cal.particles = static_cast<int>(read_integer(*x, 10, 1'000'000));
  if (auto x = m.find("budget")) cal.budget = read_integer(*x, 1, 1'000'000'000'000);
  read_parameters(m.required("parameters"), in);
  std::vector<Cursor> facility_keys;
  read_targets(m.required("targets"), cal, facility_keys);
  const std::int64_t least = std::int64_t{cal.particles} * (cal.replications + 1);
  if (cal.budget < least) {
    (m.find("budget") ? *m.find("budget") : c)
        .fail(fmt::format("the budget ({} simulations) must pay for round 0 and the predictive "
                          "check: at least particles x (replications + 1) = {}",
                          cal.budget, least));
  }
  // The base scenario, with the calibration's seed.
  in.sweep.base = read_scenario_tree(cal.base_path);
  if (auto x = m.find("seed")) {
    cal.seed = read_uint64(*x);
    if (in.sweep.base.is_map())
      in.sweep.base.set("seed", YamlNode::scalar(std::to_string(cal.seed), x->pos()));
  }
  const Scenario base = resolve_scenario(in.sweep.base, cal.base_path, LoadOptions{});
  cal.seed = base.seed;
  in.base_resolved_yaml = base.resolved_yaml;
  for (std::size_t t = 0; t < cal.targets.size(); ++t) {
    const std::string& id = cal.targets[t].facility;
    int f = -1;
    for (std::size_t i = 0; i < base.facilities.size(); ++i) {
      if (base.facilities[i].id == id) f = static_cast<int>(i);
    }
    if (!id.empty() && f < 0) {
      std::vector<std::string> ids;
      for (const Facility& fa : base.facilities) ids.push_back(fa.id);
      facility_keys[t].fail(fmt::format("no facility '{}' in the base scenario {}{}", id,
                                        cal.base_path, did_you_mean(id, ids)));
    }
    in.target_facility.push_back(f);
  }
  // The sweep view: priors, then the candidate's seed.
  Sweep& s = in.sweep.sweep;
  s.source = path;
  s.base_path = cal.base_path;
  s.replications = cal.replications;
  s.seed = cal.seed;
  s.seed_given = true;
  SweepParameter seed;
  seed.path = "seed";
  s.parameters.push_back(seed);
  const YamlPos seed_pos = m.find("seed") ? m.find("seed")->pos() : root.pos;
  in.sweep.key_pos.push_back(seed_pos);
  in.sweep.value_pos.push_back(seed_pos);
  in.sweep.items.emplace_back();
  in.sweep.base_resolved_yaml = base.resolved_yaml;
  for (const bool upper : {false, true}) {
    try {
      (void)resolve_point(in.sweep, end_point(in, upper));
    } catch (const InputError& e) {
      // The sweep's "(sweep point N: values)" suffix, said for priors.
      std::string message = e.what();
      const auto at = message.rfind(" (sweep point ");
      if (at != std::string::npos) message.erase(at);
      throw InputError(message +
                       (upper ? " (every prior at its max)" : " (every prior at its min)"));
    }
  }
  in.resolved_yaml = resolved_text(cal);
  return in;
}

CalibrationPlan::CalibrationPlan(const std::string& path)
    : inputs_(std::make_shared<const CalibrationInputs>(read_calibration_inputs(path))) {}

const Calibration& CalibrationPlan::calibration() const {
  return inputs_->calibration;
}
const std::string& CalibrationPlan::resolved_yaml() const {
  return inputs_->resolved_yaml;
}
const std::string& CalibrationPlan::base_resolved_yaml() const {
  return inputs_->base_resolved_yaml;
}

}  // namespace detsim
