"""The notebook ice-capacity.ipynb: ICE pickup capacity, transfers and lapses."""
from .common import SETUP, code, md

CELLS = [
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
    axes[0].set_ylabel(plotting.axis_label(metric, over="over the year"))
    axes[1].legend(title="median ICE response time")
    fig.suptitle(title)
    fig.tight_layout()
    save(fig, name, [SCENARIOS / "county-jail.yaml", sweep_file],
         f"Lines: mean over {REPS} replications per point, shaded 95% confidence interval; "
         "dashed: the same scenario with unlimited ICE teams. Team counts and response times are illustrative.")

capacity_figure("lapsed", "Honored holds that lapsed before ICE arrived, by number of ICE pickup teams", "ice-capacity-lapsed")
"""),
    code("""
capacity_figure("transfers", "Transfers to ICE, by number of ICE pickup teams", "ice-capacity-transfers")
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
