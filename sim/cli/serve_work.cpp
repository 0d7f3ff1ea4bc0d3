// `detsim serve`: a simulation request (the JSON body of POST /api/run,
// /api/compare and /api/jobs) checked, loaded and bounded.
#include <fmt/core.h>

#include <algorithm>

#include "cli/serve.hpp"
#include "detsim/load.hpp"
#include "experiment/warmup.hpp"
#include "scenario/cursor.hpp"
#include "scenario/scenario_yaml.hpp"

namespace detsim::cli::serve {

namespace {

std::string set_value(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "null";
  if (v.is_boolean() || v.is_number()) return v.dump();
  throw HttpError{400, "'set' values must be strings, numbers, booleans or null"};
}

}  // namespace

Scenario load_pasted(const std::string& text, const LoadOptions& options) {
  const YamlNode tree = parse_yaml(text, kPastedSource);
  // A request names no file the server reads.
  if (const YamlNode* t = tree.is_map() ? tree.find("facilities_table") : nullptr) {
    YamlPos at = tree.pos;
    for (const YamlEntry& e : tree.entries)
      if (e.key == "facilities_table" && e.key_pos.known()) at = e.key_pos;
    Cursor(*t, "facilities_table", at)
        .fail(
            "a pasted scenario cannot name a facility table (the server reads no file a request "
            "names); list the facilities under `facilities:`, or choose a shipped scenario");
  }
  return resolve_scenario(tree, kPastedSource, options);
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
  const Shipped* chosen = nullptr;
  std::string text;
  if (req.contains("scenario")) {
    if (!req["scenario"].is_string()) throw HttpError{400, "'scenario' must be a string"};
    const std::string name = req["scenario"];
    const auto it = std::find_if(shipped.begin(), shipped.end(),
                                 [&](const Shipped& s) { return s.name == name; });
    if (it == shipped.end())
      throw HttpError{404,
                      fmt::format("no shipped scenario named '{}' (GET /api/scenarios)", name)};
    chosen = &*it;
  } else {
    if (!req["yaml"].is_string()) throw HttpError{400, "'yaml' must be a string"};
    text = req["yaml"];
  }
  const auto load = [&](const LoadOptions& options) {
    return chosen ? resolve_scenario(chosen->tree, chosen->path, options)
                  : load_pasted(text, options);
  };
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
      for (const auto& [path, value] : set.items())
        lo.sets.push_back(path + "=" + set_value(value));
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
      w.regimes.push_back({"run", load(lo)});
    } else {
      const std::vector<std::string> names = regime_names(policies);
      for (std::size_t i = 0; i < policies.size(); ++i) {
        LoadOptions one = lo;
        one.policy_override = policies[i];
        w.regimes.push_back({names[i], load(one)});
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
  // The warm-up as simulated (an automatic one included: it can be years).
  const double days = s.horizon_days + warmup_hours(s) / 24.0;
  w.estimated_bookings = per_day * days * s.replications * static_cast<double>(w.regimes.size());
  if (w.estimated_bookings > limits.max_bookings)
    throw HttpError{422,
                    fmt::format("about {:.3g} bookings to simulate: at most {:.3g} per request "
                                "(fewer replications, a shorter horizon or fewer bookings)",
                                w.estimated_bookings, limits.max_bookings)};
  return w;
}

}  // namespace detsim::cli::serve
