// Running regimes on the same people and pairing their replications
// (see include/detsim/compare.hpp).
#include "detsim/compare.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

#include "detsim/run.hpp"
#include "experiment/stats.hpp"
#include "report/glossary.hpp"

namespace detsim {
namespace {

int find_id(const std::vector<std::string>& ids, const std::string& id) {
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (ids[i] == id) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> facility_ids(const Scenario& s) {
  std::vector<std::string> ids;
  for (const Facility& f : s.facilities) ids.push_back(f.id);
  return ids;
}

// Differences of the slices (facilities or offense categories) that both
// regimes have, matched by id, in the baseline's order.
std::vector<SliceDifferences> slice_differences(const RegimeRun& base, const RegimeRun& other,
                                                Breakdown breakdown) {
  const bool by_facility = breakdown == Breakdown::kFacility;
  const std::vector<std::string> base_ids =
      by_facility ? facility_ids(base.regime.scenario) : base.regime.scenario.offense_ids;
  const std::vector<std::string> other_ids =
      by_facility ? facility_ids(other.regime.scenario) : other.regime.scenario.offense_ids;
  std::vector<SliceDifferences> out;
  for (std::size_t i = 0; i < base_ids.size(); ++i) {
    const int j = find_id(other_ids, base_ids[i]);
    if (j < 0) continue;
    out.push_back({base_ids[i],
                   paired_differences(base.reps, other.reps, breakdown, static_cast<int>(i), j)});
  }
  return out;
}

void check_pairable(const std::vector<Regime>& regimes) {
  if (regimes.size() < 2) throw std::invalid_argument("compare needs at least two regimes");
  std::set<std::string> names;
  for (const Regime& r : regimes) {
    if (!names.insert(r.name).second)
      throw std::invalid_argument(fmt::format("regime name '{}' is used twice", r.name));
    const Scenario& base = regimes.front().scenario;
    if (r.scenario.seed != base.seed || r.scenario.replications != base.replications)
      throw std::invalid_argument(fmt::format(
          "regime '{}' has seed {} and {} replications, the baseline seed {} and {}: the "
          "replications would not see the same people",
          r.name, r.scenario.seed, r.scenario.replications, base.seed, base.replications));
  }
}

}  // namespace

std::vector<std::string> regime_names(const std::vector<std::string>& base_names) {
  const std::set<std::string> given(base_names.begin(), base_names.end());
  std::set<std::string> used;
  std::vector<std::string> out;
  for (const std::string& name : base_names) {
    std::string unique = name;
    for (int k = 2; used.count(unique) || (unique != name && given.count(unique)); ++k)
      unique = fmt::format("{}#{}", name, k);
    used.insert(unique);
    out.push_back(unique);
  }
  return out;
}

std::string relative_note(Metric m, const Summary& base) {
  if (base.mean == 0) return "baseline mean is 0";
  if (base.ci_low <= 0 && 0 <= base.ci_high) return "baseline interval includes 0";
  if (glossary_entry(m).kind == MetricKind::kCount && base.mean < 10)
    return "count with baseline mean below 10";
  return "";
}

MetricDifferences paired_differences(const std::vector<ReplicationMetrics>& a,
                                     const std::vector<ReplicationMetrics>& b, Breakdown breakdown,
                                     int index_a, int index_b) {
  const Eigen::MatrixXd ma = metric_matrix(a, breakdown, index_a);
  const Eigen::MatrixXd mb = metric_matrix(b, breakdown, index_b);
  const std::vector<Summary> base = summarize_columns(ma);
  MetricDifferences out(kMetricCount);
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    const auto c = static_cast<Eigen::Index>(m);
    out[m].summary = summarize_difference(ma.col(c), mb.col(c));
    out[m].relative_note = relative_note(static_cast<Metric>(m), base[m]);
    out[m].relative = out[m].relative_note.empty() ? out[m].summary.mean / base[m].mean : kNaN;
  }
  return out;
}

Comparison compare_regimes(std::vector<Regime> regimes, const CompareOptions& options) {
  check_pairable(regimes);
  Comparison c;
  int total = 0;
  for (const Regime& r : regimes) total += r.scenario.replications;
  std::atomic<int> finished{0};
  for (Regime& r : regimes) {
    RunOptions ro;
    ro.replications = r.scenario.replications;
    ro.first_replication = 0;
    ro.threads = options.threads;
    ro.cancel = options.cancel;
    if (options.progress) ro.done = [&](int) { options.progress(++finished, total); };
    if (options.observer) {
      const int regime = static_cast<int>(c.runs.size());
      ro.observer = [&options, regime](int rep) { return options.observer(regime, rep); };
    }
    RegimeRun run;
    run.reps = run_replications(r.scenario, ro);
    run.summary = summarize_run(run.reps);
    run.regime = std::move(r);
    c.runs.push_back(std::move(run));
  }
  const RegimeRun& base = c.runs.front();
  for (std::size_t i = 1; i < c.runs.size(); ++i) {
    const RegimeRun& other = c.runs[i];
    RegimeDifferences d;
    d.regime = other.regime.name;
    d.total = paired_differences(base.reps, other.reps);
    d.facilities = slice_differences(base, other, Breakdown::kFacility);
    d.offenses = slice_differences(base, other, Breakdown::kOffense);
    c.differences.push_back(std::move(d));
  }
  return c;
}

}  // namespace detsim
