// `warmup_days: auto` (MODEL.md section 2 step 6 and its fine points).
#include <algorithm>
#include <cmath>

#include "experiment/warmup.hpp"
#include "engine/distributions.hpp"

namespace detsim {
namespace {

// E[(X + Y - w)+] by integrating over Y's quantiles (midpoint rule).
double expected_excess_of_sum(const Distribution& x, const Distribution& y, double w) {
  if (y.kind == Distribution::Kind::kFixed) return expected_excess(x, w - y.a);
  constexpr int kPoints = 2000;
  double sum = 0;
  for (int i = 0; i < kPoints; ++i) sum += expected_excess(x, w - quantile(y, (i + 0.5) / kPoints));
  return sum / kPoints;
}

// E[(S - w)+] and E[S] of a facility's stay mixture: each person's time from
// booking to scheduled final release, transfer stays included, without the
// stay multiplier and without holds.
struct Mixture {
  const Facility& facility;

  double excess(double w) const {
    double e = 0;
    for (const Offense& o : facility.offenses) {
      const double pre = o.pretrial_release;
      double sentenced = o.transfer_to >= 0
                             ? expected_excess_of_sum(o.sentenced_stay, o.transfer_stay, w)
                             : expected_excess(o.sentenced_stay, w);
      e += o.share * (pre * expected_excess(o.pretrial_stay, w) + (1 - pre) * sentenced);
    }
    return e;
  }
  double mean() const { return excess(0); }
};

// Smallest whole number of days W with E[(S - 24 W)+] <= 0.001 E[S].
int warmup_days_for(const Facility& f) {
  const Mixture m{f};
  const double target = 0.001 * m.mean();
  if (target <= 0) return 0;
  int hi = 1;
  while (m.excess(24.0 * hi) > target && hi < (1 << 20)) hi *= 2;
  int lo = 0;  // invariant: excess(lo) > target (or lo = 0), excess(hi) <= target
  while (hi - lo > 1) {
    const int mid = lo + (hi - lo) / 2;
    if (m.excess(24.0 * mid) <= target)
      hi = mid;
    else
      lo = mid;
  }
  return m.excess(0) <= target ? 0 : hi;
}

}  // namespace

double warmup_hours(const Scenario& sc) {
  if (!sc.warmup_auto) return 24.0 * sc.warmup_days;
  int days = 0;
  for (const Facility& f : sc.facilities) days = std::max(days, warmup_days_for(f));
  return 24.0 * days + sc.hold.limit_hours + (sc.hold.exclude_weekends_holidays ? 96.0 : 0.0);
}

}  // namespace detsim
