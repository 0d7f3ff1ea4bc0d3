// The booking profile of `expect`: its integrals A1, A2 and the at-large
// smoothing against sums over the days, and its quadratics in h against
// direct evaluation.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/calendar.hpp"
#include "expect/profile.hpp"
#include "support.hpp"

using namespace detsim;
using namespace detsim::expect_detail;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("the booking profile integrates the day and month multipliers exactly") {
  Facility f;
  f.day_of_week = {0.5, 1, 1, 1, 1.25, 2, 1.5};
  f.month = {1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.5};
  const Day start = days_from_civil(2025, 1, 20);
  const double warmup = 40.5 * 24 + 7, horizon = 60 * 24;
  const BookingProfile p(f, start, warmup, horizon);
  // The multiplier at hour b, as the engine's booking process takes it.
  const auto r = [&](double b) {
    if (b < -warmup || b >= horizon) return 0.0;
    const Day d = start + static_cast<Day>(std::floor(b / 24));
    return f.day_of_week[static_cast<std::size_t>(weekday(d))] *
           f.month[static_cast<std::size_t>(civil_from_days(d).month - 1)];
  };
  // Midpoint sums on a grid of 1/64 hour are exact for a1 at grid points
  // (r is constant between them) and within 1e-9 for a2.
  const double step = 1.0 / 64;
  double a1 = 0, a2 = 0;
  for (double z = -warmup - 30; z < horizon + 50; z += step) {
    if (std::fmod(z + 2000.0, 7.25) < step) {  // spot checks at irregular points
      CHECK_THAT(p.a1(z), WithinAbs(a1, 1e-7));
      CHECK_THAT(p.a2(z), WithinRel(a2, 1e-9) || WithinAbs(a2, 1e-6));
      for (double h : {0.0, 3.5, 30.0}) {
        const double probe = h;
        CHECK_THAT(p.in_h(1, z + h, probe)(h), WithinAbs(p.a1(z), 1e-7));
        CHECK_THAT(p.in_h(2, z + h, probe)(h),
                   WithinRel(p.a2(z), 1e-12) || WithinAbs(p.a2(z), 1e-6));
      }
    }
    const double mid = r(z + 0.5 * step);
    a2 += step * (a1 + 0.5 * step * mid);
    a1 += step * mid;
  }
  CHECK(p.segments() > 10);
  CHECK_THAT(p.a1(horizon + 100), WithinAbs(a1, 1e-6));
}

TEST_CASE("the at-large smoothing of the profile is E[A1(c - A)] for A exponential") {
  Facility f;
  f.day_of_week = {1, 1, 1, 1, 1.5, 2, 1.5};
  const BookingProfile base(f, days_from_civil(2025, 3, 1), 10 * 24, 30 * 24);
  BookingProfile p = base;
  const double rate = 1.0 / 50;
  p.use_exponential(rate);
  for (double c : {-300.0, -100.0, 0.0, 17.0, 250.0, 719.0, 800.0}) {
    // E[A1(c - A)] by a fine midpoint rule over A up to 60 means.
    double sum = 0;
    const double da = 0.01;
    for (double a = 0.5 * da; a < 60 / rate; a += da)
      sum += p.a1(c - a) * rate * std::exp(-rate * a) * da;
    CHECK_THAT(p.a1_smoothed(c), WithinAbs(sum, 1e-4 * std::max(1.0, sum)));
  }
}
