// Parsing YAML text into YamlNode trees, through yaml-cpp's event parser.
#include "scenario/yaml_tree.hpp"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_set>
#include <vector>

#include "detsim/load.hpp"

namespace detsim {

namespace {

// Upper bound on nodes once aliases are expanded ("billion laughs"); a node
// takes about 150 bytes.
constexpr std::size_t kMaxNodes = 1'000'000;

std::size_t count_nodes(const YamlNode& n) {
  std::size_t count = 1;
  for (const YamlNode& item : n.items) count += count_nodes(item);
  for (const YamlEntry& e : n.entries) count += 1 + count_nodes(e.value);
  return count;
}

}  // namespace

// ---- UTF-8 ---------------------------------------------------------------

std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

namespace {

// Throws InputError at the first byte that is not UTF-8 text (control
// characters other than tab, newline and carriage return included).
void check_text(std::string_view text, const std::string& source, int column_offset) {
  // CR-only line endings (classic Mac OS) would read as one line.
  if (text.find('\r') != std::string_view::npos && text.find('\n') == std::string_view::npos) {
    const std::size_t cr = text.find('\r');
    if (text.find_first_not_of(" \t\r", cr) != std::string_view::npos)
      throw InputError(fmt::format(
          "{}:1:{}: the lines end with CR alone (old Mac line endings); save the file with LF "
          "or CRLF line endings",
          source, cr + 1 + static_cast<std::size_t>(column_offset)));
  }
  int line = 1, column = 1 + column_offset;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_length(text, i);
    if (n == 0) {
      throw InputError(fmt::format("{}:{}:{}: the text is not valid UTF-8 (byte 0x{:02X})", source,
                                   line, column, c));
    }
    if (n == 1 && (c < 0x20 || c == 0x7F) && c != '\t' && c != '\n' && c != '\r') {
      throw InputError(
          fmt::format("{}:{}:{}: a control character (0x{:02X}) is not allowed in YAML", source,
                      line, column, c));
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += n;
  }
}

// ---- Likely causes of a syntax error ---------------------------------------

struct SyntaxHint {
  int line = 0;  // 1-based; 0: no hint
  int column = 1;
  std::string cause;
};

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

std::size_t indent_of(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos ? line.size()
                                                                 : line.find_first_not_of(" \t");
}

bool is_blank(std::string_view line) {
  const std::size_t i = line.find_first_not_of(" \t");
  return i == std::string_view::npos || line[i] == '#';
}

// The likely cause of a parser error reported at `error_line` (1-based):
// a tab in the indentation, a key without its colon, or an indentation that
// matches no enclosing block. Looks at the error's line and the non-blank
// line before it (the parser often reports one line late).
SyntaxHint syntax_hint(std::string_view text, int error_line) {
  const std::vector<std::string_view> lines = split_lines(text);
  if (error_line < 1 || static_cast<std::size_t>(error_line) > lines.size()) return {};
  int prev = error_line - 1;
  while (prev >= 1 && is_blank(lines[prev - 1])) --prev;
  for (int n : {prev, error_line}) {
    if (n < 1) continue;
    const std::string_view l = lines[n - 1];
    const std::size_t tab = l.find('\t');
    if (tab != std::string_view::npos && tab <= indent_of(l))
      return {n, static_cast<int>(tab) + 1,
              "a tab in the indentation: YAML indents with spaces only"};
  }
  if (prev >= 1) {
    const std::string_view p = lines[prev - 1];
    std::string_view body = p.substr(indent_of(p));
    if (body.rfind("- ", 0) == 0) body.remove_prefix(2);
    const bool plain_key = !body.empty() && body.find(':') == std::string_view::npos &&
                           body.find_first_of("[]{},\"'|>#") == std::string_view::npos &&
                           body.find(' ') == std::string_view::npos && body != "-";
    if (plain_key)
      return {prev, static_cast<int>(indent_of(p)) + 1,
              fmt::format("missing colon: `{}` looks like a key without its `:`", body)};
  }
  const std::string_view e = lines[error_line - 1];
  if (!is_blank(e) && prev >= 1) {
    const std::size_t indent = indent_of(e);
    const std::string_view p = lines[prev - 1];
    std::string_view pb = p.substr(0, p.find(" #"));
    while (!pb.empty() && pb.back() == ' ') pb.remove_suffix(1);
    const bool opens = !pb.empty() && (pb.back() == ':' || pb.back() == '|' || pb.back() == '>' ||
                                       pb.back() == '-');
    if (indent > indent_of(p) && !opens)
      return {error_line, static_cast<int>(indent) + 1,
              fmt::format("bad indentation: this line is indented more than line {}, which "
                          "opens no block",
                          prev)};
    bool matches = indent == 0;
    for (int n = error_line - 1; n >= 1 && !matches; --n) {
      if (!is_blank(lines[n - 1]) && indent_of(lines[n - 1]) == indent) matches = true;
    }
    if (!matches)
      return {error_line, static_cast<int>(indent) + 1,
              "bad indentation: no line above starts at this column"};
  }
  return {};
}

// ---- Building a tree from parser events -----------------------------------

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string* source, int column_offset)
      : source_(source), column_offset_(column_offset) {}

  bool has_root() const { return root_.has_value(); }
  YamlNode take_root() { return std::move(*root_); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YamlNode n;
    n.pos = pos(mark);
    add(std::move(n), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor >= anchors_.size() || !anchors_[anchor]) {
      fail(pos(mark), "an alias (*) may not refer to a node that contains it");
    }
    const std::size_t size = anchor_sizes_[anchor];
    if (nodes_ + size > kMaxNodes) fail(pos(mark), "too many YAML nodes (aliases expanded)");
    nodes_ += size - 1;  // add() counts the copy's root
    add(*anchors_[anchor], 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_tag(mark, tag);
    YamlNode n = YamlNode::scalar(value, pos(mark));
    n.quoted = tag == "!" || tag == "tag:yaml.org,2002:str";
    add(std::move(n), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    check_tag(mark, tag);
    open(YamlNode::Kind::kList, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    check_tag(mark, tag);
    open(YamlNode::Kind::kMap, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    YamlNode node;
    YAML::anchor_t anchor = 0;
    bool has_key = false;
    std::string key;
    YamlPos key_pos;
    std::unordered_set<std::string> keys;  // for the duplicate check
  };

  // Tags are no part of the format: a custom one (`!custom 365`) would be
  // read as its plain value. Only the non-specific tags and `!!str` pass.
  void check_tag(const YAML::Mark& mark, const std::string& tag) const {
    if (tag.empty() || tag == "?" || tag == "!" || tag == "tag:yaml.org,2002:str") return;
    fail(pos(mark), fmt::format("unknown YAML tag '{}': the format has no tags (quote the value "
                                "if the text is meant)",
                                tag));
  }

  YamlPos pos(const YAML::Mark& mark) const {
    if (mark.is_null()) return {source_, 1, 1 + column_offset_};
    const int shift = mark.line == 0 ? column_offset_ : 0;
    return {source_, mark.line + 1, mark.column + 1 + shift};
  }

  [[noreturn]] void fail(const YamlPos& at, std::string_view message) const {
    throw InputError(fmt::format("{}:{}:{}: {}", *source_, at.line, at.column, message));
  }

  void open(YamlNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    Frame frame;
    frame.node.kind = kind;
    frame.node.pos = pos(mark);
    frame.anchor = anchor;
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    add(std::move(frame.node), frame.anchor);
  }

  void add(YamlNode node, YAML::anchor_t anchor) {
    if (++nodes_ > kMaxNodes)
      fail(node.pos,
           fmt::format("too many YAML nodes: more than {} (aliases count as expanded)", kMaxNodes));
    if (anchor != 0) {
      if (anchors_.size() <= anchor) {
        anchors_.resize(anchor + 1);
        anchor_sizes_.resize(anchor + 1);
      }
      anchors_[anchor] = node;
      anchor_sizes_[anchor] = count_nodes(node);
    }
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& top = stack_.back();
    if (top.node.is_list()) {
      top.node.items.push_back(std::move(node));
    } else if (!top.has_key) {
      take_key(top, node);
    } else {
      // yaml-cpp places an empty value at the next token; report it at its key.
      if (node.is_null() && node.pos.line > top.key_pos.line) node.pos = top.key_pos;
      top.has_key = false;
      top.node.entries.push_back({std::move(top.key), top.key_pos, std::move(node)});
    }
  }

  void take_key(Frame& top, const YamlNode& key) {
    if (!key.is_scalar())
      fail(key.pos, "a mapping key must be a plain name, not a list, mapping or null");
    if (!top.keys.insert(key.text).second) {
      for (const YamlEntry& e : top.node.entries) {
        if (e.key == key.text) {
          fail(key.pos, fmt::format("duplicate key '{}' (first given at line {})", key.text,
                                    e.key_pos.line));
        }
      }
    }
    top.has_key = true;
    top.key = key.text;
    top.key_pos = key.pos;
  }

  const std::string* source_;
  int column_offset_;
  std::vector<Frame> stack_;
  std::vector<std::optional<YamlNode>> anchors_;
  std::vector<std::size_t> anchor_sizes_;
  std::optional<YamlNode> root_;
  std::size_t nodes_ = 0;
};

// Receives a second document only to say where it starts.
class DocumentProbe : public YAML::EventHandler {
 public:
  YAML::Mark start;
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

const std::string* intern_source(std::string_view name) {
  static std::mutex mu;
  static std::set<std::string, std::less<>> names;  // node-based: pointers stay valid
  std::lock_guard<std::mutex> lock(mu);
  auto it = names.find(name);
  if (it == names.end()) it = names.emplace(name).first;
  return &*it;
}

const YamlNode* YamlNode::find(std::string_view key) const {
  for (const YamlEntry& e : entries) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

YamlNode* YamlNode::find(std::string_view key) {
  for (YamlEntry& e : entries) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

void YamlNode::set(std::string_view key, YamlNode value) {
  if (YamlNode* old = find(key)) {
    *old = std::move(value);
  } else {
    entries.push_back({std::string(key), value.pos, std::move(value)});
  }
}

void YamlNode::erase(std::string_view key) {
  std::erase_if(entries, [&](const YamlEntry& e) { return e.key == key; });
}

YamlNode YamlNode::scalar(std::string text, YamlPos pos) {
  YamlNode n;
  n.kind = Kind::kScalar;
  n.text = std::move(text);
  n.pos = pos;
  return n;
}

YamlNode YamlNode::map(YamlPos pos) {
  YamlNode n;
  n.kind = Kind::kMap;
  n.pos = pos;
  return n;
}

YamlNode parse_yaml(std::string_view text, const std::string& source, int column_offset) {
  check_text(text, source, column_offset);
  const std::string* name = intern_source(source);
  std::istringstream in{std::string(text)};
  TreeBuilder builder(name, column_offset);
  try {
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(builder) || !builder.has_root()) {
      YamlNode empty;
      empty.pos = {name, 1, 1 + column_offset};
      return empty;
    }
    DocumentProbe probe;
    if (parser.HandleNextDocument(probe)) {
      throw InputError(fmt::format("{}:{}:{}: only one YAML document is allowed", source,
                                   probe.start.line + 1, probe.start.column + 1));
    }
  } catch (const YAML::DeepRecursion& e) {
    throw InputError(fmt::format("{}:{}:{}: YAML nested more than {} levels deep", source,
                                 e.mark.line + 1, e.mark.column + 1, e.depth()));
  } catch (const YAML::Exception& e) {
    const int line = e.mark.is_null() ? 1 : e.mark.line + 1;
    const int column = e.mark.is_null() ? 1 : e.mark.column + 1 + (line == 1 ? column_offset : 0);
    const SyntaxHint hint = syntax_hint(text, line);
    if (hint.line > 0) {
      throw InputError(fmt::format(
          "{}:{}:{}: YAML syntax error: {} (the parser stopped at {}:{}: {})", source, hint.line,
          hint.column + (hint.line == 1 ? column_offset : 0), hint.cause, line, column, e.msg));
    }
    throw InputError(fmt::format("{}:{}:{}: YAML syntax error: {}", source, line, column, e.msg));
  }
  return builder.take_root();
}

}  // namespace detsim
