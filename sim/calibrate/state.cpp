// The state kept after each finished round (for --resume): the population
// with its simulated values, the rounds so far, the simulation count and the
// closest distances, as JSON whose numbers read back exactly.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "calibrate/smc.hpp"
#include "detsim/load.hpp"
#include "report/atomic_file.hpp"
#include "scenario/scenario_yaml.hpp"

namespace detsim {

namespace {

using nlohmann::json;

json number(double x) {
  return std::isinf(x) ? json(nullptr) : json(x);
}
double number_of(const json& j) {
  return j.is_null() ? kInfiniteTolerance : j.get<double>();
}

}  // namespace

std::string state_identity(const CalibrationInputs& in) {
  return in.resolved_yaml + "---\n" + in.base_resolved_yaml;
}

void save_state(const std::string& path, const std::string& identity, const SmcState& s) {
  json j;
  j["format"] = "detsim calibration state 1";
  j["identity"] = identity;
  j["simulations"] = s.simulations;
  j["closest"] = s.closest;
  json rounds = json::array();
  for (const CalibrationRound& r : s.rounds) {
    rounds.push_back({{"round", r.round},
                      {"tolerance", number(r.tolerance)},
                      {"acceptance", r.acceptance},
                      {"ess", r.ess},
                      {"simulations", r.simulations}});
  }
  j["rounds"] = rounds;
  const ParticleSet& p = s.population;
  json pop;
  pop["round"] = p.round;
  pop["tolerance"] = number(p.tolerance);
  pop["z"] = p.z;
  pop["weight"] = p.weight;
  json values = json::array();
  for (const CandidateValues& v : p.values) {
    json rows = json::array();
    for (Eigen::Index r = 0; r < v.rows(); ++r) {
      json row = json::array();
      for (Eigen::Index c = 0; c < v.cols(); ++c) row.push_back(v(r, c));
      rows.push_back(row);
    }
    values.push_back(rows);
  }
  pop["values"] = values;
  j["population"] = pop;
  write_file_atomic(path, j.dump() + "\n");
}

bool load_state(const std::string& path, const std::string& identity, SmcState* s) {
  std::string text, why;
  if (!read_file_text(path, &text, &why, 1ULL << 34)) {
    return false;
  }
  try {
    const json j = json::parse(text);
    if (j.at("format") != "detsim calibration state 1") throw std::runtime_error("format");
    if (j.at("identity").get<std::string>() != identity) {
      throw InputError(fmt::format(
          "{}:1:1: the state of another calibration (the calibration file or its base scenario "
          "changed since); use another --out, or delete the folder's files to start again",
          path));
    }
    SmcState out;
    out.simulations = j.at("simulations").get<std::int64_t>();
    out.closest = j.at("closest").get<std::vector<double>>();
    for (const json& r : j.at("rounds")) {
      out.rounds.push_back({r.at("round").get<int>(), number_of(r.at("tolerance")),
                            r.at("acceptance").get<double>(), r.at("ess").get<double>(),
                            r.at("simulations").get<std::int64_t>()});
    }
    const json& pop = j.at("population");
    ParticleSet& p = out.population;
    p.round = pop.at("round").get<int>();
    p.tolerance = number_of(pop.at("tolerance"));
    p.z = pop.at("z").get<std::vector<std::vector<double>>>();
    p.weight = pop.at("weight").get<std::vector<double>>();
    for (const json& rows : pop.at("values")) {
      const auto n = static_cast<Eigen::Index>(rows.size());
      const auto m = n ? static_cast<Eigen::Index>(rows[0].size()) : 0;
      CandidateValues v(n, m);
      for (Eigen::Index r = 0; r < n; ++r) {
        for (Eigen::Index c = 0; c < m; ++c)
          v(r, c) = rows[static_cast<std::size_t>(r)].at(static_cast<std::size_t>(c)).get<double>();
      }
      p.values.push_back(std::move(v));
    }
    if (p.z.size() != p.weight.size() || p.z.size() != p.values.size()) {
      throw std::runtime_error("population sizes differ");
    }
    *s = std::move(out);
    return true;
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw InputError(
        fmt::format("{}:1:1: a damaged calibration state ({}); use another --out", path, e.what()));
  }
}

}  // namespace detsim
