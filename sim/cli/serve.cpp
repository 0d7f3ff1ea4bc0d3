// `detsim serve`: the what-if page and its JSON API (docs/api.md).
//
// Safe by construction: every file it serves (the page in web/, Chart.js,
// the shipped scenarios) is read once at start-up into memory, so no path
// from a request reaches the file system; nothing is ever written. Request
// bodies are capped (413), each request's work is bounded (422), at most
// --max-jobs simulations run at once (503 beyond), and each has a time limit.
#include <fmt/core.h>
#include <httplib.h>
#include <signal.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "cli/cli.hpp"
#include "detsim/compare.hpp"
#include "detsim/load.hpp"
#include "detsim/report.hpp"
#include "detsim/run.hpp"
#include "detsim/stats.hpp"
#include "report/glossary.hpp"

namespace detsim::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kUsage =
    "usage: detsim serve [--port 8080] [--host 127.0.0.1] [--scenarios DIR] [options]\n"
    "Serves the what-if page and its JSON API (docs/api.md) until interrupted.";

constexpr const char* kChartJs = "/usr/share/javascript/chart.js/chart.min.js";

struct Limits {
  int max_reps = 200;
  int max_horizon_days = 3650;
  double max_bookings = 2e7;  // estimated bookings simulated by one request
  int max_regimes = 6;
  int max_jobs = 2;
  double job_seconds = 60;
  std::size_t max_body = 1 << 20;
  int threads = 0;
};

// An answer other than 200, with its reason.
struct HttpError {
  int status;
  std::string message;
  json errors = json::array();
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", p.string()));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The folder of the running program.
fs::path own_folder() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path{} : exe.parent_path();
}

// `installed` (PREFIX/share/detsim/...) or `source` (the source tree, above
// a build folder) next to the program, as the preset policies are found.
std::string find_next_to_program(const char* installed, const char* source) {
  fs::path dir = own_folder();
  for (int up = 0; up < 5 && !dir.empty(); ++up, dir = dir.parent_path()) {
    for (const char* sub : {installed, source}) {
      std::error_code ec;
      if (fs::is_directory(dir / sub, ec)) return (dir / sub).string();
    }
    if (dir == dir.root_path()) break;
  }
  return source;
}

// ---- Errors of the scenario loader as JSON ---------------------------------------

// "FILE:LINE:COL: KEY.PATH: message" -> {line, column, key, message}.
json error_json(const std::string& what) {
  static const std::regex re(R"(^.*?:(\d+):(\d+): (?:([^\s:]+): )?([\s\S]*)$)");
  std::smatch m;
  if (std::regex_match(what, m, re))
    return {{"line", std::stoi(m[1])},
            {"column", std::stoi(m[2])},
            {"key", m[3].str()},
            {"message", m[4].str()}};
  return {{"line", nullptr}, {"column", nullptr}, {"key", ""}, {"message", what}};
}

// ---- Sliders: the key unknowns a scenario lets the page change -------------------

struct KnobDef {
  const char* path;
  const char* label;
  double min, max, step;
};

constexpr KnobDef kKnobs[] = {
    {"population.noncitizen_share", "noncitizen share of bookings", 0, 1, 0.01},
    {"ice.match_probability", "ICE match probability", 0, 1, 0.01},
    {"ice.pickup.delay.median_hours", "ICE pickup delay, median hours", 1, 240, 1},
    {"ice.pickup.teams", "ICE pickup teams (0: unlimited)", 0, 50, 1},
    {"detainer_hold.limit_hours", "hold limit, hours", 0, 168, 1},
};

json knobs_of(const std::string& text) {
  json out = json::array();
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const std::exception&) {
    return out;
  }
  auto at = [&](const std::string& path) {
    YAML::Node n = YAML::Clone(root);
    std::stringstream ss(path);
    std::string part;
    while (std::getline(ss, part, '.')) {
      if (!n.IsMap()) return YAML::Node();
      n = n[part];
      if (!n.IsDefined()) return YAML::Node();
    }
    return n;
  };
  auto add = [&](const std::string& path, const std::string& label, double lo, double hi,
                 double step) {
    const YAML::Node n = at(path);
    if (!n.IsDefined()) return;
    double value = 0;
    if (n.IsNull()) {
      if (path != "ice.pickup.teams") return;
    } else if (n.IsScalar()) {
      try {
        value = n.as<double>();
      } catch (const std::exception&) {
        return;
      }
    } else {
      return;
    }
    out.push_back({{"path", path}, {"label", label}, {"value", value}, {"min", lo},
                   {"max", hi}, {"step", step}});
  };
  for (const KnobDef& k : kKnobs) {
    add(k.path, k.label, k.min, k.max, k.step);
    if (std::string(k.path) == "ice.match_probability") {
      const YAML::Node lodge = at("ice.lodge_probability");
      if (lodge.IsMap())
        for (const auto& kv : lodge) {
          const std::string key = kv.first.as<std::string>();
          add("ice.lodge_probability." + key, "ICE lodge probability, " + key, 0, 1, 0.01);
        }
    }
  }
  return out;
}

// The keys whose line in the file is marked `illustrative`, as dotted paths
// (list items by their id).
json illustrative_keys(const std::string& text) {
  static const std::regex key_re(R"(^(\s*)(- )?([A-Za-z_][\w-]*)\s*:(.*)$)");
  std::vector<std::pair<int, std::string>> stack;  // indent, key
  json out = json::array();
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, key_re)) continue;
    int indent = static_cast<int>(m[1].length());
    std::string key = m[3];
    const std::string rest = m[4];
    if (m[2].matched) {  // a list item: named by its id
      while (!stack.empty() && stack.back().first >= indent) stack.pop_back();
      std::string id = rest;
      const auto hash = id.find('#');
      if (hash != std::string::npos) id.resize(hash);
      id.erase(0, id.find_first_not_of(" \t"));
      id.erase(id.find_last_not_of(" \t") + 1);
      stack.push_back({indent, key == "id" ? id : key});
      indent += 2;
    }
    while (!stack.empty() && stack.back().first >= indent) stack.pop_back();
    const auto hash = rest.find('#');
    if (hash != std::string::npos && rest.find("illustrative", hash) != std::string::npos) {
      std::string path;
      for (const auto& s : stack) path += s.second + ".";
      out.push_back(path + key);
    }
    stack.push_back({indent, key});
  }
  return out;
}

// ---- The shipped scenarios -------------------------------------------------------

struct Shipped {
  std::string name;  // file stem
  std::string path;  // the name the loader gets: scenarios/FILE
  std::string text;
  json info;
};

json scenario_info(const Scenario& s, const std::string& text) {
  double bookings_per_day = 0;
  for (const Facility& f : s.facilities) bookings_per_day += f.bookings_per_day;
  json facilities = json::array();
  for (const Facility& f : s.facilities) facilities.push_back(f.id);
  return {{"name", s.name},
          {"description", s.description},
          {"replications", s.replications},
          {"seed", s.seed},
          {"horizon_days", s.horizon_days},
          {"bookings_per_day", bookings_per_day},
          {"facilities", facilities},
          {"knobs", knobs_of(text)},
          {"illustrative", illustrative_keys(text)}};
}

std::vector<Shipped> load_shipped(const std::string& dir) {
  std::vector<Shipped> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
    // Named as from the project folder (`detsim run scenarios/NAME.yaml`), so
    // that messages and resolved scenarios match the CLI's and reveal no
    // folder of the server.
    Shipped s{e.path().stem().string(), "scenarios/" + e.path().filename().string(),
              read_file(e.path()), {}};
    try {
      const Scenario sc = load_scenario_text(s.text, s.path);
      s.info = scenario_info(sc, s.text);
      s.info["file"] = e.path().filename().string();
      s.info["id"] = s.name;
      out.push_back(std::move(s));
    } catch (const std::exception& ex) {
      fmt::print(stderr, "detsim serve: skipping {}: {}\n", e.path().string(), ex.what());
    }
  }
  if (ec) throw std::runtime_error(fmt::format("cannot read {}: {}", dir, ec.message()));
  std::sort(out.begin(), out.end(), [](const Shipped& a, const Shipped& b) { return a.name < b.name; });
  return out;
}

// ---- Requests to simulate --------------------------------------------------------

struct Work {
  bool compare = false;
  std::vector<Regime> regimes;  // one for a run
  double estimated_bookings = 0;
};

std::string set_value(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "null";
  if (v.is_boolean() || v.is_number()) return v.dump();
  throw HttpError{400, "'set' values must be strings, numbers, booleans or null"};
}

Work parse_work(const std::string& body, bool compare, const std::vector<Shipped>& shipped,
                const Limits& limits) {
  json req;
  try {
    req = json::parse(body);
  } catch (const std::exception& e) {
    throw HttpError{400, std::string("the body is not JSON: ") + e.what()};
  }
  if (!req.is_object()) throw HttpError{400, "the body must be a JSON object"};
  for (const auto& [key, value] : req.items())
    if (key != "scenario" && key != "yaml" && key != "policies" && key != "set" && key != "reps" &&
        key != "seed" && key != "kind")
      throw HttpError{400, fmt::format("unknown key '{}'", key)};
  if (req.contains("scenario") == req.contains("yaml"))
    throw HttpError{400, "give either 'scenario' (a shipped scenario's name) or 'yaml' (its text)"};
  std::string text, source;
  if (req.contains("scenario")) {
    if (!req["scenario"].is_string()) throw HttpError{400, "'scenario' must be a string"};
    const std::string name = req["scenario"];
    const auto it = std::find_if(shipped.begin(), shipped.end(),
                                 [&](const Shipped& s) { return s.name == name; });
    if (it == shipped.end())
      throw HttpError{404, fmt::format("no shipped scenario named '{}' (GET /api/scenarios)", name)};
    text = it->text;
    source = it->path;
  } else {
    if (!req["yaml"].is_string()) throw HttpError{400, "'yaml' must be a string"};
    text = req["yaml"];
    source = "scenario.yaml";
  }
  std::vector<std::string> policies;
  if (req.contains("policies")) {
    if (!req["policies"].is_array()) throw HttpError{400, "'policies' must be a list of names"};
    for (const auto& p : req["policies"]) {
      if (!p.is_string()) throw HttpError{400, "'policies' must be a list of names"};
      policies.push_back(p);
    }
  }
  if (compare && policies.size() < 2)
    throw HttpError{400, "a comparison needs two or more 'policies'"};
  if (!compare && policies.size() > 1) throw HttpError{400, "a run takes at most one policy"};
  if (policies.size() > static_cast<std::size_t>(limits.max_regimes))
    throw HttpError{422, fmt::format("at most {} policies per comparison", limits.max_regimes)};

  LoadOptions lo;
  if (req.contains("set")) {
    const json& set = req["set"];
    if (set.is_object()) {
      for (const auto& [path, value] : set.items()) lo.sets.push_back(path + "=" + set_value(value));
    } else if (set.is_array()) {
      for (const auto& s : set) {
        if (!s.is_string() || s.get<std::string>().find('=') == std::string::npos)
          throw HttpError{400, "'set' entries must be strings PATH=VALUE"};
        lo.sets.push_back(s);
      }
    } else {
      throw HttpError{400, "'set' must be an object {PATH: VALUE} or a list of PATH=VALUE"};
    }
  }
  if (req.contains("reps")) {
    if (!req["reps"].is_number_integer()) throw HttpError{400, "'reps' must be an integer"};
    const long long reps = req["reps"];
    if (reps < 1 || reps > limits.max_reps)
      throw HttpError{422, fmt::format("'reps' must be 1 to {}", limits.max_reps)};
    lo.sets.push_back(fmt::format("replications={}", reps));
  }
  if (req.contains("seed")) {
    if (!req["seed"].is_number_unsigned()) throw HttpError{400, "'seed' must be an integer >= 0"};
    lo.sets.push_back(fmt::format("seed={}", req["seed"].get<std::uint64_t>()));
  }

  Work w;
  w.compare = compare;
  try {
    if (policies.empty()) {
      w.regimes.push_back({"run", load_scenario_text(text, source, lo)});
    } else {
      const std::vector<std::string> names = regime_names(policies);
      for (std::size_t i = 0; i < policies.size(); ++i) {
        LoadOptions one = lo;
        one.policy_override = policies[i];
        w.regimes.push_back({names[i], load_scenario_text(text, source, one)});
      }
    }
  } catch (const InputError& e) {
    throw HttpError{400, e.what(), json::array({error_json(e.what())})};
  }
  const Scenario& s = w.regimes.front().scenario;
  if (s.replications > limits.max_reps)
    throw HttpError{422, fmt::format("{} replications: at most {} per request", s.replications,
                                     limits.max_reps)};
  if (s.horizon_days > limits.max_horizon_days)
    throw HttpError{422, fmt::format("horizon of {} days: at most {} per request", s.horizon_days,
                                     limits.max_horizon_days)};
  double per_day = 0;
  for (const Facility& f : s.facilities) {
    double month = 0, dow = 0;  // mean rate multipliers
    for (double m : f.month) month += m / 12;
    for (double d : f.day_of_week) dow += d / 7;
    per_day += f.bookings_per_day * month * dow;
  }
  const double days = s.horizon_days + (s.warmup_auto ? 0.0 : s.warmup_days);
  w.estimated_bookings =
      per_day * days * s.replications * static_cast<double>(w.regimes.size());
  if (w.estimated_bookings > limits.max_bookings)
    throw HttpError{422, fmt::format("about {:.3g} bookings to simulate: at most {:.3g} per request "
                                     "(fewer replications, a shorter horizon or fewer bookings)",
                                     w.estimated_bookings, limits.max_bookings)};
  return w;
}

// ---- Jobs ------------------------------------------------------------------------

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
  std::string error;
};

class Jobs {
 public:
  explicit Jobs(const Limits& limits) : limits_(limits), watchdog_([this] { watch(); }) {}
  ~Jobs() {
    {
      std::unique_lock lock(mu_);
      stopping_ = true;
      for (auto& [id, job] : jobs_) job->cancel = true;
      cv_.notify_all();
      cv_.wait(lock, [&] { return running_ == 0; });
    }
    watchdog_.join();
  }

  // Starts `w` on its own thread; null when --max-jobs are already running.
  std::shared_ptr<Job> start(Work w) {
    std::unique_lock lock(mu_);
    if (stopping_ || running_ >= limits_.max_jobs) return nullptr;
    auto job = std::make_shared<Job>();
    job->id = new_id();
    job->compare = w.compare;
    job->total = w.regimes.front().scenario.replications * static_cast<int>(w.regimes.size());
    jobs_[job->id] = job;
    order_.push_back(job->id);
    ++running_;
    forget_old();
    std::thread([this, job, w = std::move(w)]() mutable { execute(*job, std::move(w)); }).detach();
    return job;
  }

  void cancel_all() {
    std::lock_guard lock(mu_);
    for (auto& [id, job] : jobs_) job->cancel = true;
  }

  std::shared_ptr<Job> find(const std::string& id) {
    std::lock_guard lock(mu_);
    const auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second;
  }

  void wait(const Job& job) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return job.state != "running"; });
  }

  void forget(const std::string& id) {
    std::lock_guard lock(mu_);
    jobs_.erase(id);
    order_.erase(std::remove(order_.begin(), order_.end(), id), order_.end());
  }

  json status(const Job& job) {
    std::lock_guard lock(mu_);
    json out = {{"id", job.id},
                {"kind", job.compare ? "compare" : "run"},
                {"state", job.state},
                {"finished", job.finished.load()},
                {"total", job.total.load()},
                {"seconds", std::chrono::duration<double>(
                                (job.state == "running" ? Clock::now() : job.ended) - job.started)
                                .count()}};
    if (job.state == "done") out["result"] = json::parse(job.result);
    if (!job.error.empty()) out["error"] = job.error;
    return out;
  }

  std::string state(const Job& job) {
    std::lock_guard lock(mu_);
    return job.state;
  }
  std::string result(const Job& job) {
    std::lock_guard lock(mu_);
    return job.result;
  }
  std::string csv(const Job& job) {
    std::lock_guard lock(mu_);
    return job.csv;
  }
  std::string error(const Job& job) {
    std::lock_guard lock(mu_);
    return job.error;
  }

 private:
  void execute(Job& job, Work w) {
    std::string state = "done", result, csv, error;
    try {
      if (w.compare) {
        CompareOptions co;
        co.threads = limits_.threads;
        co.cancel = &job.cancel;
        co.progress = [&job](int finished, int total) {
          job.finished = finished;
          job.total = total;
        };
        const Comparison c = compare_regimes(std::move(w.regimes), co);
        result = compare_json(c);
        csv = compare_metrics_csv(c);
      } else {
        const Scenario& s = w.regimes.front().scenario;
        RunOptions ro;
        ro.threads = limits_.threads;
        ro.cancel = &job.cancel;
        ro.done = [&job](int) { ++job.finished; };
        const auto reps = run_replications(s, ro);
        result = run_json(s, reps, summarize_run(reps));
        csv = metrics_csv(s, reps);
      }
    } catch (const Cancelled&) {
      state = job.timed_out ? "timeout" : "cancelled";
      error = job.timed_out ? fmt::format("the time limit of {} s was reached", limits_.job_seconds)
                            : "cancelled";
    } catch (const std::exception& e) {
      state = "failed";
      error = e.what();
    }
    std::lock_guard lock(mu_);
    job.state = state;
    job.ended = Clock::now();
    job.result = std::move(result);
    job.csv = std::move(csv);
    job.error = std::move(error);
    --running_;
    cv_.notify_all();
  }

  // Sets the cancel flag of jobs past their time limit.
  void watch() {
    std::unique_lock lock(mu_);
    while (!stopping_ || running_ > 0) {
      cv_.wait_for(lock, std::chrono::milliseconds(100));
      const auto now = Clock::now();
      for (auto& [id, job] : jobs_)
        if (job->state == "running" &&
            std::chrono::duration<double>(now - job->started).count() > limits_.job_seconds) {
          job->timed_out = true;
          job->cancel = true;
        }
      if (stopping_ && running_ == 0) break;
    }
  }

  // Keeps at most 32 finished jobs (the oldest go first).
  void forget_old() {
    std::size_t finished = 0;
    for (const auto& id : order_) finished += jobs_.at(id)->state != "running";
    for (auto it = order_.begin(); finished > 32 && it != order_.end();) {
      if (jobs_.at(*it)->state != "running") {
        jobs_.erase(*it);
        it = order_.erase(it);
        --finished;
      } else {
        ++it;
      }
    }
  }

  std::string new_id() {
    static std::mt19937_64 gen{std::random_device{}()};
    return fmt::format("{:016x}", gen());
  }

  const Limits& limits_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::deque<std::string> order_;
  int running_ = 0;
  bool stopping_ = false;
  std::thread watchdog_;
};

// ---- HTTP ------------------------------------------------------------------------

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  // Invalid UTF-8 (echoed from a request) is replaced, never an exception.
  res.set_content(body.dump(2, ' ', false, json::error_handler_t::replace) + "\n",
                  "application/json");
}

void send_error(httplib::Response& res, const HttpError& e) {
  send_json(res, e.status, {{"error", e.message}, {"errors", e.errors}});
}

const char* mime_of(const fs::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".png") return "image/png";
  if (ext == ".svg") return "image/svg+xml";
  return nullptr;
}

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

int serve_command(const Args& args) {
  po::options_description options("serve options");
  Limits limits;
  options.add_options()("help,h", "show this help")(
      "port", po::value<int>()->default_value(8080), "TCP port (0: any free port, printed)")(
      "host", po::value<std::string>()->default_value("127.0.0.1"),
      "address to listen on (loopback by default)")(
      "scenarios", po::value<std::string>(), "folder of the scenarios offered (default: the shipped ones)")(
      "web", po::value<std::string>(), "folder of the page (default: the installed web/)")(
      "max-jobs", po::value<int>(&limits.max_jobs)->default_value(2),
      "simulations running at once; more are refused (503)")(
      "job-seconds", po::value<double>(&limits.job_seconds)->default_value(60),
      "time limit of one simulation, seconds")(
      "max-reps", po::value<int>(&limits.max_reps)->default_value(200),
      "most replications per request")(
      "max-bookings", po::value<double>(&limits.max_bookings)->default_value(2e7),
      "most estimated bookings simulated per request")(
      "threads", po::value<int>(&limits.threads)->default_value(0),
      "worker threads per simulation (0: all cores)");
  po::positional_options_description positional;
  po::variables_map vm;
  if (!parse(args, options, positional, kUsage, vm)) return 0;
  const int port = vm["port"].as<int>();
  const std::string host = vm["host"].as<std::string>();
  if (port < 0 || port > 65535) throw UsageError{"--port must be 0 to 65535"};
  if (limits.max_jobs < 1) throw UsageError{"--max-jobs must be at least 1"};
  if (!(limits.job_seconds > 0)) throw UsageError{"--job-seconds must be above 0"};
  if (limits.max_reps < 1) throw UsageError{"--max-reps must be at least 1"};

  const auto t0 = Clock::now();
  // Before any thread starts, so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  const std::string scenario_dir = vm.count("scenarios")
                                       ? vm["scenarios"].as<std::string>()
                                       : find_next_to_program("share/detsim/scenarios", "scenarios");
  const std::string web_dir =
      vm.count("web") ? vm["web"].as<std::string>() : find_next_to_program("share/detsim/web", "web");

  // Everything served, read now.
  const std::vector<Shipped> shipped = load_shipped(scenario_dir);
  std::map<std::string, std::pair<std::string, std::string>> files;  // URL path -> content, type
  {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(web_dir, ec))
      if (e.is_regular_file() && mime_of(e.path()))
        files["/" + e.path().filename().string()] = {read_file(e.path()), mime_of(e.path())};
    if (ec || !files.count("/index.html"))
      throw std::runtime_error(fmt::format("no page in {} (index.html; see --web)", web_dir));
    files["/"] = files["/index.html"];
    std::error_code cec;
    if (fs::is_regular_file(kChartJs, cec))
      files["/vendor/chart.js"] = {read_file(kChartJs), "text/javascript; charset=utf-8"};
    else
      fmt::print(stderr, "detsim serve: warning: {} missing (package libjs-chart.js): no charts\n",
                 kChartJs);
  }
  json scenarios_json = json::array();
  for (const Shipped& s : shipped) scenarios_json.push_back(s.info);
  json policies_json = json::array();
  for (const Policy& p : load_presets())
    policies_json.push_back({{"name", p.name}, {"description", p.description}});
  json metrics_json = json::array();
  for (const GlossaryEntry& g : glossary())
    if (metric_index(g.name) >= 0)
      metrics_json.push_back({{"name", g.name},
                              {"unit", g.unit},
                              {"kind", g.kind == MetricKind::kCount ? "count" : "amount"},
                              {"definition", g.definition}});
  json limits_json = {{"max_reps", limits.max_reps},
                      {"max_horizon_days", limits.max_horizon_days},
                      {"max_bookings", limits.max_bookings},
                      {"max_policies", limits.max_regimes},
                      {"max_jobs", limits.max_jobs},
                      {"job_seconds", limits.job_seconds},
                      {"max_body_bytes", limits.max_body}};

  Jobs jobs(limits);
  httplib::Server svr;
  svr.new_task_queue = [] { return new httplib::ThreadPool(8); };
  svr.set_payload_max_length(limits.max_body);
  svr.set_read_timeout(10, 0);
  svr.set_write_timeout(10, 0);
  svr.set_keep_alive_max_count(100);

  // Headers of every answer.
  svr.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Cache-Control", "no-store");
  });
  svr.set_exception_handler([](const httplib::Request&, httplib::Response& res,
                               std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    send_json(res, 500, {{"error", what}, {"errors", json::array()}});
  });
  svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const char* what = res.status == 404   ? "no such page or endpoint"
                       : res.status == 413 ? "the body is larger than 1 MB"
                       : res.status == 405 ? "method not allowed"
                                           : "bad request";
    send_json(res, res.status, {{"error", what}, {"path", req.path}, {"errors", json::array()}});
  });

  for (const auto& [path, file] : files) {
    const auto* f = &file;
    svr.Get(std::regex_replace(path, std::regex(R"(\.)"), R"(\.)"), [f](const httplib::Request&, httplib::Response& res) {
      res.set_content(f->first, f->second.c_str());
    });
  }
  svr.Get("/api/scenarios", [&](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, scenarios_json);
  });
  svr.Get("/api/policies", [&](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, policies_json);
  });
  svr.Get("/api/metrics", [&](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, metrics_json);
  });
  svr.Get("/api/limits", [&](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, limits_json);
  });
  svr.Post("/api/validate", [&](const httplib::Request& req, httplib::Response& res) {
    try {
      const Scenario s = load_scenario_text(req.body, "scenario.yaml");
      send_json(res, 200, {{"ok", true}, {"errors", json::array()}, {"scenario", scenario_info(s, req.body)}});
    } catch (const InputError& e) {
      send_json(res, 200, {{"ok", false}, {"errors", json::array({error_json(e.what())})}});
    }
  });

  // Synchronous runs: a job the request waits for.
  auto simulate = [&](bool compare) {
    return [&, compare](const httplib::Request& req, httplib::Response& res) {
      try {
        Work w = parse_work(req.body, compare, shipped, limits);
        const auto job = jobs.start(std::move(w));
        if (!job)
          throw HttpError{503, fmt::format("{} simulations are running (the most at once); try again",
                                           limits.max_jobs)};
        jobs.wait(*job);
        const std::string state = jobs.state(*job);
        const std::string result = jobs.result(*job), error = jobs.error(*job);
        jobs.forget(job->id);
        if (state == "done") {
          res.status = 200;
          res.set_content(result, "application/json");
        } else {
          throw HttpError{state == "timeout" ? 504 : 500, error};
        }
      } catch (const HttpError& e) {
        send_error(res, e);
      }
    };
  };
  svr.Post("/api/run", simulate(false));
  svr.Post("/api/compare", simulate(true));

  // Jobs: start, poll, fetch, cancel.
  svr.Post("/api/jobs", [&](const httplib::Request& req, httplib::Response& res) {
    try {
      bool compare = true;
      try {
        const json body = json::parse(req.body);
        if (body.is_object() && body.contains("kind")) {
          if (body["kind"] == "run")
            compare = false;
          else if (body["kind"] != "compare")
            throw HttpError{400, "'kind' must be \"run\" or \"compare\""};
        }
      } catch (const json::exception&) {
      }
      Work w = parse_work(req.body, compare, shipped, limits);
      const auto job = jobs.start(std::move(w));
      if (!job)
        throw HttpError{503, fmt::format("{} simulations are running (the most at once); try again",
                                         limits.max_jobs)};
      send_json(res, 202, jobs.status(*job));
    } catch (const HttpError& e) {
      send_error(res, e);
    }
  });
  svr.Get(R"(/api/jobs/([0-9a-f]{16}))", [&](const httplib::Request& req, httplib::Response& res) {
    const auto job = jobs.find(req.matches[1]);
    if (!job) return send_error(res, {404, "no such job"});
    send_json(res, 200, jobs.status(*job));
  });
  svr.Get(R"(/api/jobs/([0-9a-f]{16})/result)",
          [&](const httplib::Request& req, httplib::Response& res) {
            const auto job = jobs.find(req.matches[1]);
            if (!job) return send_error(res, {404, "no such job"});
            if (jobs.state(*job) != "done")
              return send_error(res, {409, "the job has no result (state " + jobs.state(*job) + ")"});
            res.set_content(jobs.result(*job), "application/json");
          });
  svr.Get(R"(/api/jobs/([0-9a-f]{16})/csv)",
          [&](const httplib::Request& req, httplib::Response& res) {
            const auto job = jobs.find(req.matches[1]);
            if (!job) return send_error(res, {404, "no such job"});
            if (jobs.state(*job) != "done")
              return send_error(res, {409, "the job has no result (state " + jobs.state(*job) + ")"});
            res.set_content(jobs.csv(*job), "text/csv; charset=utf-8");
          });
  svr.Delete(R"(/api/jobs/([0-9a-f]{16}))", [&](const httplib::Request& req, httplib::Response& res) {
    const auto job = jobs.find(req.matches[1]);
    if (!job) return send_error(res, {404, "no such job"});
    job->cancel = true;
    jobs.wait(*job);
    send_json(res, 200, jobs.status(*job));
  });

  if (!is_loopback(host))
    fmt::print(stderr,
               "detsim serve: warning: listening on {}, not loopback: anyone who can reach this "
               "address can run simulations on this machine\n",
               host);
  // The library listens with a backlog of 5: bursts of connections beyond
  // it are reset. Keep the listening socket and widen its backlog after bind.
  int listen_fd = -1;
  svr.set_socket_options([&listen_fd](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_fd = sock;
  });
  int bound = port;
  if (port == 0) {
    bound = svr.bind_to_any_port(host);
    if (bound < 0) throw std::runtime_error(fmt::format("cannot listen on {}", host));
  } else if (!svr.bind_to_port(host, port)) {
    throw std::runtime_error(fmt::format("cannot listen on {}:{}", host, port));
  }

  // SIGINT/SIGTERM stop the server (blocked in every thread, taken here).
  if (listen_fd >= 0) ::listen(listen_fd, SOMAXCONN);

  // A signal before the server runs stops it as soon as it does.
  std::atomic<bool> listen_returned{false};
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    jobs.cancel_all();
    while (!listen_returned) {
      if (svr.is_running()) {
        svr.stop();
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });

  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  fmt::print("detsim serve: http://{}:{}/ ({} scenarios, {} policies; ready in {:.0f} ms)\n",
             host.find(':') != std::string::npos ? "[" + host + "]" : host, bound, shipped.size(),
             policies_json.size(), ms);
  std::fflush(stdout);
  const bool ok = svr.listen_after_bind();
  listen_returned = true;
  // Wakes the signal thread if the server stopped on its own (a no-op when
  // that thread has ended).
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return ok ? 0 : 1;
}

}  // namespace detsim::cli
