"""The notebook calibration.ipynb: inferring unknown inputs from counts."""
from .common import SETUP, code, md

CELLS = [
    md("""
# Calibration: inferring unknown inputs from counts

Two inputs of the default scenario are not published: the **noncitizen
share** of bookings and how long **ICE takes to pick up** a person held on
a detainer. What an agency does publish are counts. This notebook asks
`detsim calibrate` which values of the two inputs reproduce two counts,
how sure we can be, and what that uncertainty does to a policy comparison.

The counts here are **synthetic**: we simulate the scenario once at values we
pick (a noncitizen share of 0.10 and a median pickup delay of 30 hours) and
pretend the results were published, with a measurement error. Knowing the
truth lets us see whether the calibration finds it. docs/calibration.md
explains the method and its outputs."""),
    code(SETUP),
    code("""
work = Path(tempfile.mkdtemp(prefix="detsim-calibration-nb-"))

# The default scenario, shortened to 90 days so the notebook runs in a minute.
spec = yaml.safe_load((REPO / "scenarios" / "county-jail.yaml").read_text())
spec["horizon_days"] = 90
(work / "base.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
TRUTH = {"population.noncitizen_share": 0.10, "ice.pickup.delay.median_hours": 30}"""),
    md("""
## The "published" counts

One replication at the true values, plus a normal measurement error: the
number of detainers lodged (error sd 25) and the number of holds that
lapsed before ICE arrived (error sd 8)."""),
    code("""
truth_run = detsim.run(work / "base.yaml", reps=1, seed=2024, set=TRUTH, progress=False)
totals = truth_run.replications().query("facility == 'all' and offense == 'all'").set_index("metric")["value"]
rng = np.random.default_rng(7)
SD = {"detainers_lodged": 25, "lapsed": 8}
observed = {m: round(float(totals[m] + rng.normal(0, sd))) for m, sd in SD.items()}
observed"""),
    code("""
calibration = {
    "base": "base.yaml",
    "seed": 11,
    "particles": 150 if SMALL else 300,
    "budget": 2500 if SMALL else 6000,
    "parameters": {
        "population.noncitizen_share": {"min": 0.02, "max": 0.25},
        "ice.pickup.delay.median_hours": {"min": 4, "max": 120, "log": True},
    },
    "targets": [{"metric": m, "observed": observed[m], "sd": SD[m]} for m in SD],
}
(work / "calibration.yaml").write_text(yaml.safe_dump(calibration, sort_keys=False))
cal = detsim.calibrate(work / "calibration.yaml", out=work / "posterior", progress=False)
cal"""),
    code("""
cal.summary()"""),
    md("""
## Priors and posteriors

The grey band is the prior (every value in the range equally likely, on the
log scale for the pickup delay); the bars are the posterior, the values that
reproduce the counts, weighted by how well they do. The dashed line is the
truth. `width_ratio` above says how much narrower the posterior's 90%
interval is than the prior's: the smaller, the more the counts pin the
input down."""),
    code("""
post = cal.posterior()
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
labels = {"population.noncitizen_share": "noncitizen share of bookings",
          "ice.pickup.delay.median_hours": "median pickup delay (hours)"}
for ax, (path, prior) in zip(axes, calibration["parameters"].items()):
    log = prior.get("log", False)
    bins = (np.geomspace if log else np.linspace)(prior["min"], prior["max"], 40)
    ax.axvspan(prior["min"], prior["max"], color="0.9", label="prior range")
    ax.hist(post[path], bins=bins, weights=post["weight"], density=True, color="tab:blue",
            alpha=0.8, label="posterior")
    ax.axvline(TRUTH[path], color="black", linestyle="--", label="truth")
    if log:
        ax.set_xscale("log")
    ax.set_xlabel(labels[path])
    ax.set_yticks([])
axes[0].legend(frameon=False)
fig.suptitle("What the two counts say about the two inputs")
fig.tight_layout()
save(fig, "calibration-posterior", SCENARIOS / "county-jail.yaml",
     f"Synthetic counts from a 90-day version of the default scenario; posterior of {calibration['particles']} weighted particles (ABC-SMC).")"""),
    md("""
## Do the calibrated inputs reproduce the counts?

For each count, the posterior predictive 90% interval: what a new year
would show (one replication plus measurement error) with inputs drawn from
the posterior. The observed count should fall inside; a count outside
means the model, the priors or the figure is off."""),
    code("""
pred = cal.predictive()
targets = pred[pred.observed.notna()]
fig, ax = plt.subplots(figsize=(7, 2.8))
for i, row in enumerate(targets.itertuples()):
    ax.plot([row.q05, row.q95], [i, i], color="tab:blue", linewidth=6, alpha=0.5,
            label="predictive 90% interval" if i == 0 else None)
    ax.plot(row.observed, i, "ko", label="observed" if i == 0 else None)
ax.set_yticks(range(len(targets)), [plotting.title(m) for m in targets.metric])
ax.set_xlabel("count over the 90 days")
ax.set_title("Observed counts against what the calibrated model predicts")
ax.legend(frameon=False, loc="lower right")
fig.tight_layout()
save(fig, "calibration-predictive", SCENARIOS / "county-jail.yaml",
     "Bars: posterior predictive 90% interval of one replication plus measurement error; dots: the synthetic observed counts.")
targets"""),
    md("""
## A policy comparison across the posterior

Cooperative (every detainer honored) against sanctuary (every detainer
declined), on the same draws from the posterior and the same people. The
interval of each difference now holds two things: what we do not know about
the inputs (parameter part) and the simulation's own noise. The figure
shows both, so a reader can see which dominates."""),
    code("""
cmp_draws = 6 if SMALL else 12
cmp = detsim.compare(work / "base.yaml", policies=["cooperative", "sanctuary"], reps=4,
                     posterior=cal, draws=cmp_draws, progress=False)
diff = cmp.differences().set_index("metric")
shown = ["honored", "released_despite_detainer", "hold_hours"]
diff.loc[shown, ["mean", "low", "high", "sd_parameter", "sd_simulation"]]"""),
    code("""
fig, axes = plt.subplots(1, len(shown), figsize=(11, 3.2))
for ax, m in zip(axes, shown):
    row = diff.loc[m]
    ax.bar(["parameters", "simulation"], [row.sd_parameter, row.sd_simulation],
           color=["tab:orange", "tab:gray"])
    ax.set_title(f"{plotting.title(m)}\\nsanctuary minus cooperative: {row['mean']:,.0f} {plotting.unit(m)}")
axes[0].set_ylabel("standard deviation of the difference")
fig.suptitle("Where the uncertainty of each difference comes from")
fig.tight_layout()
save(fig, "calibration-compare", SCENARIOS / "county-jail.yaml",
     f"Standard deviation of each paired difference over {cmp_draws} posterior draws: between draws (parameters) and within them (simulation).")"""),
    md("""
**Reading it.** The calibration recovers the two inputs within the
measurement error the counts allow. The policy differences are large next
to both sources of uncertainty. With real counts the same steps apply; with
inputs that act only together (a noncitizen share and ICE's match
probability), the posterior shows a ridge instead of a peak, and
`calibration.json` warns about it."""),
]
