// Writing YamlNode trees back as YAML text (resolved scenarios).
#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include "scenario/yaml_tree.hpp"

namespace detsim {

namespace {

bool is_null_word(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// True if `s` reads back as the same plain scalar (conservative).
bool plain_ok(std::string_view s, bool flow) {
  if (is_null_word(s) || s.front() == ' ' || s.back() == ' ' || s.back() == ':') return false;
  const std::string_view indicators = "-?:,[]{}#&*!|>'\"%@`";
  if (indicators.find(s.front()) != std::string_view::npos) {
    const bool dash_like = s.front() == '-' || s.front() == '?' || s.front() == ':';
    if (!dash_like || s.size() == 1 || s[1] == ' ') return false;
  }
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos) {
    return false;
  }
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
    if (flow && std::string_view(",[]{}").find(c) != std::string_view::npos) return false;
  }
  return true;
}

void append_quoted(std::string_view s, std::string& out) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
          out += fmt::format("\\x{:02X}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_scalar(std::string_view s, bool quoted, bool flow, std::string& out) {
  if (!quoted && plain_ok(s, flow)) {
    out += s;
  } else {
    append_quoted(s, out);
  }
}

void append_flow(const YamlNode& n, std::string& out) {
  switch (n.kind) {
    case YamlNode::Kind::kNull:
      out += "null";
      return;
    case YamlNode::Kind::kScalar:
      append_scalar(n.text, n.quoted, true, out);
      return;
    case YamlNode::Kind::kList:
      out += '[';
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        if (i > 0) out += ", ";
        append_flow(n.items[i], out);
      }
      out += ']';
      return;
    case YamlNode::Kind::kMap:
      out += '{';
      for (std::size_t i = 0; i < n.entries.size(); ++i) {
        if (i > 0) out += ", ";
        append_scalar(n.entries[i].key, false, true, out);
        out += ": ";
        append_flow(n.entries[i].value, out);
      }
      out += '}';
      return;
  }
}

// The flow text of `n` if it should be written on one line, else nothing.
std::optional<std::string> one_line(const YamlNode& n) {
  constexpr std::size_t kMaxFlow = 72;
  std::string text;
  if (!n.is_list() && !n.is_map()) {
    if (n.is_null()) return "null";
    append_scalar(n.text, n.quoted, false, text);
    return text;
  }
  append_flow(n, text);
  bool scalars_only = true;
  for (const YamlNode& item : n.items)
    scalars_only = scalars_only && !item.is_list() && !item.is_map();
  if ((n.is_list() && scalars_only) || text.size() <= kMaxFlow) return text;
  return std::nullopt;
}

void append_block(const YamlNode& n, int indent, std::string& out);

void append_entries(const YamlNode& map, int indent, bool first_inline, std::string& out) {
  for (std::size_t i = 0; i < map.entries.size(); ++i) {
    const YamlEntry& e = map.entries[i];
    if (i > 0 || !first_inline) out.append(static_cast<std::size_t>(indent), ' ');
    append_scalar(e.key, false, false, out);
    out += ':';
    if (auto flow = one_line(e.value)) {
      out += ' ';
      out += *flow;
      out += '\n';
    } else {
      out += '\n';
      append_block(e.value, indent + 2, out);
    }
  }
}

// Writes a list or mapping that does not fit on one line, at `indent`.
void append_block(const YamlNode& n, int indent, std::string& out) {
  if (n.is_map()) {
    append_entries(n, indent, false, out);
    return;
  }
  for (const YamlNode& item : n.items) {
    out.append(static_cast<std::size_t>(indent), ' ');
    out += "- ";
    auto flow = one_line(item);
    if (item.is_map() && !item.entries.empty() && !flow) {
      append_entries(item, indent + 2, true, out);
    } else if (flow) {
      out += *flow;
      out += '\n';
    } else {
      out += '\n';
      append_block(item, indent + 2, out);
    }
  }
}

}  // namespace

std::string flow_text(const YamlNode& n) {
  std::string out;
  append_flow(n, out);
  return out;
}

std::string emit_yaml(const YamlNode& root) {
  std::string out;
  if (root.is_map() && !root.entries.empty()) {
    append_entries(root, 0, false, out);
  } else if (root.is_list() && !root.items.empty()) {
    append_block(root, 0, out);
  } else {
    append_flow(root, out);
    out += '\n';
  }
  return out;
}

}  // namespace detsim
