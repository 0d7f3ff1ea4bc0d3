#include "model/counters.hpp"

namespace detsim {

ReplicationMetrics MetricCounters::results(const Scenario& sc) const {
  ReplicationMetrics out;
  const std::size_t nf = sc.facilities.size();
  out.facility.assign(nf, MetricValues{});
  out.offense.assign(categories_, MetricValues{});
  const auto is_max = [](std::size_t m) { return m == index(Metric::max_hold_hours); };
  for (std::size_t f = 0; f < nf; ++f) {
    for (std::size_t c = 0; c < categories_; ++c) {
      const double* v = &cells_[cell(static_cast<int>(f), static_cast<int>(c))];
      for (std::size_t m = 0; m < kMetricCount; ++m) {
        const auto add = [&](MetricValues& to) {
          to[m] = is_max(m) ? std::max(to[m], v[m]) : to[m] + v[m];
        };
        add(out.facility[f]);
        add(out.offense[c]);
        add(out.total);
      }
    }
  }
  // decisions, transfers and released_despite_detainer are counted where they
  // happen, not derived, so the identities of docs/metrics.md are checks.
  // The cost of one more bed-day: the marginal cost when given, else the average.
  const auto cost_of = [&](std::size_t f) {
    const Facility& fac = sc.facilities[f];
    return fac.marginal_bed_day_cost >= 0 ? fac.marginal_bed_day_cost : fac.bed_day_cost;
  };
  const auto derive = [&](MetricValues& v, double bed_day_cost) {
    v[index(Metric::hold_bed_days)] = v[index(Metric::hold_hours)] / 24.0;
    if (bed_day_cost >= 0) {
      v[index(Metric::hold_cost)] = v[index(Metric::hold_bed_days)] * bed_day_cost;
      v[index(Metric::extra_stay_cost)] = v[index(Metric::extra_stay_bed_days)] * bed_day_cost;
    }
  };
  const auto detention = [](MetricValues& v) {
    v[index(Metric::detention_cost)] =
        v[index(Metric::hold_cost)] + v[index(Metric::extra_stay_cost)];
  };
  for (std::size_t f = 0; f < nf; ++f) {
    derive(out.facility[f], cost_of(f));
    detention(out.facility[f]);
  }
  // Costs differ by facility: an offense's and the total's cost are sums of
  // the cells' costs, not hold_bed_days times one rate.
  for (std::size_t c = 0; c < categories_; ++c) {
    derive(out.offense[c], -1);
    double cost = 0, extra = 0;
    for (std::size_t f = 0; f < nf; ++f) {
      const double* v = &cells_[cell(static_cast<int>(f), static_cast<int>(c))];
      cost += v[index(Metric::hold_hours)] / 24.0 * cost_of(f);
      extra += v[index(Metric::extra_stay_bed_days)] * cost_of(f);
    }
    out.offense[c][index(Metric::hold_cost)] = cost;
    out.offense[c][index(Metric::extra_stay_cost)] = extra;
    detention(out.offense[c]);
  }
  derive(out.total, -1);
  double cost = 0, extra = 0;
  for (std::size_t f = 0; f < nf; ++f) {
    cost += out.facility[f][index(Metric::hold_cost)];
    extra += out.facility[f][index(Metric::extra_stay_cost)];
  }
  out.total[index(Metric::hold_cost)] = cost;
  out.total[index(Metric::extra_stay_cost)] = extra;
  detention(out.total);
  return out;
}

// ---------------------------------------------------------------------------
// Occupancy

Occupancy::Occupancy(const Scenario& sc, double horizon) : horizon_(horizon) {
  accounts_.resize(sc.facilities.size() + 1);
  for (std::size_t f = 0; f < sc.facilities.size(); ++f)
    accounts_[f].capacity = sc.facilities[f].capacity;
}

void Occupancy::start_at(double start) {
  for (Account& a : accounts_) a.last_change = start;
}

void Occupancy::accumulate(Account& a, double t) {
  const double from = std::max(a.last_change, 0.0);
  const double to = std::min(t, horizon_);
  if (to > from) {
    a.area += a.people * (to - from);
    a.peak = std::max(a.peak, a.people);
    if (a.capacity >= 0 && a.people > a.capacity) a.over_capacity += to - from;
  }
  a.last_change = t;
}

// With one facility the total is that facility's (copied at the end), so
// only one account is kept.
void Occupancy::change(int f, int delta, double t) {
  const int total = accounts_.size() == 2 ? f : static_cast<int>(accounts_.size() - 1);
  for (int which : {f, total}) {
    Account& a = accounts_[which];
    if (t <= 0) {  // warm-up: nothing to integrate yet
      a.people += delta;
      a.last_change = t;
    } else {
      accumulate(a, t);
      a.people += delta;
      a.peak = std::max(a.peak, a.people);
    }
    if (which == total) break;
  }
}

void Occupancy::finish() {
  for (Account& a : accounts_) accumulate(a, horizon_);
}

void Occupancy::report(ReplicationMetrics& out) const {
  const std::size_t nf = accounts_.size() - 1;
  double over = 0;
  for (std::size_t f = 0; f < nf; ++f) {
    const Account& a = accounts_[f];
    out.facility[f][index(Metric::mean_occupancy)] = a.area / horizon_;
    out.facility[f][index(Metric::peak_occupancy)] = a.peak;
    out.facility[f][index(Metric::over_capacity_hours)] = a.over_capacity;
    over += a.over_capacity;
  }
  out.total[index(Metric::over_capacity_hours)] = over;
  const Account& all = accounts_[nf == 1 ? 0 : nf];
  out.total[index(Metric::mean_occupancy)] = all.area / horizon_;
  out.total[index(Metric::peak_occupancy)] = all.peak;
}

// ---------------------------------------------------------------------------
// The daily series

DailySeries::DailySeries(const Scenario& sc, int replication, Observer* observer, double horizon)
    : sc_(sc),
      rep_(replication),
      observer_(observer),
      on_(observer && observer->wants_series()),
      horizon_(horizon),
      day_(sc.facilities.size()) {}

void DailySeries::emit(double t, const Occupancy& occupancy) {
  while (next_midnight_ <= t && next_midnight_ <= horizon_) {
    for (std::size_t f = 0; f < day_.size(); ++f) {
      SeriesRecord r;
      r.replication = rep_;
      r.date = sc_.start + static_cast<Day>(next_midnight_ / 24.0) - 1;
      r.facility = static_cast<int>(f);
      r.occupancy = occupancy.people(static_cast<int>(f));
      r.holds_active = occupancy.holds(static_cast<int>(f));
      const Counts& d = day_[f];
      r.decisions = d.decisions;
      r.honored = d.honored;
      r.notified = d.notified;
      r.declined = d.declined;
      r.transfers = d.transfers;
      r.lapsed = d.lapsed;
      observer_->on_day(r);
      day_[f] = Counts{};
    }
    next_midnight_ += 24.0;
  }
}

}  // namespace detsim
