// `detsim validate`: files checked without running them. The kind of each
// file is recognised by its content (docs/scenario.md):
//   scenario        a mapping with `facilities` (or `facilities_table`)
//   sweep           a mapping with `base` and `parameters`, no `targets`
//   calibration     a mapping with `base` and `targets`
//   policy          a mapping with `default`, `rules`, `local_option` or `alias_of`
//   facility table  a CSV file whose first line names an `id` column
#include <fmt/core.h>

#include <filesystem>

#include "cli/cli.hpp"
#include "detsim/calibrate.hpp"
#include "detsim/load.hpp"
#include "detsim/sweep.hpp"
#include "model/policy.hpp"
#include "scenario/check.hpp"
#include "scenario/cursor.hpp"
#include "scenario/policy_load.hpp"
#include "scenario/scenario_yaml.hpp"
#include "sweep/csv.hpp"

namespace detsim::cli {
namespace {

constexpr const char* kValidateUsage =
    "usage: detsim validate FILE...\n"
    "Checks scenario, sweep, calibration, policy and facility-table files (recognised by\n"
    "their content) without running them; see docs/scenario.md.";

enum class FileKind { kScenario, kSweep, kCalibration, kPolicy, kFacilityTable, kUnknown };

bool csv_with_id_column(const std::string& path) {
  const CsvFile f = read_csv_file(path);
  for (const std::string& column : split_csv_line(f.header)) {
    if (column == "id") return true;
  }
  return false;
}

FileKind kind_of(const std::string& path, const YamlNode* root) {
  if (root == nullptr)
    return csv_with_id_column(path) ? FileKind::kFacilityTable : FileKind::kUnknown;
  if (!root->is_map()) return FileKind::kScenario;  // the scenario loader explains what is wrong
  const auto has = [&](const char* key) { return root->find(key) != nullptr; };
  if (has("facilities") || has("facilities_table")) return FileKind::kScenario;
  if (has("base") && has("targets")) return FileKind::kCalibration;
  if (has("base")) return FileKind::kSweep;
  if (has("default") || has("rules") || has("local_option") || has("alias_of"))
    return FileKind::kPolicy;
  return FileKind::kScenario;
}

// A preset policy file, checked as the preset folder's reader checks it
// (an alias against the presets of its own folder).
std::string check_policy(const std::string& path, const YamlNode& root) {
  const Cursor c(root, "", root.pos);
  const std::filesystem::path file(path);
  const std::string name = file.stem().string();
  check_preset_name(root, name);
  if (root.find("alias_of")) {
    const std::string folder = file.has_parent_path() ? file.parent_path().string() : ".";
    const Preset p = PresetCatalog::get(folder)->alias_preset(root, name);
    return fmt::format("policy {}, another name for {}", name, p.alias_of);
  }
  const Policy p = read_policy(c, name, nullptr);
  return fmt::format("policy {}, {} rule{}", p.name, p.rules.size(),
                     p.rules.size() == 1 ? "" : "s");
}

// Warnings for a scenario that loads: a preset applied where the law it
// follows does not reach.
std::vector<std::string> scenario_warnings(const Scenario& s) {
  std::vector<double> times{0};
  for (const PolicyChange& c : s.policy_changes) {
    const double t = 24.0 * static_cast<double>(c.date - s.start);
    if (t > 0 && t < s.horizon_hours()) times.push_back(t);
  }
  const PolicyTimeline timeline(s);
  std::vector<std::string> out;
  for (std::size_t f = 0; f < s.facilities.size(); ++f) {
    if (s.facilities[f].kind != FacilityKind::kPrison) continue;
    for (double t : times) {
      if (timeline.at(static_cast<int>(f), t).name != "california-values-act") continue;
      out.push_back(fmt::format(
          "facility '{}' is a prison under california-values-act, but the California Values Act "
          "does not apply to the state's prisons (Gov. Code § 7284.4(a)); its rules are applied "
          "anyway",
          s.facilities[f].id));
      break;
    }
  }
  return out;
}

// One file: a one-line summary, or InputError.
std::string check_file(const std::string& path) {
  const bool csv = path.size() > 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
  std::optional<YamlNode> root;
  if (!csv) root = read_yaml_file(path);
  switch (kind_of(path, root ? &*root : nullptr)) {
    case FileKind::kSweep: {
      const SweepPlan plan(path);
      plan.check(1);
      return fmt::format("sweep, {} points", plan.sweep().points.size());
    }
    case FileKind::kCalibration: {
      const CalibrationPlan plan(path);
      const std::size_t p = plan.calibration().parameters.size();
      const std::size_t t = plan.calibration().targets.size();
      return fmt::format("calibration, {} parameter{}, {} target{}", p, p == 1 ? "" : "s", t,
                         t == 1 ? "" : "s");
    }
    case FileKind::kPolicy:
      return check_policy(path, *root);
    case FileKind::kFacilityTable:
      throw std::runtime_error(
          "a facility table: check it through a scenario that names it (facilities_table:)");
    case FileKind::kUnknown:
      throw std::runtime_error("not a scenario, sweep, calibration, policy or facility-table file");
    case FileKind::kScenario:
      break;
  }
  const Scenario s = load_scenario(path);
  for (const std::string& w : scenario_warnings(s))
    fmt::print(stderr, "{}: warning: {}\n", path, w);
  return fmt::format(
      "scenario {}, {} facilities, {} offense categories, about {:.3g} bookings to simulate",
      s.name, s.facilities.size(), s.offense_ids.size(), estimated_bookings(s, s.replications));
}

}  // namespace

int validate_command(const Args& args) {
  po::options_description options("validate options");
  options.add_options()("help,h", "show this help")("file", po::value<std::vector<std::string>>(),
                                                    "files to check")(
      "quiet,q", "print nothing for valid files");
  po::positional_options_description positional;
  positional.add("file", -1);
  po::variables_map vm;
  if (!parse(args, options, positional, kValidateUsage, vm)) return 0;
  if (!vm.count("file")) throw UsageError{std::string("missing FILE\n") + kValidateUsage};
  int bad = 0;
  for (const std::string& path : vm["file"].as<std::vector<std::string>>()) {
    try {
      const std::string summary = check_file(path);
      if (!vm.count("quiet")) fmt::print("{}: ok ({})\n", path, summary);
    } catch (const InputError& e) {
      fmt::print(stderr, "{}\n", e.what());
      ++bad;
    } catch (const std::runtime_error& e) {
      fmt::print(stderr, "{}: {}\n", path, e.what());
      ++bad;
    }
  }
  return bad ? 2 : 0;
}

}  // namespace detsim::cli
