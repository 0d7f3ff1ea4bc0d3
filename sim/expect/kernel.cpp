// One booking class's expectations (see expect_kernel.hpp).
//
// The release flow of a person with an active detainer, in hours after
// booking (docs/model.md, unlimited ICE capacity):
//   X = S (sentenced) or D + m (S - D) (pretrial, stay multiplier m),
//   notice N = max(D, X - lead) (lead 0 on the pretrial path), so
//   kappa = X - N = min(X - D, lead), ICE arrives at N + R, and the person
//   is held or waits h = (R - kappa)+ hours past release, h <= L (honor)
//   or h <= G (notify); past that the hold lapses or the notice is missed.
// The expectation over R of each outcome is a closed form (partial moments
// of R); over S and D it is quadrature (expect_math.hpp): S outermost, D
// inside when X or kappa depends on D (a notice lead on the sentenced path,
// a stay multiplier other than 1 on the pretrial path), else D is a closed
// form too.
#include "expect/kernel.hpp"

#include <algorithm>
#include <cmath>

namespace detsim::expect_detail {
namespace {

constexpr double kOuterTolerance = 1e-9;
constexpr double kInnerTolerance = 1e-10;
constexpr int kOuterPanels = 4000;
constexpr int kInnerPanels = 400;

// Up to three pieces of a piecewise quadratic in y.
struct Pieces {
  std::array<Piece, 3> piece{};
  std::size_t n = 0;

  void add(double lo, double hi, const Quadratic& q) { piece[n++] = {lo, hi, q}; }
  double operator()(double y) const {
    for (std::size_t i = 0; i < n; ++i)
      if (y > piece[i].lo && y <= piece[i].hi) return piece[i].q(y);
    return 0;
  }
};

class KernelBuilder {
 public:
  KernelBuilder(const Window& w, const ClassLaws& laws)
      : w_(w), laws_(laws), T_(w.horizon), W_(w.warmup), C_(w.horizon + w.warmup) {
    scale_.fill(T_);
    for (Component c : {kAllCustody, kLateCustody, kInCustodyWithDetainer, kHonorCustody,
                        kNotifyCustody, kPlainCustody, kLiftedCustody})
      scale_[c] = C_;
    for (Component c : {kAllOccupancy, kLateOccupancy, kHonorOccupancy, kNotifyOccupancy,
                        kPlainOccupancy, kLiftedOccupancy})
      scale_[c] = T_ * C_;
    scale_[kHonorHours] = T_ * std::max(w.limit, 1.0);
    for (double& s : scale_) s = std::max(s, 1.0);
    // o(Y) = integral over [0, T) of min(Y, t + W) dt: T Y up to W, then
    // T W + T a - a^2 / 2 with a = Y - W, then T^2 / 2 + T W from T + W.
    occupancy_.add(-kInf, W_, {0, T_, 0});
    occupancy_.add(W_, C_, {-0.5 * W_ * W_, W_ + T_, -0.5});
    occupancy_.add(C_, kInf, {0.5 * T_ * T_ + T_ * W_, 0, 0});
    custody_.add(-kInf, C_, {0, 1, 0});
    custody_.add(C_, kInf, {C_, 0, 0});
    all_lodged_ = lodged_before(kInf);
  }

  Kernel run() const {
    const auto outer = [&](double s) { return at_stay(s); };
    return integrate_law<kComponents>(laws_.stay, -kInf, kInf, outer, stay_breaks(), scale_,
                                      kOuterTolerance, kOuterPanels);
  }

 private:
  // E[psi(y + h) ; R <= kappa + cap] with h = (R - kappa)+, psi in y.
  static double capped(MomentMemo& r, const Pieces& psi, double y, double kappa, double cap) {
    double sum = psi(y) * r.cdf(kappa);
    for (std::size_t i = 0; i < psi.n; ++i) {
      const Piece& p = psi.piece[i];
      const double lo = kappa + std::max(p.lo - y, 0.0), hi = kappa + std::min(p.hi - y, cap);
      sum += r.expect(p.q.in_shifted(kappa - y), lo, hi);
    }
    return sum;
  }

  // Expected at-large arrests in the window after a release v hours after
  // booking: E[g(v + A)], A the at-large delay.
  double arrests(double v) const {
    if (!laws_.arrest) return 0;
    const double e1 = std::max(W_ - v, 0.0), e2 = C_ - v;
    return T_ * laws_.arrest->cdf(e1) + laws_.arrest->expect({C_ - v, -1, 0}, e1, e2);
  }

  // E[g(D) ; D < s].
  double lodged_before(double s) const {
    const Law& d = laws_.delay;
    return d.expect({T_, 0, 0}, -kInf, std::min(W_, s), W_ < s) +
           d.expect({C_, -1, 0}, W_, std::min(s, C_), C_ < s);
  }

  // The outcomes of a decision X hours after booking with notice lead kappa,
  // added to `k` with weight `p`.
  void add_outcomes(double x, double kappa, double p, Kernel& k) const {
    const double u = T_ - std::max(x - W_, 0.0), up = std::max(u, 0.0);
    const double L = w_.limit, G = w_.grace;
    MomentMemo r(laws_.response);
    Pieces seen;  // (U - h)+: the outcome is seen before T
    if (up > 0) seen.add(-kInf, up, {u, -1, 0});
    Pieces held;  // hold hours counted up to T
    held.add(-kInf, up, {0, up, -0.5});
    held.add(up, kInf, {0.5 * up * up, 0, 0});
    const double honor_tail = 1 - r.cdf(kappa + L);
    const double notify_tail = 1 - r.cdf(kappa + G);

    k[kDecisions] += p * up;
    k[kHonorTransfers] += p * capped(r, seen, 0, kappa, L);
    k[kHonorLapses] += p * honor_tail * std::max(u - L, 0.0);
    k[kHonorHours] += p * (capped(r, held, 0, kappa, L) + honor_tail * held(L));
    k[kHonorCustody] += p * (capped(r, custody_, x, kappa, L) + honor_tail * custody_(x + L));
    k[kHonorOccupancy] += p * (capped(r, occupancy_, x, kappa, L) + honor_tail * occupancy_(x + L));
    k[kHonorArrests] += p * honor_tail * arrests(x + L);
    k[kNotifyTransfers] += p * capped(r, seen, 0, kappa, G);
    k[kNotifyMissed] += p * notify_tail * std::max(u - G, 0.0);
    k[kNotifyCustody] += p * (capped(r, custody_, x, kappa, G) + notify_tail * custody_(x + G));
    k[kNotifyOccupancy] +=
        p * (capped(r, occupancy_, x, kappa, G) + notify_tail * occupancy_(x + G));
    k[kNotifyArrests] += p * notify_tail * arrests(x + G);
    k[kPlainCustody] += p * custody_(x);
    k[kPlainOccupancy] += p * occupancy_(x);
    k[kDeclineArrests] += p * arrests(x);
  }

  // Everything for a stay of s hours (the outer integrand).
  Kernel at_stay(double s) const {
    Kernel k{};
    const double late = 1 - laws_.delay.cdf_below(s);
    k[kAllCustody] = custody_(s);
    k[kAllOccupancy] = occupancy_(s);
    k[kLateCustody] = late * custody_(s);
    k[kLateOccupancy] = late * occupancy_(s);
    k[kLodged] = lodged_before(s);
    k[kLate] = all_lodged_ - k[kLodged];
    add_active(s, k);
    return k;
  }

  // The active components for a stay of s hours, over D < s.
  void add_active(double s, Kernel& k) const {
    const Law& d = laws_.delay;
    const double cs = std::min(s, C_);
    const Quadratic remaining{cs, -1, 0};  // min(X, T + W) - D when X = s
    const bool pretrial_stretched = !laws_.sentenced && w_.multiplier != 1.0;
    const bool led = laws_.sentenced && w_.lead > 0;
    if (laws_.end.any()) {
      add_active_ending(s, k);
      return;
    }
    if (!pretrial_stretched && !led) {  // X = s, kappa = 0 whatever D is
      add_outcomes(s, 0, d.cdf_below(s), k);
      k[kInCustodyWithDetainer] += d.expect(remaining, -kInf, cs, cs < s);
      return;
    }
    if (led) {  // kappa = lead when D <= s - lead, else s - D
      const double a = s - w_.lead;
      add_outcomes(s, w_.lead, d.cdf(a), k);
      k[kInCustodyWithDetainer] += d.expect(remaining, -kInf, std::min(a, cs));
      const auto inner = [&](double dv) {
        Kernel v{};
        add_outcomes(s, s - dv, 1, v);
        v[kInCustodyWithDetainer] = std::max(cs - dv, 0.0);
        return v;
      };
      add(k, integrate_law<kComponents>(d, a, s, inner, lead_breaks(s), scale_, kInnerTolerance,
                                        kInnerPanels));
      return;
    }
    const double m = w_.multiplier;  // pretrial, X = D + m (s - D), kappa = 0
    const auto inner = [&](double dv) {
      Kernel v{};
      const double x = dv + m * (s - dv);
      add_outcomes(x, 0, 1, v);
      v[kInCustodyWithDetainer] = std::max(std::min(x, C_) - dv, 0.0);
      return v;
    };
    std::vector<double> breaks;
    for (double x : release_kinks()) breaks.push_back((x - m * s) / (1 - m));
    add(k, integrate_law<kComponents>(d, -kInf, s, inner, breaks, scale_, kInnerTolerance,
                                      kInnerPanels));
  }

  // The active components with lifts or proof of status (DetainerEnd): D
  // inside whatever the path, X = D + m (S - D) (m = 1 when sentenced) and
  // kappa = min(X - D, lead) (lead 0 on the pretrial path).
  void add_active_ending(double s, Kernel& k) const {
    const double m = laws_.sentenced ? 1.0 : w_.multiplier;
    const double lead = laws_.sentenced ? w_.lead : 0.0;
    const auto inner = [&](double dv) {
      Kernel v{};
      const double x = dv + m * (s - dv);
      add_ending(dv, x, std::min(x - dv, lead), v);
      return v;
    };
    std::vector<double> breaks;
    if (m != 1.0)
      for (double x : release_kinks()) breaks.push_back((x - m * s) / (1 - m));
    if (lead > 0) {
      breaks.push_back(s - lead);
      for (double b : lead_breaks(s)) breaks.push_back(b);
    }
    for (const Law* l : {laws_.end.lift_delay, laws_.end.proof_delay}) {
      if (!l) continue;
      for (const auto& [a, p] : l->atoms()) {
        breaks.push_back(s - a / m);     // the lift or proof at the release
        breaks.push_back(s - lead - a);  // the proof at the notice
      }
    }
    add(k, integrate_law<kComponents>(laws_.delay, -kInf, s, inner, breaks, scale_, kInnerTolerance,
                                      kInnerPanels));
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
    v[kLiftedCustody] = (1 - active) * custody_(x);
    v[kLiftedOccupancy] = (1 - active) * occupancy_(x);
    if (e.two_lifts()) return;
    // One way to be lifted, with probability q after a delay of law `l`.
    const double q = e.lift > 0 ? e.lift : e.proof_lifts ? e.proof : 0.0;
    const Law* l = e.lift > 0 ? e.lift_delay : e.proof_delay;
    const double cs = std::min(x, C_) - dv;  // E[min(cs, M)]: M the time to the lift
    if (cs > 0)
      v[kInCustodyWithDetainer] = cs - (q > 0 ? q * l->expect({cs, -1, 0}, -kInf, cs) : 0);
    if (q <= 0) return;
    // E[g(dv + M) ; M < c]: g(v) = T up to W, then C - v up to C.
    const double a = W_ - dv, b = C_ - dv;
    v[kLifted] = q * (l->expect({T_, 0, 0}, -kInf, std::min(a, c), a < c) +
                      l->expect({b, -1, 0}, a, std::min(b, c), b < c));
  }

  static void add(Kernel& to, const Kernel& v) {
    for (std::size_t i = 0; i < kComponents; ++i) to[i] += v[i];
  }

  // Decision offsets X where the window's measures bend.
  std::vector<double> release_kinks() const { return {W_, C_, C_ - w_.limit, C_ - w_.grace}; }

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
    std::vector<double> out = release_kinks();
    out.push_back(w_.lead);
    const double m = laws_.sentenced ? 1.0 : w_.multiplier;
    for (double x : release_kinks()) out.push_back(x / m);
    for (const auto& [dv, p] : laws_.delay.atoms()) {
      out.push_back(dv);
      out.push_back(dv + w_.lead);
      for (double x : release_kinks()) out.push_back(dv + (x - dv) / m);
    }
    return out;
  }

  const Window w_;
  const ClassLaws laws_;
  const double T_, W_, C_;
  Kernel scale_{};
  Pieces occupancy_, custody_;  // in the custody time Y from booking
  double all_lodged_ = 0;
};

}  // namespace

Kernel class_kernel(const Window& window, const ClassLaws& laws) {
  return KernelBuilder(window, laws).run();
}

}  // namespace detsim::expect_detail
