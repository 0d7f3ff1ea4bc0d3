// `detsim serve`: the HTTP routes (docs/api.md).
#include <fmt/core.h>

#include <regex>

#include "cli/serve_routes.hpp"

namespace detsim::cli::serve {

namespace {

void send_error(httplib::Response& res, const HttpError& e) {
  send_json(res, e.status, {{"error", e.message}, {"errors", e.errors}});
}

HttpError too_many_jobs(const Limits& limits) {
  return {503,
          fmt::format("{} simulations are running (the most at once); try again", limits.max_jobs)};
}

// The answer of POST /api/validate for `text` (200 either way).
json validation(const std::string& text) {
  try {
    const Scenario s = load_pasted(text);
    return {{"ok", true}, {"errors", json::array()}, {"scenario", scenario_info(s, text)}};
  } catch (const InputError& e) {
    return {{"ok", false}, {"errors", json::array({error_json(e.what())})}};
  }
}

// GET /api/jobs/ID/result, /csv, /series: a part of a finished job.
template <typename Part>
httplib::Server::Handler job_part(Jobs& jobs, const char* type, Part part) {
  return [&jobs, type, part](const httplib::Request& req, httplib::Response& res) {
    const auto job = jobs.find(req.matches[1]);
    if (!job) return send_error(res, {404, "no such job"});
    if (jobs.state(*job) != "done")
      return send_error(res, {409, "the job has no result (state " + jobs.state(*job) + ")"});
    const std::string body = part(*job);
    if (body.empty()) return send_error(res, {409, "the job was started without \"series\": true"});
    res.set_content(body, type);
  };
}

}  // namespace

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  // Invalid UTF-8 (echoed from a request) is replaced, never an exception.
  res.set_content(body.dump(2, ' ', false, json::error_handler_t::replace) + "\n",
                  "application/json");
}

Validations::~Validations() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return running_ == 0; });
}

// The loader cannot be stopped from outside, so a validation past its time
// limit is answered 504 and finishes on its own (the loader's own limits on
// size, nodes and depth bound it); until then it counts against
// --max-validations.
json Validations::validate(const std::string& text) {
  struct Shared {
    bool done = false;
    json answer;
  };
  auto shared = std::make_shared<Shared>();
  {
    std::lock_guard lock(mu_);
    if (running_ >= limits_.max_validations)
      throw HttpError{503, fmt::format("{} validations are under way (the most at once); try again",
                                       limits_.max_validations)};
    ++running_;
  }
  std::thread([this, shared, text] {
    json answer;
    try {
      answer = validation(text);
    } catch (const std::exception& e) {
      answer = {{"ok", false}, {"errors", json::array({error_json(e.what())})}};
    }
    std::lock_guard lock(mu_);
    shared->answer = std::move(answer);
    shared->done = true;
    --running_;
    cv_.notify_all();
  }).detach();
  std::unique_lock lock(mu_);
  const auto limit = std::chrono::duration<double>(limits_.validate_seconds);
  if (!cv_.wait_for(lock, limit, [&] { return shared->done; }))
    throw HttpError{504, fmt::format("the validation took longer than its time limit of {} s",
                                     limits_.validate_seconds)};
  return std::move(shared->answer);
}

void add_routes(httplib::Server& svr, const Catalog& catalog, const Limits& limits, Jobs& jobs,
                Validations& validations) {
  for (const auto& [path, file] : catalog.files) {
    const auto* f = &file;
    svr.Get(std::regex_replace(path, std::regex(R"(\.)"), R"(\.)"),
            [f](const httplib::Request&, httplib::Response& res) {
              res.set_content(f->first, f->second.c_str());
            });
  }
  svr.Get("/api/scenarios", [&](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, catalog.scenarios);
  });
  svr.Get("/api/policies", [&](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, catalog.policies);
  });
  svr.Get("/api/metrics", [&](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, catalog.metrics);
  });
  svr.Get("/api/limits", [&](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, catalog.limits);
  });
  svr.Post("/api/validate", [&](const httplib::Request& req, httplib::Response& res) {
    try {
      send_json(res, 200, validations.validate(req.body));
    } catch (const HttpError& e) {
      send_error(res, e);
    }
  });

  // Synchronous runs: a job the request waits for.
  auto simulate = [&](bool compare) {
    return [&, compare](const httplib::Request& req, httplib::Response& res) {
      try {
        Work w = parse_work(req.body, compare, catalog.shipped, limits);
        const auto job = jobs.start(std::move(w));
        if (!job) throw too_many_jobs(limits);
        jobs.wait(*job);
        const std::string state = jobs.state(*job);
        const std::string result = jobs.result(*job), error = jobs.error(*job);
        jobs.forget(job->id);
        if (state != "done") throw HttpError{state == "timeout" ? 504 : 500, error};
        res.status = 200;
        res.set_content(result, "application/json");
      } catch (const HttpError& e) {
        send_error(res, e);
      }
    };
  };
  svr.Post("/api/run", simulate(false));
  svr.Post("/api/compare", simulate(true));

  // Jobs: start, poll, fetch, cancel. The body is that of /api/compare with
  // "kind" ("compare" by default, or "run") and "series" (collect the daily
  // series, GET /api/jobs/ID/series) besides.
  svr.Post("/api/jobs", [&](const httplib::Request& req, httplib::Response& res) {
    try {
      bool compare = true, series = false, rewritten = false;
      json body;
      try {
        body = json::parse(req.body);
      } catch (const json::exception&) {
      }
      if (body.is_object() && body.contains("kind")) {
        if (body["kind"] == "run")
          compare = false;
        else if (body["kind"] != "compare")
          throw HttpError{400, "'kind' must be \"run\" or \"compare\""};
      }
      if (body.is_object() && body.contains("series")) {
        if (!body["series"].is_boolean()) throw HttpError{400, "'series' must be true or false"};
        series = body["series"].get<bool>();
        body.erase("series");  // (parsed, so valid UTF-8: dump() cannot throw)
        rewritten = true;
      }
      Work w = parse_work(rewritten ? body.dump() : req.body, compare, catalog.shipped, limits);
      const auto job = jobs.start(std::move(w), series);
      if (!job) throw too_many_jobs(limits);
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
          job_part(jobs, "application/json", [&jobs](const Job& j) { return jobs.result(j); }));
  svr.Get(R"(/api/jobs/([0-9a-f]{16})/csv)",
          job_part(jobs, "text/csv; charset=utf-8", [&jobs](const Job& j) { return jobs.csv(j); }));
  svr.Get(R"(/api/jobs/([0-9a-f]{16})/series)",
          job_part(jobs, "application/json", [&jobs](const Job& j) { return jobs.series(j); }));
  svr.Delete(R"(/api/jobs/([0-9a-f]{16}))",
             [&](const httplib::Request& req, httplib::Response& res) {
               const auto job = jobs.find(req.matches[1]);
               if (!job) return send_error(res, {404, "no such job"});
               job->cancel = true;
               jobs.wait(*job);
               send_json(res, 200, jobs.status(*job));
             });
}

}  // namespace detsim::cli::serve
