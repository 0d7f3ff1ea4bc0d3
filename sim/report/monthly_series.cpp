// Monthly series with intervals (see report/monthly_series.hpp).
#include "report/monthly_series.hpp"

#include <fmt/core.h>

#include <cmath>

#include "detsim/stats.hpp"
#include "engine/calendar.hpp"

namespace detsim {
namespace {

constexpr std::array<const char*, MonthlySeries::kColumns> kNames = {
    "occupancy", "holds_active", "decisions", "honored",
    "notified",  "declined",     "transfers", "lapsed"};

int month_number(Day d) {
  const CivilDate c = civil_from_days(d);
  return c.year * 12 + (c.month - 1);
}

}  // namespace

class MonthlyObserver : public Observer {
 public:
  MonthlyObserver(const MonthlySeries& owner, std::vector<MonthlySeries::Cell>& cells)
      : owner_(owner), cells_(cells) {}
  bool wants_series() const override { return true; }
  void on_day(const SeriesRecord& r) override {
    const int month = month_number(r.date) - owner_.first_month_;
    if (month < 0 || month >= owner_.months_) return;
    MonthlySeries::Cell& c = cells_[static_cast<std::size_t>(month) * owner_.sc_.facilities.size() +
                                    static_cast<std::size_t>(r.facility)];
    const std::array<double, MonthlySeries::kColumns> v = {r.occupancy, r.holds_active, r.decisions,
                                                           r.honored,   r.notified,     r.declined,
                                                           r.transfers, r.lapsed};
    for (std::size_t i = 0; i < v.size(); ++i) c[i] += v[i];
    c[MonthlySeries::kColumns] += 1;
  }

 private:
  const MonthlySeries& owner_;
  std::vector<MonthlySeries::Cell>& cells_;
};

MonthlySeries::MonthlySeries(const Scenario& scenario) : sc_(scenario) {
  first_month_ = month_number(scenario.start);
  months_ = month_number(scenario.start + scenario.horizon_days - 1) - first_month_ + 1;
}

std::unique_ptr<Observer> MonthlySeries::observer(int replication) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& cells = reps_[replication];
  cells.assign(static_cast<std::size_t>(months_) * sc_.facilities.size(), Cell{});
  return std::make_unique<MonthlyObserver>(*this, cells);
}

std::string MonthlySeries::csv() const {
  std::string out = "month,facility,series,n,mean,ci_low,ci_high,ci_bounded\n";
  const std::size_t nf = sc_.facilities.size();
  for (int m = 0; m < months_; ++m) {
    const int number = first_month_ + m;
    const std::string month = fmt::format("{:04}-{:02}", number / 12, number % 12 + 1);
    for (std::size_t f = 0; f < nf; ++f) {
      for (std::size_t i = 0; i < kColumns; ++i) {
        std::vector<double> samples;
        for (const auto& [rep, cells] : reps_) {
          const Cell& c = cells[static_cast<std::size_t>(m) * nf + f];
          const double days = c[kColumns];
          samples.push_back(i < 2 ? (days > 0 ? c[i] / days : 0.0) : c[i]);  // stocks: day mean
        }
        const Summary s = summarize(samples);
        const bool bounded = s.ci_low < 0;
        const auto number_text = [](double x) {
          return std::isnan(x) ? std::string() : fmt::format("{}", x);
        };
        out += fmt::format("{},{},{},{},{},{},{},{}\n", month, sc_.facilities[f].id, kNames[i], s.n,
                           number_text(s.mean), number_text(bounded ? 0.0 : s.ci_low),
                           number_text(s.ci_high), bounded ? "true" : "false");
      }
    }
  }
  return out;
}

}  // namespace detsim
