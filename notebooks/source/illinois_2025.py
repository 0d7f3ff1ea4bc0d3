"""The notebook illinois-2025.ipynb: what DHS's Illinois figures can and cannot tell us."""
from .common import SETUP, code, md
from .illinois_2025_gap import CELLS as PARTS_B_C  # (b), (c) and the closing note

CELLS = [
    md("""
# Illinois 2025: what 1,768 can and cannot tell us

On 8 December 2025 DHS announced that Illinois agencies, state and local
together, had released **1,768** people with immigration detainers between
20 January and early December 2025, and that **4,015** people with
detainers were then "in state or local custody" (as reported by TheBlaze and
Straight Arrow News; outlets differ on "convicted" and "charged";
docs/sources.md). Under the Illinois TRUST Act (2017, amended 2021) no
agency holds a person past release on a detainer alone.

The model of the whole state, `scenarios/illinois-statewide.yaml`, has the
93 county jails that serve Illinois's 102 counties and the state's prisons
(IDOC), from public sources where they exist (scenarios/illinois/SOURCES.md).
The inputs that decide how many people have a detainer — the noncitizen
share of bookings, how often ICE identifies them and lodges a detainer, how
soon, and how ICE records a release — are not published. The calibrations
in `scenarios/calibrations/` treat them as unknowns with wide ranges
(priors) and ask which values reproduce DHS's figures *as ICE recorded
them*. This notebook asks three questions, each answered with the
uncertainty of those unknown inputs:

- **(a)** Which combinations of the unknown inputs reproduce DHS's figures,
  and are they plausible next to independent figures?
- **(b)** A scenario with only the state prisons and one Cook County-sized
  jail (`scenarios/illinois-2025.yaml`) gives far fewer releases than
  1,768. How much of that gap is *counting* (two facilities against the
  whole state, what happened against what ICE recorded, charged against
  convicted) and how much is *inputs*?
- **(c)** On the same people and across the calibrated inputs, what would a
  cooperative regime (every detainer honored) have changed, compared with
  the TRUST Act: in releases despite a detainer, re-bookings after them and
  transfers to ICE, and in holds, hours held without a judicial warrant,
  citizens held, longer stays and detention cost?

Both readings of the 4,015 are calibrated: as **ICE's list of active
detainers** (which can still hold people released without ICE learning of
it) and as **people actually in custody** with a detainer. Every detainer
count below rests on inputs marked illustrative; the figures' captions name
them.
"""),
    code(SETUP),
    code("""
import json

STATEWIDE = SCENARIOS / "illinois-statewide.yaml"
TWO = SCENARIOS / "illinois-2025.yaml"
RESULTS = SCENARIOS / "calibrations" / "results"
READINGS = {"illinois-2025": "4,015 as ICE's list of active detainers",
            "illinois-2025-in-custody": "4,015 as people in custody"}
TARGET_AT_END = {"illinois-2025": "detainers_active_recorded_at_end",
                 "illinois-2025-in-custody": "detainers_in_custody_total_at_end"}
COLORS = {"illinois-2025": "#4C72B0", "illinois-2025-in-custody": "#DD8452"}
RELEASED, AT_END = 1768, 4015
WINDOW = "20 Jan to 6 Dec 2025"

# Budget of the runs across the posterior (CI: DETSIM_SMALL=1 runs a reduced one).
DRAWS = 6 if SMALL else 30                 # posterior draws
PER_DRAW = 2 if SMALL else max(2, min(REPS, 3))   # replications per draw
CHECKS = 4 if SMALL else 20                # single-replication runs for the prior and the Cook check
BUDGET = (f"{DRAWS} posterior draws x {PER_DRAW} replications"
          + (" (reduced CI budget: DETSIM_SMALL=1)" if SMALL else ""))

cals = {}
for name, label in READINGS.items():
    folder = RESULTS / name
    if not (folder / "calibration.json").exists():
        print(f"{name}: no results in {folder.relative_to(REPO)}: this reading is left out below")
        continue
    info = json.loads((folder / "calibration.json").read_text())
    cals[name] = dict(label=label, folder=folder, info=info,
                      summary=pd.read_csv(folder / "summary.csv"),
                      predictive=pd.read_csv(folder / "predictive.csv"),
                      posterior=pd.read_csv(folder / "posterior.csv"))
for name, c in cals.items():
    asked = yaml.safe_load((SCENARIOS / "calibrations" / f"{name}.yaml").read_text())["particles"]
    used = c["info"]["calibration"]["particles"]
    if used != asked:
        print(f"{name}: the committed results are a preliminary run with {used} particles "
              f"(the calibration file asks for {asked}): read their summaries as rough")
PRIMARY = "illinois-2025"
assert PRIMARY in cals, "the calibration of the first reading is needed"
PRIORS = cals[PRIMARY]["info"]["calibration"]["parameters"]
print("budget:", BUDGET)
"""),
    md("""
## The calibrations and their diagnostics

Each calibration (ABC-SMC, docs/calibration.md) reads the observed figure as
one year of the model plus a measurement error of 5% (illustrative: the
announcement gives none, the window's end is "early December" and outlets
differ on what was counted). A target *fits* when the observed figure lies
inside the 90% posterior predictive interval. The effective sample size
(ESS) of the final population says how many independent particles its
summaries are worth.
"""),
    code("""
rows = []
for name, c in cals.items():
    info, last = c["info"], c["info"]["rounds"][-1]
    for f in info["fits"]:
        rows.append({"reading": c["label"], "target": f["metric"], "observed": f["observed"],
                     "predictive mean": round(f["predictive_mean"]),
                     "predictive 90%": f"{f['predictive_90'][0]:,.0f} to {f['predictive_90'][1]:,.0f}",
                     "fits": f["fits"], "particles": info["calibration"]["particles"],
                     "final ESS": round(last["effective_sample_size"]), "rounds": len(info["rounds"]),
                     "simulations": info["simulations"], "converged": info["converged"]})
diagnostics = pd.DataFrame(rows)
for name, c in cals.items():
    for w in c["info"]["warnings"]:
        print(f"{name}: warning: {w}")
diagnostics
"""),
    md("""
## (a) Which inputs reproduce DHS's figures?

The grey band is each input's prior range (every value equally likely, on a
log scale where marked); the outlines are the posteriors, the values that
reproduce the figures, for each reading of the 4,015. `width_ratio` (the
posterior's 90% interval over the prior's) near 1 means the figures say
little about that input. An input *leans on an edge* of its prior when its
posterior puts at least twice the prior's weight (20%) on the outer tenth
of the range on that side: then the prior's bound, not the figures, stops
it.
"""),
    code("""
LABELS = {
    "facilities.cook-county-jail.population.noncitizen_share": "Cook County Jail: noncitizen share of bookings",
    "ice.match_probability": "ICE identifies a noncitizen booking (probability)",
    "ice.lodge_probability.violent": "Detainer lodged: violent charge (probability)",
    "ice.lodge_probability.serious": "Detainer lodged: serious charge (probability)",
    "ice.lodge_probability.other": "Detainer lodged: other charge (probability)",
    "ice.lodge_delay.median_hours": "Booking to detainer, median (hours)",
    "offenses.violent-felony.transfer_stay.median_days": "Time served in IDOC, violent felony, median (days)",
    "recording.release_recorded": "Share of releases ICE records",
    "recording.lag.median_days": "Release to ICE's record, median (days)",
    "recording.open_record_days": "Unrecorded release kept on ICE's active list (days)",
}

def position(path, value):
    \"\"\"Where VALUE lies in PATH's prior range, 0 to 1 (on the log scale for log priors).\"\"\"
    p = PRIORS[path]
    f = np.log if p["log"] else (lambda v: v)
    return (f(value) - f(p["min"])) / (f(p["max"]) - f(p["min"]))

def edge(path, posterior):
    \"\"\"'lower' or 'upper' when the posterior puts at least twice the prior's weight (20%) on
    the outer tenth of the prior range on that side; '' otherwise.\"\"\"
    pos = position(path, posterior[path])
    w = posterior["weight"] / posterior["weight"].sum()
    sides = [side for side, mass in (("lower", w[pos < 0.1].sum()), ("upper", w[pos > 0.9].sum())) if mass >= 0.2]
    return " and ".join(sides)

table = []
for name, c in cals.items():
    for _, row in c["summary"].iterrows():
        table.append({"reading": c["label"], "input": row["parameter"], "prior": f"{row.prior_min:g} to {row.prior_max:g}",
                      "median": row.q50, "90% interval": f"{row.q05:.3g} to {row.q95:.3g}",
                      "width_ratio": row.width_ratio, "leans on the prior's edge": edge(row["parameter"], c["posterior"])})
posterior_table = pd.DataFrame(table)
posterior_table.pivot(index="input", columns="reading", values=["median", "90% interval", "width_ratio", "leans on the prior's edge"])
"""),
    code("""
params = list(PRIORS)
fig, axes = plt.subplots(2, 5, figsize=(16, 6.4))
for ax, path in zip(axes.flat, params):
    p = PRIORS[path]
    bins = (np.geomspace if p["log"] else np.linspace)(p["min"], p["max"], 25)
    ax.axvspan(p["min"], p["max"], color="0.92", label="prior range")
    for name, c in cals.items():
        if path in c["posterior"]:
            ax.hist(c["posterior"][path], bins=bins, weights=c["posterior"]["weight"], density=True,
                    histtype="step", linewidth=1.8, color=COLORS[name], label=c["label"])
    if p["log"]:
        ax.set_xscale("log")
    flags = sorted({edge(path, c["posterior"]) for c in cals.values() if path in c["posterior"]} - {""})
    ax.set_title(LABELS.get(path, path) + (f"\\n(leans on the {' and '.join(flags)} edge)" if flags else ""), fontsize=8)
    ax.set_yticks([])
axes.flat[0].legend(frameon=False, fontsize=7, loc="upper left")
fig.suptitle(f"Illinois, {WINDOW}: the unpublished inputs that reproduce DHS's figures")
fig.tight_layout()
ess = ", ".join(f"{c['label']}: {c['info']['calibration']['particles']} particles, effective sample size "
                f"{c['info']['rounds'][-1]['effective_sample_size']:.0f}" for c in cals.values())
save(fig, "illinois-2025-posterior", [STATEWIDE],
     f"Weighted histograms of the final ABC-SMC populations ({ess}); grey: the prior range "
     "(illustrative, scenarios/calibrations/illinois-2025*.yaml). Targets: DHS, 8 Dec 2025, as ICE recorded them, sd 5% (illustrative).")
"""),
    md("""
**The ridge.** The noncitizen share of bookings, ICE's identification rate
and the lodging probabilities enter the number of detainers almost only
through their product, so the figures can at best fix the product, not
each factor: the posterior stretches along curves of equal product instead
of sitting at a point. With four such factors free at once, any one pair
shows a diffuse ridge; the correlation and the spreads printed under the
figure say how much the product is pinned down compared with each factor.
The right-hand panel checks the result: what the calibrated model predicts
for each figure (90% posterior predictive interval, one year plus the
measurement error), against the spread the priors alone allow (inputs drawn
from the priors, one replication each) and the figure DHS announced.
"""),
    code("""
# The prior as a set of equally weighted particles: CHECKS draws, one replication each.
rng = np.random.default_rng(1768)
prior_draws = []
for k in range(CHECKS):
    draw = {}
    for path, p in PRIORS.items():
        u = rng.uniform()
        draw[path] = float(np.exp(np.log(p["min"]) + u * np.log(p["max"] / p["min"])) if p["log"]
                           else p["min"] + u * (p["max"] - p["min"]))
    prior_draws.append(draw)
prior_metrics = ["released_despite_detainer", "released_despite_detainer_recorded",
                 "detainers_active_recorded_at_end", "detainers_in_custody_total_at_end"]
prior_values = []
for k, draw in enumerate(prior_draws):
    r = detsim.run(STATEWIDE, reps=1, seed=20250 + k, set=draw, progress=False).to_dict()["metrics"]
    prior_values.append({m: r[m]["mean"] for m in prior_metrics})
prior_values = pd.DataFrame(prior_values)
prior_values.describe(percentiles=[0.05, 0.5, 0.95]).round(0)
"""),
    code("""
ridge_x, ridge_y = "facilities.cook-county-jail.population.noncitizen_share", "ice.match_probability"
fig, (ax, bx) = plt.subplots(1, 2, figsize=(13, 4.8), gridspec_kw={"width_ratios": [1, 1.25]})
for name, c in cals.items():
    post = c["posterior"]
    w = post["weight"] / post["weight"].max()
    ax.scatter(post[ridge_x], post[ridge_y], s=4 + 60 * w, alpha=0.5, color=COLORS[name], label=c["label"], linewidth=0)
post = cals[PRIMARY]["posterior"]
product = np.average(post[ridge_x] * post[ridge_y], weights=post["weight"])
xs = np.linspace(PRIORS[ridge_x]["min"], PRIORS[ridge_x]["max"], 100)
ys = np.where(xs > 0, product / xs, np.nan)
ax.plot(xs, ys, color="0.3", linestyle=":", label=f"equal product ({product:.3f})")
ax.set_xlim(PRIORS[ridge_x]["min"], PRIORS[ridge_x]["max"])
ax.set_ylim(PRIORS[ridge_y]["min"], PRIORS[ridge_y]["max"])
ax.set_xlabel(LABELS[ridge_x])
ax.set_ylabel(LABELS[ridge_y])
ax.set_title("Two of the inputs that trade off, in the posterior (dot size: weight)")
ax.legend(frameon=False, fontsize=7, loc="upper right")

rows = []  # (label, observed, prior metric, calibration name, target metric)
for name, c in cals.items():
    rows.append((f"Released despite a detainer, as recorded\\n({c['label']})", RELEASED,
                 "released_despite_detainer_recorded", name, "released_despite_detainer_recorded"))
for name, c in cals.items():
    rows.append((f"With a detainer at the end\\n({c['label']})", AT_END, TARGET_AT_END[name], name, TARGET_AT_END[name]))
for i, (label, observed, prior_metric, name, metric) in enumerate(rows):
    lo, hi = prior_values[prior_metric].quantile([0.05, 0.95])
    bx.plot([lo, hi], [i + 0.15, i + 0.15], color="0.6", linewidth=4, label="priors alone: 5% to 95%" if i == 0 else None)
    pred = cals[name]["predictive"].query("metric == @metric").iloc[0]
    bx.plot([pred.q05, pred.q95], [i - 0.08, i - 0.08], color=COLORS[name], linewidth=7, alpha=0.7,
            label="calibrated: 90% predictive interval" if i == 0 else None)
    bx.plot(observed, i - 0.08, "kD", markersize=6, label="DHS, 8 Dec 2025" if i == 0 else None)
bx.set_yticks(range(len(rows)), [r[0] for r in rows], fontsize=8)
bx.set_ylim(len(rows) - 0.5, -0.5)
bx.set_xlabel(f"people, {WINDOW}")
plotting.thousands(bx, "x")
bx.set_title("DHS's figures against the model, before and after calibration")
bx.legend(frameon=False, fontsize=7, loc="upper right")
fig.tight_layout()
save(fig, "illinois-2025-fit", [STATEWIDE],
     f"Left: final populations of the calibrations. Right: grey, {CHECKS} runs with inputs drawn from the priors"
     + (" (reduced CI budget: DETSIM_SMALL=1)" if SMALL else "") + " "
     "(one replication each); colour, posterior predictive 90% interval (predictive.csv); diamond, DHS's figure.")

def wquantiles(values, weights, qs=(0.05, 0.5, 0.95)):
    order = np.argsort(values)
    cum = np.cumsum(weights[order]) / weights.sum()
    return np.interp(qs, cum, values[order])

w = post["weight"].to_numpy()
spread = {k: wquantiles(v.to_numpy(), w) for k, v in
          {"noncitizen share": post[ridge_x], "match probability": post[ridge_y],
           "their product": post[ridge_x] * post[ridge_y]}.items()}
r = np.cov(post[ridge_x], post[ridge_y], aweights=w)
display(Markdown(
    f"Weighted correlation of the two inputs ({cals[PRIMARY]['label']}): {r[0, 1] / np.sqrt(r[0, 0] * r[1, 1]):+.2f}. "
    "90% intervals, and their high/low ratio: " + "; ".join(f"{k} {q[0]:.3f} to {q[2]:.3f} ({q[2] / q[0]:.1f})"
                                                           for k, q in spread.items()) + "."))
"""),
    md("""
**Are the calibrated inputs plausible?** Two independent figures can be set
beside them. (1) The facility table gives Cook County Jail a noncitizen
share from census figures for residents (the county's foreign-born share
times the state's non-naturalized fraction, SOURCES.md); people booked into
a jail need not match residents, but a posterior far from it asks for a
reason. (2) In 2010, when Cook County honored detainers, ICE took custody of
1,665 people from Cook County Jail (WBEZ, September 2011). Running the
calibrated statewide model with every detainer honored gives the number of
transfers from Cook a year that the calibrated inputs imply. The two years
differ in enforcement (national detainers were about 276,000 in FY2012 and
about 240,000 to 260,000 a year at the pace of early 2025; TRAC), so this is
a check of scale, not a target.
"""),
    code("""
table_csv = pd.read_csv(SCENARIOS / "illinois" / "facilities.csv")
cook_census = float(table_csv.set_index("id").loc["cook-county-jail", "noncitizen_share"])
post = cals[PRIMARY]["posterior"]
rng = np.random.default_rng(2010)
picks = rng.choice(len(post), size=CHECKS, p=post["weight"] / post["weight"].sum())
cook = []
for k, i in enumerate(picks):
    draw = {p: float(post.loc[i, p]) for p in PRIORS}
    s = detsim.run(STATEWIDE, reps=1, seed=30250 + k, policy="cooperative", set=draw, progress=False).summary()
    s = s.query("facility == 'cook-county-jail' and offense == 'all'").set_index("metric")["mean"]
    cook.append({"transfers": s["transfers"], "detainers_lodged": s["detainers_lodged"]})
cook = pd.DataFrame(cook) * 365 / 320  # per year
share = cals[PRIMARY]["summary"].set_index("parameter").loc[ridge_x]
display(Markdown(
    f"- Cook County Jail's noncitizen share of bookings: census-based value in the table "
    f"{cook_census:.3f}; posterior median {share.q50:.3f} (90% interval {share.q05:.3f} to {share.q95:.3f}), "
    f"{share.q50 / cook_census:.1f} times the residents' figure.\\n"
    f"- Transfers to ICE from Cook County Jail a year if every detainer were honored, with the calibrated inputs "
    f"({CHECKS} posterior draws, one replication each): median {fmt(cook.transfers.median())} "
    f"(range {fmt(cook.transfers.min())} to {fmt(cook.transfers.max())}); detainers lodged there a year: "
    f"median {fmt(cook.detainers_lodged.median())}. In 2010: 1,665 transfers (WBEZ, September 2011)."))
"""),
] + PARTS_B_C
