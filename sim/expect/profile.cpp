// The booking intensity by day and its integrals (see expect/profile.hpp).
#include "expect/profile.hpp"

#include <algorithm>
#include <cmath>

#include "engine/calendar.hpp"

namespace detsim::expect_detail {

BookingProfile::BookingProfile(const Facility& f, Day start, double warmup, double horizon) {
  const auto multiplier = [&](double day) {
    const Day date = start + static_cast<Day>(day);
    return f.day_of_week[static_cast<std::size_t>(weekday(date))] *
           f.month[static_cast<std::size_t>(civil_from_days(date).month - 1)];
  };
  // Days as the engine walks them: day k covers [24k, 24k + 24), the first
  // one cut at -W.
  double z = -warmup;
  for (double day = std::floor(z / 24.0); z < horizon; day += 1.0) {
    const double m = multiplier(day);
    if (r_.empty() || m != r_.back()) {
      x_.push_back(z);
      r_.push_back(m);
    }
    z = std::min((day + 1.0) * 24.0, horizon);
  }
  x_.push_back(horizon);
  a1_.assign(x_.size(), 0.0);
  a2_.assign(x_.size(), 0.0);
  for (std::size_t i = 0; i + 1 < x_.size(); ++i) {
    const double w = x_[i + 1] - x_[i];
    a1_[i + 1] = a1_[i] + r_[i] * w;
    a2_[i + 1] = a2_[i] + a1_[i] * w + 0.5 * r_[i] * w * w;
  }
}

BookingProfile::Base BookingProfile::base(double z) const {
  if (!(z >= x_.front())) return {x_.front(), 0, 0, 0};
  if (z >= x_.back()) return {x_.back(), a1_.back(), a2_.back(), 0};
  const auto i =
      static_cast<std::size_t>(std::upper_bound(x_.begin(), x_.end(), z) - x_.begin()) - 1;
  return {x_[i], a1_[i], a2_[i], r_[i]};
}

double BookingProfile::a1(double z) const {
  const Base b = base(z);
  return b.a1 + b.r * (z - b.x);
}

double BookingProfile::a2(double z) const {
  const Base b = base(z);
  const double d = z - b.x;
  return b.a2 + d * (b.a1 + 0.5 * b.r * d);
}

Quadratic BookingProfile::in_h(int k, double alpha, double h_probe) const {
  const Base b = base(alpha - h_probe);
  const double d = alpha - b.x;  // z - x = d - h
  if (k == 1) return {b.a1 + b.r * d, -b.r, 0};
  return {b.a2 + d * (b.a1 + 0.5 * b.r * d), -(b.a1 + b.r * d), 0.5 * b.r};
}

void BookingProfile::breaks_in_h(double alpha, double lo, double hi,
                                 std::vector<double>& out) const {
  // alpha - h in (alpha - hi, alpha - lo)
  auto first = std::upper_bound(x_.begin(), x_.end(), alpha - hi);
  for (auto it = first; it != x_.end() && *it < alpha - lo; ++it) out.push_back(alpha - *it);
}

double BookingProfile::a1_expect(const Law& m, double alpha, double c) const {
  if (!(c > 0)) return 0;  // durations are >= 0
  std::vector<double> b = {0.0};
  breaks_in_h(alpha, 0, c, b);
  b.push_back(c);
  std::sort(b.begin(), b.end());
  double sum = 0;
  for (std::size_t j = 0; j + 1 < b.size(); ++j) {
    if (!(b[j + 1] > b[j])) continue;
    const Quadratic q = in_h(1, alpha, 0.5 * (b[j] + b[j + 1]));
    // Pieces (lo, hi], the first from -inf (an atom at 0), the last open at c.
    sum += m.expect(q, j == 0 ? -kInf : b[j], b[j + 1], j + 2 < b.size());
  }
  return sum;
}

void BookingProfile::use_exponential(double rate) {
  exp_rate_ = rate;
  j_.assign(x_.size(), 0.0);
  for (std::size_t i = 0; i + 1 < x_.size(); ++i) {
    const double w = x_[i + 1] - x_[i], e = std::exp(-rate * w);
    // J(x + w) = e J(x) + A1(x + w)(1 - e) - r (1 - e (1 + rate w)) / rate
    j_[i + 1] = e * j_[i] + a1_[i + 1] * -std::expm1(-rate * w) -
                r_[i] * (-std::expm1(-rate * w) - rate * w * e) / rate;
  }
}

double BookingProfile::a1_smoothed(double c) const {
  if (!(c > x_.front())) return 0;
  const auto i =
      static_cast<std::size_t>(std::upper_bound(x_.begin(), x_.end(), c) - x_.begin()) - 1;
  const double r = i + 1 < x_.size() ? r_[i] : 0.0;
  const double w = c - x_[i], rate = exp_rate_, e = std::exp(-rate * w);
  return e * j_[i] + a1(c) * -std::expm1(-rate * w) -
         r * (-std::expm1(-rate * w) - rate * w * e) / rate;
}

}  // namespace detsim::expect_detail
