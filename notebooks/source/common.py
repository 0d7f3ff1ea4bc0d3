"""What every notebook shares: the setup cell and the cell builders."""
from nbformat.v4 import new_code_cell, new_markdown_cell

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
from detsim import plotting

# DETSIM_REPS: replications per run and sweep point (default 20); DETSIM_SMALL=1:
# a few sweep points (CI); DETSIM_FIGURES: where figures go (default notebooks/figures).
REPO = Path(os.environ.get("DETSIM_REPO", Path.cwd().parent))  # notebooks run in notebooks/
SCENARIOS = REPO / "scenarios"
FIGURES = Path(os.environ.get("DETSIM_FIGURES", REPO / "notebooks" / "figures"))
REPS = int(os.environ.get("DETSIM_REPS", "20"))
SMALL = os.environ.get("DETSIM_SMALL", "0") not in ("", "0", "false", "no")
plotting.style()  # the project's one figure style (python/detsim/plotting.py)


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


def save(fig, name, scenarios, note=""):
    \"\"\"Writes FIG to FIGURES/NAME.png (small: dpi 100), with a caption under it:
    NOTE, then the inputs SCENARIOS (paths) mark illustrative.\"\"\"
    plotting.caption(fig, scenarios, note)
    FIGURES.mkdir(exist_ok=True)
    fig.savefig(FIGURES / f"{name}.png", dpi=100, bbox_inches="tight")


def fmt(x):
    \"\"\"A count for prose: thousands separators, no false precision.\"\"\"
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:,.1f}"


def ci_text(stat):
    \"\"\"'MEAN (95% CI LOW to HIGH)' for a metric's statistics (a to_dict() entry).\"\"\"
    lo, hi = stat["interval"]  # as displayed: bounded at 0 for non-negative metrics
    return f"{fmt(stat['mean'])} (95% CI {fmt(lo)} to {fmt(hi)})"


print("detsim", detsim.__version__, "| replications:", REPS, "| small sweeps:", SMALL)"""


def md(text: str):
    return new_markdown_cell(text.strip("\n"))


def code(text: str):
    return new_code_cell(text.strip("\n"))
