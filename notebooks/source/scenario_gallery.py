"""The notebook scenario-gallery.ipynb: every shipped scenario at a glance."""
from .common import SETUP, code, md

CELLS = [
    md("""
# The scenario library at a glance

**Question.** For every scenario in `scenarios/`, what happens to the people
who reach their release with an active detainer — transferred to ICE,
released despite the detainer, or still held (or notified) at the end of the
window — facility by facility, and how many hours are people held past
release? Each scenario file says in its header what question it answers and
what it leaves out; its values are cited or marked illustrative.

The bars of one facility add up to its `decisions` (releases with an active
detainer): `transfers + released_despite_detainer + holds_open_at_end +
notices_open_at_end`.
"""),
    code(SETUP),
    code("""
library = ["county-jail", "illinois-2025", "texas-sb4", "california-sb54", "local-option-state", "287g-county"]
parts = {"transferred to ICE": ["transfers"],
         "released despite a detainer": ["released_despite_detainer"],
         "held or notified at the end": ["holds_open_at_end", "notices_open_at_end"]}
part_colors = ["#55A868", "#DD8452", "#8C8C8C"]
summary_rows = []

def scenario_figure(name):
    r = detsim.run(SCENARIOS / f"{name}.yaml", reps=REPS, progress=False).to_dict()
    facilities = list(r["facilities"])
    fm = lambda f, m: r["facilities"][f]["metrics"][m]
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 0.7 * len(facilities) + 2.0),
                                 gridspec_kw={"width_ratios": [2, 1]})
    y = np.arange(len(facilities))
    left = np.zeros(len(facilities))
    for (label, ms), color in zip(parts.items(), part_colors):
        v = np.array([sum(fm(f, m)["mean"] for m in ms) for f in facilities])
        ax.barh(y, v, left=left, color=color, label=label)
        left += v
    policy = facility_policies(r)
    ax.set_yticks(y, [f"{f}\\n{policy[f]}" for f in facilities], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("People released with an active detainer, by outcome (people, mean)")
    ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, frameon=False)
    h = [fm(f, "hold_hours") for f in facilities]
    bx.barh(y, [s["mean"] for s in h], color="#4C72B0",
            xerr=[[s["mean"] - s["interval"][0] for s in h], [s["interval"][1] - s["mean"] for s in h]], capsize=3)
    bx.set_yticks(y, [])
    bx.invert_yaxis()
    bx.set_xlabel("Hours held past release (hours)")
    period = r["period"]
    fig.suptitle(f"Scenario {name}, {period['start']} to {period['end']}: what happens at release with a detainer")
    fig.tight_layout()
    save(fig, f"scenario-{name}", SCENARIOS / f"{name}.yaml",
         f"Mean over {r['replications']} replications (seed {r['seed']}); error bars: 95% confidence interval.")
    plt.close(fig)
    tot = r["metrics"]
    summary_rows.append({"scenario": name, **{m: tot[m]["mean"] for m in
        ["decisions", "honored", "declined", "notified", "transferred_287g", "transfers",
         "released_despite_detainer", "hold_hours", "citizens_held"]}})

for name in library:
    scenario_figure(name)
pd.DataFrame(summary_rows).set_index("scenario").round(1)
"""),
    md("""
## What the figures show

One figure per scenario, in `notebooks/figures/scenario-*.png`. The left
panel splits each facility's releases with an active detainer into
transfers to ICE, releases despite the detainer, and cases still open at the
end of the window; the right panel gives the hours people were held past
release. Under rules that honor every detainer, the releases despite a
detainer are holds that lapsed before ICE arrived; under rules that decline,
they are the declined detainers; under a notice rule, notices ICE did not act
on in time; under a 287(g) agreement there are none, and nobody is held
past release. The counts depend on inputs that are mostly illustrative; the
split between the three outcomes follows from each rule.
"""),
]
