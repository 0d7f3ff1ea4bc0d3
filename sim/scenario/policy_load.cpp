#include "scenario/policy_load.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>

#include "detsim/load.hpp"
#include "scenario/scenario_yaml.hpp"

namespace detsim {

namespace {

// A scalar or a non-empty list of scalars, as cursors.
std::vector<Cursor> one_or_more(const Cursor& c, std::string_view what) {
  if (c.node().is_scalar()) return {c};
  std::vector<Cursor> items = c.items(what);
  if (items.empty()) c.expected(what);
  return items;
}

Action read_action(const Cursor& c) {
  return static_cast<Action>(read_choice(c, kActionNames));
}

std::int8_t read_flag(const Cursor& c) {
  return read_bool(c) ? 1 : 0;
}

void read_offense_condition(const Cursor& c, const OffenseCatalog* offenses, Rule& r) {
  if (!offenses) {
    c.fail("a preset cannot name offenses (offense ids belong to a scenario); use 'severity'");
  }
  for (const Cursor& item : one_or_more(c, "an offense id or a non-empty list of them")) {
    const std::string id = read_string(item);
    const int category = offenses->find(id);
    if (category < 0) {
      item.fail(fmt::format("unknown offense '{}'{} (ids: {})", id,
                            did_you_mean(id, offenses->ids()), join(offenses->ids())));
    }
    r.offenses.push_back(category);
  }
}

void read_when(const Cursor& c, const OffenseCatalog* offenses, Rule& r) {
  const MapReader m(c, {"judicial_warrant", "offense", "severity", "convicted", "prior_serious",
                        "facility_kind", "pretrial", "status_proven", "warrant"});
  if (auto x = m.find("judicial_warrant")) r.judicial_warrant = read_flag(*x);
  if (auto x = m.find("pretrial")) r.pretrial = read_flag(*x);
  if (auto x = m.find("status_proven")) r.status_proven = read_flag(*x);
  if (auto x = m.find("warrant")) {
    for (const Cursor& item : one_or_more(*x, "judicial, federal_criminal, none or a list")) {
      r.warrants = static_cast<std::uint8_t>(r.warrants | (1u << read_choice(item, kWarrantNames)));
    }
  }
  if (auto x = m.find("convicted")) r.convicted = read_flag(*x);
  if (auto x = m.find("prior_serious")) r.prior_serious = read_flag(*x);
  if (auto x = m.find("offense")) read_offense_condition(*x, offenses, r);
  if (auto x = m.find("severity")) {
    for (const Cursor& item : one_or_more(*x, "a severity or a non-empty list of severities")) {
      r.severities =
          static_cast<std::uint8_t>(r.severities | (1u << read_choice(item, kSeverityNames)));
    }
  }
  if (auto x = m.find("facility_kind")) {
    for (const Cursor& item : one_or_more(*x, "jail, prison or a non-empty list of them")) {
      r.facility_kinds = static_cast<std::uint8_t>(r.facility_kinds |
                                                   (1u << read_choice(item, kFacilityKindNames)));
    }
  }
}

Rule read_rule(const Cursor& c, const OffenseCatalog* offenses) {
  const MapReader m(c, {"when", "action", "compliance", "otherwise"});
  Rule r;
  if (auto w = m.find("when")) read_when(*w, offenses, r);
  r.action = read_action(m.required("action"));
  if (auto x = m.find("compliance")) r.compliance = read_number(*x, probability());
  if (auto x = m.find("otherwise")) {
    r.has_otherwise = true;
    r.otherwise = read_action(*x);
  }
  return r;
}

std::string read_text_file(const std::filesystem::path& path) {
  std::string text, why;
  if (!read_file_text(path.string(), &text, &why)) {
    throw InputError(fmt::format("{}:1:1: cannot read the file: {}", path.string(), why));
  }
  return text;
}

}  // namespace

Policy read_policy(const Cursor& c, const std::string& name, const OffenseCatalog* offenses) {
  const MapReader m = offenses ? MapReader(c, {"description", "default", "rules", "local_option",
                                               "warrant_service_287g"})
                               : MapReader(c, {"name", "description", "default", "rules",
                                               "local_option", "warrant_service_287g"});
  Policy p;
  p.name = name;
  if (auto d = m.find("description"); d && !d->node().is_null()) p.description = read_string(*d);
  if (auto x = m.find("local_option")) p.local_option = read_bool(*x);
  if (auto x = m.find("warrant_service_287g")) p.warrant_service_287g = read_bool(*x);
  if (p.local_option) {
    for (std::string_view key : {"default", "rules", "warrant_service_287g"}) {
      if (auto x = m.find(key)) {
        x->fail(
            "a local_option policy leaves each facility its own policy; it has no default, "
            "rules or warrant_service_287g");
      }
    }
    return p;
  }
  p.default_action = read_action(m.required("default"));
  if (auto r = m.find("rules"); r && !r->node().is_null()) {
    for (const Cursor& item : r->items("a list of rules"))
      p.rules.push_back(read_rule(item, offenses));
  }
  return p;
}

// ---- Presets ---------------------------------------------------------------------

namespace {

// The folder of the binary or shared object this code is linked into (the
// `detsim` tool, a program using the library, the Python module).
std::filesystem::path own_folder() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<const void*>(&own_folder), &info) == 0 || !info.dli_fname) return {};
  std::error_code ec;
  const auto file = std::filesystem::canonical(info.dli_fname, ec);
  return ec ? std::filesystem::path{} : file.parent_path();
}

// Presets next to the code: a build tree (build/PRESET/ below the source
// folder: SOURCE/scenarios/policies) or an installation
// (PREFIX/bin or PREFIX/lib...: PREFIX/share/detsim/policies), looked for in
// the code's folder and up to four folders above it.
std::string installed_preset_dir() {
  std::filesystem::path dir = own_folder();
  for (int up = 0; up < 5 && !dir.empty(); ++up, dir = dir.parent_path()) {
    for (const char* sub : {"share/detsim/policies", "scenarios/policies"}) {
      std::error_code ec;
      if (std::filesystem::is_directory(dir / sub, ec)) return (dir / sub).string();
    }
    if (dir == dir.root_path()) break;
  }
  return "scenarios/policies";
}

}  // namespace

std::string preset_dir_for(const std::string& options_dir) {
  if (!options_dir.empty()) return options_dir;
  const char* env = std::getenv("DETSIM_PRESETS");
  if (env && *env) return env;
  static const std::string found = installed_preset_dir();
  return found;
}

std::shared_ptr<const PresetCatalog> PresetCatalog::get(const std::string& dir) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const PresetCatalog>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[dir];
  if (!slot) slot.reset(new PresetCatalog(dir));
  return slot;
}

PresetCatalog::PresetCatalog(std::string dir) : dir_(std::move(dir)) {
  read_folder();
}

void PresetCatalog::read_folder() {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".yaml") files.push_back(it->path());
  }
  if (ec) {
    error_ = fmt::format("{}: cannot read the preset folder ({})", dir_, ec.message());
    return;
  }
  std::sort(files.begin(), files.end());
  // Aliases are resolved once every preset is read: (alias, its file's tree).
  std::vector<std::pair<std::string, YamlNode>> aliases;
  for (const fs::path& file : files) {
    try {
      YamlNode root = parse_yaml(read_text_file(file), file.string());
      const std::string name = file.stem().string();
      check_preset_name(root, name);
      if (root.find("alias_of")) {
        aliases.emplace_back(name, std::move(root));
        continue;
      }
      const Cursor c(root, "", root.pos);
      Preset preset{read_policy(c, name, nullptr), root, {}};
      preset.entry.erase("name");
      presets_.push_back(std::move(preset));
    } catch (const InputError& e) {
      if (error_.empty()) error_ = e.what();
    }
  }
  std::vector<Preset> resolved;
  for (const auto& [name, root] : aliases) {
    try {
      resolved.push_back(alias_preset(root, name));
    } catch (const InputError& e) {
      if (error_.empty()) error_ = e.what();
    }
  }
  for (Preset& p : resolved) presets_.push_back(std::move(p));
  std::sort(presets_.begin(), presets_.end(),
            [](const Preset& a, const Preset& b) { return a.policy.name < b.policy.name; });
}

void check_preset_name(const YamlNode& root, const std::string& name) {
  const Cursor c(root, "", root.pos);
  const bool alias = root.is_map() && root.find("alias_of");
  const Cursor name_key = alias ? MapReader(c, {"name", "description", "alias_of"}).required("name")
                                : MapReader(c, {"name", "description", "default", "rules",
                                                "local_option", "warrant_service_287g"})
                                      .required("name");
  if (read_string(name_key) != name) {
    name_key.expected(fmt::format("'{}' (the file's name)", name));
  }
}

Preset PresetCatalog::alias_preset(const YamlNode& root, const std::string& name) const {
  const Cursor c(root, "", root.pos);
  const MapReader m(c, {"name", "description", "alias_of"});
  const Cursor target_key = m.required("alias_of");
  const std::string target_name = read_string(target_key);
  const Preset* target = find(target_name);
  if (!target || !target->alias_of.empty()) {
    target_key.fail(fmt::format("no preset '{}' to be another name for{} (presets: {})",
                                target_name, did_you_mean(target_name, names()), join(names())));
  }
  Preset alias{target->policy, target->entry, target_name};
  alias.policy.name = name;
  if (auto d = m.find("description"); d && !d->node().is_null()) {
    alias.policy.description = read_string(*d);
    alias.entry.set("description", d->node());
  }
  return alias;
}

const Preset* PresetCatalog::find(std::string_view name) const {
  for (const Preset& p : presets_) {
    if (p.policy.name == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> PresetCatalog::names() const {
  std::vector<std::string> out;
  for (const Preset& p : presets_) out.push_back(p.policy.name);
  return out;
}

// ---- Public API -------------------------------------------------------------------

std::string default_preset_dir() {
  return preset_dir_for({});
}

std::vector<Policy> load_presets(const std::string& preset_dir) {
  const auto catalog = PresetCatalog::get(preset_dir_for(preset_dir));
  if (!catalog->error().empty()) throw InputError(catalog->error());
  std::vector<Policy> out;
  for (const Preset& p : catalog->presets()) out.push_back(p.policy);
  return out;
}

}  // namespace detsim
