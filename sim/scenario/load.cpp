// Resolving a scenario tree: the top-level keys, policy names and the
// policy timeline, then the resolved YAML (docs/scenario.md and docs/policies.md).
//
// Choices the model leaves open (documented in the README):
// - A scenario's own `policies:` entry named like a preset replaces the
//   preset. Scenario::policies lists the file's policies in file order, then
//   the presets used, in order of first reference (state.policy, facilities,
//   policy_changes).
// - `policy: null` on a facility means "no policy of its own".
// - A facility's `population:` overrides only the keys it gives.
// - A `sentenced_transfer_to` naming the facility itself is an error, except
//   in the scenario's list inherited by a facility that books nobody
//   (bookings_per_day 0, a prison that only receives transfers): there the
//   booking mix is never used, and the category has no transfer.
#include <fmt/format.h>

#include <algorithm>

#include "detsim/load.hpp"
#include "scenario/policy_load.hpp"
#include "scenario/check.hpp"
#include "scenario/cursor.hpp"
#include "scenario/facility_table.hpp"
#include "scenario/scenario_yaml.hpp"

namespace detsim {

namespace {

constexpr const char* kDefaultStatePolicy = "local-option";

// The policies of the scenario being resolved: the file's own, then presets
// in order of first use.
class PolicyTable {
 public:
  PolicyTable(const std::optional<Cursor>& section, const OffenseCatalog& offenses,
              const PresetCatalog& presets)
      : presets_(presets) {
    if (!section || section->node().is_null()) return;
    if (!section->node().is_map()) section->expected("a mapping of policy names to policies");
    for (const YamlEntry& e : section->node().entries) {
      const Cursor c(e.value, section->child_path(e.key),
                     e.key_pos.known() ? e.key_pos : section->pos());
      policies_.push_back(read_policy(c, e.key, &offenses));
    }
  }

  // The index of the policy named at `c`; an unknown name is an error at `c`.
  int resolve(const Cursor& c) {
    const std::string name = read_string(c);
    for (std::size_t i = 0; i < policies_.size(); ++i) {
      if (policies_[i].name == name) return static_cast<int>(i);
    }
    if (const Preset* preset = presets_.find(name)) {
      policies_.push_back(preset->policy);
      used_.push_back(preset);
      return static_cast<int>(policies_.size()) - 1;
    }
    std::vector<std::string> known;
    for (const Policy& p : policies_) known.push_back(p.name);
    for (const std::string& p : presets_.names()) {
      if (std::find(known.begin(), known.end(), p) == known.end()) known.push_back(p);
    }
    c.fail(fmt::format(
        "unknown policy '{}'{}; known policies: {}{}", name, did_you_mean(name, known), join(known),
        presets_.error().empty() ? "" : fmt::format(" (presets: {})", presets_.error())));
  }

  const Policy& at(int i) const { return policies_[static_cast<std::size_t>(i)]; }
  std::vector<Policy> take() { return std::move(policies_); }
  const std::vector<const Preset*>& presets_used() const { return used_; }

 private:
  const PresetCatalog& presets_;
  std::vector<Policy> policies_;
  std::vector<const Preset*> used_;
};

void read_warmup(const Cursor& c, Scenario& s) {
  s.warmup_auto = s.warmup_stationary = false;
  if (c.node().is_scalar() && c.node().text == "auto") {
    s.warmup_auto = true;
    return;
  }
  if (c.node().is_scalar() && c.node().text == "stationary") {
    s.warmup_stationary = true;
    return;
  }
  s.warmup_days =
      read_number(c, Range{0, kMaxDays, false, false, "auto, stationary or a number of days"});
}

// Each facility's booking mix (its own or the scenario's), with transfer
// targets resolved to facility indices.
void resolve_mixes(const OffenseList& base, std::vector<FacilityDraft>& drafts) {
  std::vector<std::string> ids;
  for (const FacilityDraft& d : drafts) ids.push_back(d.facility.id);
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    FacilityDraft& d = drafts[i];
    const OffenseList& mix = d.offenses ? *d.offenses : base;
    d.facility.offenses = mix.offenses;
    for (std::size_t k = 0; k < mix.offenses.size(); ++k) {
      const std::optional<Cursor>& target = mix.transfer_targets[k];
      if (!target) continue;
      const auto it = std::find(ids.begin(), ids.end(), target->node().text);
      if (it == ids.end()) {
        target->fail(fmt::format("no facility with id '{}'{} (ids: {})", target->node().text,
                                 did_you_mean(target->node().text, ids), join(ids)));
      }
      const int j = static_cast<int>(it - ids.begin());
      if (j == static_cast<int>(i)) {
        if (d.offenses)
          target->fail("expected another facility's id: a facility cannot transfer to itself");
        if (d.facility.bookings_per_day > 0) {
          d.cursor.fail(
              fmt::format("this facility uses the scenario's offenses, whose '{}' is transferred "
                          "to '{}' itself; "
                          "give it its own 'offenses'",
                          mix.offenses[k].id, d.facility.id));
        }
        continue;  // books nobody: the mix is never used
      }
      d.facility.offenses[k].transfer_to = j;
    }
  }
}

// Fails if the local-option policy `p` (at `c`) is where it may not be.
void check_state_policy(const Policy& p, const Cursor& c, bool preempts) {
  if (p.local_option && preempts) {
    c.fail(
        fmt::format("'{}' leaves each facility its own policy, so it cannot preempt them "
                    "(state.preempts: true, or --policy)",
                    p.name));
  }
}

void check_facility_policy(const Policy& p, const Cursor& c) {
  if (p.local_option) {
    c.fail(
        fmt::format("'{}' is a state policy only; a facility needs a policy with rules", p.name));
  }
}

void read_policy_changes(const Cursor& list, const std::vector<FacilityDraft>& drafts,
                         PolicyTable& table, Scenario& s, int* local_option) {
  std::vector<std::string> ids;
  for (const FacilityDraft& d : drafts) ids.push_back(d.facility.id);
  for (const Cursor& item : list.items("a list of policy changes")) {
    const MapReader m(item, {"date", "facility", "state", "policy"});
    PolicyChange change;
    const Cursor date = m.required("date");
    change.date = read_date(date);
    if (change.date < s.start || change.date >= s.start + s.horizon_days) {
      date.expected(fmt::format("a date from {} to {} (inside the horizon)", format_date(s.start),
                                format_date(s.start + s.horizon_days - 1)));
    }
    const auto facility = m.find("facility");
    const auto state = m.find("state");
    if (facility && state) item.fail("give either 'facility: ID' or 'state: true', not both");
    if (!facility && !state) item.fail("missing required key 'facility' (or 'state: true')");
    if (state && !read_bool(*state)) state->expected("true (a change of the state policy)");
    if (facility) {
      const std::string id = read_string(*facility);
      const auto it = std::find(ids.begin(), ids.end(), id);
      if (it == ids.end()) {
        facility->fail(fmt::format("no facility with id '{}'{} (ids: {})", id,
                                   did_you_mean(id, ids), join(ids)));
      }
      change.facility = static_cast<int>(it - ids.begin());
    }
    const Cursor policy = m.required("policy");
    change.policy = table.resolve(policy);
    if (facility) {
      check_facility_policy(table.at(change.policy), policy);
    } else {
      check_state_policy(table.at(change.policy), policy, s.state_preempts);
      if (table.at(change.policy).local_option && *local_option < 0) *local_option = change.policy;
    }
    s.policy_changes.push_back(change);
  }
  std::stable_sort(s.policy_changes.begin(), s.policy_changes.end(),
                   [](const PolicyChange& a, const PolicyChange& b) { return a.date < b.date; });
}

// The state policy, the facilities' policies and the timeline.
void resolve_policies(const MapReader& top, std::vector<FacilityDraft>& drafts, PolicyTable& table,
                      Scenario& s) {
  static const YamlNode kAbsent;
  const std::optional<Cursor> state = top.find("state");
  const MapReader sm(state ? *state : Cursor(kAbsent, "state", top.cursor().pos()),
                     {"policy", "preempts"});
  if (auto p = sm.find("preempts")) s.state_preempts = read_bool(*p);
  const YamlNode default_name = YamlNode::scalar(kDefaultStatePolicy);
  const auto named = sm.find("policy");
  const Cursor policy = named ? *named : Cursor(default_name, "state.policy", sm.cursor().pos());
  s.state_policy = table.resolve(policy);
  check_state_policy(table.at(s.state_policy), policy, s.state_preempts);
  int local_option = table.at(s.state_policy).local_option ? s.state_policy : -1;
  for (FacilityDraft& d : drafts) {
    if (!d.policy) continue;
    d.facility.policy = table.resolve(*d.policy);
    check_facility_policy(table.at(d.facility.policy), *d.policy);
  }
  if (auto changes = top.find("policy_changes"); changes && !changes->node().is_null()) {
    read_policy_changes(*changes, drafts, table, s, &local_option);
  }
  if (local_option < 0) return;
  for (const FacilityDraft& d : drafts) {
    if (d.policy) continue;
    d.cursor.fail(fmt::format(
        "missing required key 'policy': under the state policy '{}' each facility names its own",
        table.at(local_option).name));
  }
}

Scenario check_tree(const YamlNode& root, const PresetCatalog& presets,
                    std::vector<const Preset*>* used) {
  const Cursor c(root, "", root.pos);
  if (root.is_null())
    c.fail(
        "the scenario is empty; expected a mapping with name, start, "
        "horizon_days, offenses, ice and facilities");
  if (!root.is_map()) c.expected("a mapping of scenario keys (name, start, horizon_days, ...)");
  const MapReader m(
      c, {"name", "description", "start", "horizon_days", "warmup_days", "replications", "seed",
          "calendar", "population", "offenses", "ice", "detainer_hold", "state", "facilities",
          "policies", "policy_changes", "currency", "recording"});
  Scenario s;
  s.name = read_string(m.required("name"));
  if (auto d = m.find("description"); d && !d->node().is_null()) s.description = read_string(*d);
  if (auto x = m.find("currency"); x && !x->node().is_null()) s.currency = read_string(*x);
  s.start = read_date(m.required("start"));
  s.horizon_days = static_cast<int>(read_integer(m.required("horizon_days"), 1, kMaxDays));
  // Without warmup_days: stationary (docs/model.md, "Time and the window").
  s.warmup_auto = false;
  s.warmup_stationary = true;
  if (auto x = m.find("warmup_days")) read_warmup(*x, s);
  if (auto x = m.find("replications")) {
    s.replications = static_cast<int>(read_integer(*x, 1, kMaxReplications));
  }
  if (auto x = m.find("seed")) s.seed = read_uint64(*x);
  if (auto x = m.find("calendar")) s.holidays = read_calendar(*x);
  if (auto x = m.find("population")) s.population = read_population(*x, Population{});

  OffenseCatalog catalog;
  OffenseList base = read_offenses(m.required("offenses"), catalog);
  std::vector<FacilityDraft> drafts =
      read_facilities(m.required("facilities"), s.population, catalog);
  std::vector<OffenseList*> mixes{&base};
  for (FacilityDraft& d : drafts) {
    if (d.offenses) mixes.push_back(&*d.offenses);
  }
  s.ice = read_ice(m.required("ice"), catalog, mixes);
  if (auto x = m.find("detainer_hold")) s.hold = read_detainer_hold(*x);
  if (auto x = m.find("recording"); x && !x->node().is_null()) s.recording = read_recording(*x);
  s.offense_ids = catalog.ids();
  s.offense_severities = catalog.severities();
  resolve_mixes(base, drafts);

  PolicyTable table(m.find("policies"), catalog, presets);
  resolve_policies(m, drafts, table, s);
  for (FacilityDraft& d : drafts) s.facilities.push_back(std::move(d.facility));
  s.policies = table.take();
  *used = table.presets_used();
  return s;
}

// The tree as YAML text, with the presets used inserted under `policies`.
std::string resolved_text(const YamlNode& tree, const std::vector<const Preset*>& used,
                          const std::string& source) {
  YamlNode out = tree;
  if (!used.empty()) {
    YamlNode* policies = out.find("policies");
    if (!policies) {
      out.set("policies", YamlNode::map());
      policies = out.find("policies");
    } else if (policies->is_null()) {
      *policies = YamlNode::map();
    }
    for (const Preset* p : used) policies->set(p->policy.name, p->entry);
  }
  std::string name = source;
  std::replace_if(
      name.begin(), name.end(), [](char ch) { return ch == '\n' || ch == '\r'; }, ' ');
  return fmt::format("# {} as resolved by detsim: --set and --policy applied, presets inserted\n{}",
                     name, emit_yaml(out));
}

}  // namespace

Scenario resolve_scenario(const YamlNode& root, const std::string& source,
                          const LoadOptions& options) {
  const bool table = root.is_map() && root.find("facilities_table");
  const bool rewrite = table || !options.sets.empty() || !options.policy_override.empty();
  YamlNode copy;
  if (rewrite) {
    copy = root;
    expand_facilities_table(copy, source);
    for (const std::string& argument : options.sets) apply_set_argument(copy, argument);
    if (!options.policy_override.empty()) apply_policy_override(copy, options.policy_override);
    if (const YamlNode* t = copy.is_map() ? copy.find("facilities_table") : nullptr) {
      Cursor(*t, "facilities_table", copy.pos)
          .fail(
              "the facility table is read before --set and sweep values are applied; "
              "name it in the scenario file");
    }
  }
  const YamlNode& tree = rewrite ? copy : root;
  const auto presets = PresetCatalog::get(preset_dir_for(options.preset_dir));
  std::vector<const Preset*> used;
  // Every value in the file is checked, even one the command line replaces
  // (`replications: 0` with `--reps 2` is refused).
  if (!options.sets.empty() || !options.policy_override.empty()) {
    YamlNode file = root;
    expand_facilities_table(file, source);
    check_tree(file, *presets, &used);
  }
  Scenario s = check_tree(tree, *presets, &used);
  s.source = source;
  s.resolved_yaml = resolved_text(tree, used, source);
  s.policy_override = options.policy_override;
  s.sets = options.sets;
  return s;
}

Scenario load_scenario(const std::string& path, const LoadOptions& options) {
  return resolve_scenario(read_yaml_file(path), path, options);
}

Scenario load_scenario_text(const std::string& text, const std::string& source,
                            const LoadOptions& options) {
  return resolve_scenario(parse_yaml(text, source), source, options);
}

// The names are the ones scenario files use (check.hpp), written once.
const char* to_string(Severity s) {
  return kSeverityNames[static_cast<int>(s)].data();
}

const char* to_string(Action a) {
  return kActionNames[static_cast<int>(a)].data();
}

const char* to_string(FacilityKind k) {
  return kFacilityKindNames[static_cast<int>(k)].data();
}

}  // namespace detsim
