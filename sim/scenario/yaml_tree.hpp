// A YAML document as plain values that remember where they came from.
//
// yaml-cpp's YAML::Node is a handle with reference semantics, and its deep
// copy (YAML::Clone) drops every position. Scenario loading needs cheap deep
// copies (a sweep applies each point's values to a copy of one base) that
// keep the file, line and column of every node for error messages. YamlNode
// is that: a value type, safe to read from several threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace detsim {

// Where a node starts. Line and column count from 1. `source` is an interned
// name ("scenario.yaml", "--set"); null for nodes made by the program, which
// are reported at their parent's position.
struct YamlPos {
  const std::string* source = nullptr;
  int line = 0;
  int column = 0;

  bool known() const { return source != nullptr; }
};

// Length of the valid UTF-8 sequence at text[i], or 0 if it is not valid
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
// REQUIRES: i < text.size().
std::size_t utf8_length(std::string_view text, std::size_t i);

// A name that lives until the process ends; equal names give equal pointers.
// Thread-safe.
const std::string* intern_source(std::string_view name);

struct YamlEntry;

struct YamlNode {
  enum class Kind : std::uint8_t { kNull, kScalar, kList, kMap };

  Kind kind = Kind::kNull;
  bool quoted = false;  // a scalar written in quotes (or tagged !!str): a string, never a number
  YamlPos pos;
  std::string text;                // kScalar: the value as written (unescaped)
  std::vector<YamlNode> items;     // kList
  std::vector<YamlEntry> entries;  // kMap, in document order, keys unique

  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_list() const { return kind == Kind::kList; }
  bool is_map() const { return kind == Kind::kMap; }

  // The value stored under `key`, or nullptr. REQUIRES: is_map().
  const YamlNode* find(std::string_view key) const;
  YamlNode* find(std::string_view key);
  // Replaces the value under `key`, or appends the entry at the end.
  // REQUIRES: is_map().
  void set(std::string_view key, YamlNode value);
  // Removes the entry for `key` if there is one. REQUIRES: is_map().
  void erase(std::string_view key);

  static YamlNode scalar(std::string text, YamlPos pos = {});
  static YamlNode map(YamlPos pos = {});
};

struct YamlEntry {
  std::string key;
  YamlPos key_pos;
  YamlNode value;
};

// Parses the single YAML document in `text`. Columns of the first line are
// shifted by `column_offset` (a value given after "PATH=" on a command line).
// An empty document is a null node at 1:1. Throws InputError
// ("SOURCE:LINE:COL: message") for text that is not UTF-8, YAML syntax
// errors, duplicate or non-scalar keys, aliases of an enclosing node, more
// than one document, or more than a few million nodes once aliases are
// expanded.
YamlNode parse_yaml(std::string_view text, const std::string& source, int column_offset = 0);

// Block-style YAML text for `root` (lists of scalars and short mappings of
// scalars in flow style). Scalars that were quoted stay quoted, so the text
// parses back to an equal tree (positions aside).
std::string emit_yaml(const YamlNode& root);
// A node as one line of YAML flow text: lists and mappings in flow style,
// scalars quoted (with escapes) when they would not read back as written.
// Identifies a sweep's list values.
std::string flow_text(const YamlNode& n);

}  // namespace detsim
