"""Cells of illinois-2025.ipynb after question (a): (b) the gap from the two-facility
scenario to 1,768, (c) a cooperative regime across the posterior, and the closing note.
They use the names the cells of illinois_2025.py define."""
from .common import code, md

CELLS = [
    md("""
## (b) From two facilities to 1,768: counting or inputs?

Starting from the two-facility scenario's true count of releases despite a
detainer, each step changes one thing and measures what it adds: the whole
state instead of two facilities (`illinois-statewide.yaml` with its
scenario values); the count as ICE recorded it instead of what happened
(not every release reaches ICE, and some are recorded after the window);
and the calibrated inputs instead of the scenario's illustrative ones. A
separate bar gives the reading in which DHS's figure counts convicted people
only (the model's sentenced path). The order of the steps matters (a step's
size depends on what came before); the intervals are 95%: over replications
for the steps at fixed inputs, and across the posterior for the last step.
The same chain is drawn for the 4,015.
"""),
    code("""
def totals(result):
    \"\"\"Per-replication statewide totals of a run: one row per replication.\"\"\"
    r = result.replications().query("facility == 'all' and offense == 'all'")
    return r.pivot(index="replication", columns="metric", values="value")

two = totals(detsim.run(TWO, reps=REPS, progress=False))
sw = totals(detsim.run(STATEWIDE, reps=REPS, progress=False))

def ms(x):
    \"\"\"Mean and standard error of a series of replications.\"\"\"
    return float(x.mean()), float(x.std(ddof=1) / np.sqrt(len(x)))

posterior_runs = {name: detsim.run(STATEWIDE, reps=PER_DRAW, posterior=c["folder"], draws=DRAWS, progress=False)
                  .to_dict()["regimes"] for name, c in cals.items()}
posterior_runs = {name: next(iter(r.values())) for name, r in posterior_runs.items()}
print("two facilities:", {m: round(two[m].mean()) for m in ["released_despite_detainer", "released_despite_detainer_recorded",
                                                             "detainers_in_custody_at_end"]})
"""),
    code("""
def step(a, b):
    \"\"\"Difference b - a of two independent (mean, se) pairs.\"\"\"
    return b[0] - a[0], float(np.hypot(a[1], b[1]))

def chain(metric_two, metric_sw, metric_rec, reading):
    A = ms(two[metric_two])
    B = ms(sw[metric_sw])
    C = ms(sw[metric_rec])
    recorded = ms(sw[metric_rec] - sw[metric_sw])  # paired: same replications
    post = posterior_runs[reading][metric_rec]
    D = (post["mean"], post["sd_total"])
    return A, [("whole state\\n(93 jails, IDOC)", step(A, B)), ("as ICE recorded\\nit", recorded),
               ("calibrated inputs\\n(posterior)", step(C, D))], D

def waterfall(ax, start_label, A, steps, end, observed, extras):
    x, level = 0, A[0]
    ax.bar(x, A[0], yerr=1.96 * A[1], color="0.55", capsize=3)
    labels = [start_label]
    for label, (d, se) in steps:
        x += 1
        ax.bar(x, d, bottom=level, yerr=1.96 * se, color="#55A868" if d >= 0 else "#C44E52", capsize=3)
        ax.text(x + 0.42, level + d / 2, f"{d:+,.0f}", ha="right", va="center", fontsize=8,
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=1))
        level += d
        labels.append(label)
    x += 1
    ax.bar(x, end[0], yerr=1.96 * end[1], color="#4C72B0", capsize=3)
    labels.append("model, calibrated")
    for label, (m, s), color in extras:
        x += 1
        ax.bar(x, m, yerr=1.96 * s, color=color, capsize=3, hatch="//", edgecolor="white")
        labels.append(label)
    ax.axhline(observed, color="black", linestyle="--", linewidth=1)
    ax.text(-0.4, observed, f"DHS, 8 Dec 2025: {observed:,}", ha="left", va="bottom", fontsize=8)
    ax.set_xticks(range(len(labels)), labels, fontsize=7)
    ax.set_ylabel("people")
    plotting.thousands(ax)

fig, (ax, bx) = plt.subplots(1, 2, figsize=(15, 5.2))
A, steps, end = chain("released_despite_detainer", "released_despite_detainer", "released_despite_detainer_recorded", PRIMARY)
conv = posterior_runs[PRIMARY]["released_despite_detainer_recorded_convicted"]
extras = [("if 'convicted':\\nsentenced path\\nonly (calibrated)", (conv["mean"], conv["sd_total"]), "#8172B3")]
waterfall(ax, "two facilities\\n(true count)", A, steps, end, RELEASED, extras)
ax.set_title(f"Released despite a detainer, {WINDOW}")
gap_released = dict(start=A, steps=steps, end=end, convicted=conv)

A2, steps2, end2 = chain("detainers_in_custody_at_end", "detainers_in_custody_at_end", TARGET_AT_END[PRIMARY], PRIMARY)
steps2[1] = ("on ICE's list\\n(incl. released,\\nunrecorded)", steps2[1][1])
extras2 = []
if "illinois-2025-in-custody" in cals:
    other = posterior_runs["illinois-2025-in-custody"][TARGET_AT_END["illinois-2025-in-custody"]]
    extras2.append(("other reading:\\nin custody\\n(calibrated)", (other["mean"], other["sd_total"]),
                    COLORS["illinois-2025-in-custody"]))
waterfall(bx, "two facilities\\n(in custody)", A2, steps2, end2, AT_END, extras2)
bx.set_title("People with a detainer at the end, 6 Dec 2025")
fig.suptitle("From the two-facility scenario to DHS's figures: what each step adds")
fig.tight_layout()
save(fig, "illinois-2025-gap", [TWO, STATEWIDE],
     f"Grey: illinois-2025.yaml ({REPS} replications); green/red: the change each step brings, in order; blue: the statewide "
     f"model as recorded with calibrated inputs ({BUDGET}; {cals[PRIMARY]['label']}); hatched: other readings. "
     "Error bars: 95% (simulation noise for fixed inputs; inputs and noise across the posterior).")
"""),
    code("""
names = ["two facilities -> whole state", "true -> as ICE recorded", "scenario inputs -> calibrated"]
lines = [f"- Two-facility scenario, true count: {fmt(A[0])} (95% CI ±{fmt(1.96 * A[1])})."]
for n, (_, (d, se)) in zip(names, steps):
    lines.append(f"- {n}: {d:+,.0f} (±{fmt(1.96 * se)}).")
lines.append(f"- Calibrated statewide model, as recorded: {fmt(end[0])} (95% interval {fmt(end[0] - 1.96 * end[1])} "
             f"to {fmt(end[0] + 1.96 * end[1])}) against DHS's {RELEASED:,}.")
lines.append(f"- Of them on the sentenced path (the 'convicted' reading): {fmt(conv['mean'])} "
             f"({conv['mean'] / RELEASED:.0%} of {RELEASED:,}).")
names2 = ["two facilities -> whole state", "in custody -> on ICE's active list", "scenario inputs -> calibrated"]
lines.append(f"\\nWith a detainer at the end: two facilities, in custody {fmt(A2[0])}; " +
             "; ".join(f"{n} {d:+,.0f} (±{fmt(1.96 * se)})" for n, (_, (d, se)) in zip(names2, steps2)) +
             f"; calibrated {fmt(end2[0])} against DHS's {AT_END:,}.")
display(Markdown("\\n".join(lines)))
"""),
    md("""
## (c) A cooperative regime on the same people

Across the posterior of the first reading, every draw runs the same people
under three regimes: the **TRUST Act** as in 2025, **honor-all** (the `cooperative` preset: every
detainer honored: held up to 48 hours past release for ICE, and ICE told of
the release) and **judicial-warrant-only** (held only on a judge's warrant).
"Held without a judicial warrant" is what a regime holds that
judicial-warrant-only would release: under honor-all, holds on an ICE
officer's administrative warrant (and on a federal criminal warrant);
under the TRUST Act, holds on a federal criminal warrant, the one
exception the Act allows (1% of detainers, illustrative). The statewide
scenario has no re-bookings and no longer stays under a detainer (the
calibration assumed neither); two further runs on the same draws switch them
on one at a time, with illustrative values: people released are booked
again at 0.3 a person-year (for scale, 44% of people released from state
prisons in 2005 were arrested within a year; BJS, 2018), and a pretrial stay
with a detainer the jail would honor lasts 3.7 times as long (the Pierce
County study's regression estimate, docs/sources.md).
"""),
    code("""
REGIMES = ["illinois-trust-act", "cooperative", "judicial-warrant-only"]
NAMES = {"illinois-trust-act": "TRUST Act (2025)", "cooperative": "honor-all", "judicial-warrant-only": "judicial warrant only"}
REGIME_COLORS = {"illinois-trust-act": "#4C72B0", "cooperative": "#DD8452", "judicial-warrant-only": "#8172B3"}
post_folder = cals[PRIMARY]["folder"]
# Honor-all first: the tool pairs every regime with the first one, so one comparison gives
# honor-all against the TRUST Act and against judicial-warrant-only (held without a judicial warrant).
FIRST = ["cooperative", "illinois-trust-act", "judicial-warrant-only"]
main = detsim.compare(STATEWIDE, policies=FIRST, reps=PER_DRAW, posterior=post_folder, draws=DRAWS, progress=False).to_dict()
REBOOK = {"population.rebooking_per_year": 0.3}
STAY = {"ice.detainer_stay_multiplier": {"honor": 3.7, "transfer": 3.7, "notify": 1.0, "decline": 1.0}}
rebook = detsim.compare(STATEWIDE, policies=FIRST[:2], reps=PER_DRAW, posterior=post_folder, draws=DRAWS, set=REBOOK,
                        progress=False).to_dict()
stay = detsim.compare(STATEWIDE, policies=FIRST[:2], reps=PER_DRAW, posterior=post_folder, draws=DRAWS, set=STAY,
                      progress=False).to_dict()
currency = "USD"

def stat(doc, regime, metric):
    \"\"\"A regime's total across the posterior: mean, 95% interval (bounded at 0).\"\"\"
    s = doc["regimes"][regime][metric]
    return s["mean"], max(s["interval"][0], 0.0), s["interval"][1]

def minus(doc, regime, metric):
    \"\"\"Honor-all minus REGIME, paired on the same draws and people: mean, 95% interval.\"\"\"
    s = doc["differences"][f"{regime} - cooperative"][metric]
    return -s["mean"], -s["interval"][1], -s["interval"][0]

# Held without a judicial warrant: what a regime holds that judicial-warrant-only would release.
def warrantless(metric):
    d = minus(main, "judicial-warrant-only", metric)
    return {"illinois-trust-act": stat(main, "illinois-trust-act", metric),
            "cooperative": (d[0], max(d[1], 0.0), d[2]), "judicial-warrant-only": (0.0, 0.0, 0.0)}

PANELS = [  # (title, unit, {regime: (mean, low, high)}, run)
    ("Released despite a detainer", "people", {r: stat(main, r, "released_despite_detainer") for r in REGIMES}, "as calibrated"),
    ("Released despite a detainer, as ICE would record it", "people",
     {r: stat(main, r, "released_despite_detainer_recorded") for r in REGIMES}, "as calibrated"),
    ("Booked again after a release despite a detainer", "people",
     {r: stat(rebook, r, "rebookings_after_release_despite_detainer") for r in REGIMES[:2]}, "with re-bookings"),
    ("Transfers to ICE", "people", {r: stat(main, r, "transfers") for r in REGIMES}, "as calibrated"),
    ("Released despite a detainer, sentenced path", "people",
     {r: stat(main, r, "released_despite_detainer_convicted") for r in REGIMES}, "as calibrated"),
    ("Held without a judicial warrant", "people", warrantless("honored"), "as calibrated"),
    ("Hours held past release without a judicial warrant", "hours", warrantless("hold_hours"), "as calibrated"),
    ("Citizens held on an erroneous detainer", "people", {r: stat(main, r, "citizens_held") for r in REGIMES}, "as calibrated"),
    ("Extra bed-days from longer stays under a detainer", "bed-days",
     {r: stat(stay, r, "extra_stay_bed_days") for r in REGIMES[:2]}, "with longer stays"),
    ("Cost of holds and longer stays", currency, {r: stat(stay, r, "detention_cost") for r in REGIMES[:2]}, "with longer stays"),
]
pd.DataFrame({title: {NAMES[r]: f"{v[0]:,.0f} ({v[1]:,.0f} to {v[2]:,.0f})" for r, v in vals.items()}
              for title, _, vals, _ in PANELS}).T
"""),
    code("""
fig, axes = plt.subplots(2, 5, figsize=(17, 7.6))
for ax, (title, unit, vals, run) in zip(axes.flat, PANELS):
    regimes = list(vals)
    x = np.arange(len(regimes))
    means = np.array([vals[r][0] for r in regimes])
    err = [means - np.array([vals[r][1] for r in regimes]), np.array([vals[r][2] for r in regimes]) - means]
    ax.bar(x, means, yerr=err, capsize=3, color=[REGIME_COLORS[r] for r in regimes])
    ax.set_xticks(x, [NAMES[r] for r in regimes], fontsize=7)
    ax.set_title(title + ("" if run == "as calibrated" else f"\\n({run}, illustrative)"), fontsize=9)
    ax.set_ylabel(unit)
    plotting.thousands(ax)
    d = vals["cooperative"][0] - vals["illinois-trust-act"][0]  # the same as the paired difference's mean
    ax.text(0.02, 0.98, f"honor-all minus TRUST Act: {d:+,.0f}", transform=ax.transAxes, va="top", fontsize=7,
            bbox=dict(facecolor="white", edgecolor="none", alpha=0.8))
fig.text(0.005, 0.73, "Releases and transfers", rotation=90, va="center", fontsize=10)
fig.text(0.005, 0.28, "Holds and their costs", rotation=90, va="center", fontsize=10)
fig.suptitle(f"Illinois, {WINDOW}: the same people under the TRUST Act and under honoring every detainer")
fig.tight_layout(rect=(0.015, 0, 1, 1))
save(fig, "illinois-2025-cooperative", [STATEWIDE],
     f"Means across the posterior ({cals[PRIMARY]['label']}; {BUDGET} per regime), 95% intervals (inputs and simulation noise). "
     "Panels marked illustrative switch on re-bookings (0.3 a person-year) or stays 3.7 times as long under a detainer "
     "the jail would honor. 'Without a judicial warrant': held where judicial-warrant-only would release (under the "
     "TRUST Act: on a federal criminal warrant).")
"""),
    code("""
def dline(doc, metric, label):
    m, lo, hi = minus(doc, "illinois-trust-act", metric)
    return f"{label} {m:+,.0f} (95% interval {lo:+,.0f} to {hi:+,.0f})"

wl = warrantless("honored")["cooperative"]
wh = warrantless("hold_hours")["cooperative"]
base_rec = stat(rebook, "illinois-trust-act", "released_despite_detainer_recorded")[0]
display(Markdown(
    "Honor-all minus the TRUST Act, on the same people across the posterior:\\n\\n"
    f"- {dline(main, 'released_despite_detainer', 'released despite a detainer')}; "
    f"{dline(main, 'transfers', 'transfers to ICE')}; "
    f"{dline(rebook, 'rebookings_after_release_despite_detainer', 'booked again after a release despite a detainer (with re-bookings)')}.\\n"
    f"- {dline(main, 'honored', 'people held past release')}; under honor-all, {wl[0]:,.0f} people "
    f"(95% interval {wl[1]:,.0f} to {wl[2]:,.0f}) held without a judicial warrant, for {wh[0]:,.0f} hours in all; "
    f"{dline(main, 'citizens_held', 'citizens held')}; "
    f"{dline(main, 'hold_cost', 'cost of holds (USD)')}.\\n"
    f"- With stays 3.7 times as long under an honored detainer (illustrative): "
    f"{dline(stay, 'extra_stay_bed_days', 'extra bed-days')}; {dline(stay, 'detention_cost', 'detention cost (USD)')}.\\n"
    f"- With re-bookings switched on, the TRUST Act's recorded releases are {base_rec:,.0f} "
    f"({base_rec / RELEASED - 1:+.0%} against {RELEASED:,}): re-bookings add people to the sourced bookings, "
    "so that run is a sensitivity, not the calibrated model."))
"""),
    code("""
def natural(path, side):
    \"\"\"Says when the edge is a natural limit (a probability or share of 1) rather than a choice of prior.\"\"\"
    p = PRIORS[path]
    at_one = "upper" in side and p["max"] == 1.0 and ("probability" in path or "recorded" in path)
    if at_one:
        return ": a probability's natural limit, so the figures ask for as much of it as there can be"
    return ": a bound chosen for the prior, so values beyond it may fit as well"

notes = []
for name, c in cals.items():
    info = c["info"]
    missed = [f["metric"] for f in info["fits"] if not f["fits"]]
    notes.append(f"- **{c['label']}**: " + ("every target fits (inside its 90% predictive interval)" if not missed
                 else f"targets NOT reached: {', '.join(missed)}") +
                 f"; {'converged' if info['converged'] else 'NOT converged (budget spent)'}; final effective sample size "
                 f"{info['rounds'][-1]['effective_sample_size']:.0f} of {info['calibration']['particles']} particles.")
    EDGE = "leans on the prior's edge"
    leaning = posterior_table[(posterior_table["reading"] == c["label"]) & (posterior_table[EDGE] != "")]
    if len(leaning):
        notes.append("  Posterior leaning on a prior's edge: " +
                     "; ".join(f"{LABELS.get(r['input'], r['input'])} ({r[EDGE]}{natural(r['input'], r[EDGE])})"
                               for _, r in leaning.iterrows()) + ".")
    else:
        notes.append("  No input leans on its prior's edge (none has 20% or more of its posterior weight in the "
                     "outer tenth of its prior range).")
if len(cals) == 2:
    med = {n: c["summary"].set_index("parameter")["q50"] for n, c in cals.items()}
    notes.append("- Posterior medians, " + " against ".join(c["label"] for c in cals.values()) + ": " +
                 "; ".join(f"{LABELS[p]} {' against '.join(f'{med[n][p]:.3g}' for n in cals)}"
                           for p in [ridge_x, ridge_y, "recording.release_recorded"]) + ".")
display(Markdown("**What the calibrations say about themselves.**\\n\\n" + "\\n".join(notes)))
"""),
    md("""
## What the figures show

**(a)** Both figures are reproduced under either reading of the 4,015,
by many combinations of the unknown inputs: most posteriors stay wide
(`width_ratio` above). The figures constrain how many detainers there are,
which depends on the product of the noncitizen share, ICE's identification
rate and the lodging probabilities, more than any one of them; with four
such factors free, any pair shows only a diffuse ridge. On the 4,015, ICE's
active list can still hold released people ICE never learned of, while
people actually in custody must all be there; how far the two readings call
for different inputs shows in the medians above. An input that leans on its
prior's edge (listed above) is stopped by the bound, not by the figures:
when Cook's noncitizen share and ICE's identification rate both press
against their upper bounds, the figures ask for about as many detainers as
the priors allow. That is a finding, not a failure: either bookings hold
far more noncitizens than the residents' census figure suggests, or
detainers come from places the model leaves out (municipal lockups, people
other agencies board in county jails), or the announced figures count
something the model's metrics do not. The independent figures are checks of scale with
caveats of their own: residents are not bookings, and 2010 is not 2025.

**(b)** For the 1,768, the largest step is the one from two facilities to
the whole state; counting as ICE recorded lowers the count (some releases
never reach ICE, some are recorded after the window), and the calibrated
inputs add the rest. For the 4,015 the calibrated inputs carry most of the
gap. If DHS's 1,768 counted convicted people only, the calibrated model's
sentenced-path releases fall far short of it: that reading would need other
inputs, and no calibration to it has been run.

**(c)** Under honor-all the same people are held past release for ICE and
far more are transferred, while releases despite a detainer shrink to the
holds that lapsed before ICE arrived, and fewer people are booked again
after such a release. The holds are almost all without a judicial warrant,
they include citizens held on erroneous detainers, and if detainers
lengthen stays as the Pierce County study found, the extra bed-days and
their cost are far larger than the cost of the holds themselves. Both kinds
of outcome are in one figure with the same weight; how to weigh them is
left to the reader. Every number here rests on the calibrated inputs and on
the inputs the captions mark illustrative.
"""),
]
