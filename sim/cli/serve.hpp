// `detsim serve` (docs/api.md), in parts:
//   serve.cpp          the command: options, start-up, listening, signals
//   serve_routes.cpp   the HTTP routes (pages, API, jobs; serve_routes.hpp)
//   serve_work.cpp     a simulation request (JSON) -> checked regimes
//   serve_jobs.cpp     simulations running on their own threads
//   serve_series.cpp   the daily series of a job (the page's chart)
//   serve_catalog.cpp  the shipped scenarios, their sliders and captions
//
// Safe by construction: every file served (the page in web/, Chart.js, the
// shipped scenarios and their facility tables) is read once at start-up into
// memory, so no path from a request reaches the file system; nothing is ever
// written. Request bodies are capped (413), each request's work is bounded
// (422), at most --max-jobs simulations run at once (503 beyond), each has a
// time limit, and so does each validation.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "detsim/compare.hpp"
#include "detsim/load.hpp"
#include "detsim/scenario.hpp"
#include "scenario/yaml_tree.hpp"

namespace detsim::cli::serve {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Limits {
  int max_reps = 200;
  int max_horizon_days = 3650;
  double max_bookings = 1e8;  // estimated bookings simulated by one request, warm-up included
  int max_regimes = 6;
  int max_jobs = 2;
  double job_seconds = 60;
  double validate_seconds = 5;  // time limit of one POST /api/validate
  int max_validations = 8;      // validations under way at once (503 beyond): the HTTP threads
  std::size_t max_body = 1 << 20;
  int threads = 0;
};

// An answer other than 200, with its reason.
struct HttpError {
  int status;
  std::string message;
  json errors = json::array();
};

// ---- serve_catalog.cpp -------------------------------------------------------------

// A shipped scenario, read at start-up.
struct Shipped {
  std::string name;  // file stem
  std::string path;  // the name the loader gets: scenarios/FILE
  std::string text;  // the file as written (sliders, captions)
  YamlNode tree;     // its YAML tree, facility table expanded (what requests load)
  json info;
};

std::string read_file(const std::filesystem::path& p);

// `installed` (PREFIX/share/detsim/...) or `source` (the source tree, above
// a build folder) next to the program, as the preset policies are found.
std::string find_next_to_program(const char* installed, const char* source);

// "FILE:LINE:COL: KEY.PATH: message" -> {line, column, key, message}.
json error_json(const std::string& what);

// The page's view of a scenario: name, size, sliders, illustrative keys.
json scenario_info(const Scenario& s, const std::string& text);

// The scenarios in `dir` (*.yaml), sorted by name; files that do not load
// are skipped with a message on stderr. A facility table a scenario names is
// read now, beside its file.
std::vector<Shipped> load_shipped(const std::string& dir);

// ---- serve_work.cpp ----------------------------------------------------------------

struct Work {
  bool compare = false;
  std::vector<Regime> regimes;  // one for a run
  double estimated_bookings = 0;
};

// The name a pasted scenario has in messages.
inline constexpr const char* kPastedSource = "scenario.yaml";

// A pasted scenario, loaded. A `facilities_table` key is an error (no
// request names a file the server reads). Throws InputError.
Scenario load_pasted(const std::string& text, const LoadOptions& options = {});

// A POST /api/run, /api/compare or /api/jobs body, checked and loaded.
// Throws HttpError (400 malformed, 404 unknown scenario, 422 too much work).
Work parse_work(const std::string& body, bool compare, const std::vector<Shipped>& shipped,
                const Limits& limits);

// ---- serve_series.cpp --------------------------------------------------------------

// The daily series of every regime of a job, summed over facilities and
// averaged over replications (docs/api.md, GET /api/jobs/ID/series). Counts
// are whole numbers, so their sums do not depend on the order replications
// finish in: the series is the same for any thread count.
class SeriesCollector {
 public:
  explicit SeriesCollector(const std::vector<Regime>& regimes);
  // The observer of replication `replication` of regime `regime`.
  std::unique_ptr<Observer> observer(int regime);
  // {"start", "days", "fields", "regimes": [{"name", "values": {FIELD: [per day]}}]}
  json to_json() const;

 private:
  friend class DayObserver;
  static constexpr int kFields = 8;
  struct RegimeSeries {
    std::string name;
    int replications = 0;
    std::vector<double> sums;  // day * kFields + field
  };
  Day start_ = 0;
  int days_ = 0;
  std::string start_text_;
  mutable std::mutex mu_;
  std::vector<RegimeSeries> regimes_;
};

// ---- serve_jobs.cpp ----------------------------------------------------------------

struct Job {
  std::string id;
  bool compare = false;
  std::atomic<bool> cancel{false};
  std::atomic<bool> timed_out{false};
  std::atomic<int> finished{0};
  std::atomic<int> total{0};
  Clock::time_point started = Clock::now();
  Clock::time_point ended;  // when state left "running"; guarded by Jobs::mu_
  // Guarded by Jobs::mu_:
  std::string state = "running";  // running, done, failed, cancelled, timeout
  std::string result;             // the JSON document, when done
  std::string csv;                // the tidy per-replication CSV, when done
  std::string series;             // the series JSON, when done and asked for
  std::string error;
};

class Jobs {
 public:
  explicit Jobs(const Limits& limits);
  ~Jobs();

  // Starts `w` on its own thread; null when --max-jobs are already running.
  // `series`: collect the daily series too.
  std::shared_ptr<Job> start(Work w, bool series = false);
  void cancel_all();
  std::shared_ptr<Job> find(const std::string& id);
  void wait(const Job& job);
  void forget(const std::string& id);
  json status(const Job& job);

  std::string state(const Job& job);
  std::string result(const Job& job);
  std::string csv(const Job& job);
  std::string series(const Job& job);
  std::string error(const Job& job);

 private:
  void execute(Job& job, Work w, bool series);
  void watch();
  void forget_old();
  std::string new_id();

  const Limits& limits_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::deque<std::string> order_;
  int running_ = 0;
  bool stopping_ = false;
  std::thread watchdog_;
};

// ---- serve_routes.cpp --------------------------------------------------------------

// What the routes answer from: read once at start-up.
struct Catalog {
  std::vector<Shipped> shipped;
  std::map<std::string, std::pair<std::string, std::string>> files;  // URL path -> content, type
  json scenarios, policies, metrics, limits;
};

// Validations under way (POST /api/validate), each on its own thread so
// that the request can answer at its time limit.
class Validations {
 public:
  explicit Validations(const Limits& limits) : limits_(limits) {}
  ~Validations();
  // The answer of POST /api/validate for `text`; throws HttpError 503 when
  // Limits::max_validations are under way, 504 past the time limit.
  json validate(const std::string& text);

 private:
  const Limits& limits_;
  std::mutex mu_;
  std::condition_variable cv_;
  int running_ = 0;
};

}  // namespace detsim::cli::serve
