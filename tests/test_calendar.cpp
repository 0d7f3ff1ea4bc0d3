#include <catch2/catch.hpp>

#include "engine/calendar.hpp"

using namespace detsim;

TEST_CASE("civil dates round-trip and weekdays are right") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2025, 1, 1) == 20089);
  CHECK(weekday(days_from_civil(2025, 1, 1)) == 2);    // Wednesday
  CHECK(weekday(days_from_civil(2024, 12, 29)) == 6);  // Sunday
  CHECK(weekday(days_from_civil(1969, 12, 31)) == 2);  // Wednesday, before the epoch
  for (Day d = -1000; d < 30000; d += 37) {
    const CivilDate c = civil_from_days(d);
    CHECK(days_from_civil(c.year, c.month, c.day) == d);
  }
  CHECK(civil_from_days(days_from_civil(2024, 2, 29)).day == 29);
}

TEST_CASE("hold deadlines skip weekends and holidays when the rule says so") {
  const Day start = days_from_civil(2025, 1, 6);              // a Monday
  const Calendar cal(start, {days_from_civil(2025, 1, 20)});  // a Monday holiday
  SECTION("without the weekend rule the deadline is 48 wall-clock hours later") {
    CHECK(cal.hold_deadline(4 * 24 + 18, 48, false) == 4 * 24 + 18 + 48);
  }
  SECTION("a release on Friday 18:00 is held until Tuesday 18:00") {
    const double friday_18 = 4 * 24 + 18;
    const double tuesday_18 = 8 * 24 + 18;
    CHECK(cal.hold_deadline(friday_18, 48, true) == tuesday_18);
  }
  SECTION("a Monday holiday after the weekend pushes it to Wednesday") {
    const double friday_18 = 11 * 24 + 18;     // Friday 17 January
    const double wednesday_18 = 16 * 24 + 18;  // Wednesday 22 January
    CHECK(cal.hold_deadline(friday_18, 48, true) == wednesday_18);
  }
  SECTION("a release on Saturday starts counting on Monday 00:00") {
    const double saturday_10 = 5 * 24 + 10;
    CHECK(cal.hold_deadline(saturday_10, 48, true) == 9 * 24);  // Wednesday 00:00
  }
  SECTION("a release on Tuesday 09:00 ends Thursday 09:00") {
    CHECK(cal.hold_deadline(24 + 9, 48, true) == 3 * 24 + 9);
  }
}

TEST_CASE("business hours move arrivals to the next opening; holidays do not close") {
  const Day start = days_from_civil(2025, 1, 6);  // Monday
  const Calendar cal(start, {start});             // the Monday is a holiday
  BusinessHours bh;
  bh.enabled = true;
  bh.days = 0b0011111;  // Monday to Friday
  bh.from = 8;
  bh.to = 18;
  CHECK(cal.next_business_time(10, bh) == 10);                   // Monday holiday 10:00: open
  CHECK(cal.next_business_time(3, bh) == 8);                     // before opening
  CHECK(cal.next_business_time(18, bh) == 24 + 8);               // at closing: next morning
  CHECK(cal.next_business_time(4 * 24 + 20, bh) == 7 * 24 + 8);  // Friday night -> Monday
  BusinessHours off;
  CHECK(cal.next_business_time(4 * 24 + 20, off) == 4 * 24 + 20);
}
