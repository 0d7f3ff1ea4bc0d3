"""Tests of detsim.calibrate and posterior= of run and compare: the same
files and numbers as the `detsim` tool, errors, and the posterior results'
shape. Run by CTest (test `python`)."""

import json
import os
import subprocess
import textwrap
import warnings

import pytest

import detsim

SOURCE = os.environ.get(
    "DETSIM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
)
BINARY = os.environ.get("DETSIM_BINARY", os.path.join(SOURCE, "build", "release", "detsim"))

TINY = textwrap.dedent("""\
    name: tiny
    start: 2025-01-01
    horizon_days: 20
    warmup_days: 5
    replications: 3
    seed: 1
    population: {noncitizen_share: 0.3}
    offenses:
      - {id: any, share: 1, severity: serious, pretrial_release: 0.8,
         pretrial_stay: {dist: exponential, mean_hours: 30}, sentenced_stay: {dist: fixed, days: 4}}
    ice:
      lodge_probability: {serious: 0.7}
      lodge_delay: {dist: exponential, mean_hours: 10}
      release_grace_hours: 2
      pickup: {delay: {dist: lognormal, median_hours: 20, sigma: 0.8}}
    state: {policy: cooperative}
    facilities:
      - {id: jail, bookings_per_day: 60}
    """)

CALIBRATION = textwrap.dedent("""\
    base: base.yaml
    seed: 4
    particles: 100
    budget: 1500
    parameters:
      facilities.jail.bookings_per_day: {min: 30, max: 90}
    targets:
      - {metric: bookings, observed: 1200, sd: 30}
    """)

FILES = ["posterior.csv", "summary.csv", "predictive.csv", "calibration.json"]


def cli(*args):
    p = subprocess.run([BINARY, *args], capture_output=True, text=True, check=False)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture
def calibration_file(tmp_path):
    (tmp_path / "base.yaml").write_text(TINY)
    (tmp_path / "cal.yaml").write_text(CALIBRATION)
    return tmp_path / "cal.yaml"


def test_calibrate_matches_the_tool(tmp_path, calibration_file):
    c = detsim.calibrate(calibration_file, threads=2, out=tmp_path / "py", progress=False)
    assert c.converged and c.fits
    code, _, err = cli("calibrate", str(calibration_file), "--out", str(tmp_path / "cli"),
                       "--threads", "1", "--quiet")
    assert code == 0, err
    for f in FILES:
        assert (tmp_path / "py" / f).read_bytes() == (tmp_path / "cli" / f).read_bytes(), f
    summary = c.summary()
    assert list(summary.columns) == ["parameter", "prior_min", "prior_max", "mean", "sd", "q05",
                                     "q50", "q95", "width_ratio"]
    assert summary.parameter[0] == "facilities.jail.bookings_per_day"
    assert 50 < summary["mean"][0] < 70
    posterior = c.posterior()
    assert list(posterior.columns) == ["particle", "weight", "facilities.jail.bookings_per_day"]
    assert posterior.weight.sum() == pytest.approx(1.0)
    assert list(c.predictive().metric)[0] == "bookings"
    assert c.to_dict()["converged"] is True


def test_calibrate_refuses_a_used_folder_and_reports_bad_files(tmp_path, calibration_file):
    detsim.calibrate(calibration_file, out=tmp_path / "out", progress=False)
    with pytest.raises(ValueError):
        detsim.calibrate(calibration_file, out=tmp_path / "out", progress=False)
    again = detsim.calibrate(calibration_file, out=tmp_path / "out", resume=True, progress=False)
    assert again.converged
    bad = tmp_path / "bad.yaml"
    bad.write_text(CALIBRATION.replace("sd: 30", "sd: -1"))
    with pytest.raises(detsim.InputError) as e:
        detsim.calibrate(bad, out=tmp_path / "bad", progress=False)
    assert "targets[0].sd" in str(e.value)


def test_unreachable_target_warns(tmp_path, calibration_file):
    calibration_file.write_text(CALIBRATION.replace("observed: 1200", "observed: 9000"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c = detsim.calibrate(calibration_file, out=tmp_path / "out", progress=False)
    assert not c.fits
    assert any("not reached inside the priors" in str(w.message) for w in caught)


def test_run_and_compare_across_the_posterior_match_the_tool(tmp_path, calibration_file):
    c = detsim.calibrate(calibration_file, out=tmp_path / "cal", progress=False)
    base = str(tmp_path / "base.yaml")
    r = detsim.run(base, reps=3, threads=2, posterior=c, draws=4, progress=False)
    code, out, err = cli("run", base, "--reps", "3", "--posterior", c.folder, "--draws", "4",
                         "--json")
    assert code == 0, err
    assert r.to_dict() == json.loads(out)
    s = r.summary()
    row = s[s.metric == "bookings"].iloc[0]
    assert row["low"] < row["mean"] < row["high"]
    assert row["sd_parameter"] ** 2 == pytest.approx(
        max(0.0, row["sd_total"] ** 2 - row["sd_simulation"] ** 2), abs=1e-9)
    cmp = detsim.compare(base, policies=["cooperative", "sanctuary"], reps=3, posterior=c.folder,
                         draws=4, progress=False)
    code, out, err = cli("compare", base, "--policy", "cooperative", "--policy", "sanctuary",
                         "--reps", "3", "--posterior", c.folder, "--draws", "4", "--json")
    assert code == 0, err
    assert cmp.to_dict() == json.loads(out)
    d = cmp.differences()
    assert set(d.regime) == {"sanctuary - cooperative"}
    # The same people in both regimes: bookings do not differ in any draw.
    assert d[d.metric == "bookings"].iloc[0]["sd_total"] == 0
