"""The notebook sanctuary-vs-cooperative.ipynb: the same people under four policies."""
from .common import SETUP, code, md

CELLS = [
    md("""
# The same people under four detainer policies

**Question.** A county jail books the same people, with the same detainers and
the same ICE response times. What changes when it honors every detainer
(`cooperative`), declines every one (`sanctuary`), tells ICE of the release
without holding anyone (`notify-only`), or honors only detainers that carry a
judicial warrant (`judicial-warrant-only`)?

The scenario is `scenarios/county-jail.yaml`, one year of an illustrative
county jail (about 120 bookings a day; every value there is cited or marked
illustrative). `detsim compare` runs every policy on the same replications
(common random numbers), so each difference from the cooperative baseline is
a paired difference on the same people, with a 95% confidence interval
(Student t over replications).

The outcomes, as docs/metrics.md defines them:

- **honored / declined / notified** — the action taken at release for people
  with an active detainer;
- **transfers** — people ICE took into custody (from a hold, or at release
  after a notice);
- **released_despite_detainer** — declined, plus honored holds that lapsed
  before ICE arrived, plus notices ICE did not act on in time;
- **hold_hours** — hours people were held past their scheduled release on a
  detainer. Detainers normally carry an administrative warrant, not a judge's
  (docs/sources.md); here 1% carry a judicial warrant (illustrative), so under
  `cooperative` almost all hold hours are hours **held without a judicial
  warrant**. The share is computed below;
- **citizens_held** — U.S. citizens held on an erroneous detainer;
- **rebookings_after_release_despite_detainer** — people booked again after
  a release despite a detainer (re-bookings are set below at 0.3 a
  person-year, illustrative);
- **lapsed** — honored holds that ended before ICE arrived;
- **at_large_arrests** — people ICE arrested in the community after a
  release despite a detainer;
- **extra_stay_bed_days** — bed-days added when a detainer lengthens the stay
  of a person whose detainer the jail expects to honor (docs/model.md);
- **detention_cost** — the cost of holds past release plus the cost of those
  longer stays.
"""),
    code(SETUP),
    code("""
scenario = SCENARIOS / "county-jail.yaml"
policies = ["cooperative", "sanctuary", "notify-only", "judicial-warrant-only"]
# Rows of the figures: the actions taken; then the outcomes each side of the
# debate counts, side by side (releases despite a detainer and re-bookings
# after them; hours held, citizens held, and the cost of holds and longer stays).
metrics = ["honored", "declined", "notified", "transfers",
           "released_despite_detainer", "rebookings_after_release_despite_detainer", "lapsed", "at_large_arrests",
           "hold_hours", "citizens_held", "extra_stay_bed_days", "detention_cost"]
# Re-bookings are off in the scenario file (they make the default scenario
# slower); here people released to the community are booked again at 0.3 a
# person-year within a year (illustrative: for scale, 44% of people released
# from state prisons in 2005 were arrested within a year; BJS, 2018).
sets = {"population.rebooking_per_year": 0.3}
comparison = detsim.compare(scenario, policies=policies, reps=REPS, set=sets, progress=False)
result = comparison.to_dict()
assert comparison.regimes[0] == "cooperative"

totals = comparison.summary().query("facility == 'all' and offense == 'all'")
means = totals.pivot(index="metric", columns="regime", values="mean").loc[metrics, policies]
means.round(1)
"""),
    code("""
rows = []
for regime, diffs in result["differences"].items():
    for m in metrics:
        d = diffs[m]
        rows.append({"regime": regime, "metric": m, "difference": d["mean"],
                     "ci_low": d["ci95"][0], "ci_high": d["ci95"][1], "relative": d["relative"]})
differences = pd.DataFrame(rows)
differences.pivot(index="metric", columns="regime", values="difference").round(1)
"""),
    code("""
colors = dict(zip(policies, ["#4C72B0", "#DD8452", "#55A868", "#8172B3"]))

def bars(ax, names, values, lows, highs):
    x = np.arange(len(names))
    err = [np.asarray(values) - np.asarray(lows), np.asarray(highs) - np.asarray(values)]
    ax.bar(x, values, yerr=err, capsize=3, color=[colors[n] for n in names])
    ax.set_xticks(x, names, rotation=30, ha="right", fontsize=8)
    ax.axhline(0, color="black", linewidth=0.8)

currency = result.get("currency")
fig, axes = plt.subplots(3, 4, figsize=(13, 9.5))
for ax, m in zip(axes.flat, metrics):
    stats = [result["regimes"][p]["metrics"][m] for p in policies]
    bars(ax, policies, [s["mean"] for s in stats], [s["interval"][0] for s in stats],
         [s["interval"][1] for s in stats])
    ax.set_title(plotting.title(m))
    ax.set_ylabel(plotting.unit(m, currency))
    plotting.thousands(ax)
fig.suptitle("Totals over one year under each policy, on the same people")
fig.tight_layout()
save(fig, "sanctuary-vs-cooperative-totals", scenario,
     f"Bars: mean over {result['replications']} replications (seed {result['seed']}); "
     "error bars: 95% confidence interval (simulation noise only). Re-bookings: 0.3 a person-year (illustrative).")
"""),
    code("""
others = policies[1:]
fig, axes = plt.subplots(3, 4, figsize=(13, 9.5))
for ax, m in zip(axes.flat, metrics):
    d = differences[differences.metric == m].set_index("regime").loc[others]
    bars(ax, others, d.difference, d.ci_low, d.ci_high)
    ax.set_title(plotting.title(m) + ": change", fontsize=9)
    ax.set_ylabel(plotting.unit(m, currency))
    plotting.thousands(ax)
fig.suptitle("Each policy minus honoring every detainer (cooperative), on the same people")
fig.tight_layout()
save(fig, "sanctuary-vs-cooperative-differences", scenario,
     f"Bars: mean paired difference over {result['replications']} replications; "
     "error bars: 95% confidence interval of the difference (simulation noise only). "
     "Re-bookings: 0.3 a person-year (illustrative).")
"""),
    md("""
**Hours held without a judicial warrant.** The scenario's ICE capacity is
unlimited, so a detainer that carries a judicial warrant is held the same
way under `cooperative` and `judicial-warrant-only`. The cooperative hold
hours minus the judicial-warrant-only hold hours are therefore exactly the
hours held without a judicial warrant.
"""),
    code("""
coop = result["regimes"]["cooperative"]["metrics"]["hold_hours"]
jwo = result["differences"]["judicial-warrant-only"]["hold_hours"]
warrantless = -jwo["mean"]
share = warrantless / coop["mean"] if coop["mean"] else float("nan")
display(Markdown(
    f"Under `cooperative`, people were held {fmt(coop['mean'])} hours past release "
    f"(95% CI {fmt(coop['interval'][0])} to {fmt(coop['interval'][1])}); "
    f"{fmt(warrantless)} of them (95% CI {fmt(-jwo['ci95'][1])} to {fmt(-jwo['ci95'][0])}), "
    f"{share:.0%}, were hours held without a judicial warrant."))
"""),
    code("""
def line(regime):
    d = result["differences"][regime]
    parts = [f"{plotting.title(m).lower()} {d[m]['mean']:+,.0f} (95% CI {d[m]['ci95'][0]:+,.0f} to {d[m]['ci95'][1]:+,.0f})"
             for m in ["transfers", "released_despite_detainer", "rebookings_after_release_despite_detainer",
                       "hold_hours", "citizens_held", "detention_cost"]]
    return f"- **{regime}** minus cooperative: " + "; ".join(parts) + "."

display(Markdown("On the same people, over one year:\\n\\n" + "\\n".join(line(r) for r in others)))
"""),
    md("""
## What the figures show

The first figure gives each policy's totals over the year; the second gives
each policy minus `cooperative`, paired on the same people, with 95%
confidence intervals. Some results follow from the rules alone: under
`sanctuary` no detainer is honored, so hold hours, citizens held and hold
costs are zero and every person with an active detainer is released despite
it; under `notify-only` nobody is held past release, and ICE takes custody
only when it arrives within out-processing time; under
`judicial-warrant-only` only the detainers that carry a judicial warrant are
held. Under `cooperative` every active detainer is honored, and people are
released despite a detainer only when ICE does not arrive before the hold
ends. The sizes of the differences depend on the scenario's inputs, most of
them illustrative (the share of noncitizens, how often ICE lodges detainers
and how fast it arrives). The figures put side by side the outcomes each side
of the debate counts — releases despite a detainer, and hours held without a
judicial warrant, citizens held and hold costs; how to weigh them is left to
the reader.
"""),
]
