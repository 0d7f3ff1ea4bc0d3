// `detsim expect`: the scenario's assumptions, the enumeration of booking
// classes and policy actions, and the assembly of every metric from the
// class kernels (expect_kernel.hpp).
#include "detsim/expect.hpp"
#include "engine/calendar.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <tuple>

#include "detsim/load.hpp"
#include "detsim/run.hpp"
#include "experiment/warmup.hpp"
#include "expect/kernel.hpp"
#include "model/policy.hpp"

namespace detsim {
namespace {

using expect_detail::ClassLaws;
using expect_detail::Kernel;
using expect_detail::Law;
using expect_detail::Window;
namespace ed = expect_detail;

// ---------------------------------------------------------------------------
// Assumptions

[[noreturn]] void refuse(const Scenario& sc, const std::string& path, const std::string& why) {
  const std::string source = sc.source.empty() ? sc.name : sc.source;
  throw InputError(
      fmt::format("{}: {}: expect {}; simulate it with `detsim run`", source, path, why));
}

void check_assumptions(const Scenario& sc) {
  if (sc.ice.pickup.teams > 0)
    refuse(sc, "ice.pickup.teams",
           "assumes unlimited ICE capacity (teams: null); with a limited number of teams pickups "
           "wait in a queue, which has no closed form here");
  if (sc.ice.pickup.business_hours.enabled)
    refuse(sc, "ice.pickup.business_hours",
           "assumes ICE arrives a response time after the notice; business hours make arrivals "
           "depend on the clock");
  if (sc.hold.exclude_weekends_holidays)
    refuse(sc, "detainer_hold.exclude_weekends_holidays",
           "assumes a hold limit in plain hours; skipping weekends and holidays makes the deadline "
           "depend on the date");
  for (const Facility& f : sc.facilities) {
    for (double r : f.population.rebooking_per_year)
      if (r > 0)
        refuse(sc, fmt::format("facilities.{}.population.rebooking_per_year", f.id),
               "does not cover re-bookings: who is booked again depends on the whole history of "
               "releases (set the rate to 0 for the other metrics' expectations)");
  }
  if (!sc.policy_changes.empty())
    refuse(sc, "policy_changes",
           "assumes one policy per facility for the whole run (remove policy_changes, or compare "
           "the policies with --policy)");
  for (const Facility& f : sc.facilities) {
    for (const Offense& o : f.offenses) {
      if (o.transfer_to >= 0)
        refuse(sc, fmt::format("offenses.{}.sentenced_transfer_to", o.id),
               "does not follow people moved between facilities");
    }
  }
}

// ---------------------------------------------------------------------------
// Policy actions

// Actions of people of one class with a detainer, over the judicial
// warrant, the prior serious conviction and the compliance draw:
// P(anticipated a, decided b), where a is the action for the person without
// a proof of status (the decision's action for them, and the action whose
// stay multiplier stretches a pretrial stay at the detainer's arrival) and b
// the action once status is proven. The compliance draw is uniform on
// (0, 1) and decide() is constant between the rules' compliance values, so
// its midpoints give the exact shares.
using ActionPairs = std::array<std::array<double, 4>, 4>;

ActionPairs action_pairs(const Scenario& sc, const Policy& policy, const Facility& fac,
                         const Offense& o, bool convicted) {
  std::vector<double> cuts = {0.0, 1.0};
  for (const Rule& r : policy.rules)
    if (r.compliance > 0 && r.compliance < 1) cuts.push_back(r.compliance);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  ActionPairs pairs{};
  const double jw = sc.ice.judicial_warrant_share;
  const double fw = std::min(sc.ice.federal_criminal_warrant_share, 1 - jw);
  const std::array<double, 3> warrant_shares{jw, fw, std::max(0.0, 1 - jw - fw)};
  for (const Warrant warrant : {Warrant::kNone, Warrant::kFederalCriminal, Warrant::kJudicial}) {
    for (const bool prior : {false, true}) {
      const double p = warrant_shares[static_cast<std::size_t>(warrant)] *
                       (prior ? o.prior_serious : 1 - o.prior_serious);
      if (p <= 0) continue;
      for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
        DecisionFacts facts{warrant == Warrant::kJudicial,
                            convicted,
                            prior,
                            o.category,
                            sc.offense_severities[o.category],
                            fac.kind,
                            0.5 * (cuts[i] + cuts[i + 1]),
                            warrant,
                            !convicted,
                            false};
        const auto anticipated = static_cast<std::size_t>(decide(policy, facts));
        facts.status_proven = true;
        pairs[anticipated][static_cast<std::size_t>(decide(policy, facts))] +=
            p * (cuts[i + 1] - cuts[i]);
      }
    }
  }
  return pairs;
}

// ---------------------------------------------------------------------------
// Assembly

struct PersonGroup {
  double weight;  // share of the class's bookings
  double lodge;   // P(a detainer is lodged)
  bool citizen;
  bool proves = false;  // can prove status: a citizen, or a lawful resident
};

class Assembler {
 public:
  explicit Assembler(const Scenario& sc)
      : sc_(sc), policies_(sc), delay_(sc.ice.lodge_delay), response_(sc.ice.pickup.delay) {
    window_.horizon = sc.horizon_hours();
    // A stationary start is full at its start, as after the auto warm-up.
    window_.warmup = sc.warmup_stationary ? auto_warmup_hours(sc) : warmup_hours(sc);
    window_.limit = sc.hold.limit_hours;
    window_.grace = sc.ice.release_grace_hours;
    window_.lead = sc.ice.notice_lead_hours;
    if (sc.ice.at_large_arrests_per_year > 0) {
      Distribution a;
      a.kind = Distribution::Kind::kExponential;
      a.a = kHoursPerYear / sc.ice.at_large_arrests_per_year;
      arrest_.emplace(a);
    }
    lift_delay_.emplace(sc.ice.lift_delay);
    for (const Facility& f : sc.facilities) {
      proof_delays_.emplace_back(f.population.status_proof_delay);
      profile_of_.push_back(profile_index(f));
    }
    cells_.assign(sc.facilities.size(),
                  std::vector<MetricValues>(sc.offense_ids.size(), MetricValues{}));
  }

  Expectations run() {
    for (std::size_t f = 0; f < sc_.facilities.size(); ++f) add_facility(static_cast<int>(f));
    return collect();
  }

 private:
  // One kernel per anticipated action (honor, notify, decline, transfer), by
  // the stay multiplier each action brings; the same kernel when they agree.
  using ActionKernels = std::array<const Kernel*, 4>;

  void add_facility(int f) {
    const Facility& fac = sc_.facilities[f];
    const Policy& policy = policies_.at(f, 0.0);
    warrant_service_287g_ = policy.warrant_service_287g;
    const double rate = fac.bookings_per_day / 24.0;  // times the profile's multipliers
    const int profile = profile_of_[f];
    const double window_hours =
        profiles_[profile]->a1(window_.horizon) - profiles_[profile]->a1(0.0);
    const double nu = fac.population.noncitizen_share;
    const double lawful = fac.population.lawful_status_share;
    for (const Offense& o : fac.offenses) {
      const double noncitizen_lodge = sc_.ice.match_probability * o.lodge_probability;
      const std::vector<PersonGroup> groups = {
          {nu * (1 - lawful), noncitizen_lodge, false, false},
          {nu * lawful, noncitizen_lodge, false, true},
          {1 - nu, fac.population.erroneous_detainer_rate, true, true}};
      for (const bool sentenced : {false, true}) {
        const double p = sentenced ? 1 - o.pretrial_release : o.pretrial_release;
        if (rate * o.share * p <= 0) continue;
        const Distribution& stay = sentenced ? o.sentenced_stay : o.pretrial_stay;
        const ActionPairs pairs = action_pairs(sc_, policy, fac, o, sentenced);
        std::array<double, 4> shares{};  // P(anticipated action)
        for (std::size_t a = 0; a < 4; ++a)
          for (double v : pairs[a]) shares[a] += v;
        MetricValues& cell = cells_[f][o.category];
        for (const PersonGroup& g : groups) {
          if (g.weight <= 0) continue;
          ed::DetainerEnd end = detainer_end(f, o, g);
          const ActionKernels k = kernels(stay, sentenced, profile, end, f, shares);
          add_group(cell, rate * o.share * p, window_hours, g, k, shares, sentenced);
          if (end.proof > 0 && !end.proof_lifts) {  // the people who proved status
            end.proven = 1;
            const ActionKernels kp = kernels(stay, sentenced, profile, end, f, shares);
            for (std::size_t a = 0; a < 4; ++a)
              add_decisions(cell, rate * o.share * p * g.weight * g.lodge, g, *kp[a], pairs[a],
                            sentenced);
          }
        }
      }
    }
  }

  // How a detainer of group g at facility f can end before the decision.
  ed::DetainerEnd detainer_end(int f, const Offense& o, const PersonGroup& g) {
    ed::DetainerEnd e;
    e.lift = o.lift_probability;
    if (e.lift > 0) e.lift_delay = &*lift_delay_;
    const Population& pop = sc_.facilities[f].population;
    if (g.proves && pop.status_proof_probability > 0) {
      e.proof = pop.status_proof_probability;
      e.proof_delay = &proof_delays_[f];
      e.proof_lifts = g.citizen && sc_.ice.lift_citizen_on_proof;
    }
    if (e.two_lifts()) two_lifts_ = true;
    return e;
  }

  // The multiplier of a pretrial stay with a detainer when the anticipated
  // action is `a` (one policy for the whole run).
  double stay_multiplier(std::size_t a) const {
    return sc_.ice.stay_multiplier_by_action ? sc_.ice.stay_multipliers[a]
                                             : sc_.ice.detainer_stay_multiplier;
  }

  // The kernels of a class for each anticipated action; those of actions
  // never anticipated (share 0) are not computed: they point to another.
  ActionKernels kernels(const Distribution& stay, bool sentenced, int profile,
                        const ed::DetainerEnd& end, int f, const std::array<double, 4>& shares) {
    const std::size_t first = static_cast<std::size_t>(
        std::find_if(shares.begin(), shares.end(), [](double share) { return share > 0; }) -
        shares.begin());
    ActionKernels k{};
    for (std::size_t a = 0; a < k.size(); ++a) {
      const std::size_t use = shares[a] > 0 || first == k.size() ? a : first;
      k[a] = &kernel(stay, sentenced, profile, sentenced ? 1.0 : stay_multiplier(use), end, f);
    }
    return k;
  }

  // One group of one class, booked at `rate` per hour (times the profile),
  // with the decisions of the people who proved no status (all of them
  // without proof). `window_hours`: the hours of the window weighted by the
  // profile.
  void add_group(MetricValues& c, double rate, double window_hours, const PersonGroup& g,
                 const ActionKernels& ka, const std::array<double, 4>& shares,
                 bool sentenced) const {
    using M = Metric;
    const auto at = [&](M m) -> double& { return c[index(m)]; };
    const Kernel& k = *ka[0];  // components that do not depend on the multiplier
    const double T = window_.horizon;
    const double people = rate * g.weight;
    const double booked = people * window_hours;
    at(M::bookings) += booked;
    if (!g.citizen) at(M::noncitizen_bookings) += booked;
    at(M::in_custody_at_end) += people * (1 - g.lodge) * k[ed::kAllCustody];
    at(M::mean_occupancy) += people * (1 - g.lodge) * k[ed::kAllOccupancy] / T;
    const double a = people * g.lodge;  // lodged detainers per hour
    if (a <= 0) return;
    const auto mix = [&](ed::Component x) {
      double sum = 0;
      for (std::size_t i = 0; i < 4; ++i) sum += shares[i] * (*ka[i])[x];
      return sum;
    };
    at(M::detainers_lodged) += a * k[ed::kLodged];
    at(M::detainers_late) += a * k[ed::kLate];
    if (g.citizen) at(M::detainers_on_citizens) += a * k[ed::kLodged];
    const double lifted = a * mix(ed::kLifted);
    at(M::detainers_lifted) += lifted;
    if (g.citizen) at(M::citizen_detainers_lifted) += lifted;
    at(M::in_custody_at_end) += a * (k[ed::kLateCustody] + mix(ed::kLiftedCustody));
    at(M::mean_occupancy) += a * (k[ed::kLateOccupancy] + mix(ed::kLiftedOccupancy)) / T;
    at(M::detainers_in_custody_at_end) += a * mix(ed::kInCustodyWithDetainer);
    at(M::extra_stay_bed_days) += a * mix(ed::kExtraStay) / 24.0;
    for (std::size_t i = 0; i < 4; ++i) {
      std::array<double, 4> only{};  // anticipated action i is the decision's
      only[i] = shares[i];
      add_decisions(c, a, g, *ka[i], only, sentenced);
    }
  }

  // The decisions of kernel k and their outcomes, for lodged detainers at
  // `a` per hour taking action i with probability shares[i].
  void add_decisions(MetricValues& c, double a, const PersonGroup& g, const Kernel& k,
                     const std::array<double, 4>& shares, bool sentenced) const {
    using M = Metric;
    const auto at = [&](M m) -> double& { return c[index(m)]; };
    const double ph = shares[0], pn = shares[1], pd = shares[2], pt = shares[3];
    if (a <= 0 || ph + pn + pd + pt <= 0) return;
    const double decisions = a * k[ed::kDecisions];
    const double honored = ph * decisions, notified = pn * decisions;
    const double declined = pd * decisions, transferred = pt * decisions;
    const double from_hold = a * ph * k[ed::kHonorTransfers], lapsed = a * ph * k[ed::kHonorLapses];
    const double on_notice = a * pn * k[ed::kNotifyTransfers],
                 missed = a * pn * k[ed::kNotifyMissed];
    at(M::decisions) += decisions * (ph + pn + pd + pt);
    at(M::honored) += honored;
    at(M::notified) += notified;
    at(M::declined) += declined;
    at(M::transferred_287g) += transferred;
    at(M::transfers_from_hold) += from_hold;
    at(M::lapsed) += lapsed;
    at(M::holds_open_at_end) += honored - from_hold - lapsed;
    at(M::transfers_on_notice) += on_notice;
    at(M::missed_notices) += missed;
    at(M::notices_open_at_end) += notified - on_notice - missed;
    at(M::transfers) += from_hold + on_notice + transferred;
    at(M::released_despite_detainer) += declined + lapsed + missed;
    if (sentenced) at(M::released_despite_detainer_convicted) += declined + lapsed + missed;
    if (g.citizen) at(M::citizens_held) += honored;
    if (warrant_service_287g_) at(M::held_under_287g) += honored;
    at(M::hold_hours) += a * ph * k[ed::kHonorHours];
    at(M::at_large_arrests) +=
        a * (ph * k[ed::kHonorArrests] + pn * k[ed::kNotifyArrests] + pd * k[ed::kDeclineArrests]);
    at(M::in_custody_at_end) += a * (ph * k[ed::kHonorCustody] + pn * k[ed::kNotifyCustody] +
                                     (pd + pt) * k[ed::kPlainCustody]);
    at(M::mean_occupancy) += a *
                             (ph * k[ed::kHonorOccupancy] + pn * k[ed::kNotifyOccupancy] +
                              (pd + pt) * k[ed::kPlainOccupancy]) /
                             window_.horizon;
  }

  // The profile of a facility's multipliers, shared by facilities with the same ones.
  int profile_index(const Facility& f) {
    const auto key = std::make_pair(f.day_of_week, f.month);
    const auto it = profile_keys_.find(key);
    if (it != profile_keys_.end()) return it->second;
    profiles_.push_back(
        std::make_unique<ed::BookingProfile>(f, sc_.start, window_.warmup, window_.horizon));
    if (arrest_) profiles_.back()->use_exponential(1.0 / arrest_mean_hours());
    const int i = static_cast<int>(profiles_.size()) - 1;
    profile_keys_.emplace(key, i);
    return i;
  }

  double arrest_mean_hours() const { return kHoursPerYear / sc_.ice.at_large_arrests_per_year; }

  // The kernel of a stay distribution, path, profile, stay multiplier and
  // detainer end (its proof delay that of facility f), computed once.
  const Kernel& kernel(const Distribution& stay, bool sentenced, int profile, double multiplier,
                       const ed::DetainerEnd& end, int f) {
    const auto key =
        std::make_tuple(static_cast<int>(stay.kind), stay.a, stay.b, stay.values, stay.cumulative,
                        sentenced, profile, multiplier, end.lift, end.proof, end.proof > 0 ? f : -1,
                        end.proof_lifts, end.proven);
    auto it = kernels_.find(key);
    if (it != kernels_.end()) return it->second;
    const Law law(stay);
    const ClassLaws laws{law, delay_, response_, arrest_ ? &*arrest_ : nullptr, sentenced, end};
    Window w = window_;
    w.multiplier = multiplier;
    return kernels_.emplace(key, ed::class_kernel(w, laws, *profiles_[profile])).first->second;
  }

  Expectations collect() const {
    Expectations e;
    e.warmup_hours = window_.warmup;
    for (std::size_t m = 0; m < kMetricCount; ++m) e.available[m] = true;
    for (Metric m : {Metric::max_hold_hours, Metric::peak_occupancy, Metric::over_capacity_hours,
                     Metric::ice_mean_wait_hours, Metric::ice_team_utilization})
      e.available[index(m)] = false;
    // A citizen lifted either by ICE or by their proof: the time to the
    // first lift has no closed form here.
    if (two_lifts_)
      for (Metric m :
           {Metric::detainers_lifted, Metric::citizen_detainers_lifted,
            Metric::detainers_in_custody_at_end, Metric::detainers_active_recorded_at_end})
        e.available[index(m)] = false;
    ReplicationMetrics& out = e.values;
    out.facility.assign(sc_.facilities.size(), MetricValues{});
    out.offense.assign(sc_.offense_ids.size(), MetricValues{});
    for (std::size_t f = 0; f < cells_.size(); ++f) {
      for (std::size_t c = 0; c < cells_[f].size(); ++c) {
        MetricValues cell = cells_[f][c];
        cell[index(Metric::hold_bed_days)] = cell[index(Metric::hold_hours)] / 24.0;
        const Facility& fac = sc_.facilities[f];
        const double bed_day =
            fac.marginal_bed_day_cost >= 0 ? fac.marginal_bed_day_cost : fac.bed_day_cost;
        cell[index(Metric::hold_cost)] = cell[index(Metric::hold_bed_days)] * bed_day;
        cell[index(Metric::extra_stay_cost)] = cell[index(Metric::extra_stay_bed_days)] * bed_day;
        cell[index(Metric::detention_cost)] =
            cell[index(Metric::hold_cost)] + cell[index(Metric::extra_stay_cost)];
        for (std::size_t m = 0; m < kMetricCount; ++m) {
          out.facility[f][m] += cell[m];
          out.offense[c][m] += cell[m];
          out.total[m] += cell[m];
        }
      }
    }
    for (MetricValues& v : out.offense) v[index(Metric::mean_occupancy)] = 0;  // per facility only
    add_recorded(e);
    return e;
  }

  // Counting as recorded: without `recording:` the recorded metrics are the
  // true ones (the agency's active list: the three stocks at the end); with
  // it, records by date have no closed form here.
  void add_recorded(Expectations& e) const {
    using M = Metric;
    const std::array<M, 3> recorded = {M::released_despite_detainer_recorded,
                                       M::released_despite_detainer_recorded_convicted,
                                       M::detainers_active_recorded_at_end};
    // Everyone in custody with an active detainer at the end: the three stocks.
    const std::array<M, 3> stocks = {M::detainers_in_custody_at_end, M::holds_open_at_end,
                                     M::notices_open_at_end};
    const auto total_stock = [&](MetricValues& v) {
      v[index(M::detainers_in_custody_total_at_end)] =
          v[index(stocks[0])] + v[index(stocks[1])] + v[index(stocks[2])];
    };
    total_stock(e.values.total);
    for (MetricValues& v : e.values.facility) total_stock(v);
    for (MetricValues& v : e.values.offense) total_stock(v);
    for (M m : stocks)
      if (!e.available[index(m)]) e.available[index(M::detainers_in_custody_total_at_end)] = false;
    if (sc_.recording) {
      for (M m : recorded) e.available[index(m)] = false;
      return;
    }
    const auto derive = [](MetricValues& v) {
      v[index(M::released_despite_detainer_recorded)] = v[index(M::released_despite_detainer)];
      v[index(M::released_despite_detainer_recorded_convicted)] =
          v[index(M::released_despite_detainer_convicted)];
      v[index(M::detainers_active_recorded_at_end)] = v[index(M::detainers_in_custody_at_end)] +
                                                      v[index(M::holds_open_at_end)] +
                                                      v[index(M::notices_open_at_end)];
    };
    derive(e.values.total);
    for (MetricValues& v : e.values.facility) derive(v);
    for (MetricValues& v : e.values.offense) derive(v);
  }

  using KernelKey = std::tuple<int, double, double, std::vector<double>, std::vector<double>, bool,
                               int, double, double, double, int, bool, int>;
  using ProfileKey = std::pair<std::array<double, 7>, std::array<double, 12>>;

  const Scenario& sc_;
  PolicyTimeline policies_;
  Window window_;
  Law delay_, response_;
  std::optional<Law> arrest_;
  std::optional<Law> lift_delay_;
  std::vector<Law> proof_delays_;  // per facility
  bool two_lifts_ = false;
  std::map<KernelKey, Kernel> kernels_;
  std::vector<std::unique_ptr<ed::BookingProfile>> profiles_;
  std::map<ProfileKey, int> profile_keys_;
  std::vector<int> profile_of_;                   // [facility]
  std::vector<std::vector<MetricValues>> cells_;  // [facility][category]
  bool warrant_service_287g_ = false;             // the facility being added holds under 287(g)
};

}  // namespace

Expectations expected_metrics(const Scenario& scenario) {
  check_assumptions(scenario);
  return Assembler(scenario).run();
}

}  // namespace detsim
