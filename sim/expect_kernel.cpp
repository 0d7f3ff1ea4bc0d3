// One booking class's expectations (see expect_kernel.hpp).
//
// The release flow of a person with an active detainer, in hours after
// booking (MODEL.md section 2 step 4, unlimited ICE capacity):
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
#include "expect_kernel.hpp"

#include <algorithm>
#include <cmath>

namespace detsim::expect_detail {
namespace {

constexpr double kOuterTolerance = 1e-9;
constexpr double kInnerTolerance = 1e-10;
constexpr int kOuterPanels = 4000;
constexpr int kInnerPanels = 400;

double eval(const std::vector<Piece>& pieces, double x) {
  for (const Piece& p : pieces)
    if (x > p.lo && x <= p.hi) return p.q(x);
  return 0;
}

class KernelBuilder {
 public:
  KernelBuilder(const Window& w, const ClassLaws& laws)
      : w_(w), laws_(laws), T_(w.horizon), W_(w.warmup), C_(w.horizon + w.warmup) {
    const double hours_scale = T_ * std::max({w.limit, 1.0});
    scale_.fill(T_);
    for (Component c : {kAllCustody, kLateCustody, kInCustodyWithDetainer, kHonorCustody,
                        kNotifyCustody, kPlainCustody})
      scale_[c] = C_;
    for (Component c : {kAllOccupancy, kLateOccupancy, kHonorOccupancy, kNotifyOccupancy,
                        kPlainOccupancy})
      scale_[c] = T_ * C_;
    scale_[kHonorHours] = hours_scale;
    for (double& s : scale_) s = std::max(s, 1.0);
    all_lodged_ = lodged_before(kInf);
  }

  Kernel run() const {
    const auto outer = [&](double s) { return at_stay(s); };
    return integrate_law<kComponents>(laws_.stay, -kInf, kInf, outer, stay_breaks(), scale_,
                                      kOuterTolerance, kOuterPanels);
  }

 private:
  // Custody at the end and custody-hours in the window of a stay of Y hours.
  double custody(double y) const { return std::min(y, C_); }
  double occupancy(double y) const { return eval(occupancy_pieces(0), y); }

  // o(Y) as pieces in h = Y - x.
  std::vector<Piece> occupancy_pieces(double x) const {
    const std::vector<Piece> in_y = {
        {-kInf, W_, {0, T_, 0}},
        {W_, C_, {-0.5 * W_ * W_, W_ + T_, -0.5}},
        {C_, kInf, {0.5 * T_ * T_ + T_ * W_, 0, 0}}};
    return shifted(in_y, x);
  }
  std::vector<Piece> custody_pieces(double x) const {
    return shifted({{-kInf, C_, {0, 1, 0}}, {C_, kInf, {C_, 0, 0}}}, x);
  }
  static std::vector<Piece> shifted(std::vector<Piece> pieces, double x) {
    for (Piece& p : pieces) {
      p.lo -= x;
      p.hi -= x;
      p.q = p.q.in_shifted(-x);
    }
    return pieces;
  }

  // E[psi(h) ; R <= kappa + cap], h = (R - kappa)+, psi given in h.
  double capped(const std::vector<Piece>& psi, double kappa, double cap) const {
    const Law& r = laws_.response;
    double sum = eval(psi, 0) * r.cdf(kappa);
    for (const Piece& p : psi) {
      const double lo = kappa + std::max(p.lo, 0.0), hi = kappa + std::min(p.hi, cap);
      sum += r.expect(p.q.in_shifted(kappa), lo, hi);
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
    std::vector<Piece> seen;  // (U - h)+
    if (up > 0) seen.push_back({-kInf, up, {u, -1, 0}});
    const std::vector<Piece> held = {{-kInf, up, {0, up, -0.5}}, {up, kInf, {0.5 * up * up, 0, 0}}};
    const std::vector<Piece> cust = custody_pieces(x), occ = occupancy_pieces(x);
    const double honor_tail = 1 - laws_.response.cdf(kappa + L);
    const double notify_tail = 1 - laws_.response.cdf(kappa + G);

    k[kDecisions] += p * up;
    k[kHonorTransfers] += p * capped(seen, kappa, L);
    k[kHonorLapses] += p * honor_tail * std::max(u - L, 0.0);
    k[kHonorHours] += p * (capped(held, kappa, L) + honor_tail * eval(held, L));
    k[kHonorCustody] += p * (capped(cust, kappa, L) + honor_tail * custody(x + L));
    k[kHonorOccupancy] += p * (capped(occ, kappa, L) + honor_tail * occupancy(x + L));
    k[kHonorArrests] += p * honor_tail * arrests(x + L);
    k[kNotifyTransfers] += p * capped(seen, kappa, G);
    k[kNotifyMissed] += p * notify_tail * std::max(u - G, 0.0);
    k[kNotifyCustody] += p * (capped(cust, kappa, G) + notify_tail * custody(x + G));
    k[kNotifyOccupancy] += p * (capped(occ, kappa, G) + notify_tail * occupancy(x + G));
    k[kNotifyArrests] += p * notify_tail * arrests(x + G);
    k[kPlainCustody] += p * custody(x);
    k[kPlainOccupancy] += p * occupancy(x);
    k[kDeclineArrests] += p * arrests(x);
  }

  // Everything for a stay of s hours (the outer integrand).
  Kernel at_stay(double s) const {
    Kernel k{};
    const double late = 1 - laws_.delay.cdf_below(s);
    k[kAllCustody] = custody(s);
    k[kAllOccupancy] = occupancy(s);
    k[kLateCustody] = late * custody(s);
    k[kLateOccupancy] = late * occupancy(s);
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

  static void add(Kernel& to, const Kernel& v) {
    for (std::size_t i = 0; i < kComponents; ++i) to[i] += v[i];
  }

  // Decision offsets X where the window's measures bend.
  std::vector<double> release_kinks() const {
    return {W_, C_, C_ - w_.limit, C_ - w_.grace};
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
  double all_lodged_ = 0;
};

}  // namespace

Kernel class_kernel(const Window& window, const ClassLaws& laws) {
  return KernelBuilder(window, laws).run();
}

}  // namespace detsim::expect_detail
