// The results files of a sweep: creation, resume and repair, the sidecar,
// and the in-order writer.
#include "sweep/job.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

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

// The largest results (or per-replication) file resumed: 4 GiB.
constexpr long long kMaxResultsBytes = 4LL << 30;

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

// On --resume: the existing sidecar must describe this sweep (unless
// --force: the rows are still checked one by one).
void check_sidecar(const std::string& path, const std::string& expected, bool force) {
  if (force) return;
  std::string text;
  if (!read_file_text(path, &text)) {
    file_error(path, 1,
               "missing: without it the results cannot be told from another sweep's (another "
               "seed or base scenario); add --force to continue them anyway (each row is still "
               "checked against this sweep's points), or use another --out");
  }
  const Json j = Json::parse(text, nullptr, false);
  const bool same = !j.is_discarded() && j.contains("fingerprint") && j["fingerprint"] == expected;
  if (!same) {
    file_error(path, 1,
               "the existing results come from another sweep (its sweep file, base scenario, seed, "
               "replications, metrics, shard or detsim version differ); use another --out, "
               "delete the results to start over, or add --force to continue them anyway");
  }
}

// An exclusive lock on `fd` (flock), or InputError naming `path`: two runs
// never append to the same results at once.
void lock_results(int fd, const std::string& path) {
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return;
  if (errno == EWOULDBLOCK)
    file_error(path, 1,
               "another detsim sweep is writing these results (it holds their lock); wait for it "
               "to finish, or use another --out");
  throw std::runtime_error(
      fmt::format("cannot lock {}: {}", path, std::generic_category().message(errno)));
}

// Opens the results at `path` to append to and locks them. The lock must be
// on the file that is at `path` once it is held: another run may have
// replaced the file (a resume that drops rows writes a new file, locked
// before it is renamed into place) between the open and the lock, so the
// inode is compared and the open retried.
int open_locked(const std::string& path) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
    if (fd < 0)
      throw std::runtime_error(
          fmt::format("cannot open {}: {}", path, std::generic_category().message(errno)));
    try {
      lock_results(fd, path);
    } catch (...) {
      ::close(fd);
      throw;
    }
    struct stat held {
    }, now{};
    if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &now) == 0 && held.st_dev == now.st_dev &&
        held.st_ino == now.st_ino)
      return fd;
    ::close(fd);
  }
  throw std::runtime_error(fmt::format("cannot lock {}: it keeps being replaced", path));
}

// On --resume: checks the header and every row of `path` (whole, numbers,
// its parameter values those of its point id, no repeats). Rows that fail
// and a torn last line are dropped (a message each in *dropped): their
// points run again. A torn last line alone is cut off in place; when rows
// are dropped, *rewrite is set to the content to replace the file with.
// Returns the ids of the rows kept.
std::set<std::string> resume_file(const std::string& path, const std::string& header,
                                  const Sweep& sweep, const std::set<std::string>& allowed,
                                  bool* repaired, std::vector<std::string>* dropped,
                                  std::string* rewrite) {
  const CsvFile f = read_csv_file(path);
  if (f.header + "\n" != header) {
    // A header torn by a kill before its first flush is written anew.
    if (f.rows.empty() && header.rfind(f.torn + f.header, 0) == 0) return {};
    file_error(path, 1,
               fmt::format("the header differs from this sweep's ({})",
                           header.substr(0, header.size() - 1)));
  }
  const auto index_of_id = point_index(sweep);
  std::set<std::string> ids;
  std::string kept = header;
  for (std::size_t i = 0; i < f.rows.size(); ++i) {
    const std::vector<std::string> fields = split_csv_line(f.rows[i]);
    std::string why = results_row_problem(sweep, index_of_id, fields);
    if (why.empty() && !allowed.count(fields[0]))
      why = fmt::format("point {} is not in this shard", fields[0]);
    if (why.empty() && ids.count(fields[0])) why = fmt::format("point {} appears twice", fields[0]);
    if (!why.empty()) {
      dropped->push_back(
          format_input_error({intern_source(path), static_cast<int>(i) + 2, 1}, "",
                             fmt::format("dropped ({}); its point runs again", why)));
      continue;
    }
    ids.insert(fields[0]);
    kept += f.rows[i] + "\n";
  }
  if (!dropped->empty()) {
    *rewrite = std::move(kept);
  } else if (!f.torn.empty()) {
    std::error_code ec;
    std::filesystem::resize_file(path, f.complete_bytes, ec);
    if (ec) throw std::runtime_error(fmt::format("cannot repair {}: {}", path, ec.message()));
  }
  if (!f.torn.empty()) *repaired = true;
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

// A results file to resume must be a regular file of reasonable size (not a
// device that reads without end).
void check_regular_input(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;  // the read will say why
  if (!S_ISREG(st.st_mode))
    file_error(path, 1, "not a regular file; results are resumed only from a regular file");
  if (st.st_size > kMaxResultsBytes)
    file_error(path, 1,
               fmt::format("{} bytes: larger than the {} bytes a results file may have", st.st_size,
                           kMaxResultsBytes));
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
  status.dropped = open.dropped;
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
  if (resume_reps) check_regular_input(job.run.per_replication);
  for (const std::string* path : {&job.out, &job.run.per_replication}) {
    if (!path->empty() && !job.run.resume && std::filesystem::exists(*path)) {
      file_error(
          *path, 1,
          "the file exists; add --resume to continue this sweep, or delete it to start over");
    }
  }
  // The results file, open and locked from the moment it is read (resume)
  // or appears (a new sweep) until `open.results` is closed.
  struct Held {
    int fd = -1;
    ~Held() {
      if (fd >= 0) ::close(fd);
    }
    // Replaces the file with `content`, the new file locked before it
    // appears.
    void replace(const std::string& path, const std::string& content) {
      const int next = write_file_atomic_locked(path, content, false);
      ::close(fd);
      fd = next;
    }
  } held;
  std::set<std::string> done;
  const std::string sidecar = sidecar_json(in, job, identity).dump(2) + "\n";
  create_parent(job.out);
  if (resume_out) {
    check_regular_input(job.out);
    held.fd = open_locked(job.out);
    check_sidecar(sidecar_path(job.out), fingerprint(identity), job.run.force);
    std::set<std::string> allowed;
    for (int i : points) allowed.insert(s.points[static_cast<std::size_t>(i)].id);
    std::string rewrite;
    done = resume_file(job.out, header, s, allowed, &open.repaired, &open.dropped, &rewrite);
    if (rewrite.empty() && done.empty() && read_csv_file(job.out).header + "\n" != header)
      rewrite = header;  // a header torn by a kill
    if (!rewrite.empty()) held.replace(job.out, rewrite);
  } else {
    // The sidecar first: a kill between the two leaves a sidecar without
    // results (a fresh start next time), never results without their
    // sidecar (which --resume would refuse).
    write_file_atomic(sidecar_path(job.out), sidecar);
    held.fd = write_file_atomic_locked(job.out, header, true);
    if (held.fd < 0)
      file_error(job.out, 1,
                 "the file exists (another run created it just now); add --resume to continue "
                 "this sweep, or delete it to start over");
  }
  if (has_reps) {
    create_parent(job.run.per_replication);
    if (resume_reps)
      resume_replications(job.run.per_replication, rep_header, done);
    else
      write_file_atomic(job.run.per_replication, rep_header);
  }
  if (resume_out) write_file_atomic(sidecar_path(job.out), sidecar);
  for (int i : points) {
    if (!done.count(s.points[static_cast<std::size_t>(i)].id)) open.todo.push_back(i);
  }
  open.already_done = static_cast<int>(done.size());
  open.results = ::fdopen(held.fd, "ab");
  if (!open.results)
    throw std::runtime_error(
        fmt::format("cannot write {}: {}", job.out, std::generic_category().message(errno)));
  held.fd = -1;  // closed with open.results, which keeps the lock
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
  if (std::chrono::duration<double>(std::chrono::steady_clock::now() - last_sync_).count() >=
      kSyncSeconds)
    sync();
}

void ResultsWriter::sync() {
  for (std::FILE* f : {replications_, results_}) {
    if (f && (std::fflush(f) != 0 || ::fsync(::fileno(f)) != 0)) {
      throw std::runtime_error(fmt::format("cannot write the sweep results to disk: {}",
                                           std::generic_category().message(errno)));
    }
  }
  last_sync_ = std::chrono::steady_clock::now();
}

}  // namespace detsim
