#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "engine/distributions.hpp"
#include "engine/rng.hpp"
#include "support.hpp"

using namespace detsim;
using namespace detsim::testing;

TEST_CASE("the normal quantile matches Boost.Math to 1e-12 across (0, 1)") {
  const boost::math::normal n01;
  for (double p : {1e-300, 1e-20, 1e-8, 1e-4, 0.01, 0.0751, 0.2, 0.4, 0.5, 0.6, 0.9, 0.975, 0.999,
                   1 - 1e-10}) {
    const double want = boost::math::quantile(n01, p);
    CHECK_THAT(normal_quantile(p),
               Catch::Matchers::WithinAbs(want, 1e-12 * std::max(1.0, std::fabs(want))));
  }
}

TEST_CASE("streams are reproducible and keyed by purpose, not by order") {
  Stream a(1, 2, 3, Purpose::kStay, 99), b(1, 2, 3, Purpose::kStay, 99);
  for (int i = 0; i < 10; ++i) REQUIRE(a.uniform() == b.uniform());
  Stream c(1, 2, 3, Purpose::kAtLarge, 99);
  Stream d(1, 3, 3, Purpose::kStay, 99);
  Stream e(1, 2, 3, Purpose::kStay, 98);
  const double first = Stream(1, 2, 3, Purpose::kStay, 99).uniform();
  CHECK(c.uniform() != first);
  CHECK(d.uniform() != first);
  CHECK(e.uniform() != first);
  CHECK(Stream::to_unit(Stream(1, 2, 3, Purpose::kStay, 99).first_words()[0]) == first);
}

TEST_CASE("uniforms are strictly inside (0, 1)") {
  CHECK(Stream::to_unit(0) > 0);
  CHECK(Stream::to_unit(~std::uint64_t{0}) < 1);
  CHECK(Stream::high_unit(0) > 0);
  CHECK(Stream::high_unit(~std::uint64_t{0}) < 1);
  CHECK(Stream::low_unit(0) > 0);
  CHECK(Stream::low_unit(~std::uint64_t{0}) < 1);
}

TEST_CASE("half-word bounds give the same Bernoulli draws as comparing uniforms") {
  Stream s(3, 0, 0, Purpose::kAttributes, 0);
  std::vector<double> ps = {0.0,
                            1.0,
                            0.5,
                            0.07,
                            0.0002,
                            1e-300,
                            0x1.0p-33,
                            0x1.8p-32,
                            0x1.0p-32,
                            1 - 0x1.0p-33,
                            std::nextafter(1.0, 0.0),
                            0.95};
  for (int i = 0; i < 200; ++i) ps.push_back(s.uniform());
  for (double p : ps) {
    INFO("p = " << p);
    const std::uint64_t bound = Stream::below(p);
    // Either side of the bound, where a wrong rounding would show.
    for (std::uint64_t h : {bound, bound - 1, bound + 1, std::uint64_t{0}, std::uint64_t{1} << 31,
                            (std::uint64_t{1} << 32) - 1}) {
      if (h >= (std::uint64_t{1} << 32)) continue;
      const std::uint64_t x = (h << 32) | h;
      CHECK((Stream::high_unit(x) < p) == (Stream::high_half(x) < bound));
      CHECK((Stream::low_unit(x) < p) == (Stream::low_half(x) < bound));
    }
  }
}

// Sample means of each distribution agree with the analytic mean. Each mean
// is one statistical check of the family (support.hpp); the standard error
// is the distribution's sd over sqrt(n).
TEST_CASE("sample means of every distribution agree with their analytic means") {
  const int n = 200000;
  const double z = family_z();
  struct Case {
    Distribution d;
    double mean, sd;
  };
  const Distribution gamma_small = gamma_hours(10, 1.5);  // shape < 1
  const Distribution gamma_big = gamma_hours(10, 0.5);    // shape 4
  const Distribution empirical = empirical_hours({1, 5, 20}, {0.5, 0.25, 0.25});
  const double emp_mean = 0.5 * 1 + 0.25 * 5 + 0.25 * 20;
  const double emp_var = 0.5 * 1 + 0.25 * 25 + 0.25 * 400 - emp_mean * emp_mean;
  const double ln_mean = 12 * std::exp(0.5 * 0.64);
  const double ln_sd = ln_mean * std::sqrt(std::exp(0.64) - 1);
  const Case cases[] = {{exponential_hours(7), 7, 7},
                        {lognormal_hours(12, 0.8), ln_mean, ln_sd},
                        {gamma_small, 10, 15},
                        {gamma_big, 10, 5},
                        {empirical, emp_mean, std::sqrt(emp_var)}};
  int k = 0;
  for (const Case& c : cases) {
    Stream s(11, 0, 0, Purpose::kStay, static_cast<std::uint64_t>(k++));
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += draw(c.d, s);
    const double se = c.sd / std::sqrt(double(n));
    INFO("case " << k);
    CHECK_THAT(sum / n, Catch::Matchers::WithinAbs(c.mean, z * se));
    CHECK_THAT(c.d.mean(), Catch::Matchers::WithinRel(c.mean, 1e-12));
  }
}

TEST_CASE("cdf and expected excess agree with each other for every distribution") {
  // E[(X - w)+] = integral over (w, inf) of (1 - F(x)) dx, by the trapezoid rule.
  Distribution gamma;
  gamma.kind = Distribution::Kind::kGamma;
  gamma.a = 10;
  gamma.b = 0.7;
  for (const Distribution& d : {exponential_hours(5), lognormal_hours(8, 0.6), gamma}) {
    const double w = 6, step = 0.001;
    double integral = 0;
    for (double x = w; x < 400; x += step)
      integral += step * (1 - 0.5 * (cdf(d, x) + cdf(d, x + step)));
    CHECK_THAT(expected_excess(d, w), Catch::Matchers::WithinAbs(integral, 1e-4));
    CHECK_THAT(cdf(d, quantile(d, 0.3)), Catch::Matchers::WithinAbs(0.3, 1e-9));
  }
}

// draws_below is a promise: every first uniform in its range draws below x.
// Checked at the range's ends (where a draw is closest to x), at random
// points, and for how much of the true range it covers (it may be
// conservative, but not uselessly so).
TEST_CASE("draws_below's range only holds uniforms that draw below x") {
  Distribution fixed, gamma, empirical;
  fixed.kind = Distribution::Kind::kFixed;
  fixed.a = 120;
  gamma.kind = Distribution::Kind::kGamma;
  gamma.a = 10;
  gamma.b = 0.7;
  empirical.kind = Distribution::Kind::kEmpirical;
  empirical.values = {1, 5, 20};
  empirical.cumulative = {0.5, 0.75, 1.0};
  const Distribution cases[] = {exponential_hours(12), lognormal_hours(40, 1.2),
                                lognormal_hours(1440, 0.9), fixed, empirical};
  Stream unused(0, 0, 0, Purpose::kStay, 0);
  Stream s(5, 0, 0, Purpose::kStay, 0);
  int k = 0;
  for (const Distribution& d : cases) {
    ++k;
    for (double x : {0.5, 3.0, 5.0, 24.0, 119.0, 121.0, 1000.0, 24.0 * 365, 24.0 * 3650}) {
      INFO("case " << k << ", x = " << x);
      const UniformRange r = draws_below(d, x);
      if (!(r.lo < r.hi)) continue;
      const double ends[] = {std::nextafter(r.lo, 1.0), std::nextafter(r.hi, 0.0)};
      for (double u : ends)
        if (u > 0 && u < 1) CHECK(draw(d, u, unused) < x);
      for (int i = 0; i < 2000; ++i) {
        const double u = r.lo + (r.hi - r.lo) * s.uniform();
        if (r.contains(u)) REQUIRE(draw(d, u, unused) < x);
      }
      // Coverage: the range misses at most 1e-6 of P(X < x) (empirical:
      // exactly the values below x).
      if (d.kind != Distribution::Kind::kEmpirical) CHECK(r.hi - r.lo >= cdf(d, x) - 1e-6);
    }
  }
  CHECK(!(draws_below(gamma, 1e6).lo < draws_below(gamma, 1e6).hi));  // rejection: never
  CHECK(!(draws_below(fixed, 120).lo < draws_below(fixed, 120).hi));  // strictly below
  CHECK(!(draws_below(exponential_hours(12), 0).lo < 1));             // x <= 0: nothing
}
