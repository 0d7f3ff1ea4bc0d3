// `detsim policies`: the preset policies, listed or shown in full.
#include <fmt/core.h>

#include <algorithm>

#include "cli/cli.hpp"
#include "detsim/load.hpp"

namespace detsim::cli {
namespace {

std::string describe_rule(const Rule& r, const std::vector<std::string>& offense_ids) {
  std::vector<std::string> when;
  const auto flag = [&](const char* name, std::int8_t v) {
    if (v >= 0) when.push_back(fmt::format("{}: {}", name, v ? "true" : "false"));
  };
  flag("judicial_warrant", r.judicial_warrant);
  flag("convicted", r.convicted);
  flag("prior_serious", r.prior_serious);
  if (r.severities) {
    std::string s;
    for (int i = 0; i < 3; ++i)
      if (r.severities & (1u << i))
        s += (s.empty() ? "" : ", ") + std::string(to_string(static_cast<Severity>(i)));
    when.push_back("severity: [" + s + "]");
  }
  if (r.facility_kinds) {
    std::string s;
    for (int i = 0; i < 2; ++i)
      if (r.facility_kinds & (1u << i))
        s += (s.empty() ? "" : ", ") + std::string(to_string(static_cast<FacilityKind>(i)));
    when.push_back("facility_kind: [" + s + "]");
  }
  if (!r.offenses.empty()) {
    std::string s;
    for (int c : r.offenses)
      s += (s.empty() ? "" : ", ") +
           (c < static_cast<int>(offense_ids.size()) ? offense_ids[c] : std::to_string(c));
    when.push_back("offense: [" + s + "]");
  }
  std::string joined;
  for (const auto& w : when) joined += (joined.empty() ? "" : ", ") + w;
  std::string out = fmt::format("{{{}}} -> {}", joined, to_string(r.action));
  if (r.compliance < 1) {
    out += fmt::format(" with compliance {}, otherwise {}", r.compliance,
                       r.has_otherwise ? to_string(r.otherwise) : "the default");
  }
  return out;
}

}  // namespace

int policies_command(const Args& args) {
  po::options_description options("policies options");
  options.add_options()("help,h", "show this help")("name", po::value<std::string>(),
                                                    "a preset to show in full");
  po::positional_options_description positional;
  positional.add("name", 1);
  po::variables_map vm;
  if (!parse(args, options, positional, "usage: detsim policies [NAME]", vm)) return 0;
  const std::vector<Policy> presets = load_presets();
  if (!vm.count("name")) {
    std::size_t width = 0;
    for (const Policy& p : presets) width = std::max(width, p.name.size());
    for (const Policy& p : presets) {
      const std::string first_line = p.description.substr(0, p.description.find('\n'));
      fmt::print("{:<{}}  {}\n", p.name, width, first_line);
    }
    return 0;
  }
  const std::string name = vm["name"].as<std::string>();
  const auto it =
      std::find_if(presets.begin(), presets.end(), [&](const Policy& p) { return p.name == name; });
  if (it == presets.end()) {
    std::string known;
    for (const Policy& p : presets) known += (known.empty() ? "" : ", ") + p.name;
    throw UsageError{fmt::format("no preset policy '{}' (presets: {})", name, known)};
  }
  fmt::print("{}\n\n{}\n\n", it->name, it->description);
  if (it->local_option) {
    fmt::print("no rules: each facility's own policy applies (a state policy only)\n");
    return 0;
  }
  fmt::print("rules (first match wins):\n");
  if (it->rules.empty()) fmt::print("  (none)\n");
  for (const Rule& r : it->rules) fmt::print("  {}\n", describe_rule(r, {}));
  fmt::print("default: {}\n", to_string(it->default_action));
  return 0;
}

}  // namespace detsim::cli
