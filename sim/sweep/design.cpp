// Expanding a sweep's design into points (docs/scenario.md): grid values
// of ranges, random and Latin hypercube samples, point ids.
//
// Random draws come from the counter-based Stream (rng.hpp) keyed by the
// sweep's seed and the replication number kSweepReplication, which no
// simulation uses (replications stop at 100,000): the samples are disjoint
// from every person's draws, and a sample's values depend only on the seed,
// the parameter's position and the sample index.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <set>

#include "detsim/load.hpp"
#include "engine/rng.hpp"
#include "scenario/cursor.hpp"
#include "sweep/design.hpp"

namespace detsim {

namespace {

constexpr std::uint32_t kSweepReplication = 0xFFFFFFFFu;
// Purposes of the sweep's streams (under kSweepReplication only).
constexpr auto kRandomValue = static_cast<Purpose>(101);  // index: sample
constexpr auto kLhsOrder = static_cast<Purpose>(102);     // index: 0
constexpr auto kLhsJitter = static_cast<Purpose>(103);    // index: sample

Stream sweep_stream(std::uint64_t seed, std::size_t parameter, Purpose purpose,
                    std::uint64_t index) {
  return Stream(seed, kSweepReplication, static_cast<std::uint32_t>(parameter), purpose, index);
}

// 12 significant digits: clean grid values (0.3, not 0.30000000000000004).
std::string round_text(double x) {
  const std::string rounded = fmt::format("{:.12g}", x);
  double y = x;
  std::from_chars(rounded.data(), rounded.data() + rounded.size(), y);
  return fmt::format("{}", y);
}

std::string integer_text(double x) {
  return fmt::format("{}", std::llround(x));
}

// A range's value at u in (0, 1): uniform (log-uniform with `log`) over
// [min, max]; with `integer`, over [min - 1/2, max + 1/2] then rounded, so
// every integer of the range is equally likely (on the log scale with `log`).
std::string range_value(const SweepParameter& p, double u) {
  const double pad = p.integer ? 0.5 : 0.0;
  const double lo = p.min - pad, hi = p.max + pad;
  double x =
      p.log ? std::exp(std::log(lo) + u * (std::log(hi) - std::log(lo))) : lo + u * (hi - lo);
  if (p.integer) return integer_text(std::clamp(std::round(x), p.min, p.max));
  x = std::clamp(x, p.min, p.max);
  return fmt::format("{}", x);
}

// A parameter's value at u in (0, 1): a range's, or one of a list's items
// (equally likely). Sets *choice to the item, or -1 for a range.
std::string value_at(const SweepParameter& p, double u, int* choice) {
  if (p.is_range) {
    *choice = -1;
    return range_value(p, u);
  }
  const int n = static_cast<int>(p.values.size());
  *choice = std::min(static_cast<int>(u * n), n - 1);
  return p.values[static_cast<std::size_t>(*choice)];
}

// A uniformly random permutation of 0..n-1 (Fisher-Yates).
std::vector<int> permutation(Stream stream, int n) {
  std::vector<int> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  for (int i = n - 1; i > 0; --i) {
    const int j = std::min(static_cast<int>(stream.uniform() * (i + 1)), i);
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
  }
  return order;
}

void add_point(Sweep& s, int sample, std::vector<std::string> values, std::vector<int> choices) {
  SweepPoint point;
  point.index = static_cast<int>(s.points.size());
  point.sample = sample;
  point.id = point_id(s.parameters, values, sample);
  point.values = std::move(values);
  point.choices = std::move(choices);
  s.points.push_back(std::move(point));
}

void expand_grid(SweepInputs& in) {
  Sweep& s = in.sweep;
  std::vector<std::vector<std::string>> axes;
  std::int64_t count = 1;
  for (const SweepParameter& p : s.parameters) {
    axes.push_back(p.is_range ? grid_values(p) : p.values);
    count *= static_cast<std::int64_t>(axes.back().size());
    if (count > kMaxSweepPoints) {
      throw InputError(
          format_input_error(in.value_pos[axes.size() - 1], "parameters",
                             fmt::format("the grid has more than {} points", kMaxSweepPoints)));
    }
  }
  std::vector<std::size_t> at(axes.size(), 0);  // an odometer, last axis fastest
  for (std::int64_t k = 0; k < count; ++k) {
    std::vector<std::string> values;
    std::vector<int> choices;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      values.push_back(axes[i][at[i]]);
      choices.push_back(s.parameters[i].is_range ? -1 : static_cast<int>(at[i]));
    }
    add_point(s, -1, std::move(values), std::move(choices));
    for (std::size_t i = axes.size(); i-- > 0;) {
      if (++at[i] < axes[i].size()) break;
      at[i] = 0;
    }
  }
}

void expand_samples(Sweep& s) {
  const int n = s.samples;
  const std::size_t params = s.parameters.size();
  std::vector<std::vector<int>> strata(params);  // lhs: the stratum of each sample
  if (s.design == SweepDesign::kLhs) {
    for (std::size_t p = 0; p < params; ++p)
      strata[p] = permutation(sweep_stream(s.seed, p, kLhsOrder, 0), n);
  }
  for (int k = 0; k < n; ++k) {
    std::vector<std::string> values(params);
    std::vector<int> choices(params);
    for (std::size_t p = 0; p < params; ++p) {
      const auto sample = static_cast<std::uint64_t>(k);
      double u = 0;
      if (s.design == SweepDesign::kLhs) {
        const double jitter = sweep_stream(s.seed, p, kLhsJitter, sample).uniform();
        u = (strata[p][static_cast<std::size_t>(k)] + jitter) / n;
      } else {
        u = sweep_stream(s.seed, p, kRandomValue, sample).uniform();
      }
      values[p] = value_at(s.parameters[p], u, &choices[p]);
    }
    add_point(s, k, std::move(values), std::move(choices));
  }
}

}  // namespace

const char* to_string(SweepDesign d) {
  return kDesignNames[static_cast<int>(d)].data();
}

std::uint64_t fnv1a64(const std::string& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string point_id(const std::vector<SweepParameter>& parameters,
                     const std::vector<std::string>& values, int sample) {
  std::string bytes;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    bytes += parameters[i].path;
    bytes += '\0';
    bytes += values.at(i);
    bytes += '\0';
  }
  if (sample >= 0) bytes += fmt::format("sample{}{}", '\0', sample);
  return fmt::format("{:016x}", fnv1a64(bytes));
}

std::vector<std::string> grid_values(const SweepParameter& p) {
  std::vector<std::string> out;
  const int n = p.steps;
  for (int i = 0; i < n; ++i) {
    const double f = n == 1 ? 0.0 : static_cast<double>(i) / (n - 1);
    double x = p.log ? std::exp(std::log(p.min) + f * (std::log(p.max) - std::log(p.min)))
                     : p.min + f * (p.max - p.min);
    if (i == 0) x = p.min;
    if (i == n - 1 && n > 1) x = p.max;
    std::string text = p.integer ? integer_text(x) : round_text(x);
    if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(std::move(text));
  }
  return out;
}

bool in_shard(const SweepPoint& point, int shard, int shard_count) {
  return point.index % shard_count == shard - 1;
}

std::int64_t planned_points(const SweepInputs& in) {
  const Sweep& s = in.sweep;
  if (s.design != SweepDesign::kGrid) return s.samples;
  std::int64_t count = 1;
  for (const SweepParameter& p : s.parameters) {
    count *= static_cast<std::int64_t>(p.is_range ? grid_values(p).size() : p.values.size());
    if (count > kMaxSweepPoints) return count;  // expand_points refuses it
  }
  return count;
}

void expand_points(SweepInputs& in) {
  Sweep& s = in.sweep;
  s.points.clear();
  if (s.design == SweepDesign::kGrid) {
    expand_grid(in);
  } else {
    expand_samples(s);
  }
  std::set<std::string> ids;
  for (const SweepPoint& p : s.points) {
    if (!ids.insert(p.id).second) {
      throw InputError(format_input_error({intern_source(s.source), 1, 1}, "parameters",
                                          fmt::format("two points share the id {}", p.id)));
    }
  }
}

}  // namespace detsim
