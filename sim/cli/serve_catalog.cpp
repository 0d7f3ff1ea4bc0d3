// `detsim serve`: the shipped scenarios, read at start-up, and what the
// page shows of each (sliders for its key unknowns, illustrative inputs).
#include <fmt/core.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <cctype>
#include <sstream>

#include "cli/serve.hpp"
#include "detsim/load.hpp"
#include "scenario/facility_table.hpp"
#include "scenario/scenario_yaml.hpp"

namespace detsim::cli::serve {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", p.string()));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

// The folder of the running program.
fs::path own_folder() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path{} : exe.parent_path();
}

}  // namespace

std::string find_next_to_program(const char* installed, const char* source) {
  fs::path dir = own_folder();
  for (int up = 0; up < 5 && !dir.empty(); ++up, dir = dir.parent_path()) {
    for (const char* sub : {installed, source}) {
      std::error_code ec;
      if (fs::is_directory(dir / sub, ec)) return (dir / sub).string();
    }
    if (dir == dir.root_path()) break;
  }
  return source;
}

// ---- Errors of the scenario loader as JSON ---------------------------------------

// "FILE:LINE:COL: KEY.PATH: message" -> {line, column, key, message}. Read
// by hand, not with std::regex, whose matching recurses once per character
// (a long message would overflow the stack).
json error_json(const std::string& what) {
  const auto digits = [&](std::size_t at, std::size_t* end) {
    std::size_t k = at;
    while (k < what.size() && k - at < 9 && std::isdigit(static_cast<unsigned char>(what[k]))) ++k;
    *end = k;
    return k > at;
  };
  for (std::size_t colon = what.find(':'); colon != std::string::npos;
       colon = what.find(':', colon + 1)) {
    std::size_t line_end = 0, col_end = 0;
    if (!digits(colon + 1, &line_end) || line_end >= what.size() || what[line_end] != ':' ||
        !digits(line_end + 1, &col_end) || what.compare(col_end, 2, ": ") != 0)
      continue;
    std::string key, message = what.substr(col_end + 2);
    const std::size_t key_end = message.find(": ");
    if (key_end != std::string::npos && key_end > 0 &&
        message.find_first_of(" \t\n\r\f\v:") >= key_end) {
      key = message.substr(0, key_end);
      message.erase(0, key_end + 2);
    }
    return {{"line", std::stoi(what.substr(colon + 1, line_end - colon - 1))},
            {"column", std::stoi(what.substr(line_end + 1, col_end - line_end - 1))},
            {"key", key},
            {"message", message}};
  }
  return {{"line", nullptr}, {"column", nullptr}, {"key", ""}, {"message", what}};
}

namespace {

// ---- Sliders: the key unknowns a scenario lets the page change -------------------

struct KnobDef {
  const char* path;
  const char* label;
  double min, max, step;
};

constexpr KnobDef kKnobs[] = {
    {"population.noncitizen_share", "noncitizen share of bookings", 0, 1, 0.01},
    {"ice.match_probability", "ICE match probability", 0, 1, 0.01},
    {"ice.pickup.delay.median_hours", "ICE pickup delay, median hours", 1, 240, 1},
    {"ice.pickup.teams", "ICE pickup teams (0: unlimited)", 0, 50, 1},
    {"detainer_hold.limit_hours", "hold limit, hours", 0, 168, 1},
};

json knobs_of(const std::string& text) {
  json out = json::array();
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const std::exception&) {
    return out;
  }
  auto at = [&](const std::string& path) {
    YAML::Node n = YAML::Clone(root);
    std::stringstream ss(path);
    std::string part;
    while (std::getline(ss, part, '.')) {
      if (!n.IsMap()) return YAML::Node();
      n = n[part];
      if (!n.IsDefined()) return YAML::Node();
    }
    return n;
  };
  auto add = [&](const std::string& path, const std::string& label, double lo, double hi,
                 double step) {
    const YAML::Node n = at(path);
    if (!n.IsDefined()) return;
    double value = 0;
    if (n.IsNull()) {
      if (path != "ice.pickup.teams") return;
    } else if (n.IsScalar()) {
      try {
        value = n.as<double>();
      } catch (const std::exception&) {
        return;
      }
    } else {
      return;
    }
    out.push_back({{"path", path},
                   {"label", label},
                   {"value", value},
                   {"min", lo},
                   {"max", hi},
                   {"step", step}});
  };
  for (const KnobDef& k : kKnobs) {
    add(k.path, k.label, k.min, k.max, k.step);
    if (std::string(k.path) == "ice.match_probability") {
      const YAML::Node lodge = at("ice.lodge_probability");
      if (lodge.IsMap())
        for (const auto& kv : lodge) {
          const std::string key = kv.first.as<std::string>();
          add("ice.lodge_probability." + key, "ICE lodge probability, " + key, 0, 1, 0.01);
        }
    }
  }
  return out;
}

// The keys whose line in the file is marked `illustrative`, as dotted paths
// (list items by their id).
json illustrative_keys(const std::string& text) {
  std::vector<std::pair<int, std::string>> stack;  // indent, key
  json out = json::array();
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) {
    // INDENT [- ]KEY[ ]*:REST, read by hand (std::regex recurses once per
    // character: a long line would overflow the stack).
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos) continue;
    int indent = static_cast<int>(i);
    const bool item = line.compare(i, 2, "- ") == 0;
    if (item) i += 2;
    const auto word = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    };
    if (i >= line.size() || !(std::isalpha(static_cast<unsigned char>(line[i])) || line[i] == '_'))
      continue;
    std::size_t end = i;
    while (end < line.size() && word(line[end])) ++end;
    const std::string key = line.substr(i, end - i);
    end = line.find_first_not_of(" \t", end);
    if (end == std::string::npos || line[end] != ':') continue;
    const std::string rest = line.substr(end + 1);
    if (item) {  // a list item: named by its id
      while (!stack.empty() && stack.back().first >= indent) stack.pop_back();
      std::string id = rest;
      const auto hash = id.find('#');
      if (hash != std::string::npos) id.resize(hash);
      id.erase(0, id.find_first_not_of(" \t"));
      id.erase(id.find_last_not_of(" \t") + 1);
      stack.push_back({indent, key == "id" ? id : key});
      indent += 2;
    }
    while (!stack.empty() && stack.back().first >= indent) stack.pop_back();
    const auto hash = rest.find('#');
    if (hash != std::string::npos && rest.find("illustrative", hash) != std::string::npos) {
      std::string path;
      for (const auto& s : stack) path += s.second + ".";
      out.push_back(path + key);
    }
    stack.push_back({indent, key});
  }
  return out;
}

}  // namespace

// ---- The shipped scenarios -------------------------------------------------------

json scenario_info(const Scenario& s, const std::string& text) {
  double bookings_per_day = 0;
  for (const Facility& f : s.facilities) bookings_per_day += f.bookings_per_day;
  json facilities = json::array();
  for (const Facility& f : s.facilities) facilities.push_back(f.id);
  return {{"name", s.name},
          {"description", s.description},
          {"replications", s.replications},
          {"seed", s.seed},
          {"horizon_days", s.horizon_days},
          {"bookings_per_day", bookings_per_day},
          {"facilities", facilities},
          {"knobs", knobs_of(text)},
          {"illustrative", illustrative_keys(text)}};
}

std::vector<Shipped> load_shipped(const std::string& dir) {
  std::vector<Shipped> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
    // Named as from the project folder (`detsim run scenarios/NAME.yaml`), so
    // that messages and resolved scenarios match the CLI's and reveal no
    // folder of the server.
    Shipped s{e.path().stem().string(),
              "scenarios/" + e.path().filename().string(),
              read_file(e.path()),
              {},
              {}};
    try {
      // A facility table is read now, from beside the file (its rows become
      // facilities of the tree, as for `detsim run`).
      s.tree = parse_yaml(s.text, s.path);
      expand_facilities_table(s.tree, e.path().string());
      const Scenario sc = resolve_scenario(s.tree, s.path, {});
      s.info = scenario_info(sc, s.text);
      s.info["file"] = e.path().filename().string();
      s.info["id"] = s.name;
      out.push_back(std::move(s));
    } catch (const std::exception& ex) {
      fmt::print(stderr, "detsim serve: skipping {}: {}\n", e.path().string(), ex.what());
    }
  }
  if (ec) throw std::runtime_error(fmt::format("cannot read {}: {}", dir, ec.message()));
  std::sort(out.begin(), out.end(),
            [](const Shipped& a, const Shipped& b) { return a.name < b.name; });
  return out;
}

}  // namespace detsim::cli::serve
