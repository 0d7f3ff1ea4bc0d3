// `detsim policies`: the preset policies, listed or shown in full.
#include <fmt/core.h>

#include <algorithm>

#include "cli/cli.hpp"
#include "detsim/load.hpp"
#include "scenario/check.hpp"
#include "scenario/policy_load.hpp"

namespace detsim::cli {
namespace {

std::string describe_rule(const Rule& r, const std::vector<std::string>& offense_ids) {
  std::vector<std::string> when;
  const auto flag = [&](const char* name, std::int8_t v) {
    if (v >= 0) when.push_back(fmt::format("{}: {}", name, v ? "true" : "false"));
  };
  flag("judicial_warrant", r.judicial_warrant);
  if (r.warrants) {
    std::string s;
    for (std::size_t i = 0; i < std::size(kWarrantNames); ++i)
      if (r.warrants & (1u << i)) s += (s.empty() ? "" : ", ") + std::string(kWarrantNames[i]);
    when.push_back("warrant: [" + s + "]");
  }
  flag("convicted", r.convicted);
  flag("pretrial", r.pretrial);
  flag("prior_serious", r.prior_serious);
  flag("status_proven", r.status_proven);
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
  const auto catalog = PresetCatalog::get(default_preset_dir());
  if (!catalog->error().empty()) throw InputError(catalog->error());
  const std::vector<Preset>& presets = catalog->presets();
  if (!vm.count("name")) {
    std::size_t width = 0;
    for (const Preset& p : presets) width = std::max(width, p.policy.name.size());
    for (const Preset& p : presets) {
      const std::string& d = p.policy.description;
      const std::string first_line = d.substr(0, d.find('\n'));
      const std::string alias = p.alias_of.empty() ? "" : "(= " + p.alias_of + ") ";
      fmt::print("{:<{}}  {}{}\n", p.policy.name, width, alias, first_line);
    }
    return 0;
  }
  const std::string name = vm["name"].as<std::string>();
  const Preset* preset = catalog->find(name);
  if (!preset) {
    throw UsageError{
        fmt::format("no preset policy '{}' (presets: {})", name, join(catalog->names()))};
  }
  const Policy& policy = preset->policy;
  fmt::print("{}\n\n{}\n\n", policy.name, policy.description);
  if (!preset->alias_of.empty())
    fmt::print("another name for {}: the same rules, the same results\n\n", preset->alias_of);
  if (policy.local_option) {
    fmt::print("no rules: each facility's own policy applies (a state policy only)\n");
    return 0;
  }
  fmt::print("rules (first match wins):\n");
  if (policy.rules.empty()) fmt::print("  (none)\n");
  for (const Rule& r : policy.rules) fmt::print("  {}\n", describe_rule(r, {}));
  fmt::print("default: {}\n", to_string(policy.default_action));
  if (policy.warrant_service_287g)
    fmt::print(
        "holds are made under a 287(g) warrant-service agreement (also counted in "
        "held_under_287g)\n");
  return 0;
}

}  // namespace detsim::cli
