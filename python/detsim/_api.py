"""The public functions and classes of :mod:`detsim` (see python/README.md)."""

import io
import json
import os
import shutil
import tempfile
import warnings

from . import _core
from ._errors import InputError

__all__ = [
    "Scenario",
    "Result",
    "Comparison",
    "run",
    "compare",
    "expect",
    "sweep",
    "validate",
    "policies",
    "metrics",
]


# ---- helpers -----------------------------------------------------------------


class _LazyPandas:
    """pandas, imported at first use (``import detsim`` stays quick)."""

    def __getattr__(self, name):
        import pandas

        return getattr(pandas, name)


pd = _LazyPandas()


def _set_text(value):
    """One ``--set`` value as the tool's command line would spell it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value)
    return str(value)


def _sets(set_):
    """``set=`` (a dict ``{path: value}``, or ``PATH=VALUE`` strings) as ``--set`` texts."""
    if set_ is None:
        return []
    if isinstance(set_, dict):
        return [f"{path}={_set_text(value)}" for path, value in set_.items()]
    if isinstance(set_, str):
        return [set_]
    return [str(s) for s in set_]


def _csv(text):
    """A CSV text of the library's writers as a DataFrame (ids stay text, empty is NaN)."""
    return pd.read_csv(
        io.StringIO(text),
        keep_default_na=False,
        na_values=[""],
        dtype={"facility": str, "offense": str, "metric": str, "regime": str},
    )


class _Progress:
    """A tqdm bar when tqdm is importable and ``enabled``; silent otherwise."""

    def __init__(self, enabled, total, desc, unit):
        self.bar = None
        if not enabled:
            return
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from tqdm.auto import tqdm
                self.bar = tqdm(total=total, desc=desc, unit=unit, leave=False)
        except Exception:  # no tqdm (or no display): no bar
            self.bar = None

    def callback(self):
        if self.bar is None:
            return None

        def update(finished):
            if finished > self.bar.n:
                self.bar.update(finished - self.bar.n)

        return update

    def close(self):
        if self.bar is not None:
            self.bar.close()


# ---- scenarios -----------------------------------------------------------------


class Scenario:
    """A scenario file read, resolved and checked, ready to run.

    ``Scenario(path, policy=None, set=None)`` reads the YAML file ``path``
    (docs/scenario.md) as ``detsim run PATH`` does:

    policy
        a policy name applied to every facility for the whole run (the
        tool's ``--policy``), or ``None``.
    set
        overrides applied before the scenario is checked, as a dict
        ``{"ice.pickup.teams": 3}`` or a list of ``"PATH=VALUE"`` strings
        (the tool's ``--set``, in order).

    Raises :class:`InputError` for any problem in the file. Attributes:
    ``name``, ``description``, ``source``, ``seed``, ``replications``,
    ``horizon_days``, ``facilities`` and ``offenses`` (ids, in order),
    ``policy_names``, ``resolved_yaml`` (the scenario after presets,
    ``policy`` and ``set``).
    """

    def __init__(self, path, policy=None, set=None):  # noqa: A002 (the API's name)
        self._origin = ("file", os.fspath(path), None)
        self._policy = policy
        self._sets = _sets(set)
        self._core = _core.load(self._origin[1], policy, self._sets)

    @classmethod
    def from_dict(cls, data, policy=None, set=None, source="<dict>"):  # noqa: A002
        """A scenario from a dict with the layout of a scenario file.

        ``data`` is what ``yaml.safe_load`` gives for a scenario file
        (dates may be ``datetime.date`` or text). ``source`` names it in
        error messages; line numbers refer to the dict written as indented
        JSON (which is YAML). Raises :class:`InputError`.
        """
        self = cls.__new__(cls)
        text = json.dumps(data, indent=2, default=str) + "\n"
        self._origin = ("text", text, source)
        self._policy = policy
        self._sets = _sets(set)
        self._core = _core.load_text(text, source, policy, self._sets)
        return self

    def _with(self, policy=None, extra_sets=()):
        """The same scenario read again with another policy and more ``--set``s."""
        other = Scenario.__new__(Scenario)
        other._origin = self._origin
        other._policy = self._policy if policy is None else policy
        other._sets = self._sets + list(extra_sets)
        kind, what, source = self._origin
        if kind == "file":
            other._core = _core.load(what, other._policy, other._sets)
        else:
            other._core = _core.load_text(what, source, other._policy, other._sets)
        return other

    name = property(lambda self: self._core.name, doc="The scenario's name.")
    description = property(lambda self: self._core.description, doc="Its description.")
    source = property(lambda self: self._core.source, doc="The file it was read from.")
    seed = property(lambda self: self._core.seed, doc="The random seed.")
    replications = property(lambda self: self._core.replications,
                            doc="The replications a run makes by default.")
    horizon_days = property(lambda self: self._core.horizon_days, doc="Days in the window.")
    facilities = property(lambda self: list(self._core.facility_ids), doc="Facility ids, in order.")
    offenses = property(lambda self: list(self._core.offense_ids),
                        doc="Offense category ids, in order.")
    policy_names = property(lambda self: list(self._core.policy_names),
                            doc="Policies the scenario names, then presets it uses.")
    resolved_yaml = property(lambda self: self._core.resolved_yaml,
                             doc="The scenario after presets, policy and set, as YAML.")

    def __repr__(self):
        return (f"<detsim.Scenario {self.name!r}: {len(self.facilities)} facilities, "
                f"seed {self.seed}, {self.replications} replications>")


def _scenario(s, policy=None, set=None):  # noqa: A002
    if isinstance(s, Scenario):
        if policy is not None or set is not None:
            return s._with(policy=policy, extra_sets=_sets(set))
        return s
    return Scenario(s, policy=policy, set=set)


def _overrides(reps, seed):
    """The tool's ``--reps`` and ``--seed``, as it applies them (after ``--set``)."""
    extra = []
    if reps is not None:
        extra.append(f"replications={int(reps)}")
    if seed is not None:
        extra.append(f"seed={int(seed)}")
    return extra


# ---- run -----------------------------------------------------------------------


class Result:
    """The results of :func:`run`: replications of one scenario.

    Tables are pandas DataFrames; their numbers are those of the ``detsim``
    tool for the same inputs (``to_dict()`` is ``detsim run --json``).
    """

    def __init__(self, scenario, core):
        self.scenario = scenario
        self._core = core

    @property
    def n(self):
        """The number of replications run."""
        return self._core.replications

    def summary(self):
        """Summary over replications, one row per (facility, offense, metric).

        Columns: facility, offense, metric, n, mean, sd, ci_low, ci_high
        (95% Student t interval, bounded below at 0 for non-negative metrics),
        min, max, ci_bounded (true where the bound was raised to 0), unit. Totals have facility and offense
        ``"all"``; each facility has offense ``"all"``, each offense category
        facility ``"all"``. sd and the interval are NaN with one replication.
        """
        return _csv(self._core.summary_csv())

    def replications(self):
        """Every replication's values: replication, facility, offense, metric, value."""
        return _csv(self._core.metrics_csv())

    def series(self):
        """The daily series (``run(..., series=True)``): one row per replication, facility and day.

        Columns: replication, date, facility, occupancy (people in custody at
        the end of the day), holds_active, and the day's decisions, honored,
        notified, declined, transfers, lapsed.
        """
        if not self._core.has_series:
            raise ValueError("no series: run with series=True")
        df = pd.DataFrame(self._core.series_columns())
        df.insert(1, "date", pd.to_datetime(df.pop("day"), unit="D"))
        return df

    def trace(self):
        """The per-person trace (``run(..., trace=True)``): one row per person.

        Columns as the tool's ``--trace`` file: replication, id, facility,
        booked_at_facility, offense, citizen, convicted, booked_at,
        scheduled_release, detainer, judicial_warrant, action, outcome,
        outcome_at, hold_hours (times in hours since the scenario's start; the
        CSV of `detsim run --trace` adds them as ISO 8601 date-times).
        """
        if not self._core.has_trace:
            raise ValueError("no trace: run with trace=True")
        return pd.DataFrame(self._core.trace_columns())

    def json(self):
        """The JSON text ``detsim run --json`` prints for the same run."""
        return self._core.json()

    def to_dict(self):
        """The ``detsim run --json`` document as a dict."""
        return json.loads(self._core.json())

    def write(self, folder):
        """Writes the tool's ``--out`` folder: metrics.csv, summary.csv, run.json, scenario.resolved.yaml."""
        self._core.write_folder(os.fspath(folder))

    def __str__(self):
        return self._core.table()

    def __repr__(self):
        return f"<detsim.Result {self.scenario.name!r}: {self.n} replications>"


def run(scenario, reps=None, seed=None, threads=0, series=False, trace=False, *,
        policy=None, set=None, progress=True, posterior=None, draws=20):  # noqa: A002
    """Runs replications of a scenario, as ``detsim run``.

    scenario
        a :class:`Scenario` or a path to a scenario file.
    reps, seed
        override the scenario's replication count and seed (the tool's
        ``--reps`` and ``--seed``); ``None`` keeps the scenario's.
    threads
        worker threads; 0 uses every core. Results do not depend on it.
    series, trace
        also keep the daily series and the per-person trace
        (:meth:`Result.series`, :meth:`Result.trace`).
    policy, set
        as for :class:`Scenario`, applied on top of the scenario's own.
    progress
        show a progress bar (tqdm, when installed); ``False`` for none.
    posterior, draws
        a :class:`Calibration` or its folder: run across ``draws`` draws
        from its posterior (``detsim run --posterior DIR --draws N``) and
        return a :class:`PosteriorResult` instead.

    The GIL is released while replications run; Ctrl-C stops the run
    within a fraction of a second and raises ``KeyboardInterrupt``.
    Returns a :class:`Result`. Raises :class:`InputError` for bad input.
    """
    s = _scenario(scenario, policy, set)
    extra = _overrides(reps, seed)
    if extra:
        s = s._with(extra_sets=extra)
    if posterior is not None:
        from ._calibrate import posterior_run

        return posterior_run(["run"], [s], posterior, draws, threads, progress)
    bar = _Progress(progress, s.replications, s.name, "rep")
    try:
        core = _core.run(s._core, s.replications, 0, int(threads), bool(series), bool(trace),
                         bar.callback())
    finally:
        bar.close()
    return Result(s, core)


# ---- compare -------------------------------------------------------------------


class Comparison:
    """The results of :func:`compare`: regimes run on the same people.

    ``to_dict()`` is the document ``detsim compare --json`` prints.
    """

    def __init__(self, core):
        self._core = core

    @property
    def regimes(self):
        """Regime names; the first is the baseline."""
        return list(self._core.regimes())

    def differences(self):
        """Paired differences of each regime from the baseline.

        Columns: regime, facility, offense, metric, n, mean, sd, ci_low,
        ci_high (95% interval of the paired difference), relative (the
        difference of the means over the baseline's mean; NaN when that is 0).
        """
        return _csv(self._core.differences_csv())

    def summary(self):
        """Each regime's :meth:`Result.summary`, stacked, with a first column ``regime``."""
        frames = []
        for i, name in enumerate(self.regimes):
            df = _csv(self._core.summary_csv(i))
            df.insert(0, "regime", name)
            frames.append(df)
        return pd.concat(frames, ignore_index=True)

    def replications(self):
        """Every regime's per-replication values: regime, replication, facility, offense, metric, value."""
        return _csv(self._core.metrics_csv())

    def json(self):
        """The JSON text ``detsim compare --json`` prints."""
        return self._core.json()

    def to_dict(self):
        """The ``detsim compare --json`` document as a dict."""
        return json.loads(self._core.json())

    def write(self, folder):
        """Writes the tool's ``--out`` folder: compare.json, metrics.csv, differences.csv."""
        self._core.write_folder(os.fspath(folder))

    def __str__(self):
        return self._core.table()

    def __repr__(self):
        return f"<detsim.Comparison of {', '.join(self.regimes)}>"


def compare(scenario, policies=None, reps=None, seed=None, threads=0, *, set=None,
            progress=True, posterior=None, draws=20):  # noqa: A002
    """Runs regimes on the same replications and pairs them, as ``detsim compare``.

    Either one scenario and ``policies`` (two or more policy names: one
    regime each, the first the baseline), or ``scenario`` a list of two or
    more scenarios (paths or :class:`Scenario`) and ``policies=None``: the
    first one's seed and replication count then apply to all, so replication
    r of every regime sees the same people. ``reps``, ``seed``, ``threads``,
    ``set`` and ``progress`` as for :func:`run`. With ``posterior`` (a
    :class:`Calibration` or its folder) every regime runs the same
    ``draws`` posterior draws with the same people and a
    :class:`PosteriorResult` is returned.

    Returns a :class:`Comparison`. Raises :class:`InputError` for bad input,
    ``ValueError`` for fewer than two regimes.
    """
    extra = _overrides(reps, seed)
    if isinstance(scenario, (list, tuple)):
        if policies:
            raise ValueError("give either one scenario with policies, or several scenarios")
        if len(scenario) < 2:
            raise ValueError("compare needs two or more scenarios")
        first = _scenario(scenario[0], None, set)._with(extra_sets=extra)
        rest = [f"seed={first.seed}", f"replications={first.replications}"]
        scenarios = [first] + [
            _scenario(s, None, set)._with(extra_sets=extra + rest) for s in scenario[1:]
        ]
        names = [s.name for s in scenarios]
    else:
        policies = list(policies or [])
        if len(policies) < 2:
            raise ValueError("compare needs two or more policies (or a list of scenarios)")
        base = _scenario(scenario, None, set)
        scenarios = [base._with(policy=p, extra_sets=extra) for p in policies]
        names = policies
    if posterior is not None:
        from ._calibrate import posterior_run

        return posterior_run(names, scenarios, posterior, draws, threads, progress)
    total = sum(s.replications for s in scenarios)
    bar = _Progress(progress, total, "compare", "rep")
    try:
        core = _core.compare(names, [s._core for s in scenarios], int(threads), bar.callback())
    finally:
        bar.close()
    return Comparison(core)


# ---- other commands ------------------------------------------------------------


def expect(scenario, *, policy=None, set=None):  # noqa: A002
    """Analytic expected values of the metrics over the horizon, as ``detsim expect``.

    For stationary scenarios with unlimited ICE capacity (docs/model.md);
    raises :class:`InputError` for a scenario outside these assumptions.
    Returns a DataFrame: facility, offense, metric, expected (totals have
    facility and offense ``"all"``). Metrics without an expectation
    (extremes, ICE queue metrics) are left out.
    """
    s = _scenario(scenario, policy, set)
    doc = json.loads(_core.expect_json(s._core))
    rows = [("all", "all", m, v) for m, v in doc["metrics"].items()]
    for fid, f in doc.get("facilities", {}).items():
        rows += [(fid, "all", m, v) for m, v in f["metrics"].items()]
    for oid, o in doc.get("offenses", {}).items():
        rows += [("all", oid, m, v) for m, v in o["metrics"].items()]
    return pd.DataFrame(rows, columns=["facility", "offense", "metric", "expected"])


def sweep(path, threads=0, *, out=None, per_replication=None, progress=True):
    """Runs a parameter sweep file, as ``detsim sweep PATH --out RESULTS.csv``.

    Returns the results as a DataFrame, one row per point, with the
    columns of the tool's results file (the point's id and index, each
    parameter's value, and each metric's mean, sd and 95% interval).
    ``out``: also keep the results file there (with its ``.json`` sidecar;
    it must not exist yet); ``per_replication``: also write one row per
    point and replication to that file. ``threads`` and ``progress`` as
    for :func:`run`; Ctrl-C stops the sweep (``KeyboardInterrupt``).
    Raises :class:`InputError` for a bad sweep file or point.
    """
    info = _core.sweep_info(os.fspath(path))
    folder = None
    if out is None:
        folder = tempfile.mkdtemp(prefix="detsim-sweep-")
        target = os.path.join(folder, "results.csv")
    else:
        target = os.fspath(out)
    bar = _Progress(progress, info["points"], "sweep", "point")
    try:
        _core.sweep(os.fspath(path), target, int(threads),
                    os.fspath(per_replication) if per_replication else "", bar.callback())
        return pd.read_csv(target, keep_default_na=False, na_values=[""], dtype={"id": str})
    finally:
        bar.close()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def validate(path, *, policy=None, set=None):  # noqa: A002
    """Checks a scenario file without running it, as ``detsim validate``.

    Returns ``None`` when the file is valid; raises :class:`InputError`
    (with ``file``, ``line``, ``column``, ``key`` and ``message``) otherwise.
    """
    Scenario(path, policy=policy, set=set)


def policies():
    """The preset policies, as ``detsim policies``: one row per rule.

    Columns: policy, description, rule (its order from 1, first match
    wins; NaN for a policy without rules), when (the rule's conditions),
    action, compliance (probability the action is taken), otherwise (the
    action when it is not; None: the default), default (the action when no
    rule matches), local_option (a state policy that leaves each facility
    its own).
    """
    rows = []
    for p in _core.presets():
        common = dict(policy=p["name"], description=p["description"])
        tail = dict(default=p["default"], local_option=p["local_option"])
        if not p["rules"]:
            rows.append({**common, "rule": None, "when": None, "action": None,
                         "compliance": None, "otherwise": None, **tail})
        for i, r in enumerate(p["rules"], start=1):
            rows.append({**common, "rule": i, **r, **tail})
    df = pd.DataFrame(rows, columns=["policy", "description", "rule", "when", "action",
                                     "compliance", "otherwise", "default", "local_option"])
    df["rule"] = df["rule"].astype("Int64")
    return df


def metrics():
    """Every metric: metric, unit, kind (count or amount), definition (one sentence).

    In output order of the library; docs/metrics.md has the full text.
    """
    rows = {name: None for name in _core.metric_names()}
    for name, unit, kind, definition in _core.glossary():
        rows[name] = (name, unit, kind, definition)
    return pd.DataFrame([r if r else (n, None, None, None) for n, r in rows.items()],
                        columns=["metric", "unit", "kind", "definition"])


# Keep InputError importable from here too.
InputError = InputError
