// `detsim serve`: the daily series of a job (GET /api/jobs/ID/series), the
// data of the page's chart. Each replication's days are summed into a buffer
// of its own and added to the regime's totals when the replication ends.
#include <fmt/core.h>

#include <algorithm>

#include "cli/serve.hpp"
#include "engine/calendar.hpp"

namespace detsim::cli::serve {

namespace {

constexpr const char* kFieldNames[] = {"occupancy", "holds_active", "decisions", "honored",
                                       "notified",  "declined",     "transfers", "lapsed"};

}  // namespace

class DayObserver : public Observer {
 public:
  DayObserver(SeriesCollector& owner, int regime)
      : owner_(owner),
        regime_(regime),
        sums_(static_cast<std::size_t>(owner.days_) * SeriesCollector::kFields, 0.0) {}
  ~DayObserver() override {
    std::lock_guard lock(owner_.mu_);
    std::vector<double>& total = owner_.regimes_[static_cast<std::size_t>(regime_)].sums;
    for (std::size_t i = 0; i < sums_.size(); ++i) total[i] += sums_[i];
  }
  bool wants_series() const override { return true; }
  void on_day(const SeriesRecord& r) override {
    const Day day = r.date - owner_.start_;
    if (day < 0 || day >= owner_.days_) return;  // the warm-up
    double* at = &sums_[static_cast<std::size_t>(day) * SeriesCollector::kFields];
    const double values[SeriesCollector::kFields] = {r.occupancy, r.holds_active, r.decisions,
                                                     r.honored,   r.notified,     r.declined,
                                                     r.transfers, r.lapsed};
    for (int f = 0; f < SeriesCollector::kFields; ++f) at[f] += values[f];
  }

 private:
  SeriesCollector& owner_;
  int regime_;
  std::vector<double> sums_;
};

SeriesCollector::SeriesCollector(const std::vector<Regime>& regimes) {
  const Scenario& s = regimes.front().scenario;
  start_ = s.start;
  days_ = s.horizon_days;
  const CivilDate d = civil_from_days(start_);
  start_text_ = fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
  for (const Regime& r : regimes)
    regimes_.push_back({r.name, r.scenario.replications,
                        std::vector<double>(static_cast<std::size_t>(days_) * kFields, 0.0)});
}

std::unique_ptr<Observer> SeriesCollector::observer(int regime) {
  return std::make_unique<DayObserver>(*this, regime);
}

json SeriesCollector::to_json() const {
  std::lock_guard lock(mu_);
  json out = {{"start", start_text_},
              {"days", days_},
              {"fields", std::vector<std::string>(std::begin(kFieldNames), std::end(kFieldNames))}};
  json regimes = json::array();
  for (const RegimeSeries& r : regimes_) {
    json fields = json::object();
    for (int f = 0; f < kFields; ++f) {
      std::vector<double> v(static_cast<std::size_t>(days_));
      for (int d = 0; d < days_; ++d)
        v[static_cast<std::size_t>(d)] =
            r.sums[static_cast<std::size_t>(d) * kFields + static_cast<std::size_t>(f)] /
            std::max(1, r.replications);
      fields[kFieldNames[f]] = std::move(v);
    }
    regimes.push_back({{"name", r.name}, {"values", std::move(fields)}});
  }
  out["regimes"] = std::move(regimes);
  return out;
}

}  // namespace detsim::cli::serve
