"""Calibration (:func:`detsim.calibrate`) and runs across a posterior
(``posterior=`` of :func:`detsim.run` and :func:`detsim.compare`); see
docs/calibration.md."""

import json
import os
import tempfile
import warnings

from . import _core
from ._api import _Progress, pd

STATE_FILE = "calibration-state.json"


class Calibration:
    """The result of :func:`calibrate`: the files in ``folder``.

    Attributes: ``folder``, ``converged``, ``fits`` (every target fits),
    ``simulations``, ``warnings``. Pass it (or its folder) as ``posterior=``
    to :func:`detsim.run` or :func:`detsim.compare`.
    """

    def __init__(self, folder, info):
        self.folder = folder
        self.converged = bool(info["converged"])
        self.fits = bool(info["fits"])
        self.simulations = int(info["simulations"])
        self.warnings = list(info["warnings"])

    def _read(self, name):
        return pd.read_csv(os.path.join(self.folder, name), keep_default_na=False,
                           na_values=[""], dtype={"facility": str, "metric": str,
                                                  "parameter": str})

    def posterior(self):
        """The final population: particle, weight, one column per parameter."""
        return self._read("posterior.csv")

    def summary(self):
        """Per parameter: prior_min, prior_max, weighted mean, sd, q05, q50, q95, width_ratio."""
        return self._read("summary.csv")

    def predictive(self):
        """Per target, then per headline metric: observed, sd, mean, q05, q95."""
        return self._read("predictive.csv")

    def to_dict(self):
        """calibration.json: rounds, fits, parameters, correlations, warnings."""
        with open(os.path.join(self.folder, "calibration.json"), encoding="utf-8") as f:
            return json.load(f)

    def __repr__(self):
        return (f"<detsim.Calibration in {self.folder!r}: "
                f"{'converged' if self.converged else 'NOT converged'}, "
                f"{'fits' if self.fits else 'does not fit'}, {self.simulations} simulations>")


def calibrate(path, threads=0, *, out=None, resume=False, progress=True):
    """Runs a calibration file, as ``detsim calibrate PATH --out OUT``.

    ``out``: the folder for posterior.csv, summary.csv, predictive.csv,
    calibration.json and the state (default: a new temporary folder); a
    folder that already holds a calibration needs ``resume=True``, which
    continues it from its last finished round. ``threads`` and ``progress``
    as for :func:`detsim.run` (the bar counts simulations against the
    budget); Ctrl-C stops after the running simulations
    (``KeyboardInterrupt``; resume later). Warnings (not converged, a
    target out of reach, ridges) are issued with :mod:`warnings` and kept
    in ``Calibration.warnings``. Returns a :class:`Calibration`. Raises
    :class:`InputError` for a bad file, ``ValueError`` for an ``out`` that
    holds a calibration without ``resume``.
    """
    path = os.fspath(path)
    info = _core.calibration_info(path)
    if out is None:
        out = tempfile.mkdtemp(prefix="detsim-calibrate-")
    out = os.fspath(out)
    held = any(os.path.exists(os.path.join(out, f)) for f in (STATE_FILE, "calibration.json"))
    if held and not resume:
        raise ValueError(f"{out} already holds a calibration; pass resume=True to continue it")
    bar = _Progress(progress, info["budget"], "calibrate", "sim")
    try:
        res = _core.calibrate(path, out, int(threads), bool(resume), bar.callback())
    finally:
        bar.close()
    for w in res["warnings"]:
        warnings.warn(w, stacklevel=2)
    return Calibration(out, res)


class PosteriorResult:
    """:func:`detsim.run` or :func:`detsim.compare` across posterior draws.

    Intervals combine parameter and simulation uncertainty:
    ``mean +- 1.96 sd_total`` with ``sd_total`` the sd of the draws' means;
    ``sd_simulation`` is the simulation noise of a draw's mean alone and
    ``sd_parameter`` the parameters' part (docs/calibration.md).
    ``to_dict()`` is the document of ``detsim run|compare --posterior DIR --json``.
    """

    def __init__(self, doc):
        self._doc = doc

    draws = property(lambda self: self._doc["draws"], doc="The number of posterior draws.")
    particles = property(lambda self: list(self._doc["particles"]),
                         doc="By draw: the posterior.csv particle it used.")

    def to_dict(self):
        return self._doc

    @staticmethod
    def _frame(block):
        rows = []
        for regime, metrics in block.items():
            for metric, s in metrics.items():
                rows.append((regime, metric, s["mean"], s["interval"][0], s["interval"][1],
                             s["sd_total"], s["sd_parameter"], s["sd_simulation"], s["mean_se"]))
        return pd.DataFrame(rows, columns=["regime", "metric", "mean", "low", "high", "sd_total",
                                           "sd_parameter", "sd_simulation", "mean_se"])

    def summary(self):
        """One row per regime and metric (totals): mean, low, high, sd_total,
        sd_parameter, sd_simulation, mean_se."""
        return self._frame(self._doc["regimes"])

    def differences(self):
        """Paired differences of each regime from the first (regime ``"B - A"``)."""
        return self._frame(self._doc["differences"])

    def __repr__(self):
        return (f"<detsim.PosteriorResult: {len(self._doc['regimes'])} regime(s), "
                f"{self.draws} draws x {self._doc['replications_per_draw']} replications>")


def posterior_run(names, scenarios, posterior, draws, threads, progress):
    """Runs each scenario (a regime) across ``draws`` posterior draws."""
    folder = posterior.folder if isinstance(posterior, Calibration) else os.fspath(posterior)
    draws = int(draws)
    if draws < 2:
        raise ValueError("draws must be at least 2")
    picked = _core.posterior_draws(folder, draws, scenarios[0].seed)
    grid = [[s._with(extra_sets=sets)._core for _, sets in picked] for s in scenarios]
    if grid[0][0].replications < 2:
        raise ValueError("a run across a posterior needs at least 2 replications per draw")
    total = sum(len(row) * row[0].replications for row in grid)
    bar = _Progress(progress, total, "posterior", "rep")
    try:
        doc = _core.posterior_run(list(names), grid, [p for p, _ in picked], int(threads),
                                  scenarios[0].source, folder, bar.callback())
    finally:
        bar.close()
    return PosteriorResult(json.loads(doc))
