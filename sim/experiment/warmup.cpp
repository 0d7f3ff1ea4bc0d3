// `warmup_days: auto` (docs/model.md).
//
// The criterion and its quadrature are the same as ever (E[(X + Y - w)+]
// by the midpoint rule over 2000 quantiles of Y), evaluated at far fewer
// warm-up lengths and more cheaply: Y's quantiles are computed once; a
// 64-point rule brackets the answer; the lognormal's normal CDF comes from
// std::erfc instead of Boost's long-double one (the two agree to a few
// units in the last place), and wherever the criterion is within 1e-6
// (relative) of its threshold, the reference evaluation decides. The
// answer is cached per facility stay mixture, so sweep points that do not
// change stays pay nothing.
#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <vector>

#include "experiment/warmup.hpp"
#include "engine/calendar.hpp"
#include "engine/distributions.hpp"
#include "model/stay_key.hpp"

namespace detsim {
namespace {

// Quantiles of a distribution at the midpoints (i + 0.5) / n, i < n.
std::vector<double> midpoint_quantiles(const Distribution& y, int n) {
  std::vector<double> q(n);
  for (int i = 0; i < n; ++i) q[i] = quantile(y, (i + 0.5) / n);
  return q;
}

// The exact rule: 2000 midpoints of Y's quantiles.
constexpr int kExactPoints = 2000;
// The coarse rule that only brackets the answer.
constexpr int kCoarsePoints = 64;

// E[(X - w)+] as expected_excess() computes it, with the lognormal's normal
// CDF in double precision (std::erfc).
double fast_expected_excess(const Distribution& x, double w) {
  if (w <= 0 || x.kind != Distribution::Kind::kLognormal || x.b <= 0) return expected_excess(x, w);
  const double mu = std::log(x.a), s = x.b;
  const double d1 = (mu + s * s - std::log(w)) / s;
  const auto phi = [](double z) { return 0.5 * std::erfc(-z * M_SQRT1_2); };
  return std::exp(mu + s * s / 2) * phi(d1) - w * phi(d1 - s);
}

enum class Precision { kReference, kFast };

double excess_of(const Distribution& x, double w, Precision p) {
  return p == Precision::kReference ? expected_excess(x, w) : fast_expected_excess(x, w);
}

// E[(X + Y - w)+] by integrating over Y's quantiles `qy` (midpoint rule).
double expected_excess_of_sum(const Distribution& x, const std::vector<double>& qy, double w,
                              Precision p) {
  double sum = 0;
  for (const double q : qy) sum += excess_of(x, w - q, p);
  return sum / static_cast<double>(qy.size());
}

// E[(S - w)+] of a facility's stay mixture: each person's time from booking
// to scheduled final release, transfer stays included, without the stay
// multiplier and without holds. Y's quantiles are computed once.
class Mixture {
 public:
  Mixture(const Facility& f, int points) : f_(f) {
    for (const Offense& o : f.offenses)
      quantiles_.push_back(o.transfer_to >= 0 && o.transfer_stay.kind != Distribution::Kind::kFixed
                               ? midpoint_quantiles(o.transfer_stay, points)
                               : std::vector<double>{});
  }

  double excess(double w, Precision p) const {
    double e = 0;
    for (std::size_t i = 0; i < f_.offenses.size(); ++i) {
      const Offense& o = f_.offenses[i];
      const double pre = o.pretrial_release;
      double sentenced;
      if (o.transfer_to < 0)
        sentenced = excess_of(o.sentenced_stay, w, p);
      else if (o.transfer_stay.kind == Distribution::Kind::kFixed)
        sentenced = excess_of(o.sentenced_stay, w - o.transfer_stay.a, p);
      else
        sentenced = expected_excess_of_sum(o.sentenced_stay, quantiles_[i], w, p);
      e += o.share * (pre * excess_of(o.pretrial_stay, w, p) + (1 - pre) * sentenced);
    }
    return e;
  }

 private:
  const Facility& f_;
  std::vector<std::vector<double>> quantiles_;
};

bool needs_quadrature(const Facility& f) {
  return std::any_of(f.offenses.begin(), f.offenses.end(), [](const Offense& o) {
    return o.transfer_to >= 0 && o.transfer_stay.kind != Distribution::Kind::kFixed;
  });
}

constexpr int kMaxWarmupDays = 1 << 20;

// Smallest whole number of days W with excess(24 W) <= target,
// found by doubling then bisection from [0, ...); `excess` is non-increasing.
template <class F>
int smallest_days(const F& excess, double target) {
  int hi = 1;
  while (excess(24.0 * hi) > target && hi < kMaxWarmupDays) hi *= 2;
  int lo = 0;  // invariant: excess(lo) > target (or lo = 0), excess(hi) <= target
  while (hi - lo > 1) {
    const int mid = lo + (hi - lo) / 2;
    if (excess(24.0 * mid) <= target)
      hi = mid;
    else
      lo = mid;
  }
  return hi;
}

// Smallest W in (0, kMaxWarmupDays] with excess(24 W) <= target (kMaxWarmupDays if
// none), searched outward from a guess: galloping, then bisection.
template <class F>
int smallest_days_near(const F& excess, double target, int guess) {
  guess = std::clamp(guess, 1, kMaxWarmupDays);
  int lo,
      hi;  // excess(24 lo) > target (or lo = 0), excess(24 hi) <= target (or hi = kMaxWarmupDays)
  if (excess(24.0 * guess) <= target) {
    hi = guess;
    int step = 1;
    lo = std::max(0, hi - step);
    while (lo > 0 && excess(24.0 * lo) <= target) {
      hi = lo;
      step *= 2;
      lo = std::max(0, hi - step);
    }
  } else {
    lo = guess;
    int step = 1;
    hi = std::min(kMaxWarmupDays, lo + step);
    while (hi < kMaxWarmupDays && excess(24.0 * hi) > target) {
      lo = hi;
      step *= 2;
      hi = std::min(kMaxWarmupDays, lo + step);
    }
  }
  while (hi - lo > 1) {
    const int mid = lo + (hi - lo) / 2;
    if (excess(24.0 * mid) <= target)
      hi = mid;
    else
      lo = mid;
  }
  return hi;
}

// Smallest whole number of days W with E[(S - 24 W)+] <= 0.001 E[S].
int compute_warmup_days(const Facility& f) {
  constexpr auto kRef = Precision::kReference;
  const Mixture exact(f, kExactPoints);
  const double mean = exact.excess(0, kRef);
  const double target = 0.001 * mean;
  if (target <= 0) return 0;
  if (mean <= target) return 0;
  const auto reference = [&](double w) { return exact.excess(w, kRef); };
  if (!needs_quadrature(f)) return smallest_days(reference, target);
  // The fast evaluation, or the reference one where the comparison with the
  // target is close enough that the two could disagree; memoized by day.
  constexpr double kClose = 1e-6;
  std::map<double, double> seen;
  const auto exact_excess = [&](double w) {
    if (const auto it = seen.find(w); it != seen.end()) return it->second;
    double e = exact.excess(w, Precision::kFast);
    if (std::fabs(e - target) <= kClose * target) e = reference(w);
    seen.emplace(w, e);
    return e;
  };
  // A first guess from a 64-point rule, refined by the secant method on
  // log E[(S - w)+] (smooth and nearly linear in w in the tail); the search
  // around the result then settles the answer with the 2000-point rule.
  const Mixture coarse(f, kCoarsePoints);
  double d0 = smallest_days([&](double w) { return coarse.excess(w, Precision::kFast); }, target);
  double d1 = d0 + std::max(1.0, 0.05 * d0);
  double l0 = std::log(exact_excess(24.0 * d0)), l1 = std::log(exact_excess(24.0 * d1));
  const double lt = std::log(target);
  for (int i = 0; i < 8 && std::isfinite(l0) && std::isfinite(l1) && l0 != l1; ++i) {
    const double d2 =
        std::clamp(d1 + (lt - l1) * (d1 - d0) / (l1 - l0), 1.0, double(kMaxWarmupDays));
    if (std::fabs(d2 - d1) < 0.5) {
      d1 = d2;
      break;
    }
    d0 = d1;
    l0 = l1;
    d1 = std::round(d2);
    l1 = std::log(exact_excess(24.0 * d1));
  }
  const int guess = std::isfinite(d1) ? static_cast<int>(std::ceil(d1)) : 1;
  return smallest_days_near(exact_excess, target, guess);
}

int cached_warmup_days(const Facility& f) {
  static std::mutex mutex;
  static std::map<std::vector<double>, int, BitwiseLess> cache;
  constexpr std::size_t kMaxEntries = 4096;
  std::vector<double> key;
  append_stay_key(f, key);
  {
    const std::lock_guard<std::mutex> lock(mutex);
    if (const auto it = cache.find(key); it != cache.end()) return it->second;
  }
  const int days = compute_warmup_days(f);
  const std::lock_guard<std::mutex> lock(mutex);
  if (cache.size() >= kMaxEntries) cache.clear();
  cache.emplace(std::move(key), days);
  return days;
}

}  // namespace

double at_large_warmup_hours(const Scenario& sc) {
  const double rate = sc.ice.at_large_arrests_per_year;
  if (!(rate > 0)) return 0;
  const double q999 = -std::log(0.001) * kHoursPerYear / rate;
  return 24.0 * std::ceil(q999 / 24.0);
}

namespace {

template <class DaysFor>
double auto_hours_with(const Scenario& sc, const DaysFor& days_for) {
  int days = 0;
  for (const Facility& f : sc.facilities) days = std::max(days, days_for(f));
  return 24.0 * days + sc.hold.limit_hours + (sc.hold.exclude_weekends_holidays ? 96.0 : 0.0) +
         release_effects_hours(sc);
}

template <class DaysFor>
double warmup_hours_with(const Scenario& sc, const DaysFor& days_for) {
  if (sc.warmup_auto) return auto_hours_with(sc, days_for);
  if (sc.warmup_stationary) return stationary_warmup_hours(sc);
  return 24.0 * sc.warmup_days;
}

constexpr double kQuantile = 0.999;

// The longest stretch of a week in which ICE's business hours are closed
// (0 without business hours), hours.
double longest_closed_hours(const BusinessHours& b) {
  if (!b.enabled) return 0;
  std::vector<double> open;  // [from, to) of each open day, hours since Monday 00:00
  for (int d = 0; d < 7; ++d)
    if (b.days & (1u << d)) open.push_back(24.0 * d + b.from), open.push_back(24.0 * d + b.to);
  if (open.empty()) return 0;  // never open: no pickup ever arrives, nothing to settle
  double longest = 0;
  for (std::size_t i = 1; i + 1 < open.size(); i += 2)
    longest = std::max(longest, open[i + 1] - open[i]);
  longest = std::max(longest, open.front() + 168.0 - open.back());  // across the week's end
  return longest;
}

}  // namespace

double release_effects_hours(const Scenario& sc) {
  double hours = at_large_warmup_hours(sc);
  if (sc.recording) {
    const Recording& r = *sc.recording;
    if (r.release_recorded > 0) hours = std::max(hours, quantile(r.lag, kQuantile));
    hours = std::max(hours, 24.0 * r.open_record_days - sc.horizon_hours());
  }
  const auto rebooks = [](const Population& p) {
    return std::any_of(p.rebooking_per_year.begin(), p.rebooking_per_year.end(),
                       [](double r) { return r > 0; });
  };
  bool any = rebooks(sc.population);
  for (const Facility& f : sc.facilities) any = any || rebooks(f.population);
  if (any) {
    double window = sc.population.rebooking_window_days;
    for (const Facility& f : sc.facilities)
      window = std::max(window, f.population.rebooking_window_days);
    hours = std::max(hours, 24.0 * window);
  }
  return 24.0 * std::ceil(hours / 24.0);
}

double stationary_warmup_hours(const Scenario& sc) {
  const bool lead_used = sc.ice.notice_lead_hours > 0;
  const double settle = (lead_used ? sc.ice.notice_lead_hours : 0.0) + sc.hold.limit_hours +
                        (sc.hold.exclude_weekends_holidays ? 96.0 : 0.0) +
                        quantile(sc.ice.pickup.delay, kQuantile) +
                        longest_closed_hours(sc.ice.pickup.business_hours);
  const double late = quantile(sc.ice.lodge_delay, kQuantile);
  const double hours = std::max({settle, late, release_effects_hours(sc)});
  return 24.0 * std::ceil(hours / 24.0);
}

double auto_warmup_hours(const Scenario& sc) {
  return auto_hours_with(sc, cached_warmup_days);
}

double warmup_hours(const Scenario& sc) {
  return warmup_hours_with(sc, cached_warmup_days);
}

double warmup_hours_uncached(const Scenario& sc) {
  return warmup_hours_with(sc, compute_warmup_days);
}

}  // namespace detsim
