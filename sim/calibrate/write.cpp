// The calibration's output files, each written atomically, calibration.json
// last (its presence means the others are this run's).
#include <fmt/format.h>

#include <filesystem>

#include "calibrate/plan.hpp"
#include "detsim/version.hpp"
#include "report/atomic_file.hpp"
#include "report/json.hpp"

namespace detsim {

namespace {

using nlohmann::ordered_json;

std::string posterior_csv(const Calibration& cal, const CalibrationResult& r) {
  std::string out = "particle,weight";
  for (const std::string& p : r.paths) out += "," + p;
  out += "\n";
  for (std::size_t i = 0; i < r.particles.size(); ++i) {
    out += fmt::format("{},{}", i, r.weights[i]);
    for (std::size_t k = 0; k < r.paths.size(); ++k) {
      out += "," + value_text(r.particles[i][k], cal.parameters[k].integer);
    }
    out += "\n";
  }
  return out;
}

std::string summary_csv(const CalibrationResult& r) {
  std::string out = "parameter,prior_min,prior_max,mean,sd,q05,q50,q95,width_ratio\n";
  for (const ParameterSummary& s : r.summary) {
    out += fmt::format("{},{},{},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.3f}\n", s.path, s.prior_min,
                       s.prior_max, s.mean, s.sd, s.q05, s.q50, s.q95, s.width_ratio);
  }
  return out;
}

std::string predictive_csv(const CalibrationResult& r) {
  std::string out = "metric,facility,observed,sd,mean,q05,q95\n";
  for (const PredictiveRow& p : r.predictive) {
    out += p.is_target
               ? fmt::format("{},{},{},{},{:.6g},{:.6g},{:.6g}\n", p.metric, p.facility, p.observed,
                             p.sd, p.mean, p.q05, p.q95)
               : fmt::format("{},,,,{:.6g},{:.6g},{:.6g}\n", p.metric, p.mean, p.q05, p.q95);
  }
  return out;
}

ordered_json calibration_value(const Calibration& c) {
  ordered_json j;
  j["source"] = c.source;
  j["base"] = c.base_path;
  j["seed"] = c.seed;
  j["replications"] = c.replications;
  j["method"] = c.method;
  j["particles"] = c.particles;
  j["budget"] = c.budget;
  ordered_json params = ordered_json::object();
  for (const CalibrationParameter& p : c.parameters) {
    params[p.path] = {{"min", p.min}, {"max", p.max}, {"log", p.log}, {"integer", p.integer}};
  }
  j["parameters"] = params;
  ordered_json targets = ordered_json::array();
  for (const CalibrationTarget& t : c.targets) {
    ordered_json tj;
    tj["metric"] = std::string(kMetricNames[index(t.metric)]);
    if (!t.facility.empty()) tj["facility"] = t.facility;
    tj["observed"] = t.observed;
    tj["sd"] = t.sd;
    targets.push_back(tj);
  }
  j["targets"] = targets;
  return j;
}

std::string calibration_json(const CalibrationPlan& plan, const CalibrationResult& r) {
  ordered_json j;
  j["version"] = version();
  j["calibration"] = calibration_value(plan.calibration());
  j["base_scenario"] = plan.base_resolved_yaml();
  j["converged"] = r.converged;
  j["fits_all"] = r.fits;
  j["simulations"] = r.simulations;
  ordered_json rounds = ordered_json::array();
  for (const CalibrationRound& x : r.rounds) {
    rounds.push_back({{"round", x.round},
                      {"tolerance", json_number(x.tolerance)},
                      {"acceptance", x.acceptance},
                      {"effective_sample_size", x.ess},
                      {"simulations", x.simulations}});
  }
  j["rounds"] = rounds;
  ordered_json fits = ordered_json::array();
  for (const PredictiveRow& p : r.predictive) {
    if (!p.is_target) continue;
    ordered_json f;
    f["metric"] = p.metric;
    if (!p.facility.empty()) f["facility"] = p.facility;
    f["observed"] = p.observed;
    f["sd"] = p.sd;
    f["predictive_mean"] = p.mean;
    f["predictive_90"] = {p.q05, p.q95};
    f["fits"] = p.fits;
    f["closest_sds"] = p.closest;
    fits.push_back(f);
  }
  j["fits"] = fits;
  ordered_json params = ordered_json::array();
  for (const ParameterSummary& s : r.summary) {
    params.push_back({{"parameter", s.path},
                      {"mean", s.mean},
                      {"sd", s.sd},
                      {"q05", s.q05},
                      {"q50", s.q50},
                      {"q95", s.q95},
                      {"width_ratio", s.width_ratio}});
  }
  j["parameters"] = params;
  j["correlation"] = r.correlation;
  j["warnings"] = r.warnings;
  return json_document(j);
}

}  // namespace

void write_calibration(const CalibrationPlan& plan, const CalibrationResult& r,
                       const std::string& dir) {
  const std::filesystem::path d(dir);
  write_file_atomic((d / "posterior.csv").string(), posterior_csv(plan.calibration(), r));
  write_file_atomic((d / "summary.csv").string(), summary_csv(r));
  write_file_atomic((d / "predictive.csv").string(), predictive_csv(r));
  write_file_atomic((d / "calibration.json").string(), calibration_json(plan, r));
}

}  // namespace detsim
