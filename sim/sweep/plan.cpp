// Reading a sweep file (docs/scenario.md) and its base scenario.
//
// Choices the model leaves open (documented in the README):
// - `replications` and `seed` default to the base scenario's; `design` to
//   grid; `metrics` to the headline metrics.
// - `steps` is ignored by random and lhs (so a file can switch designs);
//   `samples` under grid is an error.
// - With `integer: true` a range's min and max must be integers; with
//   `log: true` min must be > 0.
// - A list value repeated in the same list is an error (two points would
//   be the same point); `seed` and `replications` cannot be swept (every
//   point shares them), and no parameter path may lie inside another's.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "scenario/check.hpp"
#include "scenario/cursor.hpp"
#include "scenario/facility_table.hpp"
#include "scenario/scenario_yaml.hpp"
#include "sweep/design.hpp"
#include "sweep/plan.hpp"

namespace detsim {

namespace {

constexpr std::int64_t kMaxSteps = 100'000;

Range any_number() {
  const double inf = std::numeric_limits<double>::infinity();
  return {-inf, inf, true, true, "a number"};
}

// A range {min, max, integer, log, steps}.
void read_range(const Cursor& c, SweepParameter& p, SweepDesign design) {
  const MapReader m(c, {"min", "max", "integer", "log", "steps"});
  p.is_range = true;
  if (auto x = m.find("integer")) p.integer = read_bool(*x);
  if (auto x = m.find("log")) p.log = read_bool(*x);
  const Cursor min = m.required("min");
  const Cursor max = m.required("max");
  p.min = read_number(min, p.log ? above(0) : any_number());
  p.max = read_number(max, at_least(p.min));
  if (p.integer && p.min != std::floor(p.min))
    min.expected("an integer (the range has integer: true)");
  if (p.integer && p.max != std::floor(p.max))
    max.expected("an integer (the range has integer: true)");
  if (auto x = m.find("steps")) {
    p.steps = static_cast<int>(read_integer(*x, 1, kMaxSteps));
  } else if (design == SweepDesign::kGrid) {
    c.fail("missing required key 'steps' (a range under design: grid needs the number of values)");
  }
}

// A list of values: each item any YAML value, no repeats.
void read_list(const Cursor& c, SweepParameter& p, std::vector<YamlNode>& items) {
  const std::vector<Cursor> cursors = c.items("a list of values or a range {min, max}");
  if (cursors.empty()) c.expected("a non-empty list of values");
  for (const Cursor& item : cursors) {
    std::string text = flow_text(item.node());
    const auto seen = std::find(p.values.begin(), p.values.end(), text);
    if (seen != p.values.end()) {
      item.fail(fmt::format("the value {} is already item {} of this list", text,
                            seen - p.values.begin()));
    }
    p.values.push_back(std::move(text));
    items.push_back(item.node());
  }
}

void read_parameters(const Cursor& c, SweepInputs& in) {
  if (!c.node().is_map() || c.node().entries.empty()) {
    c.expected("a non-empty mapping of scenario paths to lists of values or ranges");
  }
  for (const YamlEntry& e : c.node().entries) {
    const YamlPos key_pos = e.key_pos.known() ? e.key_pos : c.pos();
    const Cursor value(e.value, c.child_path(e.key), key_pos);
    std::vector<std::string> earlier;
    for (const SweepParameter& q : in.sweep.parameters) earlier.push_back(q.path);
    check_parameter_path(e.key, key_pos, earlier,
                         "the sweep's own `{}` applies to every point and cannot be swept");
    SweepParameter p;
    p.path = e.key;
    std::vector<YamlNode> items;
    if (e.value.is_map()) {
      read_range(value, p, in.sweep.design);
    } else if (e.value.is_list()) {
      read_list(value, p, items);
    } else {
      value.expected("a list of values ([a, b]) or a range {min, max}");
    }
    in.sweep.parameters.push_back(std::move(p));
    in.items.push_back(std::move(items));
    in.key_pos.push_back(key_pos);
    in.value_pos.push_back(value.pos());
  }
}

std::vector<Metric> read_metrics(const Cursor& c) {
  std::vector<Metric> out;
  const std::vector<Cursor> items = c.items("a list of metric names");
  if (items.empty()) c.expected("a non-empty list of metric names");
  std::vector<std::string_view> names(kMetricNames.begin(), kMetricNames.end());
  for (const Cursor& item : items) {
    const std::string name = read_string(item);
    const int m = metric_index(name);
    if (m < 0) {
      const std::string hint = did_you_mean(name, names);
      item.fail(hint.empty() ? fmt::format("unknown metric '{}' (metrics: {})", name, join(names))
                             : fmt::format("unknown metric '{}'{}", name, hint));
    }
    if (std::find(out.begin(), out.end(), static_cast<Metric>(m)) != out.end()) {
      item.fail(fmt::format("the metric '{}' is listed twice", name));
    }
    out.push_back(static_cast<Metric>(m));
  }
  return out;
}

// Sets `key` at the top of the base tree to the sweep's value.
void set_top(YamlNode& tree, const char* key, const std::string& text, YamlPos pos) {
  if (tree.is_map()) tree.set(key, YamlNode::scalar(text, pos));
}

}  // namespace

std::string base_path_of(const Cursor& c, const std::string& file) {
  const std::filesystem::path base(read_string(c));
  const std::string path =
      base.is_absolute()
          ? base.string()
          : (std::filesystem::path(file).parent_path() / base).lexically_normal().string();
  if (!std::ifstream(path).good() || std::filesystem::is_directory(path)) {
    c.fail(fmt::format("cannot read the base scenario {}", path));
  }
  return path;
}

void check_parameter_path(const std::string& path, YamlPos at,
                          const std::vector<std::string>& earlier, std::string_view own_refusal) {
  const std::string where = "parameters." + path;
  const auto fail = [&](const std::string& message) {
    throw InputError(format_input_error(at, where, message));
  };
  if (path.empty() || path.front() == '.' || path.back() == '.' ||
      path.find("..") != std::string::npos) {
    fail("expected a scenario path of names separated by single dots");
  }
  if (path == "seed" || path == "replications") {
    fail(fmt::format(fmt::runtime(own_refusal), path));
  }
  for (const std::string& other : earlier) {
    const bool inside = path.rfind(other + ".", 0) == 0 || other.rfind(path + ".", 0) == 0;
    if (inside) fail(fmt::format("overlaps the parameter '{}'", other));
  }
}

SweepInputs parse_sweep_file(const std::string& path) {
  const YamlNode root = read_yaml_file(path);
  const Cursor c(root, "", root.pos);
  if (!root.is_map()) c.expected("a mapping with base, design, parameters and metrics");
  const MapReader m(c, {"name", "description", "base", "replications", "seed", "design", "samples",
                        "parameters", "metrics"});
  SweepInputs in;
  Sweep& s = in.sweep;
  s.source = path;
  s.base_path = base_path_of(m.required("base"), path);
  if (auto x = m.find("replications")) {
    s.replications = static_cast<int>(read_integer(*x, 1, kMaxReplications));
  }
  if (auto x = m.find("seed")) {
    s.seed = read_uint64(*x);
    s.seed_given = true;
  }
  if (auto x = m.find("design")) s.design = static_cast<SweepDesign>(read_choice(*x, kDesignNames));
  if (auto x = m.find("samples")) {
    if (s.design == SweepDesign::kGrid) {
      x->fail("samples is for the random and lhs designs; a grid has one point per combination");
    }
    s.samples = static_cast<int>(read_integer(*x, 1, kMaxSweepPoints));
  } else if (s.design != SweepDesign::kGrid) {
    c.fail(fmt::format("missing required key 'samples' (design: {})", to_string(s.design)));
  }
  read_parameters(m.required("parameters"), in);
  if (auto x = m.find("metrics")) {
    s.metrics = read_metrics(*x);
  } else {
    s.metrics.assign(kHeadlineMetrics.begin(), kHeadlineMetrics.end());
  }
  // Where the sweep sets seed and replications, for messages about them.
  in.base = YamlNode::map(root.pos);
  if (auto x = m.find("replications")) in.base.set("replications", x->node());
  if (auto x = m.find("seed")) in.base.set("seed", x->node());
  return in;
}

SweepInputs read_sweep_inputs(const std::string& path) {
  SweepInputs in = parse_sweep_file(path);
  const YamlNode given = std::move(in.base);
  in.base = read_scenario_tree(in.sweep.base_path);
  Sweep& s = in.sweep;
  if (const YamlNode* reps = given.find("replications")) {
    set_top(in.base, "replications", std::to_string(s.replications), reps->pos);
  }
  if (const YamlNode* seed = given.find("seed")) {
    set_top(in.base, "seed", std::to_string(s.seed), seed->pos);
  }
  const Scenario base = resolve_scenario(in.base, s.base_path, LoadOptions{});
  s.replications = base.replications;
  s.seed = base.seed;
  set_top(in.base, "replications", std::to_string(s.replications), {});
  set_top(in.base, "seed", std::to_string(s.seed), {});
  in.base_resolved_yaml = base.resolved_yaml;
  expand_points(in);
  return in;
}

}  // namespace detsim
