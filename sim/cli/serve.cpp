// `detsim serve`: the command (options, start-up, listening, signals). The
// parts are listed in cli/serve.hpp.
#include "cli/serve_routes.hpp"

#include <fmt/core.h>
#include <signal.h>

#include "cli/cli.hpp"
#include "detsim/load.hpp"
#include "detsim/metrics.hpp"
#include "report/glossary.hpp"

namespace detsim::cli {
namespace {

namespace fs = std::filesystem;
using serve::Clock;
using serve::json;

constexpr const char* kServeUsage =
    "usage: detsim serve [--port 8080] [--host 127.0.0.1] [--scenarios DIR] [options]\n"
    "Serves the what-if page and its JSON API (docs/api.md) until interrupted.";

constexpr const char* kChartJs = "/usr/share/javascript/chart.js/chart.min.js";

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
  serve::Limits limits;
  options.add_options()("help,h", "show this help")("port", po::value<int>()->default_value(8080),
                                                    "TCP port (0: any free port, printed)")(
      "host", po::value<std::string>()->default_value("127.0.0.1"),
      "address to listen on (loopback by default)")(
      "scenarios", po::value<std::string>(),
      "folder of the scenarios offered (default: the shipped ones)")(
      "web", po::value<std::string>(), "folder of the page (default: the installed web/)")(
      "max-jobs", po::value<int>(&limits.max_jobs)->default_value(2),
      "simulations running at once; more are refused (503)")(
      "job-seconds", po::value<double>(&limits.job_seconds)->default_value(60),
      "time limit of one simulation, seconds")("max-reps",
                                               po::value<int>(&limits.max_reps)->default_value(200),
                                               "most replications per request")(
      "validate-seconds", po::value<double>(&limits.validate_seconds)->default_value(5),
      "time limit of one validation, seconds")(
      "max-bookings", po::value<double>(&limits.max_bookings)->default_value(1e8),
      "most estimated bookings simulated per request")(
      "threads", po::value<int>(&limits.threads)->default_value(0),
      "worker threads per simulation (0: all cores)");
  po::positional_options_description positional;
  po::variables_map vm;
  if (!parse(args, options, positional, kServeUsage, vm)) return 0;
  const int port = vm["port"].as<int>();
  const std::string host = vm["host"].as<std::string>();
  if (port < 0 || port > 65535) throw UsageError{"--port must be 0 to 65535"};
  if (limits.max_jobs < 1) throw UsageError{"--max-jobs must be at least 1"};
  if (!(limits.job_seconds > 0)) throw UsageError{"--job-seconds must be above 0"};
  if (!(limits.validate_seconds > 0)) throw UsageError{"--validate-seconds must be above 0"};
  if (limits.max_reps < 1) throw UsageError{"--max-reps must be at least 1"};

  const auto t0 = Clock::now();
  // Before any thread starts, so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  const std::string scenario_dir =
      vm.count("scenarios") ? vm["scenarios"].as<std::string>()
                            : serve::find_next_to_program("share/detsim/scenarios", "scenarios");
  const std::string web_dir = vm.count("web")
                                  ? vm["web"].as<std::string>()
                                  : serve::find_next_to_program("share/detsim/web", "web");

  // Everything served, read now.
  serve::Catalog catalog;
  catalog.shipped = serve::load_shipped(scenario_dir);
  auto& files = catalog.files;
  {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(web_dir, ec))
      if (e.is_regular_file() && mime_of(e.path()))
        files["/" + e.path().filename().string()] = {serve::read_file(e.path()), mime_of(e.path())};
    if (ec || !files.count("/index.html"))
      throw std::runtime_error(fmt::format("no page in {} (index.html; see --web)", web_dir));
    files["/"] = files["/index.html"];
    std::error_code cec;
    if (fs::is_regular_file(kChartJs, cec))
      files["/vendor/chart.js"] = {serve::read_file(kChartJs), "text/javascript; charset=utf-8"};
    else
      fmt::print(stderr, "detsim serve: warning: {} missing (package libjs-chart.js): no charts\n",
                 kChartJs);
  }
  json& scenarios_json = catalog.scenarios;
  scenarios_json = json::array();
  for (const serve::Shipped& s : catalog.shipped) scenarios_json.push_back(s.info);
  json& policies_json = catalog.policies;
  policies_json = json::array();
  for (const Policy& p : load_presets())
    policies_json.push_back({{"name", p.name}, {"description", p.description}});
  json& metrics_json = catalog.metrics;
  metrics_json = json::array();
  for (const GlossaryEntry& g : glossary())
    if (metric_index(g.name) >= 0)
      metrics_json.push_back({{"name", g.name},
                              {"unit", g.unit},
                              {"kind", g.kind == MetricKind::kCount ? "count" : "amount"},
                              {"definition", g.definition}});
  catalog.limits = {{"max_reps", limits.max_reps},
                    {"max_horizon_days", limits.max_horizon_days},
                    {"max_bookings", limits.max_bookings},
                    {"max_policies", limits.max_regimes},
                    {"max_jobs", limits.max_jobs},
                    {"job_seconds", limits.job_seconds},
                    {"validate_seconds", limits.validate_seconds},
                    {"max_body_bytes", limits.max_body}};

  serve::Jobs jobs(limits);
  serve::Validations validations(limits);
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
  svr.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        serve::send_json(res, 500, {{"error", what}, {"errors", json::array()}});
      });
  svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const char* what = res.status == 404   ? "no such page or endpoint"
                       : res.status == 413 ? "the body is larger than 1 MB"
                       : res.status == 405 ? "method not allowed"
                                           : "bad request";
    serve::send_json(res, res.status,
                     {{"error", what}, {"path", req.path}, {"errors", json::array()}});
  });

  add_routes(svr, catalog, limits, jobs, validations);

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
             host.find(':') != std::string::npos ? "[" + host + "]" : host, bound,
             catalog.shipped.size(), policies_json.size(), ms);
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
