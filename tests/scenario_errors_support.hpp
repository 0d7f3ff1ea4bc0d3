// Helpers of the bad-scenario tests (test_scenario_errors*.cpp): a valid
// base scenario, edits of it, and a table of cases, each checked to raise an
// InputError "FILE:LINE:COL: KEY.PATH: message" at the exact place.
#pragma once

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "detsim/load.hpp"

namespace detsim::testing {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

// A valid scenario; the line numbers below are those of this text.
inline const std::string kBase = R"(name: t
start: 2025-01-01
horizon_days: 30
offenses:
  - id: a
    share: 0.5
    severity: violent
    pretrial_stay: {dist: fixed, hours: 10}
    sentenced_stay: {dist: fixed, days: 5}
  - id: b
    share: 0.5
    severity: other
    pretrial_stay: {dist: exponential, mean_hours: 12}
    sentenced_stay: {dist: lognormal, median_days: 3, sigma: 1}
ice:
  lodge_probability: {violent: 0.8, other: 0.3}
  lodge_delay: {dist: fixed, hours: 24}
  pickup:
    delay: {dist: fixed, hours: 12}
state: {policy: cooperative}
facilities:
  - id: jail
    bookings_per_day: 10
  - id: prison
    kind: prison
    bookings_per_day: 0
)";

// `text` with the first `from` replaced by `to`.
inline std::string edit(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("test bug: no '" + from + "' in the text");
  return text.replace(at, from.size(), to);
}

inline std::string edit(const std::string& from, const std::string& to) {
  return edit(kBase, from, to);
}

// kBase without the text from `from` up to `until` (or the end, if "").
inline std::string cut(const std::string& from, const std::string& until) {
  const std::size_t a = kBase.find(from);
  const std::size_t b = until.empty() ? kBase.size() : kBase.find(until, a);
  if (a == std::string::npos || b == std::string::npos) throw std::logic_error("test bug: cut");
  return kBase.substr(0, a) + kBase.substr(b);
}

// kBase with `lines` added at the end (from line 27).
inline std::string append(const std::string& lines) {
  return kBase + lines;
}

// The message of the InputError loading `text` throws; "" if it loads.
inline std::string error_of(const std::string& text, const LoadOptions& options = {}) {
  try {
    load_scenario_text(text, "s.yaml", options);
  } catch (const InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("not an InputError: ") + e.what();
  }
  return "";
}

struct Case {
  const char* rule;
  std::string text;
  const char* where;  // "FILE:LINE:COL: PATH:" the message starts with
  const char* says;   // part of the message
  LoadOptions options = {};
};

inline void check(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.rule) {
      const std::string message = error_of(c.text, c.options);
      INFO(message);
      CHECK_THAT(message, StartsWith(c.where));
      CHECK_THAT(message, Contains(c.says));
    }
  }
}

}  // namespace detsim::testing
