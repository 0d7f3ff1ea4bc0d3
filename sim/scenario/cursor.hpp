// Checked reading of a YamlNode tree: typed values with their key path and
// position, and one-line InputErrors in the form compilers use:
//   FILE:LINE:COL: KEY.PATH: expected WHAT, found VALUE
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "detsim/scenario.hpp"
#include "scenario/yaml_tree.hpp"

namespace detsim {

// The InputError message for `path` at `pos` ("" path: no key path).
std::string format_input_error(const YamlPos& pos, std::string_view path, std::string_view message);

// Distance between two keys (insertions, deletions, substitutions and
// transpositions of neighbours), for "did you mean" suggestions.
int edit_distance(std::string_view a, std::string_view b);

// The closest of `candidates` to `word`, or "" when none is close enough.
std::string_view closest(std::string_view word, std::span<const std::string_view> candidates);
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'NEAR'?)" with NEAR the closest of `candidates` to
// `word`, or "" when none is close enough: the suffix of every message
// about an unknown name.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c"
std::string join(std::span<const std::string_view> words);
std::string join(const std::vector<std::string>& words);

// A node being checked, with its key path ("facilities[1].bookings_per_day")
// and the position its errors are reported at: its own, or for a node that
// came from no file (made by --policy) the position given by its parent.
// REQUIRES: the tree outlives the cursor.
class Cursor {
 public:
  Cursor(const YamlNode& node, std::string path, YamlPos fallback);

  const YamlNode& node() const { return *node_; }
  const std::string& path() const { return path_; }
  YamlPos pos() const { return node_->pos.known() ? node_->pos : fallback_; }

  // The list's items (an error unless this is a list).
  std::vector<Cursor> items(std::string_view what) const;
  // The path of a child key ("a.b" or "b" at the top).
  std::string child_path(std::string_view key) const;

  // Throws InputError "POS: PATH: message".
  [[noreturn]] void fail(std::string_view message) const;
  // Throws InputError "POS: PATH: expected WHAT, found VALUE".
  [[noreturn]] void expected(std::string_view what) const;
  // How the value reads in a message: -3, "365" (a quoted string), a list.
  std::string found() const;

 private:
  const YamlNode* node_;
  std::string path_;
  YamlPos fallback_;
};

// The entries of a mapping, checked against the keys it may have: an unknown
// key is an error with a "did you mean" suggestion. A null node reads as an
// empty mapping (`calendar:` with nothing under it).
class MapReader {
 public:
  MapReader(const Cursor& map, std::initializer_list<std::string_view> keys);

  const Cursor& cursor() const { return map_; }
  bool has(std::string_view key) const;
  // The value under `key`, or nothing when absent. REQUIRES: key is known.
  std::optional<Cursor> find(std::string_view key) const;
  // The value under `key`; "missing required key" at the mapping otherwise.
  Cursor required(std::string_view key) const;

 private:
  Cursor map_;
  std::vector<std::string_view> keys_;
};

// Accepted numbers: a closed or open interval; infinite ends are unbounded.
struct Range {
  double lo = 0;
  double hi = 0;
  bool lo_open = false;
  bool hi_open = false;
  const char* noun = "a number";

  std::string describe() const;  // "a number >= 0 and <= 1000000"
};

Range at_least(double lo);            // [lo, inf)
Range above(double lo);               // (lo, inf)
Range between(double lo, double hi);  // [lo, hi]
Range probability();                  // [0, 1], "a probability"
Range share();                        // [0, 1], "a share"

// Typed values; each throws InputError naming what was expected and found.
double read_number(const Cursor& c, const Range& range);
// An integer in [lo, hi] (written without a fraction, e.g. 365 or 365.0).
// `what` replaces "an integer from LO to HI" in messages.
std::int64_t read_integer(const Cursor& c, std::int64_t lo, std::int64_t hi,
                          std::string_view what = {});
std::uint64_t read_uint64(const Cursor& c);
bool read_bool(const Cursor& c);
// A scalar that is not empty (numbers are read as their text).
std::string read_string(const Cursor& c);
// YYYY-MM-DD, a valid civil date.
Day read_date(const Cursor& c);
// The index of the scalar among `choices`.
int read_choice(const Cursor& c, std::span<const std::string_view> choices);

// "2025-07-01"
std::string format_date(Day day);

}  // namespace detsim
