// `detsim merge`: results of shards (or of interrupted and resumed runs)
// into one file sorted by point id.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "detsim/load.hpp"
#include "scenario/cursor.hpp"
#include "scenario/scenario_yaml.hpp"
#include "sweep/csv.hpp"
#include "sweep/merge.hpp"
#include "sweep/job.hpp"

namespace detsim {

namespace {

// A row's key: its point id and, in per-replication files, its replication.
struct RowKey {
  std::string id;
  long replication = -1;
  bool operator<(const RowKey& o) const {
    return id != o.id ? id < o.id : replication < o.replication;
  }
};

struct Origin {
  std::string row;
  std::string file;
  int line = 0;
};

[[noreturn]] void merge_fail(const std::string& file, int line, std::string_view message) {
  throw InputError(format_input_error({intern_source(file), line, 1}, "", message));
}

RowKey key_of(const std::string& row, bool per_replication, const std::string& file, int line) {
  const std::vector<std::string> fields = split_csv_line(row);
  RowKey key{fields[0]};
  if (!per_replication) return key;
  const std::string& r = fields.size() > 1 ? fields[1] : std::string();
  const auto [end, ec] = std::from_chars(r.data(), r.data() + r.size(), key.replication);
  if (ec != std::errc() || end != r.data() + r.size())
    merge_fail(file, line, "expected a replication number");
  return key;
}

bool is_number_or_empty(const std::string& f) {
  if (f.empty()) return true;
  double x = 0;
  const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), x);
  return ec == std::errc() && end == f.data() + f.size();
}

// The parameter values of each point of `file`'s sidecar (id -> path ->
// value), or empty when it has none.
std::map<std::string, std::map<std::string, std::string>> sidecar_points(const std::string& file) {
  using PlainJson = nlohmann::json;
  std::map<std::string, std::map<std::string, std::string>> out;
  std::string text;
  if (!read_file_text(sidecar_path(file), &text)) return out;
  const PlainJson j = PlainJson::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("points") || !j["points"].is_array())
    return out;  // merge_sidecars reports it
  for (const PlainJson& pt : j["points"]) {
    if (!pt.is_object() || !pt.contains("point_id") || !pt["point_id"].is_string()) continue;
    auto& values = out[pt["point_id"].get<std::string>()];
    if (pt.contains("values") && pt["values"].is_object()) {
      for (const auto& [k, v] : pt["values"].items())
        if (v.is_string()) values[k] = v.get<std::string>();
    }
  }
  return out;
}

// Checks a row whole: its field count, numbers where the header has
// metrics, and (with a sidecar) its point id and parameter values.
void check_row(const std::vector<std::string>& header, const std::vector<std::string>& fields,
               bool per_replication,
               const std::map<std::string, std::map<std::string, std::string>>& points,
               const std::string& file, int line) {
  if (fields.size() != header.size())
    merge_fail(file, line,
               fmt::format("{} fields where the header has {}", fields.size(), header.size()));
  std::size_t first_metric = 2;
  if (!per_replication) {
    std::size_t metric_columns = 0;
    for (const std::string& h : header) {
      const auto ends = [&](std::string_view tail) {
        return h.size() >= tail.size() && h.compare(h.size() - tail.size(), tail.size(), tail) == 0;
      };
      if (ends("_mean") || ends("_ci_low") || ends("_ci_high")) ++metric_columns;
    }
    first_metric = header.size() - metric_columns;
    if (!points.empty()) {
      const auto it = points.find(fields[0]);
      if (it == points.end())
        merge_fail(file, line,
                   fmt::format("point id '{}' is not in {}", fields[0], sidecar_path(file)));
      for (std::size_t k = 1; k < first_metric; ++k) {
        const auto v = it->second.find(header[k]);
        if (v == it->second.end() || v->second != fields[k])
          merge_fail(file, line,
                     fmt::format("{} is '{}' where point {} has '{}' ({})", header[k], fields[k],
                                 fields[0], v == it->second.end() ? std::string() : v->second,
                                 sidecar_path(file)));
      }
    }
  }
  for (std::size_t k = first_metric; k < fields.size(); ++k) {
    if (!is_number_or_empty(fields[k]))
      merge_fail(file, line, fmt::format("field {} is not a number", k + 1));
  }
}

}  // namespace

std::string merge_results(const std::vector<std::string>& inputs,
                          std::vector<std::string>* warnings) {
  std::string header;
  std::map<RowKey, Origin> rows;
  for (const std::string& file : inputs) {
    CsvFile f;
    try {
      f = read_csv_file(file);
    } catch (const std::runtime_error&) {
      merge_fail(file, 1, "cannot read the file");
    }
    if (header.empty()) header = f.header;
    if (f.header != header || header.rfind("point_id,", 0) != 0) {
      merge_fail(file, 1, fmt::format("expected the header of {}: {}", inputs.front(), header));
    }
    const bool per_replication = header.rfind("point_id,replication", 0) == 0;
    const std::vector<std::string> header_fields = split_csv_line(header);
    const auto points = per_replication ? decltype(sidecar_points(file)){} : sidecar_points(file);
    if (!f.torn.empty())
      warnings->push_back(fmt::format("{}: left out an incomplete last line", file));
    for (std::size_t i = 0; i < f.rows.size(); ++i) {
      const int line = static_cast<int>(i) + 2;
      check_row(header_fields, split_csv_line(f.rows[i]), per_replication, points, file, line);
      const RowKey key = key_of(f.rows[i], per_replication, file, line);
      const auto [it, added] = rows.emplace(key, Origin{f.rows[i], file, line});
      if (!added && it->second.row != f.rows[i]) {
        merge_fail(
            file, line,
            fmt::format("point {} differs from {}:{}", key.id, it->second.file, it->second.line));
      }
    }
  }
  std::string out = header + "\n";
  for (const auto& [key, origin] : rows) out += origin.row + "\n";
  return out;
}

std::string merge_sidecars(const std::vector<std::string>& inputs,
                           std::vector<std::string>* warnings) {
  using OrderedJson = nlohmann::ordered_json;
  // Differ between the shards (or runs) of one sweep; all else must agree.
  const std::vector<std::string> own = {"command_line", "fingerprint", "shard", "points"};
  OrderedJson merged, sources = OrderedJson::array();
  std::map<std::string, OrderedJson> points;  // by point id
  std::string first;
  std::size_t missing = 0;
  for (const std::string& file : inputs) {
    const std::string path = sidecar_path(file);
    std::string text;
    if (!read_file_text(path, &text)) {
      ++missing;
      continue;
    }
    OrderedJson j = OrderedJson::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("points") || !j["points"].is_array())
      merge_fail(path, 1, "expected the JSON sidecar that detsim sweep writes");
    sources.push_back({{"file", file},
                       {"shard", j.value("shard", OrderedJson())},
                       {"fingerprint", j.value("fingerprint", OrderedJson())}});
    for (const OrderedJson& pt : j["points"]) {
      if (!pt.is_object() || !pt.contains("point_id") || !pt["point_id"].is_string())
        merge_fail(path, 1, "expected points with a point_id, as detsim sweep writes them");
      points.emplace(pt["point_id"].get<std::string>(), pt);
    }
    for (const std::string& key : own) j.erase(key);
    if (merged.is_null()) {
      merged = std::move(j);
      first = path;
    } else {
      // Compared without regard to the order of keys.
      const auto a = nlohmann::json::parse(merged.dump()), b = nlohmann::json::parse(j.dump());
      if (a == b) continue;
      std::string key = "its keys";
      for (const auto& [k, v] : a.items()) {
        if (!b.contains(k) || b[k] != v) {
          key = "'" + k + "'";
          break;
        }
      }
      merge_fail(path, 1,
                 fmt::format("comes from another sweep than {} (they differ in {})", first, key));
    }
  }
  if (missing > 0) {
    if (missing < inputs.size())
      warnings->push_back(
          fmt::format("{} of the inputs have no sidecar (.json): the merge gets none", missing));
    return {};
  }
  merged["merged_from"] = std::move(sources);
  merged["points"] = OrderedJson::array();
  for (auto& [id, pt] : points) merged["points"].push_back(std::move(pt));
  return merged.dump(2) + "\n";
}

}  // namespace detsim
