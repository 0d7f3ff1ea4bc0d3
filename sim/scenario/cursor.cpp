#include "scenario/cursor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "engine/calendar.hpp"
#include "detsim/load.hpp"

namespace detsim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::size_t kMaxFound = 40;  // longest value quoted in a message

// "1000000", "0.5", "1e-09": a bound as a reader would write it.
std::string bound_text(double x) {
  return fmt::format("{:.15g}", x);
}

// Parses a plain decimal number (no hex, no .inf/.nan). Nothing if the text
// is not a number; sets *out_of_range for a number too large for a double.
std::optional<double> parse_number(std::string_view s, bool* out_of_range) {
  *out_of_range = false;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || (!std::isdigit(static_cast<unsigned char>(s.front())) && s.front() != '-' &&
                    s.front() != '.')) {
    return std::nullopt;
  }
  double x = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (end != s.data() + s.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    *out_of_range = true;
    return std::nullopt;
  }
  if (ec != std::errc() || !std::isfinite(x)) return std::nullopt;
  return x;
}

bool plain_scalar(const Cursor& c) {
  return c.node().is_scalar() && !c.node().quoted;
}

}  // namespace

std::string format_input_error(const YamlPos& pos, std::string_view path,
                               std::string_view message) {
  const std::string_view source = pos.source ? std::string_view(*pos.source) : "<input>";
  const int line = pos.known() ? pos.line : 1;
  const int column = pos.known() ? pos.column : 1;
  if (path.empty()) return fmt::format("{}:{}:{}: {}", source, line, column, message);
  return fmt::format("{}:{}:{}: {}: {}", source, line, column, path, message);
}

int edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance, rows i-2, i-1 and i.
  const std::size_t n = b.size();
  std::vector<int> prev2(n + 1), prev(n + 1), row(n + 1);
  for (std::size_t j = 0; j <= n; ++j) prev[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= n; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        row[j] = std::min(row[j], prev2[j - 2] + 1);
      }
    }
    std::swap(prev2, prev);
    std::swap(prev, row);
  }
  return prev[n];
}

std::string_view closest(std::string_view word, std::span<const std::string_view> candidates) {
  const int limit = std::clamp(static_cast<int>(word.size()) / 3, 1, 3);
  std::string_view best;
  int best_distance = limit + 1;
  for (std::string_view c : candidates) {
    const int d = edit_distance(word, c);
    if (d < best_distance && d < static_cast<int>(word.size())) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::vector<std::string_view> views(candidates.begin(), candidates.end());
  return std::string(closest(word, std::span<const std::string_view>(views)));
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  const std::string_view near = closest(word, candidates);
  return near.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", near);
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string near = closest(word, candidates);
  return near.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", near);
}

std::string join(std::span<const std::string_view> words) {
  return fmt::format("{}", fmt::join(words, ", "));
}

std::string join(const std::vector<std::string>& words) {
  return fmt::format("{}", fmt::join(words, ", "));
}

// ---- Cursor ----------------------------------------------------------------

Cursor::Cursor(const YamlNode& node, std::string path, YamlPos fallback)
    : node_(&node), path_(std::move(path)), fallback_(fallback) {}

std::vector<Cursor> Cursor::items(std::string_view what) const {
  if (!node_->is_list()) expected(what);
  std::vector<Cursor> out;
  out.reserve(node_->items.size());
  for (std::size_t i = 0; i < node_->items.size(); ++i) {
    out.emplace_back(node_->items[i], fmt::format("{}[{}]", path_, i), pos());
  }
  return out;
}

std::string Cursor::child_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

void Cursor::fail(std::string_view message) const {
  throw InputError(format_input_error(pos(), path_, message));
}

void Cursor::expected(std::string_view what) const {
  fail(fmt::format("expected {}, found {}", what, found()));
}

std::string Cursor::found() const {
  switch (node_->kind) {
    case YamlNode::Kind::kNull:
      return "null";
    case YamlNode::Kind::kList:
      return "a list";
    case YamlNode::Kind::kMap:
      return "a mapping";
    case YamlNode::Kind::kScalar:
      break;
  }
  std::string text =
      node_->text.size() > kMaxFound ? node_->text.substr(0, kMaxFound - 3) + "..." : node_->text;
  if (node_->quoted) return fmt::format("\"{}\" (a quoted string)", text);
  if (text.empty()) return "an empty value";
  return text;
}

// ---- MapReader -------------------------------------------------------------

MapReader::MapReader(const Cursor& map, std::initializer_list<std::string_view> keys)
    : map_(map), keys_(keys) {
  const YamlNode& node = map.node();
  if (node.is_null()) return;
  if (!node.is_map()) map.expected("a mapping");
  for (const YamlEntry& e : node.entries) {
    if (std::find(keys_.begin(), keys_.end(), e.key) != keys_.end()) continue;
    const YamlPos at = e.key_pos.known() ? e.key_pos : map.pos();
    const std::string hint = did_you_mean(e.key, keys_);
    const std::string message =
        hint.empty() ? fmt::format("unknown key '{}' (expected one of: {})", e.key, join(keys_))
                     : fmt::format("unknown key '{}'{}", e.key, hint);
    throw InputError(format_input_error(at, map.child_path(e.key), message));
  }
}

bool MapReader::has(std::string_view key) const {
  return map_.node().is_map() && map_.node().find(key) != nullptr;
}

std::optional<Cursor> MapReader::find(std::string_view key) const {
  if (!map_.node().is_map()) return std::nullopt;
  for (const YamlEntry& e : map_.node().entries) {
    if (e.key == key) {
      return Cursor(e.value, map_.child_path(key), e.key_pos.known() ? e.key_pos : map_.pos());
    }
  }
  return std::nullopt;
}

Cursor MapReader::required(std::string_view key) const {
  if (auto c = find(key)) return *c;
  map_.fail(fmt::format("missing required key '{}'", key));
}

// ---- Ranges and typed values -------------------------------------------------

std::string Range::describe() const {
  if (lo == 0 && hi == 1 && !lo_open && !hi_open) return fmt::format("{} in [0, 1]", noun);
  std::string text = noun;
  if (lo > -kInf) text += fmt::format(" {} {}", lo_open ? ">" : ">=", bound_text(lo));
  if (lo > -kInf && hi < kInf) text += " and";
  if (hi < kInf) text += fmt::format(" {} {}", hi_open ? "<" : "<=", bound_text(hi));
  return text;
}

Range at_least(double lo) {
  return {lo, kInf, false, true};
}
Range above(double lo) {
  return {lo, kInf, true, true};
}
Range between(double lo, double hi) {
  return {lo, hi};
}
Range probability() {
  return {0, 1, false, false, "a probability"};
}
Range share() {
  return {0, 1, false, false, "a share"};
}

double read_number(const Cursor& c, const Range& range) {
  bool out_of_range = false;
  const auto x = plain_scalar(c) ? parse_number(c.node().text, &out_of_range) : std::nullopt;
  if (out_of_range) {
    c.fail(
        fmt::format("expected {}, found {} (too large for a number)", range.describe(), c.found()));
  }
  if (!x) c.expected(range.describe());
  const bool low = range.lo_open ? !(*x > range.lo) : !(*x >= range.lo);
  const bool high = range.hi_open ? !(*x < range.hi) : !(*x <= range.hi);
  if (low || high) c.expected(range.describe());
  return *x;
}

std::int64_t read_integer(const Cursor& c, std::int64_t lo, std::int64_t hi,
                          std::string_view what_text) {
  const std::string what = !what_text.empty() ? std::string(what_text)
                           : hi == std::numeric_limits<std::int64_t>::max()
                               ? fmt::format("an integer >= {}", lo)
                               : fmt::format("an integer from {} to {}", lo, hi);
  bool out_of_range = false;
  const auto x = plain_scalar(c) ? parse_number(c.node().text, &out_of_range) : std::nullopt;
  if (!x || *x != std::floor(*x) || *x < static_cast<double>(lo) || *x > static_cast<double>(hi)) {
    c.expected(what);
  }
  return static_cast<std::int64_t>(*x);
}

std::uint64_t read_uint64(const Cursor& c) {
  std::string_view s = c.node().text;
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  std::uint64_t x = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  if (!plain_scalar(c) || s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    c.expected(fmt::format("an integer from 0 to {}", std::numeric_limits<std::uint64_t>::max()));
  }
  return x;
}

bool read_bool(const Cursor& c) {
  if (plain_scalar(c)) {
    const std::string& t = c.node().text;
    if (t == "true" || t == "True" || t == "TRUE") return true;
    if (t == "false" || t == "False" || t == "FALSE") return false;
  }
  c.expected("true or false");
}

std::string read_string(const Cursor& c) {
  if (!c.node().is_scalar() || c.node().text.empty()) c.expected("a string");
  return c.node().text;
}

std::string format_date(Day day) {
  const CivilDate d = civil_from_days(day);
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}

Day read_date(const Cursor& c) {
  const std::string& t = c.node().text;
  const auto digits = [&](std::size_t from, std::size_t n) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(t[i]))) return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  const bool shape = c.node().is_scalar() && t.size() == 10 && t[4] == '-' && t[7] == '-';
  const int year = shape ? digits(0, 4) : -1;
  const int month = shape ? digits(5, 2) : -1;
  const int day = shape ? digits(8, 2) : -1;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  const bool valid = year >= 1 && month >= 1 && month <= 12 && day >= 1 &&
                     day <= kDays[std::max(month, 1) - 1] && (month != 2 || day <= 28 || leap);
  if (!valid) c.expected("a date YYYY-MM-DD");
  return days_from_civil(year, month, day);
}

int read_choice(const Cursor& c, std::span<const std::string_view> choices) {
  if (c.node().is_scalar()) {
    const auto it = std::find(choices.begin(), choices.end(), c.node().text);
    if (it != choices.end()) return static_cast<int>(it - choices.begin());
    const std::string hint = did_you_mean(c.node().text, choices);
    if (!hint.empty())
      c.fail(fmt::format("expected one of {}, found {}{}", join(choices), c.found(), hint));
  }
  c.expected(fmt::format("one of {}", join(choices)));
}

}  // namespace detsim
