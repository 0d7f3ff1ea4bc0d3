// Reading the sections of a scenario into the resolved types (docs/scenario.md).
// Each function checks every key and bound of its section and
// throws InputError at the first problem; cross-references (policy names,
// transfer targets, the timeline) are resolved by scenario_load.cpp.
#pragma once

#include <cstdint>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detsim/scenario.hpp"
#include "scenario/cursor.hpp"

namespace detsim {

// Limits of the scenario and sweep formats: days (horizon_days, warmup_days,
// rebooking_window_days) and replications.
inline constexpr std::int64_t kMaxDays = 36'500;
inline constexpr std::int64_t kMaxReplications = 100'000;

// The offense categories of a scenario: ids in order of first appearance,
// across the scenario's list and the facilities' own lists.
class OffenseCatalog {
 public:
  // The category of `id`, or -1.
  int find(std::string_view id) const;
  // The category of the offense whose `id` and `severity` are given, added
  // if new. An id seen before with another severity is an error.
  int add(const Cursor& id, const Cursor& severity_cursor, Severity severity);

  const std::vector<std::string>& ids() const { return ids_; }
  const std::vector<Severity>& severities() const { return severities_; }

 private:
  std::vector<std::string> ids_;
  std::vector<Severity> severities_;
  std::vector<std::string> first_paths_;  // where each id was first given
};

// A booking mix as written: the offenses and, per offense, the cursor of its
// `sentenced_transfer_to` (resolved once the facilities are known).
struct OffenseList {
  std::vector<Offense> offenses;
  std::vector<std::optional<Cursor>> transfer_targets;
  std::optional<Cursor> list;  // where the list is, for messages
};

// A non-empty list of offenses with unique ids and shares summing to 1.
OffenseList read_offenses(const Cursor& list, OffenseCatalog& catalog);

// A duration distribution, converted to hours.
Distribution read_distribution(const Cursor& c);

// `population`, each key defaulting to the value in `defaults`.
Population read_population(const Cursor& c, const Population& defaults);

// A facility as written; its policy name and own offenses are kept for
// scenario_load.cpp to resolve.
struct FacilityDraft {
  Facility facility;
  std::optional<Cursor> policy;         // `policy:` unless absent or null
  std::optional<OffenseList> offenses;  // its own `offenses:`, if any
  Cursor cursor;
};

std::vector<FacilityDraft> read_facilities(const Cursor& list, const Population& population,
                                           OffenseCatalog& catalog);

// `ice`; the lodge probabilities it maps are written into every offense of
// `mixes` (offense id first, then severity; a category covered by neither
// is an error).
Ice read_ice(const Cursor& c, const OffenseCatalog& catalog,
             const std::vector<OffenseList*>& mixes);

DetainerHold read_detainer_hold(const Cursor& c);

Recording read_recording(const Cursor& c);

// Sorted, unique holiday dates of `calendar`.
std::vector<Day> read_calendar(const Cursor& c);

// The names of the enums as they are written in YAML.
inline constexpr std::string_view kSeverityNames[] = {"violent", "serious", "other"};
inline constexpr std::string_view kActionNames[] = {"honor", "notify", "decline", "transfer"};
inline constexpr std::string_view kFacilityKindNames[] = {"jail", "prison"};
inline constexpr std::string_view kWarrantNames[] = {"judicial", "federal_criminal", "none"};

}  // namespace detsim
