"""Small helpers shared by the notebooks: find and run the `detsim` binary,
read its JSON and CSV with pandas, save figures.

Environment:
  DETSIM        path of the detsim binary (default: ../build/release/detsim,
                relative to this folder, the `release` CMake preset's output)
  DETSIM_REPS   replications per run and per sweep point (default 20)
  DETSIM_SMALL  1: shrink sweeps to a few points (CI); default 0
  DETSIM_FIGURES  folder for the PNG figures (default: notebooks/figures;
                CI writes elsewhere so the committed figures stay as they are)
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: figures are written to files
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402

NB_DIR = Path(__file__).resolve().parent
REPO = NB_DIR.parent
SCENARIOS = REPO / "scenarios"
FIGURES = Path(os.environ.get("DETSIM_FIGURES", NB_DIR / "figures"))
REPS = int(os.environ.get("DETSIM_REPS", "20"))
SMALL = os.environ.get("DETSIM_SMALL", "0") not in ("", "0", "false", "no")


def binary() -> str:
    """The detsim binary: $DETSIM, else the release preset's build."""
    path = Path(os.environ.get("DETSIM", NB_DIR / ".." / "build" / "release" / "detsim"))
    if not path.is_file():
        raise FileNotFoundError(
            f"detsim binary not found at {path}: build it with "
            "`cmake --preset release && cmake --build --preset release --target detsim` "
            "or set DETSIM to its path")
    return str(path.resolve())


def detsim(*args: str) -> str:
    """Runs `detsim ARGS...` and returns its stdout; raises with stderr on failure."""
    cmd = [binary(), *map(str, args)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {done.returncode}:\n{done.stderr}")
    return done.stdout


def _set_args(sets: dict | None) -> list[str]:
    return [a for k, v in (sets or {}).items() for a in ("--set", f"{k}={v}")]


def run(scenario: str | Path, reps: int = REPS, policy: str | None = None,
        sets: dict | None = None, seed: int | None = None) -> dict:
    """`detsim run SCENARIO --json` as a dict (MODEL.md section 5)."""
    args = ["run", str(scenario), "--json", "--reps", str(reps), *_set_args(sets)]
    if policy:
        args += ["--policy", policy]
    if seed is not None:
        args += ["--seed", str(seed)]
    return json.loads(detsim(*args))


def compare(scenario: str | Path, policies: list[str], reps: int = REPS,
            sets: dict | None = None) -> dict:
    """`detsim compare SCENARIO --policy A --policy B ... --json` as a dict:
    baseline, regimes (each a run) and differences (each regime minus the first)."""
    args = ["compare", str(scenario), "--json", "--reps", str(reps), *_set_args(sets)]
    for p in policies:
        args += ["--policy", p]
    return json.loads(detsim(*args))


def summary(result: dict, metrics: list[str]) -> pd.DataFrame:
    """One row per metric: mean, ci_low, ci_high of a run's totals."""
    rows = []
    for m in metrics:
        s = result["metrics"][m]
        rows.append({"metric": m, "mean": s["mean"], "ci_low": s["ci95"][0], "ci_high": s["ci95"][1]})
    return pd.DataFrame(rows).set_index("metric")


def sweep(sweep_file: str | Path, replications: int = REPS, override: dict | None = None,
          keep: Path | None = None) -> pd.DataFrame:
    """Runs `detsim sweep` on a copy of SWEEP_FILE with `replications` and the
    top-level keys in `override` replaced (e.g. smaller `parameters` or
    `samples`), and returns its results CSV (one row per point)."""
    sweep_file = Path(sweep_file).resolve()
    spec = yaml.safe_load(sweep_file.read_text())
    spec["base"] = str((sweep_file.parent / spec["base"]).resolve())
    spec["replications"] = replications
    spec.update(override or {})
    with tempfile.TemporaryDirectory(prefix="detsim-nb-") as tmp:
        spec_path = Path(tmp) / sweep_file.name
        spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
        out = Path(tmp) / "results.csv"
        detsim("sweep", str(spec_path), "--out", str(out), "--quiet")
        frame = pd.read_csv(out)
        if keep is not None:
            keep.write_text(out.read_text())
    return frame


def facility_policies(result: dict) -> dict[str, str]:
    """Each facility's policy as the run applied it, from the resolved scenario:
    'POLICY', 'STATE (own: OWN, preempted)', plus ' -> NEW from DATE' per change."""
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


def save(fig, name: str) -> Path:
    """Writes FIG to notebooks/figures/NAME.png (small: dpi 100)."""
    FIGURES.mkdir(exist_ok=True)
    path = FIGURES / f"{name}.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    return path


def fmt(x: float) -> str:
    """A count for prose: thousands separators, no false precision."""
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:,.1f}"


def ci_text(stat: dict) -> str:
    """'MEAN (95% CI LOW to HIGH)' for a metric's statistics."""
    lo, hi = stat["ci95"]
    return f"{fmt(stat['mean'])} (95% CI {fmt(lo)} to {fmt(hi)})"


plt.rcParams.update({"figure.dpi": 100, "axes.spines.top": False, "axes.spines.right": False,
                     "axes.grid": True, "grid.alpha": 0.3})
