// `warmup_days: stationary` (docs/model.md, "Time and the window"): the
// people in custody at the start of the short warm-up, drawn from the
// booking process's steady state instead of years of simulated bookings.
//
// For people who do not interact, the bookings before a time s that are
// still in custody at s form a Poisson process in the past with intensity
// lambda(s - u) P(T > u) at age u, T a person's whole time in custody up to
// the scheduled final release (transfer stays included, holds excluded).
// It is drawn by thinning a process that does not depend on the policy:
//  - the envelope: age bins [a_k, a_k+1), booking classes c (offense and
//    path) and, for a transfer, strata j of the transfer stay Y (a range of
//    its upper-tail probability, with Y <= y_j); its intensity per booking
//    an hour is p_c P(Y in j) P(M S > a_k - y_j), M the largest stay
//    multiplier (1 on the sentenced path), and the booking rate is taken at
//    its largest (the largest day-of-week and month multipliers);
//  - each candidate draws its age in the bin, its stay S conditioned on
//    M S > a_k - y_j, its transfer stay in the stratum and every other
//    attribute as at booking, from its own stream (Purpose::kStock);
//  - it is kept with probability rate(booking time) / largest rate, and if
//    its scheduled release, with the policy's stay multiplier, is at or
//    after s (the model's own code decides: Simulation::draw_person).
// Two policies therefore share every candidate and differ only where the
// policy changes a stay. Ages beyond the last bin are left out: it is
// chosen so that E[(M S + Y - a)+] summed over classes is below kStockTail
// hours, i.e. fewer than kStockTail * (bookings an hour) people expected.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "detsim/scenario.hpp"

namespace detsim {

// Hours of E[(T - a)+] per booking an hour left beyond the last age bin.
inline constexpr double kStockTail = 1e-7;

// A drawn stock person's booking index: this bit set, then the candidate's
// number (regular bookings count from 0 and never reach it).
inline constexpr std::uint64_t kStockIndex = std::uint64_t{1} << 39;

// A range of the transfer stay's upper-tail probability, (q_low, q_high],
// whose draws are at most y_high (infinite for the last); or one value.
struct StockStratum {
  double q_low = 0, q_high = 1;
  double y_high = 0;
  bool fixed = true;  // one value: y_high itself
};

// One cell of the envelope: a class, an age bin and a stratum.
struct StockCell {
  double cum = 0;        // envelope mass of the cells up to this one, hours (per booking an hour)
  double threshold = 0;  // the stay S is conditioned on S > threshold (hours)
  double survival = 1;   // P(S > threshold)
  std::uint16_t bin = 0;
  std::uint16_t offense = 0;
  std::uint16_t stratum = 0;
  bool pretrial = false;
};

struct StockTable {
  std::vector<double> edges;  // age bin edges, hours, from 0
  std::vector<StockCell> cells;
  std::vector<std::vector<StockStratum>> strata;  // per offense: its transfer stay's strata
  double multiplier = 1;                          // M (pretrial path)
  // Expected candidates per booking an hour at the largest rate.
  double total() const { return cells.empty() ? 0.0 : cells.back().cum; }
};

// The largest stay multiplier any policy can apply (at least 1).
double envelope_multiplier(const Scenario& scenario);

// The envelope of a facility of the scenario, built once per booking mix
// and multiplier and cached (thread-safe). Throws nothing but bad_alloc.
std::shared_ptr<const StockTable> stock_table(const Scenario& scenario, const Facility& facility);

// The largest booking rate of a facility, bookings an hour.
double largest_hourly_rate(const Facility& facility);

// P(S > x), and a draw of S given S > x from q = P(S > x) * uniform: the
// value whose upper-tail probability is q (hours).
double survival(const Distribution& d, double x);
double upper_quantile(const Distribution& d, double q, double x = 0);

}  // namespace detsim
