// Reading a scenario's offenses, facilities, ICE, hold and calendar sections.
#include "scenario/check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "detsim/load.hpp"

namespace detsim {

namespace {

constexpr double kMaxBookingsPerDay = 1'000'000;  // docs/scenario.md: no input exhausts the machine
constexpr double kShareTolerance = 1e-6;
constexpr std::int64_t kMaxTeams = 1'000'000;  // a bound of ours, so team arrays stay small
constexpr std::string_view kDayNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::string_view kDisciplineNames[] = {"fifo", "edf"};

// Exactly `n` multipliers >= 0 (day_of_week: 7, Monday first; month: 12).
template <std::size_t N>
std::array<double, N> read_multipliers(const Cursor& c, std::string_view first) {
  const std::vector<Cursor> items = c.items(fmt::format("a list of {} numbers ({})", N, first));
  if (items.size() != N) {
    c.fail(fmt::format("expected {} values ({}), found {}", N, first, items.size()));
  }
  std::array<double, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = read_number(items[i], at_least(0));
  return out;
}

// One offense of a list whose earlier offenses are `prior`.
Offense read_offense(const Cursor& item, const std::vector<Offense>& prior, OffenseCatalog& catalog,
                     std::optional<Cursor>* target) {
  const MapReader m(
      item, {"id", "share", "severity", "prior_serious", "pretrial_release", "pretrial_stay",
             "sentenced_stay", "sentenced_transfer_to", "transfer_stay"});
  Offense o;
  const Cursor id = m.required("id");
  o.id = read_string(id);
  for (const Offense& p : prior) {
    if (p.id == o.id) id.fail(fmt::format("duplicate id '{}' in this list", o.id));
  }
  o.share = read_number(m.required("share"), share());
  const Cursor severity = m.required("severity");
  o.severity = static_cast<Severity>(read_choice(severity, kSeverityNames));
  o.category = catalog.add(id, severity, o.severity);
  if (auto c = m.find("prior_serious")) o.prior_serious = read_number(*c, probability());
  if (auto c = m.find("pretrial_release")) o.pretrial_release = read_number(*c, probability());
  o.pretrial_stay = read_distribution(m.required("pretrial_stay"));
  o.sentenced_stay = read_distribution(m.required("sentenced_stay"));
  *target = m.find("sentenced_transfer_to");
  if (*target && (*target)->node().is_null()) target->reset();
  if (*target) {
    read_string(**target);
    o.transfer_stay = read_distribution(m.required("transfer_stay"));
  } else if (auto c = m.find("transfer_stay")) {
    c->fail("'transfer_stay' needs 'sentenced_transfer_to' (the facility it is served in)");
  }
  return o;
}

BusinessHours read_business_hours(const Cursor& c) {
  BusinessHours b;
  if (c.node().is_null()) return b;
  const MapReader m(c, {"days", "from", "to"});
  const Cursor days = m.required("days");
  const std::vector<Cursor> items = days.items("a list of days (mon, tue, ... sun)");
  if (items.empty()) days.expected("a non-empty list of days (mon, tue, ... sun)");
  for (const Cursor& item : items) {
    const int d = read_choice(item, kDayNames);
    if (b.days & (1u << d)) item.fail(fmt::format("'{}' is listed twice", kDayNames[d]));
    b.days = static_cast<std::uint8_t>(b.days | (1u << d));
  }
  b.from = read_number(m.required("from"), between(0, 24));
  const Cursor to = m.required("to");
  b.to = read_number(to, between(0, 24));
  if (!(b.to > b.from)) {
    to.expected(fmt::format("an hour after 'from' ({}) and <= 24", b.from));
  }
  b.enabled = true;
  return b;
}

Pickup read_pickup(const Cursor& c) {
  const MapReader m(c, {"delay", "teams", "discipline", "business_hours"});
  Pickup p;
  p.delay = read_distribution(m.required("delay"));
  if (auto t = m.find("teams"); t && !t->node().is_null()) {
    p.teams = static_cast<int>(
        read_integer(*t, 1, kMaxTeams, "null (unlimited) or an integer from 1 to 1000000"));
  }
  if (auto d = m.find("discipline")) {
    p.discipline = static_cast<Discipline>(read_choice(*d, kDisciplineNames));
  }
  if (auto b = m.find("business_hours")) p.business_hours = read_business_hours(*b);
  return p;
}

// A probability per offense category, by offense id or severity
// (ice.lodge_probability, ice.lift_probability): `what` names it in messages.
std::vector<double> read_by_category(const Cursor& c, const OffenseCatalog& catalog,
                                     std::string_view what) {
  if (!c.node().is_map()) c.expected("a mapping of offense ids or severities to probabilities");
  std::vector<double> by_category(catalog.ids().size(), -1);
  double by_severity[3] = {-1, -1, -1};
  std::vector<std::string> known = catalog.ids();
  known.insert(known.end(), std::begin(kSeverityNames), std::end(kSeverityNames));
  for (const YamlEntry& e : c.node().entries) {
    const Cursor value(e.value, c.child_path(e.key), e.key_pos.known() ? e.key_pos : c.pos());
    const int category = catalog.find(e.key);
    const auto sev = std::find(std::begin(kSeverityNames), std::end(kSeverityNames), e.key);
    if (category >= 0) {
      by_category[category] = read_number(value, probability());
    } else if (sev != std::end(kSeverityNames)) {
      by_severity[sev - std::begin(kSeverityNames)] = read_number(value, probability());
    } else {
      throw InputError(format_input_error(
          e.key_pos.known() ? e.key_pos : c.pos(), value.path(),
          fmt::format("'{}' is neither an offense id nor a severity{} (known: {})", e.key,
                      did_you_mean(e.key, known), join(known))));
    }
  }
  for (std::size_t k = 0; k < by_category.size(); ++k) {
    if (by_category[k] >= 0) continue;
    const int s = static_cast<int>(catalog.severities()[k]);
    if (by_severity[s] < 0) {
      c.fail(fmt::format("no {} probability for offense '{}' (severity {}): add '{}' or '{}'", what,
                         catalog.ids()[k], kSeverityNames[s], catalog.ids()[k], kSeverityNames[s]));
    }
    by_category[k] = by_severity[s];
  }
  return by_category;
}

// ice.lodge_probability: by offense id or severity, into each mix's offenses.
void read_lodge_probability(const Cursor& c, const OffenseCatalog& catalog,
                            const std::vector<OffenseList*>& mixes) {
  const std::vector<double> by_category = read_by_category(c, catalog, "lodge");
  for (OffenseList* mix : mixes) {
    for (Offense& o : mix->offenses) o.lodge_probability = by_category[o.category];
  }
}

// ice.lift_probability: one probability, or by offense id or severity.
// Returns whether any is > 0.
bool read_lift_probability(const Cursor& c, const OffenseCatalog& catalog,
                           const std::vector<OffenseList*>& mixes) {
  std::vector<double> by_category;
  if (c.node().is_map()) {
    by_category = read_by_category(c, catalog, "lift");
  } else {
    by_category.assign(catalog.ids().size(), read_number(c, probability()));
  }
  bool any = false;
  for (OffenseList* mix : mixes) {
    for (Offense& o : mix->offenses) {
      o.lift_probability = by_category[o.category];
      any = any || o.lift_probability > 0;
    }
  }
  return any;
}

// ice.detainer_stay_multiplier: a number (every action), or by action.
void read_stay_multiplier(const Cursor& c, Ice& ice) {
  if (!c.node().is_map()) {
    ice.detainer_stay_multiplier = read_number(c, above(0));
    return;
  }
  const MapReader m(c, {kActionNames[0], kActionNames[1], kActionNames[2], kActionNames[3]});
  ice.stay_multiplier_by_action = true;
  for (std::size_t a = 0; a < std::size(kActionNames); ++a) {
    if (auto x = m.find(kActionNames[a])) ice.stay_multipliers[a] = read_number(*x, above(0));
  }
}

// population.rebooking_per_year: one rate, or by severity (missing: 0).
std::array<double, 3> read_rebooking_rate(const Cursor& c) {
  if (!c.node().is_map()) {
    const double r = read_number(c, at_least(0));
    return {r, r, r};
  }
  const MapReader m(c, {kSeverityNames[0], kSeverityNames[1], kSeverityNames[2]});
  std::array<double, 3> out{0, 0, 0};
  for (std::size_t s = 0; s < std::size(kSeverityNames); ++s) {
    if (auto x = m.find(kSeverityNames[s])) out[s] = read_number(*x, at_least(0));
  }
  return out;
}

}  // namespace

// ---- OffenseCatalog ----------------------------------------------------------

int OffenseCatalog::find(std::string_view id) const {
  const auto it = std::find(ids_.begin(), ids_.end(), id);
  return it == ids_.end() ? -1 : static_cast<int>(it - ids_.begin());
}

int OffenseCatalog::add(const Cursor& id, const Cursor& severity_cursor, Severity severity) {
  const int known = find(id.node().text);
  if (known >= 0) {
    if (severities_[known] != severity) {
      severity_cursor.fail(fmt::format(
          "offense '{}' is {} at {}; an offense id has one severity in every list", id.node().text,
          kSeverityNames[static_cast<int>(severities_[known])], first_paths_[known]));
    }
    return known;
  }
  ids_.push_back(id.node().text);
  severities_.push_back(severity);
  first_paths_.push_back(id.path());
  return static_cast<int>(ids_.size()) - 1;
}

// ---- Sections ------------------------------------------------------------------

OffenseList read_offenses(const Cursor& list, OffenseCatalog& catalog) {
  OffenseList out;
  out.list = list;
  const std::vector<Cursor> items = list.items("a list of offenses");
  if (items.empty()) list.expected("a non-empty list of offenses");
  double total = 0;
  for (const Cursor& item : items) {
    std::optional<Cursor> target;
    Offense o = read_offense(item, out.offenses, catalog, &target);
    total += o.share;
    out.offenses.push_back(std::move(o));
    out.transfer_targets.push_back(std::move(target));
  }
  if (std::abs(total - 1) > kShareTolerance) {
    list.fail(fmt::format("the shares sum to {:.15g}, expected 1 (within 1e-6)", total));
  }
  return out;
}

Population read_population(const Cursor& c, const Population& defaults) {
  const MapReader m(c, {"noncitizen_share", "erroneous_detainer_rate", "lawful_status_share",
                        "status_proof_probability", "status_proof_delay", "rebooking_per_year",
                        "rebooking_window_days"});
  Population p = defaults;
  if (auto x = m.find("noncitizen_share")) p.noncitizen_share = read_number(*x, share());
  if (auto x = m.find("erroneous_detainer_rate")) {
    p.erroneous_detainer_rate = read_number(*x, probability());
  }
  if (auto x = m.find("lawful_status_share")) p.lawful_status_share = read_number(*x, share());
  if (auto x = m.find("status_proof_probability")) {
    p.status_proof_probability = read_number(*x, probability());
  }
  if (auto x = m.find("status_proof_delay")) {
    p.status_proof_delay = read_distribution(*x);
    p.has_status_proof_delay = true;
  }
  if (p.status_proof_probability > 0 && !p.has_status_proof_delay) {
    c.fail("missing required key 'status_proof_delay' (status_proof_probability is > 0)");
  }
  if (auto x = m.find("rebooking_per_year")) p.rebooking_per_year = read_rebooking_rate(*x);
  if (auto x = m.find("rebooking_window_days")) {
    p.rebooking_window_days = read_number(*x, Range{0, kMaxDays, true, false, "a number of days"});
  }
  return p;
}

std::vector<FacilityDraft> read_facilities(const Cursor& list, const Population& population,
                                           OffenseCatalog& catalog) {
  const std::vector<Cursor> items = list.items("a list of facilities");
  if (items.empty()) list.expected("a non-empty list of facilities");
  std::vector<FacilityDraft> out;
  for (const Cursor& item : items) {
    const MapReader m(
        item, {"id", "kind", "bookings_per_day", "day_of_week", "month", "capacity", "bed_day_cost",
               "marginal_bed_day_cost", "policy", "offenses", "population"});
    FacilityDraft d{Facility{}, std::nullopt, std::nullopt, item};
    Facility& f = d.facility;
    const Cursor id = m.required("id");
    f.id = read_string(id);
    for (const FacilityDraft& prior : out) {
      if (prior.facility.id == f.id) {
        id.fail(fmt::format("duplicate facility id '{}' (also {})", f.id, prior.cursor.path()));
      }
    }
    if (auto k = m.find("kind"))
      f.kind = static_cast<FacilityKind>(read_choice(*k, kFacilityKindNames));
    f.bookings_per_day =
        read_number(m.required("bookings_per_day"), between(0, kMaxBookingsPerDay));
    if (auto c = m.find("day_of_week")) f.day_of_week = read_multipliers<7>(*c, "Monday first");
    if (auto c = m.find("month")) f.month = read_multipliers<12>(*c, "January first");
    if (auto c = m.find("capacity"); c && !c->node().is_null()) {
      f.capacity = read_number(*c, Range{0, HUGE_VAL, false, true, "null (no limit) or a number"});
    }
    if (auto c = m.find("bed_day_cost")) f.bed_day_cost = read_number(*c, at_least(0));
    if (auto c = m.find("marginal_bed_day_cost"); c && !c->node().is_null()) {
      f.marginal_bed_day_cost = read_number(*c, Range{0, HUGE_VAL, false, true, "a number"});
    }
    if (auto c = m.find("policy"); c && !c->node().is_null()) {
      read_string(*c);
      d.policy = c;
    }
    if (auto c = m.find("offenses")) d.offenses = read_offenses(*c, catalog);
    f.population = population;
    if (auto c = m.find("population")) f.population = read_population(*c, population);
    out.push_back(std::move(d));
  }
  return out;
}

Ice read_ice(const Cursor& c, const OffenseCatalog& catalog,
             const std::vector<OffenseList*>& mixes) {
  const MapReader m(
      c, {"match_probability", "lodge_probability", "lodge_delay", "judicial_warrant_share",
          "notice_lead_hours", "release_grace_hours", "at_large_arrests_per_year",
          "detainer_stay_multiplier", "pickup", "lift_probability", "lift_delay",
          "relodge_probability", "lift_citizen_on_proof", "federal_criminal_warrant_share"});
  Ice ice;
  if (auto x = m.find("match_probability")) ice.match_probability = read_number(*x, probability());
  read_lodge_probability(m.required("lodge_probability"), catalog, mixes);
  ice.lodge_delay = read_distribution(m.required("lodge_delay"));
  if (auto x = m.find("judicial_warrant_share")) {
    ice.judicial_warrant_share = read_number(*x, share());
  }
  if (auto x = m.find("notice_lead_hours")) ice.notice_lead_hours = read_number(*x, at_least(0));
  if (auto x = m.find("release_grace_hours"))
    ice.release_grace_hours = read_number(*x, at_least(0));
  if (auto x = m.find("at_large_arrests_per_year")) {
    ice.at_large_arrests_per_year = read_number(*x, at_least(0));
  }
  if (auto x = m.find("detainer_stay_multiplier")) read_stay_multiplier(*x, ice);
  if (auto x = m.find("federal_criminal_warrant_share")) {
    ice.federal_criminal_warrant_share = read_number(*x, share());
    if (ice.judicial_warrant_share + ice.federal_criminal_warrant_share > 1 + kShareTolerance) {
      x->expected(fmt::format("a share with judicial_warrant_share ({}) + this <= 1",
                              ice.judicial_warrant_share));
    }
  }
  bool lifts = false;
  const auto lift = m.find("lift_probability");
  if (lift) lifts = read_lift_probability(*lift, catalog, mixes);
  if (auto x = m.find("lift_delay")) {
    ice.lift_delay = read_distribution(*x);
  } else if (lifts) {
    c.fail("missing required key 'lift_delay' (a lift probability is > 0)");
  }
  if (auto x = m.find("relodge_probability"); x && !x->node().is_null()) {
    ice.relodge_probability = read_number(*x, probability());
  }
  if (auto x = m.find("lift_citizen_on_proof")) ice.lift_citizen_on_proof = read_bool(*x);
  ice.pickup = read_pickup(m.required("pickup"));
  return ice;
}

DetainerHold read_detainer_hold(const Cursor& c) {
  const MapReader m(c, {"limit_hours", "exclude_weekends_holidays"});
  DetainerHold h;
  if (auto x = m.find("limit_hours")) h.limit_hours = read_number(*x, at_least(0));
  if (auto x = m.find("exclude_weekends_holidays")) h.exclude_weekends_holidays = read_bool(*x);
  return h;
}

Recording read_recording(const Cursor& c) {
  const MapReader m(c, {"release_recorded", "lag", "open_record_days"});
  Recording r;
  r.release_recorded = read_number(m.required("release_recorded"), probability());
  r.lag = read_distribution(m.required("lag"));
  r.open_record_days = read_number(m.required("open_record_days"),
                                   Range{0, 36'500, false, false, "a number of days"});
  return r;
}

std::vector<Day> read_calendar(const Cursor& c) {
  const MapReader m(c, {"holidays"});
  std::vector<Day> days;
  if (auto h = m.find("holidays"); h && !h->node().is_null()) {
    for (const Cursor& item : h->items("a list of dates (YYYY-MM-DD)")) {
      days.push_back(read_date(item));
    }
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

}  // namespace detsim
