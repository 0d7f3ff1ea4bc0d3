// A sweep point's scenario: the base tree with the point's values applied,
// resolved; and the check, before anything runs, that every point resolves.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <mutex>
#include <exception>
#include <thread>

#include "detsim/run.hpp"
#include "scenario/cursor.hpp"
#include "scenario/scenario_yaml.hpp"
#include "sweep/points.hpp"

namespace detsim {

namespace {

// The list item `segment` names (by id, else by index), as apply_set finds it.
YamlNode* find_item(YamlNode& list, const std::string& segment) {
  for (YamlNode& item : list.items) {
    if (!item.is_map()) continue;
    const YamlNode* id = item.find("id");
    if (id && id->is_scalar() && id->text == segment) return &item;
  }
  const bool numeric = !segment.empty() && segment.size() < 10 &&
                       std::all_of(segment.begin(), segment.end(), [](char c) {
                         return std::isdigit(static_cast<unsigned char>(c)) != 0;
                       });
  if (!numeric) return nullptr;
  const std::size_t index = std::stoul(segment);
  return index < list.items.size() ? &list.items[index] : nullptr;
}

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t dot; (dot = path.find('.', start)) != std::string::npos; start = dot + 1) {
    out.push_back(path.substr(start, dot - start));
  }
  out.push_back(path.substr(start));
  return out;
}

// The node `segment` leads to from `node`, or null.
YamlNode* child(YamlNode& node, const std::string& segment) {
  if (node.is_map()) return node.find(segment);
  if (node.is_list()) return find_item(node, segment);
  return nullptr;
}

// How many leading segments of `path` already exist in `root`.
std::size_t existing_segments(YamlNode& root, const std::vector<std::string>& path) {
  YamlNode* node = &root;
  std::size_t n = 0;
  while (n < path.size() && (node = child(*node, path[n])) != nullptr) ++n;
  return n;
}

// Gives the keys along `path` from segment `first` on (the ones apply_set
// added) the position `at`, so an unknown key is reported at the
// parameter's key in the sweep file.
void mark_added_keys(YamlNode& root, const std::vector<std::string>& path, std::size_t first,
                     YamlPos at) {
  YamlNode* node = &root;
  for (std::size_t i = 0; node && i < path.size(); ++i) {
    if (i >= first && node->is_map()) {
      for (YamlEntry& e : node->entries) {
        if (e.key == path[i]) e.key_pos = at;
      }
    }
    node = child(*node, path[i]);
  }
}

// "ice.pickup.teams=4, facilities.county-jail.policy=sanctuary"
std::string describe(const Sweep& s, const SweepPoint& point) {
  std::string out;
  for (std::size_t i = 0; i < s.parameters.size(); ++i) {
    if (i > 0) out += ", ";
    out += s.parameters[i].path + "=" + point.values[i];
  }
  return out;
}

}  // namespace

YamlNode point_tree(const SweepInputs& in, const SweepPoint& point) {
  const Sweep& s = in.sweep;
  YamlNode tree = in.base;
  for (std::size_t i = 0; i < s.parameters.size(); ++i) {
    const std::string& path = s.parameters[i].path;
    const int choice = point.choices[i];
    const YamlNode value = choice >= 0 ? in.items[i][static_cast<std::size_t>(choice)]
                                       : YamlNode::scalar(point.values[i], in.value_pos[i]);
    const std::vector<std::string> segments = split(path);
    const std::size_t existing = existing_segments(tree, segments);
    try {
      apply_set(tree, path, value);
    } catch (const InputError& e) {
      // "--set:1:1: PATH: message" -> the parameter's key in the sweep file.
      std::string message = e.what();
      const std::string prefix = fmt::format("--set:1:1: {}: ", path);
      if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
      throw InputError(
          format_input_error(in.key_pos[i], "parameters." + path,
                             fmt::format("{} in the base scenario {}", message, s.base_path)));
    }
    mark_added_keys(tree, segments, existing, in.key_pos[i]);
  }
  return tree;
}

Scenario resolve_point(const SweepInputs& in, const SweepPoint& point) {
  const YamlNode tree = point_tree(in, point);
  try {
    return resolve_scenario(tree, in.sweep.base_path, LoadOptions{});
  } catch (const InputError& e) {
    throw InputError(
        fmt::format("{} (sweep point {}: {})", e.what(), point.index, describe(in.sweep, point)));
  }
}

void check_points(const SweepInputs& in, int threads) {
  const std::vector<SweepPoint>& points = in.sweep.points;
  const int n = static_cast<int>(points.size());
  std::atomic<int> next{0};
  std::mutex mutex;
  int failed = n;  // the first failing point found so far
  std::exception_ptr failure;
  auto worker = [&] {
    for (int i = next++; i < n; i = next++) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (i > failed) return;
      }
      try {
        (void)resolve_point(in, points[static_cast<std::size_t>(i)]);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (i < failed) {
          failed = i;
          failure = std::current_exception();
        }
      }
    }
  };
  const int t = std::max(1, std::min(resolve_threads(threads), n));
  std::vector<std::thread> pool;
  for (int k = 1; k < t; ++k) pool.emplace_back(worker);
  worker();
  for (std::thread& th : pool) th.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace detsim
