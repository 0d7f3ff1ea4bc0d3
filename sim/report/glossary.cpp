// The metric glossary (docs/metrics.md, Overview and the first sentence of
// each metric's section).
#include "report/glossary.hpp"

#include <array>
#include <cstdlib>

namespace detsim {
namespace {

constexpr std::array kGlossary = {
    GlossaryEntry{"bookings", "people", MetricKind::kCount, "at booking",
                  "People booked into a facility in the window, re-bookings included."},
    GlossaryEntry{"noncitizen_bookings", "people", MetricKind::kCount, "at booking",
                  "Of `bookings`, people who are not U.S. citizens (lawful residents included)."},
    GlossaryEntry{"rebookings", "people", MetricKind::kCount, "at booking",
                  "Bookings in the window of a person released earlier to the community (declined, "
                  "lapsed, missed notice, or released without a detainer), at the same facility."},
    GlossaryEntry{"rebookings_after_release_despite_detainer", "people", MetricKind::kCount,
                  "at booking",
                  "Of `rebookings`, people whose last release was a release despite a detainer "
                  "(declined, lapsed, or notified and not picked up)."},
    GlossaryEntry{"detainers_lodged", "detainers", MetricKind::kCount, "at the detainer's arrival",
                  "Detainers that arrived while the person was still in custody (before the "
                  "scheduled release), so that a release decision is needed."},
    GlossaryEntry{"detainers_late", "detainers", MetricKind::kCount, "at the detainer's arrival",
                  "Detainers that arrived after the person had already been released: no decision "
                  "is possible."},
    GlossaryEntry{"detainers_on_citizens", "detainers", MetricKind::kCount,
                  "at the detainer's arrival",
                  "Of `detainers_lodged`, erroneous detainers on U.S. citizens."},
    GlossaryEntry{"detainers_lifted", "detainers", MetricKind::kCount, "at the lift",
                  "Detainers that ICE lifted (cancelled) before the decision: the person then has "
                  "no active detainer and no decision is made."},
    GlossaryEntry{"citizen_detainers_lifted", "detainers", MetricKind::kCount, "at the lift",
                  "Of `detainers_lifted`, detainers on U.S. citizens."},
    GlossaryEntry{"decisions", "people", MetricKind::kCount, "at the decision",
                  "Releases of people with an active detainer: each one is a decision by the "
                  "facility under the policy in force at the scheduled release."},
    GlossaryEntry{"honored", "people", MetricKind::kCount, "at the decision",
                  "Decisions to hold the person past release, up to the hold limit, for ICE to "
                  "take custody."},
    GlossaryEntry{"notified", "people", MetricKind::kCount, "at the decision",
                  "Decisions to tell ICE of the release without holding the person."},
    GlossaryEntry{"declined", "people", MetricKind::kCount, "at the decision",
                  "Decisions to release the person at the scheduled time, with neither a hold nor "
                  "a notice to ICE."},
    GlossaryEntry{"transferred_287g", "people", MetricKind::kCount, "at the decision",
                  "Decisions under a 287(g) jail-enforcement agreement: deputized officers "
                  "transfer the person into ICE custody at release, with no hold."},
    GlossaryEntry{"held_under_287g", "people", MetricKind::kCount, "at the decision",
                  "Of `honored`, holds under a 287(g) warrant-service agreement (policy "
                  "`287g-warrant-service`): the person is held up to the hold limit for ICE to "
                  "take custody."},
    GlossaryEntry{"transfers_from_hold", "people", MetricKind::kCount, "at the decision",
                  "Honored detainers where ICE took custody by the end of the hold (at the release "
                  "if ICE was already there)."},
    GlossaryEntry{"lapsed", "people", MetricKind::kCount, "at the decision",
                  "Honored detainers where ICE did not arrive by the end of the hold: the person "
                  "is released at the hold's deadline."},
    GlossaryEntry{"transfers_on_notice", "people", MetricKind::kCount, "at the decision",
                  "Notified releases where ICE took custody during out-processing."},
    GlossaryEntry{"missed_notices", "people", MetricKind::kCount, "at the decision",
                  "Notified releases where ICE did not arrive during out-processing: the person is "
                  "released."},
    GlossaryEntry{"transfers", "people", MetricKind::kCount, "at the decision",
                  "All transfers into ICE custody at or after a release decision."},
    GlossaryEntry{"released_despite_detainer", "people", MetricKind::kCount, "at the decision",
                  "People with an active detainer who were released to the community: the detainer "
                  "was declined, the hold lapsed, or ICE was notified and did not come."},
    GlossaryEntry{"released_despite_detainer_convicted", "people", MetricKind::kCount,
                  "at the decision",
                  "Of `released_despite_detainer`, people on the sentenced path (convicted of the "
                  "offense they were booked for)."},
    GlossaryEntry{"citizens_held", "people", MetricKind::kCount, "at the decision",
                  "U.S. citizens held past release on an erroneous detainer (the facility honored "
                  "it), whether ICE came or not."},
    GlossaryEntry{
        "hold_hours", "hours", MetricKind::kAmount, "at the decision",
        "Hours that people were held past their scheduled release on an honored detainer, summed: "
        "until ICE took custody (0 when ICE was already there), or until the deadline for a lapse; "
        "a hold still open at the end counts up to the end of the window."},
    GlossaryEntry{"max_hold_hours", "hours", MetricKind::kAmount, "at the decision",
                  "The longest single hold, in wall-clock hours."},
    GlossaryEntry{"hold_bed_days", "bed-days", MetricKind::kAmount, "at the decision",
                  "`hold_hours` in bed-days."},
    GlossaryEntry{
        "hold_cost", "cost units", MetricKind::kAmount, "at the decision",
        "The cost of holds: each facility's `hold_bed_days` times its `marginal_bed_day_cost` when "
        "given, else its `bed_day_cost`, summed over facilities."},
    GlossaryEntry{"extra_stay_bed_days", "bed-days", MetricKind::kAmount, "over the window",
                  "Bed-days added by `ice.detainer_stay_multiplier`: the longer stays of "
                  "pretrial-path people with a detainer (for example because bail is posted less "
                  "often once a detainer is lodged)."},
    GlossaryEntry{"extra_stay_cost", "cost units", MetricKind::kAmount, "over the window",
                  "The cost of `extra_stay_bed_days`: each facility's extra bed-days times its "
                  "`marginal_bed_day_cost` when given, else its `bed_day_cost`."},
    GlossaryEntry{"detention_cost", "cost units", MetricKind::kAmount,
                  "at the decision and over the window",
                  "The whole detention cost attributed to detainers: holds past release and longer "
                  "stays before release."},
    GlossaryEntry{"at_large_arrests", "people", MetricKind::kCount, "at the event",
                  "Arrests by ICE in the community after a release despite a detainer, when "
                  "`ice.at_large_arrests_per_year` is above 0."},
    GlossaryEntry{"released_despite_detainer_recorded", "people", MetricKind::kCount,
                  "at the record",
                  "Records of releases despite a detainer whose record date falls in the window, "
                  "whatever the release's date (releases in the warm-up included)."},
    GlossaryEntry{"released_despite_detainer_recorded_convicted", "people", MetricKind::kCount,
                  "at the record",
                  "Of `released_despite_detainer_recorded`, people on the sentenced path."},
    GlossaryEntry{"holds_open_at_end", "people", MetricKind::kCount, "at the end",
                  "People still held on an honored detainer at the end of the window (their "
                  "decision was in the window; ICE has not come and the deadline has not passed)."},
    GlossaryEntry{"notices_open_at_end", "people", MetricKind::kCount, "at the end",
                  "People still in out-processing after a notice at the end of the window."},
    GlossaryEntry{"in_custody_at_end", "people", MetricKind::kCount, "at the end",
                  "Everyone in custody at the end of the window, people held past release or in "
                  "out-processing included."},
    GlossaryEntry{"detainers_in_custody_at_end", "people", MetricKind::kCount, "at the end",
                  "People in custody at the end of the window with an active detainer that arrived "
                  "before the end and a scheduled release after it: the stock that public "
                  "announcements of \"people in custody with detainers\" describe."},
    GlossaryEntry{
        "detainers_active_recorded_at_end", "people", MetricKind::kCount, "at the end",
        "People the agency would list with an active detainer at the end, each once: those in "
        "custody with an active detainer (`detainers_in_custody_at_end + holds_open_at_end + "
        "notices_open_at_end`), plus people released despite a detainer whose release was not yet "
        "recorded, released within `recording.open_record_days` before the end, not arrested at "
        "large since and not back in custody."},
    GlossaryEntry{
        "detainers_in_custody_total_at_end", "people", MetricKind::kCount, "at the end",
        "Everyone in custody at the end of the window with an active detainer: before their "
        "scheduled release (`detainers_in_custody_at_end`), held past release "
        "(`holds_open_at_end`) or in out-processing after a notice (`notices_open_at_end`). It is "
        "`detainers_active_recorded_at_end` without the released people an agency may still list."},
    GlossaryEntry{"mean_occupancy", "people (average)", MetricKind::kAmount, "over the window",
                  "The average number of people in custody over the window (people held past "
                  "release and in out-processing included)."},
    GlossaryEntry{"peak_occupancy", "people", MetricKind::kCount, "over the window",
                  "The largest number of people in custody at any moment of the window."},
    GlossaryEntry{"over_capacity_hours", "hours", MetricKind::kAmount, "over the window",
                  "Hours of the window during which a facility held more people than its "
                  "`capacity` (never refused, only counted)."},
    GlossaryEntry{
        "ice_mean_wait_hours", "hours", MetricKind::kAmount, "over the window",
        "With a limited number of ICE teams: the mean time a pickup request made in the window "
        "waited for a free team, over the requests that got one. 0 with unlimited teams."},
    GlossaryEntry{"ice_team_utilization", "share (0 to 1)", MetricKind::kAmount, "over the window",
                  "With a limited number of ICE teams: the share of team-hours in the window that "
                  "teams spent on pickups. 0 with unlimited teams."},
};

}  // namespace

std::span<const GlossaryEntry> glossary() {
  return kGlossary;
}

const GlossaryEntry* glossary_entry(std::string_view name) {
  for (const GlossaryEntry& e : kGlossary) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

const GlossaryEntry& glossary_entry(Metric m) {
  const GlossaryEntry* e = glossary_entry(kMetricNames[index(m)]);
  if (e == nullptr) std::abort();  // every metric is in the glossary (tested)
  return *e;
}

bool is_money_unit(std::string_view unit) {
  return unit == "cost units";
}

std::string_view metric_unit(Metric m, std::string_view currency) {
  const std::string_view unit = glossary_entry(m).unit;
  return is_money_unit(unit) && !currency.empty() ? currency : unit;
}

}  // namespace detsim
