#include "model/policy.hpp"

#include <algorithm>
#include <cassert>

namespace detsim {
namespace {

bool flag_matches(std::int8_t want, bool have) {
  return want < 0 || (want == 1) == have;
}

bool rule_matches(const Rule& r, const DecisionFacts& f) {
  if (!flag_matches(r.judicial_warrant, f.judicial_warrant)) return false;
  if (!flag_matches(r.convicted, f.convicted)) return false;
  if (!flag_matches(r.prior_serious, f.prior_serious)) return false;
  if (!flag_matches(r.pretrial, f.pretrial)) return false;
  if (!flag_matches(r.status_proven, f.status_proven)) return false;
  if (r.warrants && !(r.warrants & (1u << static_cast<int>(f.warrant)))) return false;
  if (r.severities && !(r.severities & (1u << static_cast<int>(f.severity)))) return false;
  if (r.facility_kinds && !(r.facility_kinds & (1u << static_cast<int>(f.facility_kind))))
    return false;
  if (!r.offenses.empty() &&
      std::find(r.offenses.begin(), r.offenses.end(), f.category) == r.offenses.end())
    return false;
  return true;
}

}  // namespace

Action decide(const Policy& policy, const DecisionFacts& facts) {
  for (const Rule& r : policy.rules) {
    if (!rule_matches(r, facts)) continue;
    if (r.compliance >= 1 || facts.compliance_draw < r.compliance) return r.action;
    return r.has_otherwise ? r.otherwise : policy.default_action;
  }
  return policy.default_action;
}

PolicyTimeline::PolicyTimeline(const Scenario& sc)
    : scenario_(sc), segments_(sc.facilities.size()) {
  // Change times, in order; at each, recompute every facility's policy.
  std::vector<double> times{-1e300};
  for (const PolicyChange& c : sc.policy_changes)
    times.push_back(24.0 * static_cast<double>(c.date - sc.start));
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());

  for (double from : times) {
    int state = sc.state_policy;
    std::vector<int> own(sc.facilities.size());
    for (std::size_t f = 0; f < own.size(); ++f) own[f] = sc.facilities[f].policy;
    for (const PolicyChange& c : sc.policy_changes) {
      if (24.0 * static_cast<double>(c.date - sc.start) > from) continue;
      if (c.facility < 0)
        state = c.policy;
      else
        own[c.facility] = c.policy;
    }
    for (std::size_t f = 0; f < own.size(); ++f) {
      int p = (sc.state_preempts || own[f] < 0) ? state : own[f];
      if (sc.policies[p].local_option) p = own[f];
      assert(p >= 0 && !sc.policies[p].local_option && "loader checks local-option coverage");
      segments_[f].push_back({from, p});
    }
  }
}

const Policy& PolicyTimeline::at(int facility, double t) const {
  const auto& segs = segments_[facility];
  auto it = std::upper_bound(segs.begin(), segs.end(), t,
                             [](double x, const Segment& s) { return x < s.from; });
  assert(it != segs.begin());
  return scenario_.policies[std::prev(it)->policy];
}

}  // namespace detsim
