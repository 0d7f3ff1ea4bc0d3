// One booking class's expectations (see expect/kernel.hpp).
//
// The release flow of a person with an active detainer, in hours after
// booking (docs/model.md, unlimited ICE capacity):
//   X = S (sentenced) or D + m (S - D) (pretrial, stay multiplier m),
//   notice N = max(D, X - lead) (lead 0 on the pretrial path), so
//   kappa = X - N = min(X - D, lead), ICE arrives at N + R, and the person
//   is held or waits h = (R - kappa)+ hours past release, h <= L (honor)
//   or h <= G (notify); past that the hold lapses or the notice is missed.
// The expectation over R of each outcome is a closed form (partial moments
// of R against the piecewise quadratic measures of expect/profile.hpp); over
// S and D it is quadrature (expect/math.hpp): S outermost, D inside when X
// or kappa depends on D (a notice lead on the sentenced path, a stay
// multiplier other than 1 on the pretrial path), else D is a closed form
// too (a table of partial moments at the profile's bounds). The integrands
// bend where a release offset meets a day whose multiplier differs: those
// offsets are the quadrature's breaks.
#include "expect/kernel.hpp"

#include <algorithm>
#include <cmath>

namespace detsim::expect_detail {
namespace {

constexpr double kOuterTolerance = 1e-9;
constexpr double kInnerTolerance = 1e-10;
constexpr int kOuterPanels = 4000;
constexpr int kInnerPanels = 400;
// Breaks closer than this in probability to the previous one start no panel
// of their own (the bisection finds them if they matter).
constexpr double kBreakGap = 1e-7;

Quadratic plus(const Quadratic& a, const Quadratic& b, double w) {
  return {a.c0 + w * b.c0, a.c1 + w * b.c1, a.c2 + w * b.c2};
}

// A function of h >= 0: poly(h) + sum of w A_k(alpha - h), held at its value
// at `flat` beyond it.
struct Psi {
  struct Term {
    double w;
    int k;
    double alpha;
  };
  Quadratic poly;
  std::array<Term, 2> term{};
  std::size_t n = 0;
  double flat = kInf;
};

// E[f(D) ; D < s] for f(v) = sum of w A1(alpha - v), piecewise linear: a
// table of the partial expectations up to each bend.
class DelayTable {
 public:
  DelayTable(const Law& d, const BookingProfile& p, std::vector<Psi::Term> terms)
      : d_(d), p_(p), terms_(std::move(terms)) {
    for (const Psi::Term& t : terms_)
      for (double x : p.breaks()) v_.push_back(t.alpha - x);
    std::sort(v_.begin(), v_.end());
    v_.erase(std::unique(v_.begin(), v_.end()), v_.end());
    // piece j is (v_[j - 1], v_[j]], v_[-1] = -inf, v_[n] = +inf
    for (std::size_t j = 0; j <= v_.size(); ++j) {
      const double lo = j == 0 ? -kInf : v_[j - 1], hi = j == v_.size() ? kInf : v_[j];
      const double probe = j == 0 ? hi - 1 : (j == v_.size() ? lo + 1 : 0.5 * (lo + hi));
      Quadratic q;
      for (const Psi::Term& t : terms_) q = plus(q, p.in_h(1, t.alpha, probe), t.w);
      q_.push_back(q);
    }
    cum_.assign(v_.size(), 0.0);
    double sum = 0;
    for (std::size_t j = 0; j < v_.size(); ++j) {
      sum += d.expect(q_[j], j == 0 ? -kInf : v_[j - 1], v_[j]);
      cum_[j] = sum;
    }
  }

  // E[f(D) ; D < s]; s may be +inf.
  double below(double s) const {
    const auto j = static_cast<std::size_t>(std::lower_bound(v_.begin(), v_.end(), s) - v_.begin());
    const double base = j == 0 ? 0.0 : cum_[j - 1], lo = j == 0 ? -kInf : v_[j - 1];
    return base + d_.expect(q_[j], lo, s, false);
  }

 private:
  const Law& d_;
  const BookingProfile& p_;
  std::vector<Psi::Term> terms_;
  std::vector<double> v_, cum_;
  std::vector<Quadratic> q_;
};

class KernelBuilder {
 public:
  KernelBuilder(const Window& w, const ClassLaws& laws, const BookingProfile& profile)
      : w_(w),
        laws_(laws),
        p_(profile),
        T_(w.horizon),
        W_(w.warmup),
        C_(w.horizon + w.warmup),
        lodged_(laws.delay, profile, {{1, 1, w.horizon}, {-1, 1, 0}}),
        remaining_(laws.delay, profile, {{1, 1, w.horizon}}) {
    const double mean_rate = std::max(p_.a1(T_) / std::max(C_, 1.0), 1e-12);
    scale_.fill(T_);
    for (Component c : {kAllCustody, kLateCustody, kInCustodyWithDetainer, kHonorCustody,
                        kNotifyCustody, kPlainCustody, kLiftedCustody})
      scale_[c] = C_;
    for (Component c : {kAllOccupancy, kLateOccupancy, kHonorOccupancy, kNotifyOccupancy,
                        kPlainOccupancy, kExtraStay, kLiftedOccupancy})
      scale_[c] = T_ * C_;
    scale_[kHonorHours] = T_ * std::max(w.limit, 1.0);
    for (double& s : scale_) s = std::max(s * mean_rate, 1.0);
    for (double x : p_.breaks())
      for (double o : {0.0, w.limit, w.grace})
        for (double b : {T_ - x - o, -x - o})
          if (b > 0) release_breaks_.push_back(b);
    std::sort(release_breaks_.begin(), release_breaks_.end());
    release_breaks_.erase(std::unique(release_breaks_.begin(), release_breaks_.end()),
                          release_breaks_.end());
    all_lodged_ = lodged_.below(kInf);
    // The shortcuts for continuous laws follow every active detainer to its
    // decision: with lifts or proof of status, D stays inside (add_active_ending).
    const bool continuous = !laws.stay.discrete() && !laws.delay.discrete() && !laws.end.any();
    strip_apart_ = laws.sentenced && w.lead > 0 && continuous;
    by_release_ = !laws.sentenced && w.multiplier != 1.0 && continuous;
    a1_end_ = p_.a1(T_);
    occ_total_ = p_.a2(T_) - p_.a2(0);
  }

  Kernel run() const {
    const auto outer = [&](double s) { return at_stay(s); };
    const std::vector<double> breaks = stay_breaks();
    Kernel k =
        integrate_law<kComponents>(laws_.stay, -kInf, kInf, outer, breaks, scale_, kOuterTolerance,
                                   kOuterPanels + 2 * static_cast<int>(breaks.size()), kBreakGap);
    if (strip_apart_) add(k, lead_strip());
    if (by_release_) add(k, stretched_by_release());
    return k;
  }

 private:
  double value(const Psi& psi, double h) const {
    h = std::min(h, psi.flat);
    double v = psi.poly(h);
    for (std::size_t i = 0; i < psi.n; ++i) {
      const Psi::Term& t = psi.term[i];
      v += t.w * (t.k == 1 ? p_.a1(t.alpha - h) : p_.a2(t.alpha - h));
    }
    return v;
  }

  // E[psi(h) ; R <= kappa + cap] with h = (R - kappa)+.
  double capped(MomentMemo& r, const Psi& psi, double kappa, double cap) const {
    double sum = value(psi, 0) * r.cdf(kappa);
    const double top = std::min(cap, psi.flat);
    std::vector<double>& b = scratch_;
    b.assign({0.0, top});
    for (std::size_t i = 0; i < psi.n; ++i) p_.breaks_in_h(psi.term[i].alpha, 0, top, b);
    std::sort(b.begin(), b.end());
    b.erase(std::unique(b.begin(), b.end()), b.end());
    for (std::size_t j = 0; j + 1 < b.size(); ++j) {
      if (!(b[j + 1] > b[j])) continue;
      const double mid = 0.5 * (b[j] + b[j + 1]);
      Quadratic q = psi.poly;
      for (std::size_t i = 0; i < psi.n; ++i)
        q = plus(q, p_.in_h(psi.term[i].k, psi.term[i].alpha, mid), psi.term[i].w);
      sum += r.expect(q.in_shifted(kappa), kappa + b[j], kappa + b[j + 1]);
    }
    if (cap > top) sum += value(psi, top) * (r.cdf(kappa + cap) - r.cdf(kappa + top));
    return sum;
  }

  // Custody-hours in the window of a person in custody for y hours from booking.
  double occupancy(double y) const { return occ_total_ - p_.a2(T_ - y) + p_.a2(-y); }
  double custody(double y) const { return a1_end_ - p_.a1(T_ - y); }

  // Expected at-large arrests in the window after a release v hours after
  // booking: E[g(v + A)], A the at-large delay (exponential).
  double arrests(double v) const {
    if (!laws_.arrest) return 0;
    return p_.a1_smoothed(T_ - v) - p_.a1_smoothed(-v);
  }

  // The outcomes of a decision X hours after booking with notice lead kappa,
  // added to `k` with weight `p`.
  void add_outcomes(double x, double kappa, double p, Kernel& k) const {
    const double L = w_.limit, G = w_.grace;
    MomentMemo r(laws_.response);
    const double a1x = p_.a1(-x);
    Psi seen;  // bookings whose outcome h after the decision is seen before T
    seen.poly = {-a1x, 0, 0};
    seen.term[0] = {1, 1, T_ - x};
    seen.n = 1;
    seen.flat = T_;
    Psi held;  // hold hours counted up to T
    held.poly = {p_.a2(T_ - x), -a1x, 0};
    held.term[0] = {-1, 2, T_ - x};
    held.n = 1;
    held.flat = T_;
    Psi custody;  // in custody at the end, leaving h after the decision
    custody.poly = {a1_end_, 0, 0};
    custody.term[0] = {-1, 1, T_ - x};
    custody.n = 1;
    Psi occ;  // custody-hours in the window, leaving h after the decision
    occ.poly = {occ_total_, 0, 0};
    occ.term[0] = {-1, 2, T_ - x};
    occ.term[1] = {1, 2, -x};
    occ.n = 2;
    const double honor_tail = 1 - r.cdf(kappa + L);
    const double notify_tail = 1 - r.cdf(kappa + G);

    k[kDecisions] += p * value(seen, 0);
    k[kHonorTransfers] += p * capped(r, seen, kappa, L);
    k[kHonorLapses] += p * honor_tail * value(seen, L);
    k[kHonorHours] += p * (capped(r, held, kappa, L) + honor_tail * value(held, L));
    k[kHonorCustody] += p * (capped(r, custody, kappa, L) + honor_tail * value(custody, L));
    k[kHonorOccupancy] += p * (capped(r, occ, kappa, L) + honor_tail * value(occ, L));
    k[kHonorArrests] += p * honor_tail * arrests(x + L);
    k[kNotifyTransfers] += p * capped(r, seen, kappa, G);
    k[kNotifyMissed] += p * notify_tail * value(seen, G);
    k[kNotifyCustody] += p * (capped(r, custody, kappa, G) + notify_tail * value(custody, G));
    k[kNotifyOccupancy] += p * (capped(r, occ, kappa, G) + notify_tail * value(occ, G));
    k[kNotifyArrests] += p * notify_tail * arrests(x + G);
    k[kPlainCustody] += p * value(custody, 0);
    k[kPlainOccupancy] += p * value(occ, 0);
    k[kDeclineArrests] += p * arrests(x);
  }

  // Everything for a stay of s hours (the outer integrand).
  Kernel at_stay(double s) const {
    Kernel k{};
    const double late = 1 - laws_.delay.cdf_below(s);
    const double occ_s = occupancy(s);
    k[kAllCustody] = custody(s);
    k[kAllOccupancy] = occ_s;
    k[kLateCustody] = late * k[kAllCustody];
    k[kLateOccupancy] = late * occ_s;
    k[kLodged] = lodged_.below(s);
    k[kLate] = all_lodged_ - k[kLodged];
    add_active(s, occ_s, k);
    return k;
  }

  // The active components for a stay of s hours, over D < s.
  void add_active(double s, double occ_s, Kernel& k) const {
    const Law& d = laws_.delay;
    const bool pretrial_stretched = !laws_.sentenced && w_.multiplier != 1.0;
    const bool led = laws_.sentenced && w_.lead > 0;
    if (laws_.end.any()) {
      add_active_ending(s, occ_s, k);
      return;
    }
    if (!pretrial_stretched)  // E[A1(T - D) - A1(T - s) ; D < s]
      k[kInCustodyWithDetainer] += remaining_.below(s) - p_.a1(T_ - s) * d.cdf_below(s);
    if (!pretrial_stretched && !led) {  // X = s, kappa = 0 whatever D is
      add_outcomes(s, 0, d.cdf_below(s), k);
      return;
    }
    if (led) {  // kappa = lead when D <= s - lead, else s - D
      const double a = s - w_.lead;
      add_outcomes(s, w_.lead, d.cdf(a), k);
      if (strip_apart_) return;  // lead_strip()
      const auto inner = [&](double dv) {
        Kernel v{};
        add_outcomes(s, s - dv, 1, v);
        return v;
      };
      add(k, integrate_law<kComponents>(d, a, s, inner, lead_breaks(s), scale_, kInnerTolerance,
                                        kInnerPanels));
      return;
    }
    if (by_release_) {  // the rest is stretched_by_release()
      k[kInCustodyWithDetainer] += remaining_.below(s);
      k[kExtraStay] -= occ_s * d.cdf_below(s);
      return;
    }
    const double m = w_.multiplier;  // pretrial, X = D + m (s - D), kappa = 0
    const auto inner = [&](double dv) {
      Kernel v{};
      const double x = dv + m * (s - dv);
      add_outcomes(x, 0, 1, v);
      v[kInCustodyWithDetainer] = p_.a1(T_ - dv) - p_.a1(T_ - x);
      v[kExtraStay] = occupancy(x) - occ_s;
      return v;
    };
    std::vector<double> breaks;
    for (double x : release_breaks_) {
      const double dv = (x - m * s) / (1 - m);
      if (dv > 0 && dv < s) breaks.push_back(dv);
    }
    p_.breaks_in_h(T_, 0, s, breaks);  // A1(T - D) bends
    add(k,
        integrate_law<kComponents>(d, -kInf, s, inner, breaks, scale_, kInnerTolerance,
                                   kInnerPanels + 2 * static_cast<int>(breaks.size()), kBreakGap));
  }

  // The outcomes of detainers that arrive less than `lead` hours before a
  // sentenced release (kappa = S - D in (0, lead)), for continuous S and D:
  // over kappa outermost, then D, with S = D + kappa at its density. The
  // decision offset S bends where it meets a day of another multiplier; D
  // keeps those breaks within its likely range.
  Kernel lead_strip() const {
    const double lead = w_.lead;
    Kernel inner_scale = scale_;
    for (double& v : inner_scale) v /= lead;
    const auto at_kappa = [&](double kappa) {
      const auto f = [&](double dv) {
        Kernel v{};
        const double density = laws_.stay.pdf(dv + kappa);
        if (density > 0) add_outcomes(dv + kappa, kappa, density, v);
        return v;
      };
      std::vector<double> breaks;
      for (double x : release_breaks_) breaks.push_back(x - kappa);
      return integrate_law<kComponents>(
          laws_.delay, -kInf, kInf, f, breaks, inner_scale, kInnerTolerance,
          kInnerPanels + 2 * static_cast<int>(breaks.size()), kBreakGap);
    };
    std::vector<double> breaks = {0, lead};
    for (const auto& [r, p] : laws_.response.atoms())
      for (double kappa : {r - w_.limit, r - w_.grace, r})
        if (kappa > 0 && kappa < lead) breaks.push_back(kappa);
    std::sort(breaks.begin(), breaks.end());
    return integrate<kComponents>(at_kappa, breaks, scale_, kOuterTolerance, kInnerPanels);
  }

  // The decisions of stretched pretrial stays (X = D + m (S - D), kappa 0),
  // for continuous S and D: over the release offset X at its density
  // f(x) = integral of p_D(d) p_S(d + (x - d) / m) / m over d < x, so each
  // outcome is computed once per X. Beyond T + W every measure is flat: that
  // tail takes the remaining probability P(D < S) - P(X <= T + W, D < S).
  Kernel stretched_by_release() const {
    const Law &S = laws_.stay, &d = laws_.delay;
    const double m = w_.multiplier, top = C_, wide = std::max(m, 1.0), narrow = std::min(m, 1.0);
    const Vec<1> unit{1.0};
    const auto density = [&](double x) {
      const auto g = [&](double dv) { return Vec<1>{S.pdf(dv + (x - dv) / m) / m}; };
      return integrate_law<1>(d, -kInf, x, g, {}, Vec<1>{1.0 / std::max(x, 1.0)}, kInnerTolerance,
                              kInnerPanels)[0];
    };
    const auto at_x = [&](double x) {
      Kernel v{};
      const double f = density(x);
      if (!(f > 0)) return v;
      add_outcomes(x, 0, f, v);
      v[kInCustodyWithDetainer] = -p_.a1(T_ - x) * f;
      v[kExtraStay] = occupancy(x) * f;
      return v;
    };
    std::vector<double> breaks = {0.0};
    for (double x : release_breaks_)  // X <= wide S and X >= narrow S bound its mass
      if (x < top && S.cdf(x / narrow) - S.cdf(breaks.back() / wide) >= kBreakGap)
        breaks.push_back(x);
    breaks.push_back(top);
    Kernel k = integrate<kComponents>(at_x, breaks, scale_, kOuterTolerance,
                                      kOuterPanels + 2 * static_cast<int>(breaks.size()));
    // P(X <= top, D < S), for the tail
    const auto mass = [&](double x) { return Vec<1>{density(x)}; };
    const double below = integrate<1>(mass, breaks, unit, kOuterTolerance, kOuterPanels)[0];
    const auto active = [&](double sv) { return Vec<1>{d.cdf_below(sv)}; };
    const double all =
        integrate_law<1>(S, -kInf, kInf, active, {}, unit, kOuterTolerance, kOuterPanels)[0];
    const double tail = std::max(all - below, 0.0);
    add_outcomes(top + 1, 0, tail, k);
    k[kExtraStay] += occ_total_ * tail;
    return k;
  }

  // The active components with lifts or proof of status (DetainerEnd): D
  // inside whatever the path, X = D + m (S - D) (m = 1 when sentenced) and
  // kappa = min(X - D, lead) (lead 0 on the pretrial path). Lifts and proofs
  // are timed from the detainer, not from the booking: for each D they only
  // weight the decision's outcomes at X, whose measures of booking times
  // carry the day multipliers as without them.
  void add_active_ending(double s, double occ_s, Kernel& k) const {
    const double m = laws_.sentenced ? 1.0 : w_.multiplier;
    const double lead = laws_.sentenced ? w_.lead : 0.0;
    const auto inner = [&](double dv) {
      Kernel v{};
      const double x = dv + m * (s - dv);
      add_ending(dv, x, std::min(x - dv, lead), v);
      if (m != 1.0) v[kExtraStay] = occupancy(x) - occ_s;
      return v;
    };
    std::vector<double> breaks;
    if (m != 1.0)
      for (double x : release_breaks_) breaks.push_back((x - m * s) / (1 - m));
    if (lead > 0) {
      breaks.push_back(s - lead);
      for (double b : lead_breaks(s)) breaks.push_back(b);
    }
    p_.breaks_in_h(T_, 0, s, breaks);  // A1(T - D) bends
    for (const Law* l : {laws_.end.lift_delay, laws_.end.proof_delay}) {
      if (!l) continue;
      for (const auto& [a, p] : l->atoms()) {
        breaks.push_back(s - a / m);           // the lift or proof at the release
        breaks.push_back(s - (lead + a) / m);  // the proof at the notice
        p_.breaks_in_h(T_ - a, 0, s, breaks);  // a lift's A1(T - D - a), A1(-D - a) bend
        p_.breaks_in_h(-a, 0, s, breaks);
      }
    }
    add(k,
        integrate_law<kComponents>(laws_.delay, -kInf, s, inner, breaks, scale_, kInnerTolerance,
                                   kInnerPanels + 2 * static_cast<int>(breaks.size()), kBreakGap));
  }

  // A detainer arriving dv hours after booking, a release at x and a notice
  // lead kappa: the outcomes of the people whose detainer is still active
  // (proven or not, as laws_.end.proven says), the lifted people's custody,
  // the lifts counted in the window and the detainers in custody at the end.
  void add_ending(double dv, double x, double kappa, Kernel& v) const {
    const DetainerEnd& e = laws_.end;
    const double c = x - dv, n = x - kappa - dv;  // from the detainer to the release, the notice
    const double no_lift = 1 - (e.lift > 0 ? e.lift * e.lift_delay->cdf_below(c) : 0.0);
    double active = no_lift, proven = 0;
    if (e.proof > 0) {
      if (e.proof_lifts)
        active *= 1 - e.proof * e.proof_delay->cdf_below(c);
      else
        proven = no_lift * e.proof * e.proof_delay->cdf_below(n);
    }
    add_outcomes(x, kappa, e.proven ? proven : active - proven, v);
    v[kLiftedCustody] = (1 - active) * custody(x);
    v[kLiftedOccupancy] = (1 - active) * occupancy(x);
    if (e.two_lifts()) return;
    // One way to be lifted, with probability q after a delay M of law `l`.
    // In custody with the detainer at T: bookings b with b + dv < T <=
    // b + min(x, dv + M); lifted in the window: b + dv + M in [0, T), M < c.
    const double q = e.lift > 0 ? e.lift : e.proof_lifts ? e.proof : 0.0;
    const double a1_arrival = p_.a1(T_ - dv), a1_release = p_.a1(T_ - x);
    if (q <= 0) {
      v[kInCustodyWithDetainer] = a1_arrival - a1_release;
      return;
    }
    const Law& l = e.lift > 0 ? *e.lift_delay : *e.proof_delay;
    const double lifted_by_t = p_.a1_expect(l, T_ - dv, c);  // E[A1(T - dv - M) ; M < c]
    v[kInCustodyWithDetainer] =
        a1_arrival - (1 - q * l.cdf_below(c)) * a1_release - q * lifted_by_t;
    v[kLifted] = q * (lifted_by_t - p_.a1_expect(l, -dv, c));
  }

  static void add(Kernel& to, const Kernel& v) {
    for (std::size_t i = 0; i < kComponents; ++i) to[i] += v[i];
  }

  // Lodge delays d in (s - lead, s) where an atom of R crosses a deadline:
  // kappa = s - d equal to r - L, r - G or r.
  std::vector<double> lead_breaks(double s) const {
    std::vector<double> out;
    for (const auto& [r, p] : laws_.response.atoms())
      for (double kappa : {r - w_.limit, r - w_.grace, r}) out.push_back(s - kappa);
    return out;
  }

  // Stays where the outer integrand bends or jumps.
  std::vector<double> stay_breaks() const {
    std::vector<double> out = release_breaks_;
    out.push_back(w_.lead);
    const double m = laws_.sentenced ? 1.0 : w_.multiplier;
    if (m != 1.0)
      for (double x : release_breaks_) out.push_back(x / m);
    for (const auto& [dv, p] : laws_.delay.atoms()) {
      out.push_back(dv);
      out.push_back(dv + w_.lead);
      if (m != 1.0)
        for (double x : release_breaks_) out.push_back(dv + (x - dv) / m);
      for (const Law* l : {laws_.end.lift_delay, laws_.end.proof_delay})  // a lift or proof
        if (l)                                                            // at X or at the notice
          for (const auto& [a, pa] : l->atoms())
            for (double to : {a, a + w_.lead}) out.push_back(dv + to / m);
    }
    return out;
  }

  const Window w_;
  const ClassLaws laws_;
  const BookingProfile& p_;
  const double T_, W_, C_;
  DelayTable lodged_;     // E[g(D) ; D < s]
  DelayTable remaining_;  // E[A1(T - D) ; D < s]
  Kernel scale_{};
  std::vector<double> release_breaks_;  // decision offsets X where the window's measures bend
  double all_lodged_ = 0, a1_end_ = 0, occ_total_ = 0;
  bool strip_apart_ = false;  // the lead strip is integrated by lead_strip()
  bool by_release_ = false;   // stretched pretrial decisions by stretched_by_release()
  mutable std::vector<double> scratch_;
};

}  // namespace

Kernel class_kernel(const Window& window, const ClassLaws& laws, const BookingProfile& profile) {
  return KernelBuilder(window, laws, profile).run();
}

}  // namespace detsim::expect_detail
