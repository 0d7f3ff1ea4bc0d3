// detsim._core: the library's public API for Python (python/README.md). The
// pure-Python package detsim/ wraps it and shapes results into DataFrames.
//
// Long calls (run, compare, sweep) simulate on a thread of their own with
// the GIL released, while the calling thread wakes every 50 ms to report
// progress and to check for signals (PyErr_CheckSignals): on Ctrl-C it sets
// the library's cancel flag, waits for the running replications to end and
// raises KeyboardInterrupt.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>

#include "detsim/calibrate.hpp"
#include "detsim/compare.hpp"
#include "detsim/expect.hpp"
#include "detsim/load.hpp"
#include "detsim/report.hpp"
#include "detsim/run.hpp"
#include "detsim/stats.hpp"
#include "detsim/sweep.hpp"
#include "report/glossary.hpp"

namespace py = pybind11;

namespace detsim {
namespace {

// Runs `work` on a thread of its own with the GIL released. The calling
// thread polls: `progress(finished)` (when not None) and PyErr_CheckSignals.
// A pending signal sets `cancel`; the work's exception (Cancelled among
// them) is then replaced by the signal's (KeyboardInterrupt).
template <class Work>
void interruptible(Work work, std::atomic<bool>& cancel, const std::atomic<int>& finished,
                   const py::object& progress) {
  std::mutex mutex;
  std::condition_variable cv;
  bool over = false;
  std::exception_ptr error;
  std::thread worker([&] {
    try {
      work();
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mutex);
    over = true;
    cv.notify_all();
  });
  bool interrupted = false;
  int shown = -1;
  for (;;) {
    {
      py::gil_scoped_release release;
      std::unique_lock<std::mutex> lock(mutex);
      cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return over; });
      if (over) break;
    }
    if (interrupted) continue;
    if (PyErr_CheckSignals() != 0) {
      interrupted = true;
      cancel.store(true);
      continue;
    }
    const int now = finished.load();
    if (!progress.is_none() && now != shown) {
      shown = now;
      try {
        progress(now);
      } catch (py::error_already_set&) {
        cancel.store(true);
        interrupted = true;
        PyErr_Clear();
      }
    }
  }
  {
    py::gil_scoped_release release;
    worker.join();
  }
  if (interrupted) {
    if (!PyErr_Occurred()) PyErr_SetNone(PyExc_KeyboardInterrupt);
    throw py::error_already_set();
  }
  if (!progress.is_none()) progress(finished.load());
  if (error) std::rethrow_exception(error);
}

LoadOptions load_options(const std::optional<std::string>& policy,
                         const std::vector<std::string>& sets, const std::string& preset_dir) {
  LoadOptions o;
  o.sets = sets;
  if (policy) o.policy_override = *policy;
  o.preset_dir = preset_dir;
  return o;
}

// Collects the trace and series records of one replication.
struct Records {
  std::vector<TraceRecord> trace;
  std::vector<SeriesRecord> series;
};

class Collector : public Observer {
 public:
  Collector(Records* out, bool trace, bool series) : out_(out), trace_(trace), series_(series) {}
  bool wants_trace() const override { return trace_; }
  bool wants_series() const override { return series_; }
  void on_person(const TraceRecord& r) override { out_->trace.push_back(r); }
  void on_day(const SeriesRecord& r) override { out_->series.push_back(r); }

 private:
  Records* out_;
  bool trace_, series_;
};

// A run's results: the replications, their summary and the writers' texts.
struct RunResult {
  Scenario scenario;
  std::vector<ReplicationMetrics> reps;
  RunSummary summary;
  std::vector<Records> records;  // by replication, when trace or series was asked
  bool trace = false, series = false;
};

std::shared_ptr<RunResult> run(const Scenario& scenario, int reps, int first, int threads,
                               bool series, bool trace, const py::object& progress) {
  auto out = std::make_shared<RunResult>();
  out->scenario = scenario;
  out->trace = trace;
  out->series = series;
  RunOptions ro;
  ro.replications = reps > 0 ? reps : scenario.replications;
  ro.first_replication = first;
  ro.threads = threads;
  std::atomic<bool> cancel{false};
  std::atomic<int> finished{0};
  ro.cancel = &cancel;
  ro.done = [&](int) { finished.fetch_add(1); };
  if (trace || series) {
    out->records.resize(ro.replications);
    ro.observer = [&, first](int rep) -> std::unique_ptr<Observer> {
      return std::make_unique<Collector>(&out->records[rep - first], trace, series);
    };
  }
  interruptible([&] { out->reps = run_replications(scenario, ro); }, cancel, finished, progress);
  out->summary = summarize_run(out->reps);
  return out;
}

// Trace records as columns (a dict of lists, for pandas).
py::dict trace_columns(const RunResult& r) {
  py::list rep, id, facility, booked_at_facility, offense, citizen, convicted, booked_at,
      scheduled_release, detainer, warrant, action, outcome, outcome_at, hold_hours;
  const Scenario& s = r.scenario;
  for (const Records& records : r.records) {
    for (const TraceRecord& t : records.trace) {
      rep.append(t.replication);
      id.append(t.id);
      facility.append(s.facilities[t.facility].id);
      booked_at_facility.append(s.facilities[t.booked_at_facility].id);
      offense.append(s.offense_ids[t.offense]);
      citizen.append(t.citizen);
      convicted.append(t.convicted);
      booked_at.append(t.booked_at);
      scheduled_release.append(t.scheduled_release);
      detainer.append(t.detainer);
      warrant.append(t.judicial_warrant);
      action.append(t.action < 0 ? py::object(py::none())
                                 : py::object(py::str(to_string(static_cast<Action>(t.action)))));
      outcome.append(t.outcome);
      outcome_at.append(t.outcome_at);
      hold_hours.append(t.hold_hours);
    }
  }
  py::dict d;
  d["replication"] = rep;
  d["id"] = id;
  d["facility"] = facility;
  d["booked_at_facility"] = booked_at_facility;
  d["offense"] = offense;
  d["citizen"] = citizen;
  d["convicted"] = convicted;
  d["booked_at"] = booked_at;
  d["scheduled_release"] = scheduled_release;
  d["detainer"] = detainer;
  d["judicial_warrant"] = warrant;
  d["action"] = action;
  d["outcome"] = outcome;
  d["outcome_at"] = outcome_at;
  d["hold_hours"] = hold_hours;
  return d;
}

py::dict series_columns(const RunResult& r) {
  py::list rep, date, facility, occupancy, holds, decisions, honored, notified, declined, transfers,
      lapsed;
  for (const Records& records : r.records) {
    for (const SeriesRecord& x : records.series) {
      rep.append(x.replication);
      date.append(x.date);
      facility.append(r.scenario.facilities[x.facility].id);
      occupancy.append(x.occupancy);
      holds.append(x.holds_active);
      decisions.append(x.decisions);
      honored.append(x.honored);
      notified.append(x.notified);
      declined.append(x.declined);
      transfers.append(x.transfers);
      lapsed.append(x.lapsed);
    }
  }
  py::dict d;
  d["replication"] = rep;
  d["day"] = date;  // days since 1970-01-01; the Python layer makes dates
  d["facility"] = facility;
  d["occupancy"] = occupancy;
  d["holds_active"] = holds;
  d["decisions"] = decisions;
  d["honored"] = honored;
  d["notified"] = notified;
  d["declined"] = declined;
  d["transfers"] = transfers;
  d["lapsed"] = lapsed;
  return d;
}

std::shared_ptr<Comparison> compare(const std::vector<std::string>& names,
                                    const std::vector<Scenario>& scenarios, int threads,
                                    const py::object& progress) {
  std::vector<Regime> regimes;
  const std::vector<std::string> unique = regime_names(names);
  for (std::size_t i = 0; i < scenarios.size(); ++i) regimes.push_back({unique[i], scenarios[i]});
  std::atomic<bool> cancel{false};
  std::atomic<int> finished{0};
  CompareOptions co;
  co.threads = threads;
  co.cancel = &cancel;
  co.progress = [&](int n, int) { finished.store(n); };
  auto out = std::make_shared<Comparison>();
  interruptible([&] { *out = compare_regimes(std::move(regimes), co); }, cancel, finished,
                progress);
  return out;
}

// Runs a sweep as `detsim sweep --out OUT` does (same files, same rows).
py::dict sweep(const std::string& path, const std::string& out, int threads,
               const std::string& per_replication, const py::object& progress) {
  const SweepPlan plan(path);
  SweepRunOptions options;
  options.threads = threads;
  options.per_replication = per_replication;
  std::atomic<bool> stop{false};
  std::atomic<int> finished{0};
  options.stop = &stop;
  int total = 0;
  SweepStatus status;
  const auto start = [&](const SweepStatus& s) { total = s.total; };
  const auto tick = [&](const SweepStatus& s) { finished.store(s.finished); };
  interruptible([&] { status = run_sweep(plan, out, options, start, tick); }, stop, finished,
                progress);
  py::dict d;
  d["total"] = status.total;
  d["finished"] = status.finished;
  d["stopped"] = status.stopped;
  d["points"] = total;
  return d;
}

// Runs a calibration as `detsim calibrate --out OUT [--resume]` does (same
// files; the state in OUT/calibration-state.json). Progress counts
// simulations.
py::dict calibrate(const std::string& path, const std::string& out, int threads, bool resume,
                   const py::object& progress) {
  const CalibrationPlan plan(path);
  std::filesystem::create_directories(out);
  CalibrateOptions options;
  options.threads = threads;
  options.state_path = (std::filesystem::path(out) / "calibration-state.json").string();
  options.resume = resume;
  std::atomic<bool> stop{false};
  std::atomic<int> finished{0};
  options.stop = &stop;
  const int reps = plan.calibration().replications;
  options.tick = [&](const CalibrationProgress& p) {
    finished.store(static_cast<int>(p.simulations + std::int64_t{p.candidates_done} * reps));
  };
  CalibrationResult r;
  interruptible([&] { r = run_calibration(plan, options); }, stop, finished, progress);
  write_calibration(plan, r, out);
  py::dict d;
  d["converged"] = r.converged;
  d["fits"] = r.fits;
  d["simulations"] = r.simulations;
  d["warnings"] = r.warnings;
  return d;
}

// Runs scenarios[g][d] (regime g, posterior draw d) as `--posterior` does;
// returns the JSON document of `detsim run|compare --posterior --json`.
std::string posterior_run(const std::vector<std::string>& names,
                          const std::vector<std::vector<Scenario>>& scenarios,
                          const std::vector<int>& particles, int threads,
                          const std::string& scenario, const std::string& dir,
                          const py::object& progress) {
  std::atomic<bool> cancel{false};
  std::atomic<int> finished{0};
  RunOptions ro;
  ro.threads = threads;
  ro.cancel = &cancel;
  ro.done = [&](int) { ++finished; };
  PosteriorRuns runs;
  interruptible([&] { runs = run_posterior_scenarios(scenarios, particles, ro); }, cancel, finished,
                progress);
  return posterior_json(names, runs, scenario, dir);
}

std::string describe_rule(const Rule& r) {
  std::string out;
  const auto add = [&](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
  const auto flag = [&](const char* name, std::int8_t v) {
    if (v >= 0) add(std::string(name) + ": " + (v ? "true" : "false"));
  };
  flag("judicial_warrant", r.judicial_warrant);
  if (r.warrants) {
    std::string s;
    const char* const names[] = {"judicial", "federal_criminal", "none"};  // Warrant's order
    for (int i = 0; i < 3; ++i)
      if (r.warrants & (1u << i)) s += (s.empty() ? "" : ", ") + std::string(names[i]);
    add("warrant: [" + s + "]");
  }
  flag("convicted", r.convicted);
  flag("pretrial", r.pretrial);
  flag("prior_serious", r.prior_serious);
  flag("status_proven", r.status_proven);
  if (r.severities) {
    std::string s;
    for (int i = 0; i < 3; ++i)
      if (r.severities & (1u << i))
        s += (s.empty() ? "" : ", ") + std::string(to_string(static_cast<Severity>(i)));
    add("severity: [" + s + "]");
  }
  if (r.facility_kinds) {
    std::string s;
    for (int i = 0; i < 2; ++i)
      if (r.facility_kinds & (1u << i))
        s += (s.empty() ? "" : ", ") + std::string(to_string(static_cast<FacilityKind>(i)));
    add("facility_kind: [" + s + "]");
  }
  return out;
}

}  // namespace
}  // namespace detsim

PYBIND11_MODULE(_core, m) {
  using namespace detsim;
  m.doc() = "detsim's C++ library (use the package `detsim`, which wraps this module).";
  m.attr("__version__") = DETSIM_VERSION;

  // detsim.InputError (defined in Python) from the library's InputError.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      py::object cls = py::module_::import("detsim._errors").attr("InputError");
      py::object err = cls(std::string(e.what()));
      PyErr_SetObject(cls.ptr(), err.ptr());
    } catch (const Cancelled& e) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    }
  });

  py::class_<Scenario>(m, "Scenario", "A resolved scenario (load / load_text).")
      .def_readonly("name", &Scenario::name)
      .def_readonly("description", &Scenario::description)
      .def_readonly("source", &Scenario::source)
      .def_readonly("seed", &Scenario::seed)
      .def_readonly("replications", &Scenario::replications)
      .def_readonly("horizon_days", &Scenario::horizon_days)
      .def_readonly("start", &Scenario::start)
      .def_readonly("resolved_yaml", &Scenario::resolved_yaml)
      .def_readonly("offense_ids", &Scenario::offense_ids)
      .def_property_readonly("facility_ids",
                             [](const Scenario& s) {
                               std::vector<std::string> ids;
                               for (const Facility& f : s.facilities) ids.push_back(f.id);
                               return ids;
                             })
      .def_property_readonly("policy_names", [](const Scenario& s) {
        std::vector<std::string> names;
        for (const Policy& p : s.policies) names.push_back(p.name);
        return names;
      });

  m.def(
      "load",
      [](const std::string& path, std::optional<std::string> policy,
         const std::vector<std::string>& sets, const std::string& preset_dir) {
        return load_scenario(path, load_options(policy, sets, preset_dir));
      },
      py::arg("path"), py::arg("policy") = py::none(), py::arg("sets") = std::vector<std::string>{},
      py::arg("preset_dir") = "");
  m.def(
      "load_text",
      [](const std::string& text, const std::string& source, std::optional<std::string> policy,
         const std::vector<std::string>& sets, const std::string& preset_dir) {
        return load_scenario_text(text, source, load_options(policy, sets, preset_dir));
      },
      py::arg("text"), py::arg("source"), py::arg("policy") = py::none(),
      py::arg("sets") = std::vector<std::string>{}, py::arg("preset_dir") = "");

  py::class_<RunResult, std::shared_ptr<RunResult>>(m, "RunResult")
      .def_property_readonly("replications", [](const RunResult& r) { return r.reps.size(); })
      .def("json", [](const RunResult& r) { return run_json(r.scenario, r.reps, r.summary); })
      .def("summary_csv", [](const RunResult& r) { return summary_csv(r.scenario, r.summary); })
      .def("metrics_csv", [](const RunResult& r) { return metrics_csv(r.scenario, r.reps); })
      .def("table", [](const RunResult& r) { return run_table(r.scenario, r.summary, false); })
      .def("trace_columns", &trace_columns)
      .def("series_columns", &series_columns)
      .def_readonly("has_trace", &RunResult::trace)
      .def_readonly("has_series", &RunResult::series)
      .def("write_folder", [](const RunResult& r, const std::string& dir) {
        write_run_folder(dir, r.scenario, r.reps, r.summary);
      });
  m.def("run", &run, py::arg("scenario"), py::arg("reps"), py::arg("first") = 0,
        py::arg("threads") = 0, py::arg("series") = false, py::arg("trace") = false,
        py::arg("progress") = py::none());

  py::class_<Comparison, std::shared_ptr<Comparison>>(m, "Comparison")
      .def("json", [](const Comparison& c) { return compare_json(c); })
      .def("differences_csv", [](const Comparison& c) { return compare_differences_csv(c); })
      .def("metrics_csv", [](const Comparison& c) { return compare_metrics_csv(c); })
      .def("table", [](const Comparison& c) { return compare_table(c, false); })
      .def("regimes",
           [](const Comparison& c) {
             std::vector<std::string> names;
             for (const RegimeRun& r : c.runs) names.push_back(r.regime.name);
             return names;
           })
      .def("summary_csv",
           [](const Comparison& c, std::size_t i) {
             return summary_csv(c.runs.at(i).regime.scenario, c.runs.at(i).summary);
           })
      .def("write_folder",
           [](const Comparison& c, const std::string& dir) { write_compare_folder(dir, c); });
  m.def("compare", &compare, py::arg("names"), py::arg("scenarios"), py::arg("threads") = 0,
        py::arg("progress") = py::none());

  m.def(
      "expect_json", [](const Scenario& s) { return expect_json(s, expected_metrics(s)); },
      py::arg("scenario"));

  m.def(
      "sweep_info",
      [](const std::string& path) {
        const SweepPlan plan(path);
        const Sweep& s = plan.sweep();
        py::dict d;
        d["points"] = s.points.size();
        d["replications"] = s.replications;
        d["seed"] = s.seed;
        d["base"] = s.base_path;
        std::vector<std::string> params, metrics;
        for (const SweepParameter& p : s.parameters) params.push_back(p.path);
        for (Metric mt : s.metrics) metrics.emplace_back(kMetricNames[index(mt)]);
        d["parameters"] = params;
        d["metrics"] = metrics;
        return d;
      },
      py::arg("path"));
  m.def("sweep", &sweep, py::arg("path"), py::arg("out"), py::arg("threads") = 0,
        py::arg("per_replication") = "", py::arg("progress") = py::none());

  m.def("calibrate", &calibrate, py::arg("path"), py::arg("out"), py::arg("threads") = 0,
        py::arg("resume") = false, py::arg("progress") = py::none());
  m.def(
      "calibration_info",
      [](const std::string& path) {
        const CalibrationPlan plan(path);
        const Calibration& c = plan.calibration();
        py::dict d;
        d["budget"] = c.budget;
        d["particles"] = c.particles;
        d["replications"] = c.replications;
        d["seed"] = c.seed;
        d["base"] = c.base_path;
        std::vector<std::string> params;
        for (const CalibrationParameter& p : c.parameters) params.push_back(p.path);
        d["parameters"] = params;
        return d;
      },
      py::arg("path"));
  m.def(
      "posterior_draws",
      [](const std::string& dir, int draws, std::uint64_t seed) {
        const Posterior p = read_posterior(dir);
        py::list out;
        for (int particle : resample_posterior(p, draws, seed)) {
          out.append(py::make_tuple(particle, posterior_sets(p, particle)));
        }
        return out;
      },
      py::arg("dir"), py::arg("draws"), py::arg("seed"));
  m.def("posterior_run", &posterior_run, py::arg("names"), py::arg("scenarios"),
        py::arg("particles"), py::arg("threads") = 0, py::arg("scenario") = "", py::arg("dir") = "",
        py::arg("progress") = py::none());

  m.def(
      "presets",
      [](const std::string& preset_dir) {
        py::list out;
        for (const Policy& p : load_presets(preset_dir)) {
          py::list rules;
          for (const Rule& r : p.rules) {
            py::dict d;
            d["when"] = describe_rule(r);
            d["action"] = to_string(r.action);
            d["compliance"] = r.compliance;
            d["otherwise"] = r.has_otherwise ? py::object(py::str(to_string(r.otherwise)))
                                             : py::object(py::none());
            rules.append(d);
          }
          py::dict d;
          d["name"] = p.name;
          d["description"] = p.description;
          d["rules"] = rules;
          d["default"] = to_string(p.default_action);
          d["local_option"] = p.local_option;
          out.append(d);
        }
        return out;
      },
      py::arg("preset_dir") = "");
  m.def("glossary", [] {
    py::list out;
    for (const GlossaryEntry& e : glossary()) {
      if (metric_index(e.name) < 0) continue;  // described, not counted by this build
      out.append(py::make_tuple(std::string(e.name), std::string(e.unit),
                                std::string(e.kind == MetricKind::kCount ? "count" : "amount"),
                                std::string(e.definition)));
    }
    return out;
  });
  m.def("metric_names", [] {
    std::vector<std::string> out;
    for (auto n : kMetricNames) out.emplace_back(n);
    return out;
  });
  m.def("resolve_threads", &resolve_threads, py::arg("requested"));
}
