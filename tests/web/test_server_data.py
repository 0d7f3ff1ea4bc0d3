"""`detsim serve`, continued (docs/api.md): scenarios built on a facility
table, the daily series of a job, and the time limit of a validation.
Run with test_server.py (same environment, same module-wide server).
"""
import json

import pytest

from test_server import Server, cli, county_jail_text, server, wait_job  # noqa: F401


# ---- Scenarios on a facility table -------------------------------------------------

def test_facility_table_scenario_identical_to_cli(server):
    body = {"scenario": "illinois-statewide", "policies": ["illinois-trust-act", "cooperative"],
            "set": ["horizon_days=20", "warmup_days=10", "facilities.cook-county-jail.capacity=5000"],
            "reps": 2, "seed": 3}
    status, text = server.post("/api/compare", body)
    assert status == 200, text
    assert text == cli("compare", "scenarios/illinois-statewide.yaml", "--policy",
                       "illinois-trust-act", "--policy", "cooperative", "--set", "horizon_days=20",
                       "--set", "warmup_days=10", "--set", "facilities.cook-county-jail.capacity=5000",
                       "--reps", "2",
                       "--seed", "3", "--json")


def test_work_counts_the_automatic_warm_up(server):
    # 10 replications of two policies with `warmup_days: auto` (the scenario
    # itself starts stationary): about 1.6e8 bookings, most of them in the
    # automatic warm-up (the horizon alone would be far below the limit)
    status, text = server.post("/api/compare", {"scenario": "illinois-statewide", "reps": 10,
                                                "set": ["warmup_days=auto"],
                                                "policies": ["illinois-trust-act", "cooperative"]})
    assert status == 422 and "bookings" in json.loads(text)["error"], text


def test_pasted_facility_table_is_refused(server):
    text = "name: x\nfacilities_table: /etc/passwd\n"
    status, body = server.post("/api/validate", text)
    (err,) = json.loads(body)["errors"]
    assert status == 200 and err["line"] == 2 and err["key"] == "facilities_table"
    assert "reads no file a request names" in err["message"]
    status, body = server.post("/api/compare", {"yaml": text, "policies": ["cooperative", "sanctuary"]})
    assert status == 400 and "facilities_table" in body
    status, body = server.post("/api/compare", {"scenario": "county-jail",
                                                "policies": ["cooperative", "sanctuary"],
                                                "set": ["facilities_table=/etc/passwd"]})
    assert status == 400 and "facilities_table" in body


# ---- Series --------------------------------------------------------------------

def series_of(server, reps=4, kind="compare"):
    body = {"kind": kind, "scenario": "county-jail", "reps": reps, "seed": 9, "series": True,
            "policies": ["cooperative", "sanctuary"] if kind == "compare" else ["sanctuary"]}
    status, text = server.post("/api/jobs", body)
    assert status == 202, text
    job = wait_job(server, json.loads(text)["id"])
    assert job["state"] == "done"
    status, text = server.get(f"/api/jobs/{job['id']}/series")
    assert status == 200
    return job, json.loads(text)


def test_job_series(server):
    job, series = series_of(server)
    assert series["start"] == "2025-01-01" and series["days"] == 365
    assert [r["name"] for r in series["regimes"]] == ["cooperative", "sanctuary"]
    assert series["fields"][:2] == ["occupancy", "holds_active"]
    for regime in series["regimes"]:
        values = regime["values"]
        assert all(len(values[f]) == 365 for f in series["fields"])
        assert min(values["occupancy"]) > 0
        # the days add up to the run's totals over the horizon
        metrics = job["result"]["regimes"][regime["name"]]["metrics"]
        for field in ["honored", "declined", "lapsed"]:
            assert sum(values[field]) == pytest.approx(metrics[field]["mean"], rel=1e-12, abs=1e-9)
    # the sanctuary side declines, the cooperative side honors
    by = {r["name"]: r["values"] for r in series["regimes"]}
    assert sum(by["sanctuary"]["honored"]) == 0 < sum(by["cooperative"]["honored"])
    # a run has one series; a job started without "series" has none (409)
    _, one = series_of(server, reps=2, kind="run")
    assert [r["name"] for r in one["regimes"]] == ["sanctuary"]
    status, text = server.post("/api/jobs", {"scenario": "county-jail", "reps": 1,
                                             "policies": ["cooperative", "sanctuary"]})
    job_id = wait_job(server, json.loads(text)["id"])["id"]
    assert server.get(f"/api/jobs/{job_id}/series")[0] == 409
    assert server.post("/api/jobs", {"scenario": "county-jail", "series": "yes",
                                     "policies": ["cooperative", "sanctuary"]})[0] == 400


def test_job_series_same_for_any_thread_count(server):
    one = Server("--threads", "1")
    try:
        assert series_of(one)[1] == series_of(server)[1]
    finally:
        assert one.stop() == 0


# ---- Validation time limit -------------------------------------------------------

def test_validation_time_limit():
    # A valid scenario with 20,000 holidays takes the reader far longer than
    # a millisecond.
    lines = county_jail_text().split("\n")
    n = next(i for i, l in enumerate(lines) if l.strip().startswith("holidays:"))
    days = [f"{y}-{m:02}-{d:02}" for y in range(1971, 2030) for m in range(1, 13)
            for d in range(1, 29)][:20000]
    end = next(i for i in range(n, len(lines)) if "]" in lines[i])
    lines[n:end + 1] = [lines[n][:lines[n].index("holidays:")] + "holidays: [" + ", ".join(days) + "]"]
    text = "\n".join(lines)
    s = Server("--validate-seconds", "0.001")
    try:
        status, body = s.post("/api/validate", text)
        assert status == 504 and "time limit" in json.loads(body)["error"], body
        assert s.get("/api/limits")[0] == 200
    finally:
        assert s.stop() == 0
    # with the default limit, the same text validates
    s = Server()
    try:
        status, body = s.post("/api/validate", text)
        assert status == 200 and json.loads(body)["ok"] is True, body
    finally:
        assert s.stop() == 0
