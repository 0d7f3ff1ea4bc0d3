// libFuzzer harness: the scenario loader with --set overrides and --policy.
// Input: scenario YAML, optionally followed by a line "#--set" and one
// PATH=VALUE override a line; the first byte also picks a --policy preset
// (or none). Any InputError is an expected answer; anything else (a crash,
// a sanitizer report, another exception) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "detsim/load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<std::string> kPolicies = {
      "",          "cooperative", "sanctuary",   "notify-only", "judicial-warrant-only",
      "texas-sb4", "287g-jail",   "local-option"};
  std::string text(reinterpret_cast<const char*>(data), size);
  detsim::LoadOptions options;
  options.preset_dir = DETSIM_PRESET_DIR;
  if (size > 0) options.policy_override = kPolicies[data[0] % kPolicies.size()];
  const std::size_t marker = text.find("\n#--set\n");
  if (marker != std::string::npos) {
    std::size_t start = marker + 8;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      options.sets.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    text.resize(marker + 1);
  }
  try {
    (void)detsim::load_scenario_text(text, "fuzz.yaml", options);
  } catch (const detsim::InputError&) {
  }
  return 0;
}
