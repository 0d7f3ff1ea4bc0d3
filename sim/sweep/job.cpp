// The results files of a sweep: creation, resume and repair, the sidecar,
// and the in-order writer.
#include "sweep/job.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "report/atomic_file.hpp"
#include "detsim/load.hpp"
#include "scenario/cursor.hpp"
#include "scenario/scenario_yaml.hpp"
#include "sweep/csv.hpp"

namespace detsim {

namespace {

using Json = nlohmann::ordered_json;

[[noreturn]] void file_error(const std::string& path, int line, std::string_view message) {
  throw InputError(format_input_error({intern_source(path), line, 1}, "", message));
}

Json parameter_json(const SweepParameter& p) {
  Json j;
  j["path"] = p.path;
  if (!p.is_range) {
    j["values"] = p.values;
    return j;
  }
  j["min"] = p.min;
  j["max"] = p.max;
  j["integer"] = p.integer;
  j["log"] = p.log;
  if (p.steps > 0) j["steps"] = p.steps;
  return j;
}

// What the results depend on: everything but paths and the command line.
Json sweep_identity(const SweepInputs& in, const SweepJob& job, const std::vector<int>& points) {
  const Sweep& s = in.sweep;
  Json j;
  j["version"] = DETSIM_VERSION;
  j["design"] = to_string(s.design);
  j["seed"] = s.seed;
  j["replications"] = s.replications;
  if (s.design != SweepDesign::kGrid) j["samples"] = s.samples;
  j["metrics"] = Json::array();
  for (Metric m : s.metrics) j["metrics"].push_back(kMetricNames[index(m)]);
  j["parameters"] = Json::array();
  for (const SweepParameter& p : s.parameters) j["parameters"].push_back(parameter_json(p));
  j["shard"] = {{"index", job.run.shard}, {"count", job.run.shard_count}};
  j["points"] = Json::array();
  for (int i : points) {
    const SweepPoint& pt = s.points[static_cast<std::size_t>(i)];
    Json row;
    row["point_id"] = pt.id;
    row["index"] = pt.index;
    if (pt.sample >= 0) row["sample"] = pt.sample;
    Json values;
    for (std::size_t k = 0; k < s.parameters.size(); ++k)
      values[s.parameters[k].path] = pt.values[k];
    row["values"] = std::move(values);
    j["points"].push_back(std::move(row));
  }
  j["base_scenario"] = in.base_resolved_yaml;
  return j;
}

std::string fingerprint(const Json& identity) {
  return fmt::format("{:016x}", fnv1a64(identity.dump()));
}

// The sidecar: the sweep file, base and command line, then the identity.
Json sidecar_json(const SweepInputs& in, const SweepJob& job, const Json& identity) {
  Json j;
  j["sweep"] = in.sweep.source;
  j["base"] = in.sweep.base_path;
  j["command_line"] = job.run.command_line;
  j["fingerprint"] = fingerprint(identity);
  for (const auto& [key, value] : identity.items()) j[key] = value;
  return j;
}

// On --resume: the existing sidecar, if any, must describe this sweep.
void check_sidecar(const std::string& path, const std::string& expected) {
  std::string text;
  if (!read_file_text(path, &text)) return;  // lost: written anew
  const Json j = Json::parse(text, nullptr, false);
  const bool same = !j.is_discarded() && j.contains("fingerprint") && j["fingerprint"] == expected;
  if (!same) {
    file_error(path, 1,
               "the existing results come from another sweep (its sweep file, base scenario, seed, "
               "replications, metrics, shard or detsim version differ); use another --out, or "
               "delete the results to start over");
  }
}

// On --resume: checks the header and the ids of `path`, cuts off a torn
// last line, and returns the ids of its rows.
std::set<std::string> resume_file(const std::string& path, const std::string& header,
                                  const std::set<std::string>& allowed, bool* repaired) {
  const CsvFile f = read_csv_file(path);
  if (f.header + "\n" != header) {
    // A header torn by a kill before its first flush is written anew.
    if (f.rows.empty() && header.rfind(f.torn + f.header, 0) == 0) return {};
    file_error(path, 1,
               fmt::format("the header differs from this sweep's ({})",
                           header.substr(0, header.size() - 1)));
  }
  std::set<std::string> ids;
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    const std::string id(first_field(f.rows[i]));
    const int line = static_cast<int>(i) + 2;
    if (!allowed.count(id))
      file_error(path, line, fmt::format("point id '{}' is no point of this sweep", id));
    if (!ids.insert(id).second)
      file_error(path, line, fmt::format("point id {} appears twice", id));
  }
  if (!f.torn.empty()) {
    std::error_code ec;
    std::filesystem::resize_file(path, f.complete_bytes, ec);
    if (ec) throw std::runtime_error(fmt::format("cannot repair {}: {}", path, ec.message()));
    *repaired = true;
  }
  return ids;
}

// On --resume: keeps only the per-replication rows of finished points.
void resume_replications(const std::string& path, const std::string& header,
                         const std::set<std::string>& finished) {
  const CsvFile f = read_csv_file(path);
  if (f.header + "\n" != header && !(f.rows.empty() && header.rfind(f.torn + f.header, 0) == 0)) {
    file_error(path, 1,
               fmt::format("the header differs from this sweep's ({})",
                           header.substr(0, header.size() - 1)));
  }
  std::string kept = header;
  for (const std::string& row : f.rows) {
    if (finished.count(std::string(first_field(row)))) kept += row + "\n";
  }
  write_file_atomic(path, kept);
}

std::FILE* open_append(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "ab");
  if (!f) {
    throw std::runtime_error(
        fmt::format("cannot write {}: {}", path, std::generic_category().message(errno)));
  }
  return f;
}

void create_parent(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
}

}  // namespace

std::string sidecar_path(const std::string& out) {
  return out + ".json";
}

std::vector<int> shard_points(const Sweep& sweep, const SweepJob& job) {
  std::vector<int> out;
  for (const SweepPoint& p : sweep.points) {
    if (in_shard(p, job.run.shard, job.run.shard_count)) out.push_back(p.index);
  }
  return out;
}

SweepStatus start_status(const OpenResults& open) {
  SweepStatus status;
  status.total = open.already_done + static_cast<int>(open.todo.size());
  status.already_done = open.already_done;
  status.repaired = open.repaired;
  return status;
}

OpenResults::~OpenResults() {
  if (results) std::fclose(results);
  if (replications) std::fclose(replications);
}

void open_results(const SweepJob& job, const SweepInputs& in, OpenResults& open) {
  const Sweep& s = in.sweep;
  const std::vector<int> points = shard_points(s, job);
  const Json identity = sweep_identity(in, job, points);
  const std::string header = results_header(s);
  const std::string rep_header = replication_header(s);
  const bool resume_out = job.run.resume && std::filesystem::exists(job.out);
  const bool has_reps = !job.run.per_replication.empty();
  const bool resume_reps =
      has_reps && job.run.resume && std::filesystem::exists(job.run.per_replication);
  for (const std::string* path : {&job.out, &job.run.per_replication}) {
    if (!path->empty() && !job.run.resume && std::filesystem::exists(*path)) {
      file_error(
          *path, 1,
          "the file exists; add --resume to continue this sweep, or delete it to start over");
    }
  }
  std::set<std::string> done;
  if (resume_out) {
    check_sidecar(sidecar_path(job.out), fingerprint(identity));
    std::set<std::string> allowed;
    for (int i : points) allowed.insert(s.points[static_cast<std::size_t>(i)].id);
    done = resume_file(job.out, header, allowed, &open.repaired);
  }
  create_parent(job.out);
  if (!resume_out || (done.empty() && read_csv_file(job.out).header + "\n" != header)) {
    write_file_atomic(job.out, header);
  }
  if (has_reps) {
    create_parent(job.run.per_replication);
    if (resume_reps)
      resume_replications(job.run.per_replication, rep_header, done);
    else
      write_file_atomic(job.run.per_replication, rep_header);
  }
  write_file_atomic(sidecar_path(job.out), sidecar_json(in, job, identity).dump(2) + "\n");
  for (int i : points) {
    if (!done.count(s.points[static_cast<std::size_t>(i)].id)) open.todo.push_back(i);
  }
  open.already_done = static_cast<int>(done.size());
  open.results = open_append(job.out);
  if (has_reps) open.replications = open_append(job.run.per_replication);
}

// ---- ResultsWriter -----------------------------------------------------------

ResultsWriter::ResultsWriter(const Sweep& sweep, const OpenResults& open)
    : sweep_(sweep), results_(open.results), replications_(open.replications), todo_(open.todo) {
  for (std::size_t k = 0; k < todo_.size(); ++k) position_[todo_[k]] = static_cast<int>(k);
}

void ResultsWriter::done(int point, const Eigen::MatrixXd& values) {
  ++finished_;
  waiting_.emplace(static_cast<std::size_t>(position_.at(point)), values);
  while (!waiting_.empty() && waiting_.begin()->first == next_) {
    write(todo_[next_], waiting_.begin()->second);
    waiting_.erase(waiting_.begin());
    ++next_;
  }
}

void ResultsWriter::flush_waiting() {
  for (const auto& [position, values] : waiting_) write(todo_[position], values);
  waiting_.clear();
}

// Per-replication rows first: a kill between the two leaves rows that
// resume drops (their point has no results row), never a results row
// without its replications.
void ResultsWriter::write(int point, const Eigen::MatrixXd& values) {
  const SweepPoint& p = sweep_.points[static_cast<std::size_t>(point)];
  const auto put = [](std::FILE* f, const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), f) != text.size() || std::fflush(f) != 0) {
      throw std::runtime_error(fmt::format("cannot write the sweep results: {}",
                                           std::generic_category().message(errno)));
    }
  };
  if (replications_) put(replications_, replication_rows(p, values));
  put(results_, results_row(p, values));
}

}  // namespace detsim
