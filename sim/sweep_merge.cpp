// `detsim merge`: results of shards (or of interrupted and resumed runs)
// into one file sorted by point id.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <stdexcept>

#include "detsim/load.hpp"
#include "scenario_cursor.hpp"
#include "sweep_csv.hpp"

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

[[noreturn]] void fail(const std::string& file, int line, std::string_view message) {
  throw InputError(format_input_error({intern_source(file), line, 1}, "", message));
}

RowKey key_of(const std::string& row, bool per_replication, const std::string& file, int line) {
  const std::vector<std::string> fields = split_csv_line(row);
  RowKey key{fields[0]};
  if (!per_replication) return key;
  const std::string& r = fields.size() > 1 ? fields[1] : std::string();
  const auto [end, ec] = std::from_chars(r.data(), r.data() + r.size(), key.replication);
  if (ec != std::errc() || end != r.data() + r.size())
    fail(file, line, "expected a replication number");
  return key;
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
      fail(file, 1, "cannot read the file");
    }
    if (header.empty()) header = f.header;
    if (f.header != header || header.rfind("point_id,", 0) != 0) {
      fail(file, 1, fmt::format("expected the header of {}: {}", inputs.front(), header));
    }
    const bool per_replication = header.rfind("point_id,replication", 0) == 0;
    if (!f.torn.empty())
      warnings->push_back(fmt::format("{}: left out an incomplete last line", file));
    for (std::size_t i = 0; i < f.rows.size(); ++i) {
      const int line = static_cast<int>(i) + 2;
      const RowKey key = key_of(f.rows[i], per_replication, file, line);
      const auto [it, added] = rows.emplace(key, Origin{f.rows[i], file, line});
      if (!added && it->second.row != f.rows[i]) {
        fail(file, line,
             fmt::format("point {} differs from {}:{}", key.id, it->second.file, it->second.line));
      }
    }
  }
  std::string out = header + "\n";
  for (const auto& [key, origin] : rows) out += origin.row + "\n";
  return out;
}

}  // namespace detsim
