// What was run, for the headers of tables and output files.
#include "report/header.hpp"

#include <fmt/format.h>

#include "engine/calendar.hpp"
#include "model/policy.hpp"
#include "report/glossary.hpp"

namespace detsim {

std::string iso_date(Day d) {
  const CivilDate c = civil_from_days(d);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

std::string period_text(const Scenario& s) {
  return fmt::format("{} to {} ({} day{})", iso_date(s.start),
                     iso_date(s.start + s.horizon_days - 1), s.horizon_days,
                     s.horizon_days == 1 ? "" : "s");
}

std::string money_unit(const Scenario& s) {
  return s.currency.empty() ? "cost units" : s.currency;
}

std::string facility_policy_text(const Scenario& s, int facility) {
  if (s.policies.empty() || facility < 0 ||
      static_cast<std::size_t>(facility) >= s.facilities.size())
    return "";
  const PolicyTimeline timeline(s);
  const std::string first = timeline.at(facility, 0).name;
  for (const PolicyChange& c : s.policy_changes) {
    const double t = 24.0 * static_cast<double>(c.date - s.start);
    if (t > 0 && t < s.horizon_hours() && timeline.at(facility, t).name != first)
      return first + " (changes during the run)";
  }
  return first;
}

std::string header_lines(const Scenario& s) {
  std::string out = fmt::format("period: {}\n", period_text(s));
  if (s.policy_override.empty()) {
    out += "policy: as in the scenario file\n";
  } else {
    out += fmt::format("policy: {} (--policy: every facility, the whole run)\n", s.policy_override);
  }
  if (!s.sets.empty()) {
    out += "overrides (--set, --reps, --seed):";
    for (const std::string& set : s.sets) out += " " + set;
    out += "\n";
  }
  out += fmt::format("units: people or detainers; hours; bed-days; costs in {}\n", money_unit(s));
  return out;
}

nlohmann::ordered_json period_json(const Scenario& s) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["start"] = iso_date(s.start);
  out["end"] = iso_date(s.start + s.horizon_days - 1);
  out["days"] = s.horizon_days;
  if (s.warmup_auto) {
    out["warmup_days"] = "auto";
  } else if (s.warmup_stationary) {
    out["warmup_days"] = "stationary";
  } else {
    out["warmup_days"] = s.warmup_days;
  }
  return out;
}

nlohmann::ordered_json context_json(const Scenario& s) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  out["period"] = period_json(s);
  out["policy_override"] = s.policy_override.empty() ? nlohmann::ordered_json(nullptr)
                                                     : nlohmann::ordered_json(s.policy_override);
  out["sets"] = s.sets;
  out["currency"] =
      s.currency.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.currency);
  nlohmann::ordered_json units = nlohmann::ordered_json::object();
  for (std::size_t m = 0; m < kMetricCount; ++m)
    units[std::string(kMetricNames[m])] =
        std::string(metric_unit(static_cast<Metric>(m), s.currency));
  out["units"] = std::move(units);
  return out;
}

}  // namespace detsim
