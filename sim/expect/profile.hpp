// The booking intensity of one facility as `detsim expect` integrates it:
// the day-of-week and month multipliers of the booking rate, piecewise
// constant per day (docs/model.md, Booking), over the booking period
// [-W, T) (warm-up W and horizon T, hours from the start), and its first two
// integrals.
//
// With r(b) the multiplier at booking time b (0 outside [-W, T)):
//   A1(z) = integral of r over (-inf, z]   (bookings up to z, per base rate)
//   A2(z) = integral of A1 over (-inf, z]
// Every measure of booking times in the kernel (expect/kernel.hpp) is a
// difference of A1 or A2 values: bookings whose event falls in the window,
// custody-hours in the window, hold hours counted up to T. With all
// multipliers 1 they are the plain lengths of the constant-rate formulas.
#pragma once

#include <cstddef>
#include <vector>

#include "detsim/scenario.hpp"
#include "expect/math.hpp"

namespace detsim::expect_detail {

class BookingProfile {
 public:
  // The multipliers of `f` on the days from the start minus `warmup` hours
  // to `horizon` hours, the scenario starting at 00:00 of `start`. Adjacent
  // days with equal multipliers are one segment.
  BookingProfile(const Facility& f, Day start, double warmup, double horizon);

  double a1(double z) const;
  double a2(double z) const;
  // A_k(alpha - h) (k = 1 or 2) as a quadratic in h, valid on the segment
  // that holds alpha - h_probe.
  Quadratic in_h(int k, double alpha, double h_probe) const;
  // Segment bounds: -W, the days where the multiplier changes, T.
  const std::vector<double>& breaks() const { return x_; }
  // Appends every h in (lo, hi) where alpha - h is a segment bound.
  void breaks_in_h(double alpha, double lo, double hi, std::vector<double>& out) const;
  // E[A1(alpha - M) ; M < c] for a law M of durations (a lift's delay),
  // exactly: A1(alpha - h) is linear in h between segment bounds.
  double a1_expect(const Law& m, double alpha, double c) const;
  // E[A1(c - A)] for A exponential with `rate` per hour, from the table
  // set by use_exponential(rate).
  void use_exponential(double rate);
  double a1_smoothed(double c) const;
  // Segments with a multiplier of their own (1 when constant).
  std::size_t segments() const { return r_.size(); }

 private:
  struct Base {
    double x, a1, a2, r;
  };
  Base base(double z) const;  // the segment that holds z, extended below and above

  std::vector<double> x_;        // segment starts, then T (size n + 1)
  std::vector<double> r_;        // multiplier of each segment (size n)
  std::vector<double> a1_, a2_;  // A1 and A2 at each x_ (size n + 1)
  double exp_rate_ = 0;
  std::vector<double> j_;  // E[A1(x_i - A)] (size n + 1)
};

}  // namespace detsim::expect_detail
