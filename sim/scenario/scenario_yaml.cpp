// Reading scenario files and rewriting their trees (`--set`, `--policy`).
#include "scenario/scenario_yaml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "scenario/cursor.hpp"

namespace detsim {

namespace {

constexpr const char* kSetSource = "--set";

[[noreturn]] void set_error(const std::string& path, std::string_view message) {
  throw InputError(format_input_error({intern_source(kSetSource), 1, 1}, path, message));
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    segments.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  for (const std::string& s : segments) {
    if (s.empty()) set_error(path, "expected a path of names separated by single dots");
  }
  return segments;
}

// The `id` of a list item, or nothing.
const std::string* item_id(const YamlNode& item) {
  if (!item.is_map()) return nullptr;
  const YamlNode* id = item.find("id");
  return id && id->is_scalar() ? &id->text : nullptr;
}

// The index of the item `segment` names in `list`: by id, else by index.
std::size_t find_item(const YamlNode& list, const std::string& segment, const std::string& path) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    if (const std::string* id = item_id(list.items[i])) {
      if (*id == segment) return i;
      ids.push_back(*id);
    }
  }
  const bool numeric = !segment.empty() && std::all_of(segment.begin(), segment.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  if (numeric && segment.size() < 10) {
    const std::size_t index = std::stoul(segment);
    if (index < list.items.size()) return index;
    set_error(path, fmt::format("index {} is past the end of the list ({} items)", index,
                                list.items.size()));
  }
  if (ids.empty()) {
    set_error(path, fmt::format("no list item '{}' (the list has {} items: use an index from 0)",
                                segment, list.items.size()));
  }
  set_error(path, fmt::format("no list item with id '{}' (ids: {})", segment, join(ids)));
}

}  // namespace

bool read_file_text(const std::string& path, std::string* text, std::string* why,
                    std::uint64_t max_bytes) {
  std::string ignored;
  if (!why) why = &ignored;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    *why = std::strerror(errno);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    *why = S_ISDIR(st.st_mode) ? "it is a folder, not a file" : "it is not a regular file";
    return false;
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    *why = fmt::format("{} bytes, more than the {} MiB an input file may have", st.st_size,
                       max_bytes >> 20);
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *why = std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    *why = "a read failed";
    return false;
  }
  *text = std::move(buffer).str();
  if (text->size() > max_bytes) {  // grew while read
    *why = fmt::format("more than the {} MiB an input file may have", max_bytes >> 20);
    return false;
  }
  return true;
}

YamlNode read_yaml_file(const std::string& path) {
  std::string text, why;
  if (!read_file_text(path, &text, &why)) {
    throw InputError(fmt::format("{}:1:1: cannot read the file: {}", path, why));
  }
  return parse_yaml(text, path);
}

namespace {

// Where segment `i` of the --set path starts (column from 1).
YamlPos segment_pos(const std::vector<std::string>& segments, std::size_t i) {
  int column = 1;
  for (std::size_t k = 0; k < i; ++k) column += static_cast<int>(segments[k].size()) + 1;
  return {intern_source(kSetSource), 1, column};
}

// Sets `key` of the mapping `node`. A key the mapping did not have is placed
// at its segment of the --set argument, so that a key no scenario has is
// reported there, not in the file.
void set_key(YamlNode* node, const std::string& key, YamlNode value, const YamlPos& at) {
  const bool added = node->find(key) == nullptr;
  node->set(key, std::move(value));
  if (!added) return;
  for (YamlEntry& e : node->entries)
    if (e.key == key) e.key_pos = at;
}

// apply_set from segment `i` on, at `node`.
void apply_segments(YamlNode* node, const std::vector<std::string>& segments, std::size_t i,
                    const std::string& path, const YamlNode& value) {
  for (; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    const bool last = i + 1 == segments.size();
    if (node->is_null() && segment != "*") *node = YamlNode::map(node->pos);
    const std::string walked =
        fmt::format("{}", fmt::join(segments.begin(), segments.begin() + i, "."));
    if (segment == "*") {
      if (!node->is_list()) {
        set_error(path, fmt::format("'*' stands for every item of a list, and '{}' is not a list",
                                    walked));
      }
      for (YamlNode& item : node->items) {
        if (last) {
          item = value;
        } else {
          apply_segments(&item, segments, i + 1, path, value);
        }
      }
      return;
    }
    if (node->is_map()) {
      const YamlPos at = segment_pos(segments, i);
      if (last) {
        set_key(node, segment, value, at);
        return;
      }
      if (!node->find(segment)) set_key(node, segment, YamlNode::map(at), at);
      node = node->find(segment);
    } else if (node->is_list()) {
      YamlNode& item = node->items[find_item(*node, segment, path)];
      if (last) {
        item = value;
        return;
      }
      node = &item;
    } else {
      set_error(path,
                fmt::format("'{}' is a value ({}), not a mapping or a list", walked, node->text));
    }
  }
}

}  // namespace

YamlPos locate_path(const YamlNode& root, const std::string& path) {
  const YamlNode* node = &root;
  YamlPos at = root.pos;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t dot = path.find('.', start);
    if (dot == std::string::npos) dot = path.size();
    const std::string segment = path.substr(start, dot - start);
    start = dot + 1;
    const YamlNode* next = nullptr;
    YamlPos key_pos;
    if (node->is_map()) {
      for (const YamlEntry& e : node->entries)
        if (e.key == segment) {
          next = &e.value;
          key_pos = e.key_pos;
        }
    } else if (node->is_list()) {
      for (const YamlNode& item : node->items)
        if (const std::string* id = item_id(item); id && *id == segment) next = &item;
      const bool numeric = !segment.empty() && segment.size() < 10 &&
                           std::all_of(segment.begin(), segment.end(), [](char c) {
                             return std::isdigit(static_cast<unsigned char>(c));
                           });
      if (!next && numeric && std::stoul(segment) < node->items.size())
        next = &node->items[std::stoul(segment)];
    }
    if (!next) break;
    node = next;
    if (node->pos.known())
      at = node->pos;
    else if (key_pos.known())
      at = key_pos;
  }
  return at;
}

void apply_set(YamlNode& root, const std::string& path, const YamlNode& value) {
  apply_segments(&root, split_path(path), 0, path, value);
}

void apply_set_argument(YamlNode& root, const std::string& argument) {
  const std::size_t eq = argument.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError(format_input_error({intern_source(kSetSource), 1, 1}, "",
                                        fmt::format("expected PATH=VALUE, found '{}'", argument)));
  }
  const std::string path = argument.substr(0, eq);
  const YamlNode value =
      parse_yaml(std::string_view(argument).substr(eq + 1), kSetSource, static_cast<int>(eq + 1));
  apply_set(root, path, value);
}

void apply_policy_override(YamlNode& root, const std::string& name) {
  if (!root.is_map()) return;  // resolving reports it
  const YamlPos at{intern_source("--policy"), 1, 1};
  YamlNode state = YamlNode::map(at);
  state.set("policy", YamlNode::scalar(name, at));
  state.set("preempts", YamlNode::scalar("true", at));
  root.set("state", std::move(state));
  root.erase("policy_changes");
}

}  // namespace detsim
