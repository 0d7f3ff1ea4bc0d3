// Which policy is in force where and when, and the action it picks
// (docs/policies.md).
#pragma once

#include <vector>

#include "detsim/scenario.hpp"

namespace detsim {

// What a policy looks at when it decides.
struct DecisionFacts {
  bool judicial_warrant;
  bool convicted;
  bool prior_serious;
  int category;
  Severity severity;
  FacilityKind facility_kind;
  double compliance_draw;            // uniform in (0, 1)
  Warrant warrant = Warrant::kNone;  // kJudicial exactly when judicial_warrant
  bool pretrial = false;
  bool status_proven = false;
};

// The action `policy` takes (first matching rule wins).
Action decide(const Policy& policy, const DecisionFacts& facts);

// Each facility's policy over time, from the state policy, preemption,
// facility policies and policy_changes (each effective at 00:00 of its date).
class PolicyTimeline {
 public:
  explicit PolicyTimeline(const Scenario& scenario);
  // The policy in force at facility `facility` at time t (hours since start).
  const Policy& at(int facility, double t) const;

 private:
  struct Segment {
    double from;  // hours since start
    int policy;
  };
  const Scenario& scenario_;
  std::vector<std::vector<Segment>> segments_;  // per facility, by `from`
};

}  // namespace detsim
