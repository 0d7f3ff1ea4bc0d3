// Dates, days of week, holidays and business hours (docs/model.md).
//
// Simulation time is hours (double) since the scenario's start at midnight;
// there are no daylight-saving shifts, so every day is 24 hours.
#pragma once

#include <vector>

#include "detsim/scenario.hpp"

namespace detsim {

// Hours in a year of 365.25 days: the unit of the per-year rates (at-large
// arrests, re-bookings).
inline constexpr double kHoursPerYear = 365.25 * 24.0;

struct CivilDate {
  int year, month, day;  // month 1..12, day 1..31
};

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian).
Day days_from_civil(int year, int month, int day);
CivilDate civil_from_days(Day days);
// 0 = Monday ... 6 = Sunday.
int weekday(Day days);

class Calendar {
 public:
  Calendar(Day start, std::vector<Day> holidays);

  Day start() const { return start_; }
  // The date of simulation time `t` (hours since start).
  Day date_at(double t) const;
  bool is_holiday(Day d) const;
  // Saturday, Sunday or a listed holiday.
  bool is_non_counting(Day d) const;

  // The end of a hold starting at `t` that may last `limit` hours; with
  // `exclude_non_counting`, hours on weekends and holidays are not counted.
  double hold_deadline(double t, double limit, bool exclude_non_counting) const;

  // The first time >= t inside business hours (holidays do not close).
  // Returns t when `hours` is disabled.
  double next_business_time(double t, const BusinessHours& hours) const;

 private:
  Day start_;
  std::vector<Day> holidays_;  // sorted
};

}  // namespace detsim
