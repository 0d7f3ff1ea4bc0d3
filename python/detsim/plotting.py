"""One plotting style for detsim's figures, written for a general reader.

Every committed figure uses it: plain-language titles instead of metric
names, axis labels with units, and a caption under the figure that names
the inputs the scenario marks ``illustrative`` (no public source)::

    from detsim import plotting
    plotting.style()
    fig, ax = plt.subplots()
    ax.set_ylabel(plotting.axis_label("hold_cost", currency="USD"))
    plotting.caption(fig, "scenarios/county-jail.yaml", "20 replications, seed 1.")

matplotlib is imported only by the functions that draw.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

# Plain titles for the metrics a reader meets most; the others are spelled
# out from their names ("at_large_arrests" -> "At-large arrests").
_TITLES = {
    "bookings": "People booked",
    "noncitizen_bookings": "Noncitizens booked",
    "detainers_lodged": "Detainers lodged",
    "detainers_late": "Detainers lodged after release",
    "detainers_on_citizens": "Erroneous detainers on citizens",
    "decisions": "Release decisions on a detainer",
    "honored": "Detainers honored (held past release)",
    "notified": "ICE notified, not held",
    "declined": "Detainers declined",
    "transferred_287g": "Transferred under 287(g)",
    "transfers_from_hold": "Transfers to ICE from a hold",
    "lapsed": "Holds that lapsed before ICE arrived",
    "transfers_on_notice": "Transfers to ICE on a notice",
    "missed_notices": "Notices ICE did not act on in time",
    "transfers": "Transfers to ICE",
    "released_despite_detainer": "Released despite a detainer",
    "released_despite_detainer_convicted": "Released despite a detainer, sentenced",
    "citizens_held": "Citizens held on an erroneous detainer",
    "hold_hours": "Hours held past release on a detainer",
    "max_hold_hours": "Longest hold past release",
    "hold_bed_days": "Bed-days of holds",
    "hold_cost": "Cost of holds past release",
    "holds_open_at_end": "Holds still open at the end",
    "notices_open_at_end": "Notices still open at the end",
    "in_custody_at_end": "People in custody at the end",
    "detainers_in_custody_at_end": "People with a detainer in custody at the end",
    "at_large_arrests": "ICE arrests after release",
    "mean_occupancy": "Average people in custody",
    "peak_occupancy": "Most people in custody at once",
    "over_capacity_hours": "Hours over capacity",
    "ice_mean_wait_hours": "Average wait for ICE pickup",
    "ice_team_utilization": "Share of time ICE teams were busy",
    "extra_stay_bed_days": "Extra bed-days from longer stays under a detainer",
    "extra_stay_cost": "Cost of longer stays under a detainer",
    "detention_cost": "Cost of holds and longer stays",
    "detainers_lifted": "Detainers lifted by ICE",
    "citizen_detainers_lifted": "Detainers on citizens lifted",
    "rebookings": "People booked again",
    "rebookings_after_release_despite_detainer": "Booked again after a release despite a detainer",
    "held_under_287g": "Held for ICE under 287(g)",
    "released_despite_detainer_recorded": "Releases despite a detainer, as ICE recorded them",
    "released_despite_detainer_recorded_convicted": "Sentenced releases despite a detainer, as recorded",
    "detainers_active_recorded_at_end": "Detainers ICE listed as active at the end",
}

_UNITS = None  # metric -> unit, read once from the glossary


def _units():
    global _UNITS
    if _UNITS is None:
        from . import metrics

        g = metrics()
        _UNITS = dict(zip(g["metric"], g["unit"]))
    return _UNITS


def title(metric: str) -> str:
    """A plain-language title for METRIC ("released_despite_detainer" ->
    "Released despite a detainer")."""
    if metric in _TITLES:
        return _TITLES[metric]
    words = metric.replace("_", " ")
    return words[:1].upper() + words[1:]


def unit(metric: str, currency: str | None = None) -> str:
    """METRIC's unit from the glossary; cost units become CURRENCY when given."""
    u = _units().get(metric, "")
    if currency and u == "cost units":
        return currency
    return u


def axis_label(metric: str, currency: str | None = None, over: str = "") -> str:
    """An axis label with the unit: "Hours held past release on a detainer
    (hours)", with OVER appended to the title ("over the year")."""
    u = unit(metric, currency)
    text = title(metric) + (f" {over}" if over else "")
    return f"{text} ({u})" if u else text


_KEY = re.compile(r"^(\s*)(-\s+)?([A-Za-z_][\w.-]*)\s*:")
_ID = re.compile(r"^\s*-\s+id:\s*([\w.-]+)")


def illustrative_inputs(path) -> list[str]:
    """The key paths of SCENARIO (a YAML file) whose line says `illustrative`
    in its comment, in file order. List items with an `id` are named by it
    (`offenses.violent-felony.pretrial_release`). A facility table next to the
    scenario is not read: its notes say which columns are illustrative."""
    stack: list[tuple[int, str, bool]] = []  # (column, name, is a list item)
    found: list[str] = []
    for raw in Path(path).read_text().splitlines():
        code, _, comment = raw.partition("#")
        m = _KEY.match(code)
        if not m:
            continue
        dash = len(m.group(1))
        col = dash + (len(m.group(2)) if m.group(2) else 0)
        if m.group(2):  # a list item: leave the previous item, keep its parent
            while stack and (stack[-1][0] > dash or (stack[-1][0] == dash and stack[-1][2])):
                stack.pop()
            item = _ID.match(code)
            stack.append((dash, item.group(1) if item else "-", True))
        while stack and stack[-1][0] >= col:
            stack.pop()
        key = m.group(3)
        if key == "id" and m.group(2):
            continue
        path_ = ".".join([name for _, name, _ in stack] + [key])
        stack.append((col, key, False))
        if "illustrative" in comment.lower() and path_ not in found:
            found.append(path_)
    return found


_LIST_ITEM = re.compile(r"(offenses)\.[\w-]+\.")


def caption_text(scenarios, note: str = "", limit: int = 16) -> str:
    """The caption: NOTE, then the illustrative inputs of SCENARIOS (one path
    or a list), shortened to LIMIT names; `offenses.*.share` stands for the
    share of every offense category."""
    if isinstance(scenarios, (str, Path)):
        scenarios = [scenarios]
    names: list[str] = []
    for s in scenarios:
        for k in illustrative_inputs(s):
            k = _LIST_ITEM.sub(r"\1.*.", k)  # every offense category at once
            if k not in names:
                names.append(k)
    parts = [note.strip()] if note.strip() else []
    if names:
        shown = ", ".join(names[:limit])
        more = f", and {len(names) - limit} more" if len(names) > limit else ""
        files = ", ".join(Path(s).name for s in scenarios)
        parts.append(f"Illustrative inputs (no public source) in {files}: {shown}{more}.")
    else:
        parts.append("Every input of the scenario cites a public source.")
    return " ".join(parts)


def caption(fig, scenarios, note: str = "", width: int = 150, limit: int = 16):
    """Writes the caption under FIG (see caption_text) and returns its text."""
    text = caption_text(scenarios, note, limit)
    fig.text(0.01, -0.01, textwrap.fill(text, width), ha="left", va="top",
             fontsize=8, color="#444444", wrap=True)
    return text


def style() -> None:
    """The shared matplotlib style of detsim's figures."""
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "figure.dpi": 100,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "legend.fontsize": 8,
        "figure.titlesize": 12,
        "axes.formatter.use_locale": False,
    })


def thousands(ax, axis: str = "y") -> None:
    """Thousands separators on AXIS ("x" or "y") of AX."""
    from matplotlib.ticker import FuncFormatter

    f = FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 1000 or v == int(v) else f"{v:,.2g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(f)
