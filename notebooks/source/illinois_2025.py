"""The notebook illinois-2025.ipynb: the Illinois case and the announced figures."""
from .common import SETUP, code, md

CELLS = [
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
           yerr=[[s["mean"] - s["interval"][0] for s in stats], [s["interval"][1] - s["mean"] for s in stats]], capsize=4)
    xs = len(names) + 0.1 * np.random.default_rng(0).standard_normal(len(points))
    ax.scatter(xs, points[f"{metric}_mean"], s=12, color="#8172B3", alpha=0.7)
    ax.axhline(announced[metric], color="#C44E52", linestyle="--")
    ax.text(len(names) + 0.45, announced[metric], f"announced: {announced[metric]:,}", color="#C44E52",
            va="bottom", ha="right", fontsize=9)
    ax.set_xticks(list(x) + [len(names)], names + ["sweep points\\n(unknowns varied)"], fontsize=9)
    ax.set_title(label)
    ax.set_ylabel("people")
    plotting.thousands(ax)
fig.suptitle("Illinois, 20 Jan to 6 Dec 2025: the model and DHS's announced figures")
fig.tight_layout()
save(fig, "illinois-2025-vs-announced", [scenario, sweep_file],
     f"Bars: model mean over {run['replications']} replications (seed {run['seed']}), 95% confidence interval "
     "(simulation noise only); points: the model with the unknown inputs varied; dashed: DHS, 8 Dec 2025.")
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
    ax.set_title(f"{plotting.title(metric)}\\n(R² = {r2:.2f}, {len(points)} points)")
    ax.set_xlabel("effect of one standard deviation of the input (standard deviations of the output)")
fig.suptitle("Which unknown inputs move the Illinois results most")
fig.tight_layout()
save(fig, "illinois-2025-sensitivity", [scenario, sweep_file],
     "Standardized regression coefficients over a Latin hypercube sweep of the unpublished inputs (a linear screening).")
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
