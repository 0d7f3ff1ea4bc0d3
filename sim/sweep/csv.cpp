// Sweep CSV rows as text, and CSV files read back as lines.
#include "sweep/csv.hpp"

#include <fmt/format.h>

#include <charconv>
#include <limits>
#include <stdexcept>

#include "detsim/report.hpp"
#include "experiment/stats.hpp"
#include "scenario/cursor.hpp"
#include "scenario/scenario_yaml.hpp"

namespace detsim {

std::string results_header(const Sweep& sweep) {
  std::string out = "point_id";
  for (const SweepParameter& p : sweep.parameters) {
    out += ',';
    out += csv_field(p.path);
  }
  for (Metric m : sweep.metrics) {
    const std::string_view name = kMetricNames[index(m)];
    out += fmt::format(",{0}_mean,{0}_ci_low,{0}_ci_high", name);
  }
  return out + "\n";
}

std::string results_row(const SweepPoint& point, const Eigen::MatrixXd& values) {
  std::string out = point.id;
  for (const std::string& v : point.values) {
    out += ',';
    out += csv_field(v);
  }
  for (Eigen::Index m = 0; m < values.cols(); ++m) {
    const Summary s = summarize(values.col(m));
    const ShownInterval ci = shown_interval(s);  // never below 0 (docs/metrics.md)
    out += fmt::format(",{},{},{}", csv_number(s.mean), csv_number(ci.low), csv_number(ci.high));
  }
  return out + "\n";
}

std::string replication_header(const Sweep& sweep) {
  std::string out = "point_id,replication";
  for (Metric m : sweep.metrics) out += fmt::format(",{}", kMetricNames[index(m)]);
  return out + "\n";
}

std::string replication_rows(const SweepPoint& point, const Eigen::MatrixXd& values) {
  std::string out;
  for (Eigen::Index r = 0; r < values.rows(); ++r) {
    out += fmt::format("{},{}", point.id, r);
    for (Eigen::Index m = 0; m < values.cols(); ++m) {
      out += ',';
      out += csv_number(values(r, m));
    }
    out += "\n";
  }
  return out;
}

std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c != '"') {
        fields.back() += c;
      } else if (i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

CsvFile read_csv_file(const std::string& path) {
  std::string text;
  std::string why;
  if (!read_file_text(path, &text, &why, 4ULL << 30))
    throw InputError(format_input_error({intern_source(path), 1, 1}, "",
                                        fmt::format("cannot read the file: {}", why)));
  CsvFile f;
  std::size_t start = 0;
  bool first = true;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      f.torn = text.substr(start);
      break;
    }
    std::string line = text.substr(start, end - start);
    if (first) {
      f.header = std::move(line);
      first = false;
    } else {
      f.rows.push_back(std::move(line));
    }
    start = end + 1;
    f.complete_bytes = start;
  }
  return f;
}

std::string_view first_field(std::string_view row) {
  return row.substr(0, row.find(','));
}

namespace {

// A results cell as a number; NaN when empty or not a number.
double parse_mean(const std::string& field) {
  double x = std::numeric_limits<double>::quiet_NaN();
  if (!field.empty()) std::from_chars(field.data(), field.data() + field.size(), x);
  return x;
}

}  // namespace

std::unordered_map<std::string, int> point_index(const Sweep& sweep) {
  std::unordered_map<std::string, int> out;
  for (const SweepPoint& p : sweep.points) out.emplace(p.id, p.index);
  return out;
}

std::string results_row_problem(const Sweep& sweep,
                                const std::unordered_map<std::string, int>& index_of_id,
                                const std::vector<std::string>& fields) {
  const std::size_t params = sweep.parameters.size();
  const std::size_t expected = 1 + params + 3 * sweep.metrics.size();
  if (fields.size() != expected)
    return fmt::format("{} fields where the header has {}", fields.size(), expected);
  const auto it = index_of_id.find(fields[0]);
  if (it == index_of_id.end())
    return fmt::format("point id '{}' is no point of this sweep", fields[0]);
  const SweepPoint& point = sweep.points[static_cast<std::size_t>(it->second)];
  for (std::size_t k = 0; k < params; ++k) {
    if (fields[1 + k] != point.values[k])
      return fmt::format("{} is '{}' where point {} has '{}'", sweep.parameters[k].path,
                         fields[1 + k], point.id, point.values[k]);
  }
  for (std::size_t k = 1 + params; k < expected; ++k) {
    const std::string& f = fields[k];
    if (f.empty()) continue;  // NaN: the CI of a single replication
    double x = 0;
    const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), x);
    if (ec != std::errc() || end != f.data() + f.size())
      return fmt::format("field {} is not a number", k + 1);
  }
  return {};
}

std::vector<MetricSensitivity> results_sensitivity(const Sweep& sweep, const std::string& path) {
  const CsvFile f = read_csv_file(path);
  if (f.header + "\n" != results_header(sweep)) {
    throw InputError(format_input_error({intern_source(path), 1, 1}, "",
                                        "the header differs from this sweep's"));
  }
  const std::size_t params = sweep.parameters.size();
  std::vector<std::string> names, metrics;
  for (const SweepParameter& p : sweep.parameters) names.push_back(p.path);
  for (Metric m : sweep.metrics) metrics.emplace_back(kMetricNames[index(m)]);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::vector<double>> means;
  const auto ids = point_index(sweep);
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    const std::vector<std::string> fields = split_csv_line(f.rows[i]);
    if (const std::string why = results_row_problem(sweep, ids, fields); !why.empty()) {
      throw InputError(format_input_error({intern_source(path), static_cast<int>(i) + 2, 1}, "",
                                          "not a row of this sweep: " + why));
    }
    rows.emplace_back(fields.begin() + 1, fields.begin() + 1 + static_cast<std::ptrdiff_t>(params));
    std::vector<double> m;
    for (std::size_t k = 0; k < metrics.size(); ++k)
      m.push_back(parse_mean(fields[1 + params + 3 * k]));
    means.push_back(std::move(m));
  }
  // Found by fuzzing: no row left Eigen a mean of an empty vector.
  if (rows.size() < 2) {
    throw InputError(format_input_error({intern_source(path), 1, 1}, "",
                                        "the sensitivity needs at least 2 result rows"));
  }
  return sensitivity(names, metrics, rows, means);
}

}  // namespace detsim
