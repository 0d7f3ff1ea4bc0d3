"""Tests of the Python module `detsim` (python/): its API, identity with the
`detsim` tool's output, errors, interrupts and thread-count identity.

Run by CTest (test `python`) with PYTHONPATH set to this build's package and
DETSIM_BINARY to this build's tool.
"""

import json
import math
import os
import signal
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest

import detsim

SOURCE = os.environ.get(
    "DETSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
)
BINARY = os.environ.get("DETSIM_BINARY", os.path.join(SOURCE, "build", "release", "detsim"))
COUNTY = os.path.join(SOURCE, "scenarios", "county-jail.yaml")
ILLINOIS = os.path.join(SOURCE, "scenarios", "illinois-2025.yaml")


def cli(*args):
    """Runs the tool; returns (exit code, stdout, stderr)."""
    p = subprocess.run([BINARY, *args], capture_output=True, text=True, check=False)
    return p.returncode, p.stdout, p.stderr


def test_package_is_this_build():
    assert detsim.__version__
    assert os.path.isdir(os.environ.get("DETSIM_PRESETS", ""))


# ---- the API ---------------------------------------------------------------------


def test_scenario_attributes_and_set():
    s = detsim.Scenario(COUNTY, set={"ice.pickup.teams": 3, "seed": 11})
    assert s.name
    assert s.seed == 11
    assert s.facilities and s.offenses
    assert "teams: 3" in s.resolved_yaml
    assert s.source == COUNTY


def test_run_tables():
    r = detsim.run(COUNTY, reps=3, threads=2, progress=False)
    assert r.n == 3
    summary = r.summary()
    assert list(summary.columns) == ["facility", "offense", "metric", "n", "mean", "sd",
                                     "ci_low", "ci_high", "min", "max", "ci_bounded", "unit"]
    totals = summary[(summary.facility == "all") & (summary.offense == "all")]
    assert set(totals.metric) == set(detsim.metrics().metric)
    assert (totals.n == 3).all()
    reps = r.replications()
    assert list(reps.columns) == ["replication", "facility", "offense", "metric", "value"]
    assert sorted(reps.replication.unique()) == [0, 1, 2]
    # The summary's mean is the mean of the replications' values.
    honored = reps[(reps.facility == "all") & (reps.offense == "all") & (reps.metric == "honored")]
    mean = totals.set_index("metric").loc["honored", "mean"]
    assert math.isclose(honored.value.mean(), mean, rel_tol=1e-12)
    with pytest.raises(ValueError):
        r.series()
    with pytest.raises(ValueError):
        r.trace()
    assert "replications" in r.to_dict()
    assert str(r)  # the terminal table


def test_series_and_trace():
    r = detsim.run(COUNTY, reps=2, threads=2, series=True, trace=True, progress=False)
    series = r.series()
    s = r.scenario
    assert len(series) == 2 * len(s.facilities) * s.horizon_days
    assert series.date.dt.year.min() >= 1970
    trace = r.trace()
    assert set(trace.replication) == {0, 1}
    assert set(trace.outcome) <= {"released", "transferred_from_hold", "lapsed",
                                  "transferred_on_notice", "missed_notice", "transferred_287g",
                                  "declined_released", "in_custody"}
    # The trace's honored decisions in the window add up to more than none
    # when the run counted some (the trace also holds the warm-up).
    total_honored = r.summary().query("facility == 'all' and offense == 'all' "
                                      "and metric == 'honored'")["mean"].iloc[0]
    if total_honored > 0:
        assert (trace.action == "honor").sum() > 0


def test_compare_tables():
    c = detsim.compare(COUNTY, policies=["cooperative", "sanctuary"], reps=3, threads=2,
                       progress=False)
    assert c.regimes == ["cooperative", "sanctuary"]
    d = c.differences()
    assert list(d.columns) == ["regime", "facility", "offense", "metric", "n", "mean", "sd",
                               "ci_low", "ci_high", "relative", "relative_note"]
    assert set(d.regime) == {"sanctuary"}
    s = c.summary()
    assert s.columns[0] == "regime"
    assert set(s.regime) == {"cooperative", "sanctuary"}
    # The difference's mean is the difference of the regimes' means.
    tot = s[(s.facility == "all") & (s.offense == "all") & (s.metric == "declined")]
    diff = d[(d.facility == "all") & (d.offense == "all") & (d.metric == "declined")]
    means = tot.set_index("regime")["mean"]
    assert math.isclose(diff["mean"].iloc[0], means["sanctuary"] - means["cooperative"],
                        rel_tol=1e-9, abs_tol=1e-9)
    with pytest.raises(ValueError):
        detsim.compare(COUNTY, policies=["cooperative"], progress=False)


def test_expect_policies_metrics():
    with pytest.raises(detsim.InputError) as info:
        detsim.expect(COUNTY, set={"ice.pickup.teams": 2})  # a queue: no closed form
    assert info.value.key == "ice.pickup.teams"
    assert info.value.file == COUNTY
    e = detsim.expect(COUNTY)  # its day-of-week multipliers are integrated
    assert list(e.columns) == ["facility", "offense", "metric", "expected"]
    assert "honored" in set(e.metric)
    p = detsim.policies()
    assert {"cooperative", "sanctuary"} <= set(p.policy)
    assert {"policy", "rule", "when", "action", "default"} <= set(p.columns)
    m = detsim.metrics()
    assert list(m.columns) == ["metric", "unit", "kind", "definition"]
    assert m.definition.notna().all()
    assert "honored" in set(m.metric)


def test_from_dict_matches_file():
    import yaml

    with open(COUNTY) as f:
        data = yaml.safe_load(f)
    a = detsim.run(detsim.Scenario.from_dict(data), reps=2, threads=2, progress=False)
    b = detsim.run(COUNTY, reps=2, threads=2, progress=False)
    pd.testing.assert_frame_equal(a.summary(), b.summary())


def small_sweep(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(textwrap.dedent(f"""\
        name: small
        base: {COUNTY}
        replications: 2
        seed: 7
        design: grid
        parameters:
          ice.pickup.teams: [1, 2]
        metrics: [honored, lapsed]
        """))
    return path


def test_sweep_matches_the_tool(tmp_path):
    path = small_sweep(tmp_path)
    df = detsim.sweep(path, threads=2, progress=False)
    assert len(df) == 2
    out = tmp_path / "cli.csv"
    code, _, err = cli("sweep", str(path), "--out", str(out), "--threads", "2", "--quiet")
    assert code == 0, err
    pd.testing.assert_frame_equal(df, pd.read_csv(out, keep_default_na=False, na_values=[""],
                                                  dtype={"id": str}))


# ---- identity with the tool ------------------------------------------------------


def test_run_json_identical_to_the_tool():
    r = detsim.run(COUNTY, reps=3, seed=5, threads=2, set={"ice.pickup.teams": 2},
                   progress=False)
    code, out, err = cli("run", COUNTY, "--json", "--reps", "3", "--seed", "5", "--threads", "2",
                         "--set", "ice.pickup.teams=2")
    assert code == 0, err
    assert r.json() == out
    assert r.to_dict() == json.loads(out)


def test_policy_run_identical_to_the_tool():
    r = detsim.run(ILLINOIS, reps=2, policy="cooperative", threads=2, progress=False)
    code, out, err = cli("run", ILLINOIS, "--json", "--reps", "2", "--policy", "cooperative",
                         "--threads", "2")
    assert code == 0, err
    assert r.json() == out


def test_csv_identical_to_the_tool(tmp_path):
    r = detsim.run(COUNTY, reps=2, threads=2, progress=False)
    code, _, err = cli("run", COUNTY, "--reps", "2", "--out", str(tmp_path / "o"))
    assert code == 0, err
    pd.testing.assert_frame_equal(r.summary(), detsim._api._csv((tmp_path / "o" / "summary.csv")
                                                                 .read_text()))
    pd.testing.assert_frame_equal(r.replications(),
                                  detsim._api._csv((tmp_path / "o" / "metrics.csv").read_text()))


def test_compare_json_identical_to_the_tool():
    c = detsim.compare(COUNTY, policies=["cooperative", "sanctuary", "cooperative"], reps=3,
                       threads=2, progress=False)
    code, out, err = cli("compare", COUNTY, "--policy", "cooperative", "--policy", "sanctuary",
                         "--policy", "cooperative", "--reps", "3", "--json", "--threads", "2")
    assert code == 0, err
    assert c.json() == out
    assert c.regimes == ["cooperative", "sanctuary", "cooperative#2"]


def test_compare_files_identical_to_the_tool():
    c = detsim.compare([COUNTY, ILLINOIS], reps=2, threads=2, progress=False)
    code, out, err = cli("compare", COUNTY, ILLINOIS, "--reps", "2", "--json", "--threads", "2")
    assert code == 0, err
    assert c.json() == out


def test_expect_identical_to_the_tool():
    code, out, err = cli("expect", COUNTY, "--json")
    assert code == 0, err
    doc = json.loads(out)
    e = detsim.expect(COUNTY)
    totals = e[(e.facility == "all") & (e.offense == "all")].set_index("metric")["expected"]
    assert totals.to_dict() == doc["metrics"]


def test_thread_count_does_not_change_results():
    one = detsim.run(COUNTY, reps=4, threads=1, progress=False)
    two = detsim.run(COUNTY, reps=4, threads=2, progress=False)
    assert one.json() == two.json()


# ---- errors ----------------------------------------------------------------------


def test_input_error_attributes_and_text(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = open(COUNTY).read().replace("replications:", "replicatoins:", 1)
    assert text != open(COUNTY).read()
    bad.write_text(text)
    with pytest.raises(detsim.InputError) as info:
        detsim.validate(bad)
    e = info.value
    assert isinstance(e, ValueError)
    code, _, err = cli("validate", str(bad))
    assert code == 2
    assert str(e) == err.strip()
    assert e.file == str(bad)
    line = next(i for i, l in enumerate(text.splitlines(), start=1) if "replicatoins" in l)
    assert e.line == line
    assert e.column >= 1
    assert e.key and "replicatoins" in e.key
    assert e.message and e.message in str(e)


def test_input_error_from_set():
    with pytest.raises(detsim.InputError) as info:
        detsim.Scenario(COUNTY, set={"ice.pickup.teams": -3})
    assert info.value.key == "ice.pickup.teams"
    with pytest.raises(detsim.InputError):
        detsim.run(COUNTY, policy="no-such-policy", progress=False)


def test_input_error_from_dict():
    with pytest.raises(detsim.InputError) as info:
        detsim.Scenario.from_dict({"name": "x", "horizon_days": "long"}, source="mine")
    assert info.value.file == "mine"
    assert info.value.line is not None


def test_validate_ok():
    assert detsim.validate(COUNTY) is None


# ---- interrupt -------------------------------------------------------------------


def test_ctrl_c_stops_a_long_run_within_a_second():
    code = textwrap.dedent(f"""\
        import sys, detsim
        s = detsim.Scenario({ILLINOIS!r})
        print("started", flush=True)
        try:
            detsim.run(s, reps=100000, threads=2, progress=False)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(3)
        sys.exit(0)
        """)
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert p.stdout.readline().strip() == "started"
        time.sleep(1.0)  # replications are running
        assert p.poll() is None
        sent = time.monotonic()
        p.send_signal(signal.SIGINT)
        p.wait(timeout=10)
        elapsed = time.monotonic() - sent
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 3, p.stderr.read()
    assert p.stdout.read().strip() == "interrupted"
    # One replication of illinois-2025 per thread still finishes after the
    # signal; on a loaded machine that can take a while, so allow 2 s.
    assert elapsed < 2.0, elapsed


def test_help_is_useful():
    for name in detsim.__all__:
        if name == "__version__":
            continue
        assert getattr(detsim, name).__doc__, name
