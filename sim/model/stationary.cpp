// `warmup_days: stationary`: the envelope of the stock (built once per
// booking mix, cached) and its draw at the start of a replication's short
// warm-up (Simulation::draw_stock). See stationary.hpp.
#include "model/stationary.hpp"

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>

#include "engine/calendar.hpp"
#include "engine/distributions.hpp"
#include "engine/rng.hpp"
#include "model/simulation.hpp"
#include "model/stay_key.hpp"

namespace detsim {

double survival(const Distribution& d, double x) {
  using K = Distribution::Kind;
  if (x < 0) return 1;
  switch (d.kind) {
    case K::kFixed:
      return d.a > x ? 1.0 : 0.0;
    case K::kExponential:
      return std::exp(-x / d.a);
    case K::kLognormal:
      if (d.b <= 0) return d.a > x ? 1.0 : 0.0;
      if (x <= 0) return 1;
      return 0.5 * std::erfc(std::log(x / d.a) / (d.b * M_SQRT2));
    case K::kGamma: {
      if (d.b <= 0) return d.a > x ? 1.0 : 0.0;
      const double k = 1.0 / (d.b * d.b);
      return boost::math::gamma_q(k, x * k / d.a);
    }
    case K::kEmpirical: {
      double p = 0, prev = 0;
      for (std::size_t i = 0; i < d.values.size(); ++i) {
        if (d.values[i] > x) p += d.cumulative[i] - prev;
        prev = d.cumulative[i];
      }
      return p;
    }
  }
  return 0;
}

double upper_quantile(const Distribution& d, double q, double x) {
  using K = Distribution::Kind;
  q = std::max(q, std::numeric_limits<double>::min());
  switch (d.kind) {
    case K::kFixed:
      return d.a;
    case K::kExponential:
      return -d.a * std::log(q);
    case K::kLognormal:
      return d.a * std::exp(-d.b * normal_quantile(std::min(q, 1.0 - 0x1.0p-53)));
    case K::kGamma: {
      if (d.b <= 0) return d.a;
      const double k = 1.0 / (d.b * d.b);
      return boost::math::gamma_q_inv(k, std::min(q, 1.0)) * d.a / k;
    }
    case K::kEmpirical: {  // among the values above x, weight by weight
      double seen = 0, prev = 0, last = d.values.back();
      for (std::size_t i = 0; i < d.values.size(); ++i) {
        const double w = d.cumulative[i] - prev;
        prev = d.cumulative[i];
        if (d.values[i] <= x || w <= 0) continue;
        last = d.values[i];
        seen += w;
        if (seen >= q) return last;
      }
      return last;
    }
  }
  return 0;
}

double envelope_multiplier(const Scenario& sc) {
  double m = std::max(1.0, sc.ice.detainer_stay_multiplier);
  if (sc.ice.stay_multiplier_by_action)
    for (const double x : sc.ice.stay_multipliers) m = std::max(m, x);
  return m;
}

double largest_hourly_rate(const Facility& f) {
  return f.bookings_per_day * *std::max_element(f.day_of_week.begin(), f.day_of_week.end()) *
         *std::max_element(f.month.begin(), f.month.end()) / 24.0;
}

namespace {

// The transfer stay's strata: 32 of equal probability down to an upper
// tail of 1/32, then quartering down to 2^-41, then the rest; a discrete
// stay gets one stratum per value.
std::vector<StockStratum> strata_of(const Offense& o) {
  using K = Distribution::Kind;
  const Distribution& y = o.transfer_stay;
  std::vector<StockStratum> out;
  if (y.kind == K::kFixed || (y.kind == K::kLognormal && y.b <= 0) ||
      (y.kind == K::kGamma && y.b <= 0)) {
    out.push_back({0, 1, y.a, true});
    return out;
  }
  if (y.kind == K::kEmpirical) {
    double prev = 0;
    for (std::size_t i = 0; i < y.values.size(); ++i) {
      const double w = y.cumulative[i] - prev;
      prev = y.cumulative[i];
      if (w > 0) out.push_back({0, w, y.values[i], true});  // q_high holds the weight
    }
    return out;
  }
  std::vector<double> q;
  for (int i = 32; i >= 1; --i) q.push_back(i / 32.0);
  for (int e = 7; e <= 41; e += 2) q.push_back(std::ldexp(1.0, -e));
  q.push_back(0);
  for (std::size_t i = 0; i + 1 < q.size(); ++i) {
    const double hi =
        q[i + 1] > 0 ? upper_quantile(y, q[i + 1]) : std::numeric_limits<double>::infinity();
    out.push_back({q[i + 1], q[i], hi, false});
  }
  return out;
}

double stratum_probability(const StockStratum& s) {
  return s.q_high - s.q_low;
}

struct Class {
  std::uint16_t offense;
  bool pretrial;
  double share;  // of bookings
  const Distribution* stay;
  double m;  // multiplier on the stay in the envelope
  bool transfer;
};

// E[(T_env - a)+] of a class, bounded above: M E[(S - a/M)+], or for a
// transfer E[(S - a/2)+] + E[(Y - a/2)+].
double excess_bound(const Class& c, const Offense& o, double a) {
  if (!c.transfer) return c.m * expected_excess(*c.stay, a / c.m);
  return expected_excess(*c.stay, a / 2) + expected_excess(o.transfer_stay, a / 2);
}

std::shared_ptr<StockTable> build(const Facility& f, double multiplier) {
  auto t = std::make_shared<StockTable>();
  t->multiplier = multiplier;
  std::vector<Class> classes;
  for (std::size_t i = 0; i < f.offenses.size(); ++i) {
    const Offense& o = f.offenses[i];
    t->strata.push_back(o.transfer_to >= 0 ? strata_of(o)
                                           : std::vector<StockStratum>{{0, 1, 0, true}});
    const auto off = static_cast<std::uint16_t>(i);
    if (o.share * o.pretrial_release > 0)
      classes.push_back(
          {off, true, o.share * o.pretrial_release, &o.pretrial_stay, multiplier, false});
    if (o.share * (1 - o.pretrial_release) > 0)
      classes.push_back({off, false, o.share * (1 - o.pretrial_release), &o.sentenced_stay, 1.0,
                         o.transfer_to >= 0});
  }
  // Age bins: an hour wide up to a day, then 5% wider each, until the tail
  // left out is below kStockTail (checked every 8 edges).
  constexpr double kMaxAge = 24.0 * 36'500 * 20;
  t->edges.push_back(0);
  for (;;) {
    const double a = t->edges.back();
    if (t->edges.size() % 8 == 1) {
      double tail = 0;
      for (const Class& c : classes) tail += c.share * excess_bound(c, f.offenses[c.offense], a);
      if (tail <= kStockTail || a >= kMaxAge) break;
    }
    t->edges.push_back(a < 24 ? a + 1 : a * 1.05);
  }
  std::size_t cells = 0;
  for (const Class& c : classes)
    cells += (t->edges.size() - 1) * (c.transfer ? t->strata[c.offense].size() : 1);
  t->cells.reserve(cells);
  double cum = 0;
  for (const Class& c : classes) {
    const std::vector<StockStratum>& strata = t->strata[c.offense];
    for (std::size_t k = 0; k + 1 < t->edges.size(); ++k) {
      const double width = t->edges[k + 1] - t->edges[k];
      const std::size_t n = c.transfer ? strata.size() : 1;
      for (std::size_t j = 0; j < n; ++j) {
        const double y = c.transfer ? strata[j].y_high : 0.0;
        const double p = c.transfer ? stratum_probability(strata[j]) : 1.0;
        const double threshold = (t->edges[k] - y) / c.m;
        const double q = threshold < 0 ? 1.0 : survival(*c.stay, threshold);
        const double mass = width * c.share * p * q;
        if (!(mass > 0)) continue;
        cum += mass;
        t->cells.push_back({cum, threshold, q, static_cast<std::uint16_t>(k), c.offense,
                            static_cast<std::uint16_t>(j), c.pretrial});
      }
    }
  }
  return t;
}

}  // namespace

std::shared_ptr<const StockTable> stock_table(const Scenario& sc, const Facility& f) {
  static std::mutex mutex;
  static std::map<std::vector<double>, std::shared_ptr<const StockTable>, BitwiseLess> cache;
  constexpr std::size_t kMaxEntries = 256;
  const double m = envelope_multiplier(sc);
  std::vector<double> key{m};  // what build() reads: the multiplier and the stays
  append_stay_key(f, key);
  {
    const std::lock_guard<std::mutex> lock(mutex);
    if (const auto it = cache.find(key); it != cache.end()) return it->second;
  }
  std::shared_ptr<const StockTable> table = build(f, m);
  const std::lock_guard<std::mutex> lock(mutex);
  if (cache.size() >= kMaxEntries) cache.clear();
  cache.emplace(std::move(key), table);
  return table;
}

// ---------------------------------------------------------------------------
// The draw, at the start of the short warm-up (start_).

void Simulation::draw_stock() {
  double expected = 0;
  for (const Facility& fac : sc_.facilities)
    if (largest_hourly_rate(fac) > 0)
      expected += largest_hourly_rate(fac) * stock_table(sc_, fac)->total();
  custody_.reserve(static_cast<std::size_t>(1.1 * expected) + 64);
  for (std::size_t f = 0; f < sc_.facilities.size(); ++f) {
    const Facility& fac = sc_.facilities[f];
    const double top = largest_hourly_rate(fac);
    if (!(top > 0)) continue;
    const std::shared_ptr<const StockTable> table = stock_table(sc_, fac);
    const std::vector<StockCell>& cells = table->cells;
    double x = 0;  // the envelope's points, in hours of mass per booking an hour
    std::size_t c = 0;
    for (std::uint64_t i = 0;; ++i) {
      Stream s(sc_.seed, rep_, static_cast<std::uint32_t>(f), Purpose::kStock, i);
      x += -std::log(s.uniform()) / top;
      while (c < cells.size() && cells[c].cum <= x) ++c;
      if (c == cells.size()) break;
      ++stock_candidates_;
      stock_candidate(static_cast<int>(f), *table, cells[c], i, s, top);
    }
  }
}

void Simulation::stock_candidate(int f, const StockTable& table, const StockCell& cell,
                                 std::uint64_t i, Stream& s, double top) {
  const Facility& fac = sc_.facilities[f];
  const Offense& o = fac.offenses[cell.offense];
  const double lo = table.edges[cell.bin], hi = table.edges[cell.bin + 1];
  const double t = start_ - (lo + s.uniform() * (hi - lo));  // booked at t
  // Kept with probability (the booking rate on t's day) / top.
  const double u_rate = s.uniform();
  if (top > fac.bookings_per_day / 24.0) {
    const Day date = sc_.start + static_cast<Day>(std::floor(t / 24.0));
    const double rate = fac.bookings_per_day * fac.day_of_week[weekday(date)] *
                        fac.month[civil_from_days(date).month - 1] / 24.0;
    if (u_rate * top >= rate) return;
  }

  PersonDraws d;
  d.offense = cell.offense;
  d.pretrial = cell.pretrial;
  const Distribution& stay = d.pretrial ? o.pretrial_stay : o.sentenced_stay;
  d.stay = upper_quantile(stay, cell.survival * s.uniform(), cell.threshold);
  const bool moves = !d.pretrial && o.transfer_to >= 0;
  if (moves) {
    const StockStratum& st = table.strata[cell.offense][cell.stratum];
    const double u = s.uniform();
    d.transfer_stay = st.fixed
                          ? st.y_high
                          : upper_quantile(o.transfer_stay, st.q_low + u * (st.q_high - st.q_low));
  }
  const Population& pop = fac.population;
  d.citizen = s.uniform() >= pop.noncitizen_share;
  d.prior_serious = s.uniform() < o.prior_serious;
  const double u_match = s.uniform(), u_lodge = s.uniform();
  d.lodged = d.citizen ? u_match < pop.erroneous_detainer_rate
                       : (u_match < sc_.ice.match_probability && u_lodge < o.lodge_probability);
  const double base = d.stay + d.transfer_stay;
  if (d.lodged) {
    const double u_warrant = s.uniform();
    d.judicial_warrant = u_warrant < sc_.ice.judicial_warrant_share;
    d.federal_criminal_warrant =
        !d.judicial_warrant &&
        u_warrant < sc_.ice.judicial_warrant_share + sc_.ice.federal_criminal_warrant_share;
    d.lodge_delay = draw(sc_.ice.lodge_delay, s);
    detainer_end_draws(f, kStockIndex | i, 0, d);  // lift and proof of status, own streams
  }
  // Released before start_ with no active detainer: nothing to draw (a
  // detainer arriving after such a release is late; the short warm-up
  // covers the lodge delay's 0.999 quantile instead).
  if ((!d.lodged || d.lodge_delay >= base) && t + base < start_) return;

  Person p;
  draw_person(p, f, kStockIndex | i, t, d);
  if (p.release_at < start_) return;  // the policy's stay multiplier: released before
  if (moves && p.move_at < start_) p.facility = static_cast<std::uint16_t>(o.transfer_to);
  // A lift before the short warm-up has already ended the detainer (before
  // the window: not counted); a later one is queued as at booking.
  const double lift = lift_at(p, d);
  if (lift < start_) p.active_detainer = false;
  const PersonId id = custody_.admit(p);
  if (lift >= start_ && lift < p.release_at) push(lift, EventKind::kLift, id);
  ++stock_admitted_;
  occupancy_.change(p.facility, +1, start_);
  if (p.move_at >= start_ && p.move_at < kNever)
    push(p.move_at, EventKind::kMove, id);
  else
    schedule_release(id, start_);
}

}  // namespace detsim
