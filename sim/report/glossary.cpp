#include "report/glossary.hpp"

#include <array>

namespace detsim {
namespace {

constexpr std::array<GlossaryEntry, 44> kGlossary = {{
    {"bookings", "people", "count", "People booked into a facility in the window, re-bookings included."},
    {"noncitizen_bookings", "people", "count", "Of bookings, people who are not U.S. citizens (lawful residents included)."},
    {"rebookings", "people", "count", "Bookings of a person released earlier to the community, at the same facility."},
    {"rebookings_after_release_despite_detainer", "people", "count", "Of rebookings, people whose last release was a release despite a detainer."},
    {"detainers_lodged", "detainers", "count", "Detainers that arrived while the person was still in custody, so that a release decision is needed."},
    {"detainers_late", "detainers", "count", "Detainers that arrived after the person had already been released: no decision is possible."},
    {"detainers_on_citizens", "detainers", "count", "Of detainers lodged, erroneous detainers on U.S. citizens."},
    {"detainers_lifted", "detainers", "count", "Detainers that ICE lifted (cancelled) before the decision."},
    {"citizen_detainers_lifted", "detainers", "count", "Of detainers lifted, detainers on U.S. citizens."},
    {"decisions", "people", "count", "Releases of people with an active detainer: each one is a decision under the policy in force."},
    {"honored", "people", "count", "Decisions to hold the person past release, up to the hold limit, for ICE to take custody."},
    {"notified", "people", "count", "Decisions to tell ICE of the release without holding the person."},
    {"declined", "people", "count", "Decisions to release the person at the scheduled time, with neither a hold nor a notice to ICE."},
    {"transferred_287g", "people", "count", "Decisions under a 287(g) jail-enforcement agreement: transfer into ICE custody at release, with no hold."},
    {"held_under_287g", "people", "count", "Of honored, holds under a 287(g) warrant-service agreement."},
    {"transfers_from_hold", "people", "count", "Honored detainers where ICE took custody by the end of the hold."},
    {"lapsed", "people", "count", "Honored detainers where ICE did not arrive by the end of the hold: released at the hold's deadline."},
    {"transfers_on_notice", "people", "count", "Notified releases where ICE took custody during out-processing."},
    {"missed_notices", "people", "count", "Notified releases where ICE did not arrive during out-processing: the person is released."},
    {"transfers", "people", "count", "All transfers into ICE custody at or after a release decision."},
    {"released_despite_detainer", "people", "count", "People with an active detainer released to the community: declined, hold lapsed, or notice missed."},
    {"released_despite_detainer_convicted", "people", "count", "Of released despite a detainer, people on the sentenced path (convicted of the offense they were booked for)."},
    {"citizens_held", "people", "count", "U.S. citizens held past release on an erroneous detainer (the facility honored it), whether ICE came or not."},
    {"hold_hours", "hours", "amount", "Hours people were held past their scheduled release on an honored detainer, summed (wall-clock hours)."},
    {"max_hold_hours", "hours", "amount", "The longest single hold, in wall-clock hours."},
    {"hold_bed_days", "bed-days", "amount", "Hold hours as bed-days (hold hours / 24)."},
    {"hold_cost", "cost units", "amount", "The cost of holds: hold bed-days times the facility's cost per bed-day, summed over facilities."},
    {"extra_stay_bed_days", "bed-days", "amount", "Bed-days added by longer stays of pretrial-path people with a detainer (ice.detainer_stay_multiplier)."},
    {"extra_stay_cost", "cost units", "amount", "Cost of the extra stay bed-days."},
    {"detention_cost", "cost units", "amount", "Hold cost plus extra stay cost."},
    {"at_large_arrests", "people", "count", "Arrests by ICE in the community after a release despite a detainer."},
    {"released_despite_detainer_recorded", "people", "count", "Records of releases despite a detainer whose record date falls in the window, whatever the release's date."},
    {"released_despite_detainer_recorded_convicted", "people", "count", "Of recorded releases despite a detainer, people on the sentenced path."},
    {"holds_open_at_end", "people", "count", "Holds still open at the end of the window."},
    {"notices_open_at_end", "people", "count", "Notified releases still in out-processing at the end of the window."},
    {"in_custody_at_end", "people", "count", "Everyone in custody at the end of the window, people held past release or in out-processing included."},
    {"detainers_in_custody_at_end", "people", "count", "People in custody at the end of the window with an active detainer and a scheduled release after it."},
    {"detainers_active_recorded_at_end", "people", "count", "People the agency would list with an active detainer at the end of the window, each once."},
    {"mean_occupancy", "people (average)", "amount", "The average number of people in custody over the window."},
    {"peak_occupancy", "people", "count", "The largest number of people in custody at any moment of the window."},
    {"over_capacity_hours", "hours", "amount", "Hours of the window during which a facility held more people than its capacity."},
    {"ice_mean_wait_hours", "hours", "amount", "With a limited number of ICE teams: the mean time a pickup request waited for a free team."},
    {"ice_team_utilization", "share (0 to 1)", "amount", "With a limited number of ICE teams: the share of team-hours spent on pickups."},
    {"", "", "", ""},
}};

}  // namespace

std::span<const GlossaryEntry> metric_glossary() {
  return {kGlossary.data(), kGlossary.size() - 1};
}

const GlossaryEntry* find_glossary_entry(std::string_view name) {
  for (const GlossaryEntry& e : metric_glossary())
    if (e.name == name) return &e;
  return nullptr;
}

}  // namespace detsim
