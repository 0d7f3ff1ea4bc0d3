#include "engine/calendar.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace detsim {

Day days_from_civil(int year, int month, int day) {
  const int y = year - (month <= 2);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return Day{era} * 146097 + static_cast<Day>(doe) - 719468;
}

CivilDate civil_from_days(Day z) {
  z += 719468;
  const Day era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const Day y = static_cast<Day>(yoe) + era * 400 + (m <= 2);
  return {static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

int weekday(Day days) {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  const Day w = (days + 3) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

Calendar::Calendar(Day start, std::vector<Day> holidays)
    : start_(start), holidays_(std::move(holidays)) {
  std::sort(holidays_.begin(), holidays_.end());
}

Day Calendar::date_at(double t) const {
  return start_ + static_cast<Day>(std::floor(t / 24.0));
}

bool Calendar::is_holiday(Day d) const {
  return std::binary_search(holidays_.begin(), holidays_.end(), d);
}

bool Calendar::is_non_counting(Day d) const {
  return weekday(d) >= 5 || is_holiday(d);
}

double Calendar::hold_deadline(double t, double limit, bool exclude_non_counting) const {
  if (!exclude_non_counting) return t + limit;
  double remaining = limit;
  double now = t;
  for (;;) {
    const double day_index = std::floor(now / 24.0);
    const double day_end = (day_index + 1.0) * 24.0;
    if (!is_non_counting(start_ + static_cast<Day>(day_index))) {
      const double available = day_end - now;
      if (remaining <= available) return now + remaining;
      remaining -= available;
    }
    now = day_end;
  }
}

double Calendar::next_business_time(double t, const BusinessHours& hours) const {
  if (!hours.enabled) return t;
  assert(hours.days != 0);
  double day_index = std::floor(t / 24.0);
  for (int i = 0; i < 8; ++i, day_index += 1.0) {
    const Day d = start_ + static_cast<Day>(day_index);
    if (!(hours.days & (1u << weekday(d)))) continue;
    const double open = day_index * 24.0 + hours.from;
    const double close = day_index * 24.0 + hours.to;
    if (t < open) return open;
    if (t < close) return t;
  }
  assert(false && "business hours with no open day");
  return t;
}

}  // namespace detsim
