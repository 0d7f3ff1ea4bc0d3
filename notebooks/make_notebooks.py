#!/usr/bin/python3
"""Writes the notebooks of this folder (unexecuted) from the cells below.

Edit the cells here, then run `/usr/bin/python3 notebooks/make_notebooks.py`;
`notebooks/run_all.sh` executes them and writes notebooks/figures/*.png.
"""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

SETUP = """\
import os, tempfile
from pathlib import Path
from IPython.display import Markdown, display
import numpy as np
import pandas as pd
import matplotlib
matplotlib.use("Agg")  # figures are written to files
import matplotlib.pyplot as plt
import yaml
import detsim

# DETSIM_REPS: replications per run and sweep point (default 20); DETSIM_SMALL=1:
# a few sweep points (CI); DETSIM_FIGURES: where figures go (default notebooks/figures).
REPO = Path(os.environ.get("DETSIM_REPO", Path.cwd().parent))  # notebooks run in notebooks/
SCENARIOS = REPO / "scenarios"
FIGURES = Path(os.environ.get("DETSIM_FIGURES", REPO / "notebooks" / "figures"))
REPS = int(os.environ.get("DETSIM_REPS", "20"))
SMALL = os.environ.get("DETSIM_SMALL", "0") not in ("", "0", "false", "no")
plt.rcParams.update({"figure.dpi": 100, "axes.spines.top": False, "axes.spines.right": False,
                     "axes.grid": True, "grid.alpha": 0.3})


def sweep(sweep_file, replications=REPS, override=None):
    \"\"\"detsim.sweep on a copy of SWEEP_FILE with `replications` and the top-level
    keys in `override` replaced (smaller `parameters` or `samples`, say).\"\"\"
    sweep_file = Path(sweep_file).resolve()
    spec = yaml.safe_load(sweep_file.read_text())
    spec["base"] = str((sweep_file.parent / spec["base"]).resolve())
    spec["replications"] = replications
    spec.update(override or {})
    with tempfile.TemporaryDirectory(prefix="detsim-nb-") as tmp:
        path = Path(tmp) / sweep_file.name
        path.write_text(yaml.safe_dump(spec, sort_keys=False))
        return detsim.sweep(path, progress=False)


def facility_policies(result):
    \"\"\"Each facility's policy as a run (its to_dict()) applied it, from the resolved
    scenario: 'POLICY', 'STATE (own: OWN, preempted)', plus ' -> NEW from DATE' per change.\"\"\"
    s = yaml.safe_load(result["resolved_scenario"])
    state = s.get("state") or {}
    state_policy, preempts = state.get("policy", "local-option"), state.get("preempts", False)
    labels = {}
    for f in s["facilities"]:
        own = f.get("policy")
        label = state_policy if preempts or own is None else own
        if preempts and own not in (None, state_policy):
            label += f" (own: {own}, preempted)"
        for c in s.get("policy_changes") or []:
            if c.get("facility") == f["id"] or c.get("state"):
                label += f" -> {c['policy']} from {c['date']}"
        labels[f["id"]] = label
    return labels


def save(fig, name):
    \"\"\"Writes FIG to FIGURES/NAME.png (small: dpi 100).\"\"\"
    FIGURES.mkdir(exist_ok=True)
    fig.savefig(FIGURES / f"{name}.png", dpi=100, bbox_inches="tight")


def fmt(x):
    \"\"\"A count for prose: thousands separators, no false precision.\"\"\"
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:,.1f}"


def ci_text(stat):
    \"\"\"'MEAN (95% CI LOW to HIGH)' for a metric's statistics (a to_dict() entry).\"\"\"
    lo, hi = stat["ci95"]
    return f"{fmt(stat['mean'])} (95% CI {fmt(lo)} to {fmt(hi)})"


print("detsim", detsim.__version__, "| replications:", REPS, "| small sweeps:", SMALL)"""


def md(text: str):
    return new_markdown_cell(text.strip("\n"))


def code(text: str):
    return new_code_cell(text.strip("\n"))


# --------------------------------------------------------------------------
SANCTUARY = [
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
- **hold_cost** — hold bed-days times the jail's bed-day cost.
"""),
    code(SETUP),
    code("""
scenario = SCENARIOS / "county-jail.yaml"
policies = ["cooperative", "sanctuary", "notify-only", "judicial-warrant-only"]
metrics = ["honored", "declined", "notified", "transfers", "released_despite_detainer",
           "hold_hours", "citizens_held", "hold_cost"]
comparison = detsim.compare(scenario, policies=policies, reps=REPS, progress=False)
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

fig, axes = plt.subplots(2, 4, figsize=(13, 6.5))
for ax, m in zip(axes.flat, metrics):
    stats = [result["regimes"][p]["metrics"][m] for p in policies]
    bars(ax, policies, [s["mean"] for s in stats], [s["ci95"][0] for s in stats],
         [s["ci95"][1] for s in stats])
    ax.set_title(m + (" (currency units)" if m == "hold_cost" else ""), fontsize=10)
fig.suptitle(f"Totals over the year under each policy, same people "
             f"(mean and 95% CI, {result['replications']} replications)")
fig.tight_layout()
save(fig, "sanctuary-vs-cooperative-totals")
"""),
    code("""
others = policies[1:]
fig, axes = plt.subplots(2, 4, figsize=(13, 6.5))
for ax, m in zip(axes.flat, metrics):
    d = differences[differences.metric == m].set_index("regime").loc[others]
    bars(ax, others, d.difference, d.ci_low, d.ci_high)
    ax.set_title(f"{m}: minus cooperative", fontsize=10)
fig.suptitle("Paired differences from cooperative on the same people (mean and 95% CI)")
fig.tight_layout()
save(fig, "sanctuary-vs-cooperative-differences")
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
    f"(95% CI {fmt(coop['ci95'][0])} to {fmt(coop['ci95'][1])}); "
    f"{fmt(warrantless)} of them (95% CI {fmt(-jwo['ci95'][1])} to {fmt(-jwo['ci95'][0])}), "
    f"{share:.0%}, were hours held without a judicial warrant."))
"""),
    code("""
def line(regime):
    d = result["differences"][regime]
    parts = [f"{m.replace('_', ' ')} {d[m]['mean']:+,.0f} (95% CI {d[m]['ci95'][0]:+,.0f} to {d[m]['ci95'][1]:+,.0f})"
             for m in ["transfers", "released_despite_detainer", "hold_hours", "citizens_held"]]
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

# --------------------------------------------------------------------------
CAPACITY = [
    md("""
# ICE pickup capacity: transfers and lapses

**Question.** Under a policy that honors every detainer, how much do ICE's
capacity to pick people up and its response time decide whether a hold ends
with a transfer to ICE or lapses (the person is released at the end of the
48-hour hold)? Honored is not the same as transferred: in FY2016 recorded
refusals were about 2% of detainers, yet ICE took custody in fewer than 40%
of cases (TRAC, FY2016 summary; docs/sources.md).

The base is `scenarios/county-jail.yaml` (cooperative, illustrative values);
the sweep `scenarios/sweeps/nb-capacity.yaml` varies the number of ICE pickup
teams, ICE's median response time and the order in which teams serve
requests: `fifo` (first come, first served) or `edf` (earliest deadline
first: the hold that ends soonest). Team counts and response times are
illustrative: ICE pickup times after notice are not published. Every point
runs the same people (common random numbers). The dashed lines are the same
scenario with unlimited teams. With `DETSIM_SMALL=1` the sweep has fewer
points.
"""),
    code(SETUP),
    code("""
sweep_file = SCENARIOS / "sweeps" / "nb-capacity.yaml"
override = {}
if SMALL:
    override["parameters"] = {"ice.pickup.teams": [1, 2, 4],
                              "ice.pickup.delay.median_hours": [6, 24, 48],
                              "ice.pickup.discipline": ["fifo", "edf"]}
points = sweep(sweep_file, override=override)
teams_col, delay_col, disc_col = "ice.pickup.teams", "ice.pickup.delay.median_hours", "ice.pickup.discipline"
points[[teams_col, delay_col, disc_col, "transfers_mean", "lapsed_mean", "ice_team_utilization_mean"]] \\
    .sort_values([disc_col, delay_col, teams_col]).round(2).head(12)
"""),
    code("""
delays = sorted(points[delay_col].unique())
unlimited = {}
for d in delays:
    r = detsim.run(SCENARIOS / "county-jail.yaml", reps=REPS, progress=False,
                   set={"ice.pickup.delay.median_hours": d}).to_dict()
    unlimited[d] = {m: r["metrics"][m]["mean"] for m in ["lapsed", "transfers"]}
pd.DataFrame(unlimited).T.rename_axis("median response (hours)").round(1)
"""),
    code("""
cmap = plt.get_cmap("viridis")
shade = {d: cmap(i / max(1, len(delays) - 1)) for i, d in enumerate(delays)}

def capacity_figure(metric, title, name):
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
    for ax, disc in zip(axes, ["fifo", "edf"]):
        for d in delays:
            p = points[(points[disc_col] == disc) & (points[delay_col] == d)].sort_values(teams_col)
            ax.plot(p[teams_col], p[f"{metric}_mean"], marker="o", color=shade[d], label=f"{d:g} h")
            ax.fill_between(p[teams_col], p[f"{metric}_ci_low"], p[f"{metric}_ci_high"],
                            color=shade[d], alpha=0.15)
            ax.axhline(unlimited[d][metric], color=shade[d], linestyle="--", linewidth=0.9)
        ax.set_title(f"{disc}: {'first come, first served' if disc == 'fifo' else 'earliest deadline first'}")
        ax.set_xlabel("ICE pickup teams")
        ax.set_xticks(sorted(points[teams_col].unique()))
    axes[0].set_ylabel(f"{metric} over the year")
    axes[1].legend(title="median ICE response", fontsize=8)
    fig.suptitle(title + " (mean and 95% CI; dashed: unlimited teams)")
    fig.tight_layout()
    save(fig, name)

capacity_figure("lapsed", "Honored holds that lapsed before ICE arrived", "ice-capacity-lapsed")
"""),
    code("""
capacity_figure("transfers", "Transfers to ICE", "ice-capacity-transfers")
"""),
    code("""
few, many = points[teams_col].min(), points[teams_col].max()
slow = max(delays)
def at(disc, teams, delay, metric="lapsed"):
    row = points[(points[disc_col] == disc) & (points[teams_col] == teams) & (points[delay_col] == delay)]
    return float(row[f"{metric}_mean"].iloc[0])

honored = float(points["honored_mean"].iloc[0])
display(Markdown(
    f"Every point honors the same {fmt(honored)} detainers. At a median response of {slow:g} hours "
    f"(first come, first served), {fmt(at('fifo', few, slow))} holds lapsed with {few} team(s) and "
    f"{fmt(at('fifo', many, slow))} with {many}; with unlimited teams, {fmt(unlimited[slow]['lapsed'])}. "
    f"Earliest deadline first with {few} team(s): {fmt(at('edf', few, slow))}."))
"""),
    md("""
## What the figures show

Each line is one median ICE response time; each panel one service order. The
policy and the people are the same at every point, so the number of honored
detainers does not change: what changes is how many holds end with a
transfer and how many lapse, releasing the person despite an honored
detainer after up to 48 hours held. Slower responses leave more holds to
lapse at any team count; adding teams moves the lines toward the
unlimited-capacity level (dashed), which no team count can pass, since with
unlimited teams only the response time itself makes ICE late. The gap
between the two panels is the effect of serving the earliest deadline first
instead of the earliest request. Counts of lapses enter both sides'
measures: they are releases despite a detainer, and each was a hold past
release. The team counts and response times are illustrative, so the
figures show the shape of the trade-off, not a measured ICE capacity.
"""),
]

# --------------------------------------------------------------------------
ILLINOIS = [
    md("""
# Illinois 2025: the model and the announced figures

**Question.** DHS announced on 8 December 2025 that Illinois agencies (state
and local together) released **1,768** people with detainers between 20
January and early December 2025, and that **4,015** people with detainers
were then in state or local custody (as reported by TheBlaze and Straight
Arrow News; outlets differ on "convicted" versus "charged"; docs/sources.md). How
close does a model built from public inputs come to those figures, and which
of the unknown inputs move the answer most?

`scenarios/illinois-2025.yaml` has the state's prisons (IDOC) and a Cook
County-sized jail under the `illinois-trust-act` preset with the state rule
preempting. Jail admissions and both populations are sourced; the
noncitizen shares, ICE's identification and lodging rates, detainer timing
and the stay shapes are **illustrative**, so the model's detainer counts are
illustrative too. The scenario was not tuned to the announced figures. It
leaves out the other 101 counties' jails and municipal lockups, which the
announced figures include.

The model's counterparts: `released_despite_detainer` (releases of people
with an active detainer that was not acted on),
`released_despite_detainer_convicted` (of them, people on the sentenced
path) and `detainers_in_custody_at_end` (people with an active detainer in
custody at the end, before their scheduled release).
"""),
    code(SETUP),
    code("""
scenario = SCENARIOS / "illinois-2025.yaml"
announced = {"released_despite_detainer": 1768, "detainers_in_custody_at_end": 4015}
keys = ["bookings", "noncitizen_bookings", "detainers_lodged", "detainers_late", "declined", "honored",
        "transfers", "released_despite_detainer", "released_despite_detainer_convicted",
        "detainers_in_custody_at_end", "mean_occupancy"]
run = detsim.run(scenario, reps=REPS, progress=False).to_dict()
print(f"{run['replications']} replications, seed {run['seed']}")
table = pd.DataFrame({"total": {k: run["metrics"][k]["mean"] for k in keys}})
for f, v in run["facilities"].items():
    table[f] = {k: v["metrics"][k]["mean"] for k in keys}
table.round(1)
"""),
    md("""
**The unknown inputs.** The Latin hypercube sweep
`scenarios/sweeps/nb-illinois-unknowns.yaml` varies the ten inputs nobody
has published, over wide illustrative ranges. Standardized regression
coefficients (inputs and outputs z-scored, the lodging delay on a log scale)
rank them by their linear effect on each output: a screening, not a full
variance decomposition. The sweep uses `min(DETSIM_REPS, 4)` replications
per point (each point's mean needs few for a ranking); with `DETSIM_SMALL=1`
it has 14 points of 2 replications, enough to exercise the notebook, not to
rank the inputs.
"""),
    code("""
sweep_file = SCENARIOS / "sweeps" / "nb-illinois-unknowns.yaml"
override = {"samples": 14} if SMALL else {}
points = sweep(sweep_file, replications=min(REPS, 2 if SMALL else 4), override=override)
params = [c for c in points.columns[1:] if not any(c.endswith(s) for s in ("_mean", "_ci_low", "_ci_high"))]
log_params = {"ice.lodge_delay.median_hours"}
print(len(points), "points;", len(params), "unknown inputs")

def src(metric):
    X = np.column_stack([np.log(points[p]) if p in log_params else points[p] for p in params]).astype(float)
    y = points[f"{metric}_mean"].to_numpy(float)
    Xz = (X - X.mean(0)) / X.std(0)
    yz = (y - y.mean()) / y.std()
    coef, *_ = np.linalg.lstsq(np.column_stack([np.ones(len(yz)), Xz]), yz, rcond=None)
    fitted = np.column_stack([np.ones(len(yz)), Xz]) @ coef
    r2 = 1 - ((yz - fitted) ** 2).sum() / (yz ** 2).sum()
    return pd.Series(coef[1:], index=params), r2

outputs = ["released_despite_detainer", "released_despite_detainer_convicted", "detainers_in_custody_at_end"]
fits = {m: src(m) for m in outputs}
pd.DataFrame({m: f[0] for m, f in fits.items()}).round(2).sort_values(outputs[0], key=abs, ascending=False)
"""),
    code("""
fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
for ax, (metric, label) in zip(axes, [("released_despite_detainer", "Releases despite a detainer"),
                                      ("detainers_in_custody_at_end", "People with detainers in custody at the end")]):
    total = run["metrics"][metric]
    conv = run["metrics"]["released_despite_detainer_convicted"]
    names, stats = ["model"], [total]
    if metric == "released_despite_detainer":
        names, stats = ["model: all", "model: convicted\\n(sentenced path)"], [total, conv]
    x = np.arange(len(names))
    ax.bar(x, [s["mean"] for s in stats], color="#4C72B0",
           yerr=[[s["mean"] - s["ci95"][0] for s in stats], [s["ci95"][1] - s["mean"] for s in stats]], capsize=4)
    xs = len(names) + 0.1 * np.random.default_rng(0).standard_normal(len(points))
    ax.scatter(xs, points[f"{metric}_mean"], s=12, color="#8172B3", alpha=0.7)
    ax.axhline(announced[metric], color="#C44E52", linestyle="--")
    ax.text(len(names) + 0.45, announced[metric], f"announced: {announced[metric]:,}", color="#C44E52",
            va="bottom", ha="right", fontsize=9)
    ax.set_xticks(list(x) + [len(names)], names + ["sweep points\\n(unknowns varied)"], fontsize=9)
    ax.set_title(label, fontsize=11)
fig.suptitle(f"Illinois, 20 Jan - 6 Dec 2025: model (mean, 95% CI, {run['replications']} replications) "
             "and DHS's announced figures")
fig.tight_layout()
save(fig, "illinois-2025-vs-announced")
"""),
    code("""
fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), sharey=True)
order = fits["released_despite_detainer"][0].abs().sort_values().index
for ax, metric in zip(axes, ["released_despite_detainer", "detainers_in_custody_at_end"]):
    coef, r2 = fits[metric]
    c = coef.loc[order]
    ax.barh(range(len(c)), c, color=["#4C72B0" if v >= 0 else "#DD8452" for v in c])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(c)), c.index, fontsize=8)
    ax.set_title(f"{metric}\\n(R² = {r2:.2f}, {len(points)} points)", fontsize=10)
    ax.set_xlabel("standardized regression coefficient")
fig.suptitle("Which unknown inputs move the Illinois outputs (linear screening of the LHS sweep)")
fig.tight_layout()
save(fig, "illinois-2025-sensitivity")
"""),
    code("""
def distance(metric):
    s, a = run["metrics"][metric], announced[metric]
    lo, hi = points[f"{metric}_mean"].min(), points[f"{metric}_mean"].max()
    where = "inside" if lo <= a <= hi else ("above" if a > hi else "below")
    return (f"the model gives {ci_text(s)}, {s['mean'] / a:.0%} of the announced {a:,}; "
            f"across the {len(points)} sweep points it ranges from {fmt(lo)} to {fmt(hi)}, "
            f"and the announced figure is {where} that range")

conv = run["metrics"]["released_despite_detainer_convicted"]
top = {m: ", ".join(fits[m][0].abs().sort_values(ascending=False).index[:3]) for m in outputs}
display(Markdown(
    f"- Releases despite a detainer: {distance('released_despite_detainer')}. "
    f"Of them, people on the sentenced path: {ci_text(conv)}.\\n"
    f"- People with detainers in custody at the end: {distance('detainers_in_custody_at_end')}.\\n"
    f"- Largest linear effects — releases: {top['released_despite_detainer']}; "
    f"in custody at the end: {top['detainers_in_custody_at_end']}."))
"""),
    md("""
## What the figures show

The first figure sets the model's totals, with their 95% confidence
intervals over replications, beside DHS's announced figures (dashed), and
shows as points the totals the model gives when the unknown inputs vary over
their illustrative ranges. The confidence intervals measure only the
simulation's randomness; the spread of the points measures how much the
unknown inputs matter, and is the larger of the two. The announced figures
count all Illinois agencies while the model has the state prisons and one
large jail, and the announced "released" may not use the model's
definitions, so a gap between the two is expected and does not by itself
say which inputs are wrong. The second figure ranks the unknown inputs by
their standardized linear effect on each output: the longer the bar, the
more the published figure would help pin the output down. The inputs that
lead the ranking are the ones worth finding first (docs/sources.md lists them
under "Figures still to find").
"""),
]

# --------------------------------------------------------------------------
GALLERY = [
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
    ax.set_xlabel("people released with an active detainer (mean)")
    ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, frameon=False)
    h = [fm(f, "hold_hours") for f in facilities]
    bx.barh(y, [s["mean"] for s in h], color="#4C72B0",
            xerr=[[s["mean"] - s["ci95"][0] for s in h], [s["ci95"][1] - s["mean"] for s in h]], capsize=3)
    bx.set_yticks(y, [])
    bx.invert_yaxis()
    bx.set_xlabel("hold hours (mean, 95% CI)")
    fig.suptitle(f"{name}: {r['replications']} replications, seed {r['seed']}", fontsize=11)
    fig.tight_layout()
    save(fig, f"scenario-{name}")
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


def write(name: str, cells) -> None:
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    })
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{name}-{i:02d}"  # stable ids: regenerating changes nothing
    nbformat.validate(nb)
    path = HERE / f"{name}.ipynb"
    path.write_text(nbformat.writes(nb) + "\n")
    print("wrote", path.relative_to(HERE.parent))


if __name__ == "__main__":
    write("sanctuary-vs-cooperative", SANCTUARY)
    write("ice-capacity", CAPACITY)
    write("illinois-2025", ILLINOIS)
    write("scenario-gallery", GALLERY)
