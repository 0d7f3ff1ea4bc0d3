// `detsim serve`: simulations running on their own threads, with progress,
// cancellation and a time limit (a watchdog thread sets the cancel flag of a
// job past it).
#include <fmt/core.h>

#include <algorithm>
#include <random>

#include "cli/serve.hpp"
#include "detsim/report.hpp"
#include "detsim/run.hpp"
#include "detsim/stats.hpp"

namespace detsim::cli::serve {

Jobs::Jobs(const Limits& limits) : limits_(limits), watchdog_([this] { watch(); }) {}

Jobs::~Jobs() {
  {
    std::unique_lock lock(mu_);
    stopping_ = true;
    for (auto& [id, job] : jobs_) job->cancel = true;
    cv_.notify_all();
    cv_.wait(lock, [&] { return running_ == 0; });
  }
  watchdog_.join();
}

std::shared_ptr<Job> Jobs::start(Work w, bool series) {
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
  std::thread([this, job, w = std::move(w), series]() mutable {
    execute(*job, std::move(w), series);
  }).detach();
  return job;
}

void Jobs::cancel_all() {
  std::lock_guard lock(mu_);
  for (auto& [id, job] : jobs_) job->cancel = true;
}

std::shared_ptr<Job> Jobs::find(const std::string& id) {
  std::lock_guard lock(mu_);
  const auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : it->second;
}

void Jobs::wait(const Job& job) {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return job.state != "running"; });
}

void Jobs::forget(const std::string& id) {
  std::lock_guard lock(mu_);
  jobs_.erase(id);
  order_.erase(std::remove(order_.begin(), order_.end(), id), order_.end());
}

json Jobs::status(const Job& job) {
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

std::string Jobs::state(const Job& job) {
  std::lock_guard lock(mu_);
  return job.state;
}
std::string Jobs::result(const Job& job) {
  std::lock_guard lock(mu_);
  return job.result;
}
std::string Jobs::csv(const Job& job) {
  std::lock_guard lock(mu_);
  return job.csv;
}
std::string Jobs::series(const Job& job) {
  std::lock_guard lock(mu_);
  return job.series;
}
std::string Jobs::error(const Job& job) {
  std::lock_guard lock(mu_);
  return job.error;
}

void Jobs::execute(Job& job, Work w, bool series) {
  std::string state = "done", result, csv, series_json, error;
  try {
    std::unique_ptr<SeriesCollector> collector;
    if (series) collector = std::make_unique<SeriesCollector>(w.regimes);
    if (w.compare) {
      CompareOptions co;
      co.threads = limits_.threads;
      co.cancel = &job.cancel;
      co.progress = [&job](int finished, int total) {
        job.finished = finished;
        job.total = total;
      };
      if (collector)
        co.observer = [&collector](int regime, int) { return collector->observer(regime); };
      const Comparison c = compare_regimes(std::move(w.regimes), co);
      result = compare_json(c);
      csv = compare_metrics_csv(c);
    } else {
      const Scenario& s = w.regimes.front().scenario;
      RunOptions ro;
      ro.threads = limits_.threads;
      ro.cancel = &job.cancel;
      ro.done = [&job](int) { ++job.finished; };
      if (collector) ro.observer = [&collector](int) { return collector->observer(0); };
      const auto reps = run_replications(s, ro);
      result = run_json(s, reps, summarize_run(reps));
      csv = metrics_csv(s, reps);
    }
    if (collector) series_json = collector->to_json().dump();
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
  job.series = std::move(series_json);
  job.error = std::move(error);
  --running_;
  cv_.notify_all();
}

// Sets the cancel flag of jobs past their time limit.
void Jobs::watch() {
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
void Jobs::forget_old() {
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

std::string Jobs::new_id() {
  static std::mt19937_64 gen{std::random_device{}()};
  return fmt::format("{:016x}", gen());
}

}  // namespace detsim::cli::serve
