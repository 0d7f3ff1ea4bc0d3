// The sweep's CSV files (docs/scenario.md): their rows as text, and
// reading them back (resume, merge, sensitivity).
//
// Every row is one line: parameter values are canonical texts, which never
// hold a newline, and fields with a comma or a quote are quoted (csv_field).
// Numbers are in shortest round-trip form (csv_number); NaN (the CI of a
// single replication) is an empty field.
#pragma once

#include <Eigen/Core>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "detsim/sweep.hpp"

namespace detsim {

// "point_id,<param>...,<metric>_mean,<metric>_ci_low,<metric>_ci_high..."
// followed by a newline.
std::string results_header(const Sweep& sweep);

// One point's results row, newline included. `values`: one row per
// replication, one column per sweep metric.
std::string results_row(const SweepPoint& point, const Eigen::MatrixXd& values);

// "point_id,replication,<metric>..." followed by a newline.
std::string replication_header(const Sweep& sweep);

// One row per replication (numbered from 0), newlines included.
std::string replication_rows(const SweepPoint& point, const Eigen::MatrixXd& values);

// The fields of one CSV line (RFC 4180 quoting, no newline inside).
std::vector<std::string> split_csv_line(std::string_view line);

// A CSV file as lines. A last line without its newline (left by a killed
// writer) is `torn`: kept apart, not in `rows`.
struct CsvFile {
  std::string header;              // the first line, without its newline
  std::vector<std::string> rows;   // the other complete lines, without newlines
  std::string torn;                // an incomplete last line, or ""
  std::size_t complete_bytes = 0;  // bytes up to the end of the last complete line
};

// Reads `path`. Throws std::runtime_error when it cannot be read.
CsvFile read_csv_file(const std::string& path);

// The text before the first comma of a row: its point id.
std::string_view first_field(std::string_view row);

// Why `fields` (a results row split by split_csv_line) is not a whole row
// of `sweep`'s results, or "" when it is: the field count, the point id (one
// of `index_of_id`, id -> index into sweep.points), the parameter values
// (those of the point with that id) and every metric field a number or
// empty.
std::string results_row_problem(const Sweep& sweep,
                                const std::unordered_map<std::string, int>& index_of_id,
                                const std::vector<std::string>& fields);

// Id -> index into sweep.points.
std::unordered_map<std::string, int> point_index(const Sweep& sweep);

// The sensitivity of the results in `path` (a results CSV of `sweep`).
// Throws InputError when its header is not the sweep's or a row is not a
// whole row of the sweep.
std::vector<MetricSensitivity> results_sensitivity(const Sweep& sweep, const std::string& path);

}  // namespace detsim
