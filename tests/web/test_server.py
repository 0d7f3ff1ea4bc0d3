"""`detsim serve` against a real server on a loopback port (docs/api.md).

Run by CTest with DETSIM (the tool) and DETSIM_SOURCE (the project folder)
in the environment: /usr/bin/python3 -m pytest tests/web/test_server.py
"""
import concurrent.futures
import json
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest

DETSIM = os.environ.get("DETSIM", "build/release/detsim")
SOURCE = os.environ.get("DETSIM_SOURCE", ".")


class Server:
    def __init__(self, *args):
        self.cwd = tempfile.mkdtemp(prefix="detsim-serve-")
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(
            [os.path.abspath(DETSIM), "serve", "--port", "0", *args],
            cwd=self.cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://([^/]+):(\d+)/ .*ready in (\d+) ms", line)
        assert m, (line, self.proc.stderr.read() if self.proc.poll() is not None else "")
        self.port = int(m.group(2))
        self.ready_ms = int(m.group(3))
        self.base = f"http://127.0.0.1:{self.port}"

    def request(self, method, path, body=None, timeout=60, content_type="text/plain"):
        data = body.encode() if isinstance(body, str) else body
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as res:
                return res.status, res.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, body, content_type=None):
        if not isinstance(body, (str, bytes)):
            body = json.dumps(body)
            content_type = content_type or "application/json"
        return self.request("POST", path, body, content_type=content_type or "text/plain")

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        return self.proc.returncode


@pytest.fixture(scope="module")
def server():
    s = Server("--max-jobs", "2", "--threads", "2")
    yield s
    assert s.stop() == 0
    assert os.listdir(s.cwd) == [], "the server wrote a file"
    os.rmdir(s.cwd)


def cli(*args, cwd=SOURCE):
    r = subprocess.run([os.path.abspath(DETSIM), *args], cwd=cwd, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def wait_job(server, job_id, timeout=120):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        status, text = server.get(f"/api/jobs/{job_id}")
        assert status == 200
        job = json.loads(text)
        if job["state"] != "running":
            return job
        time.sleep(0.05)
    raise AssertionError("job did not finish")


# ---- Start-up and static files -------------------------------------------------------

def test_starts_within_a_second(server):
    assert server.ready_ms < 1000
    status, _ = server.get("/api/limits")
    assert status == 200


def test_page_and_chart_js(server):
    status, html = server.get("/")
    assert status == 200 and 'id="results"' in html and "vendor/chart.js" in html
    assert "cdn" not in html.lower()
    for path, needle in [("/app.js", "api/jobs"), ("/style.css", ".sides"),
                         ("/vendor/chart.js", "Chart.js")]:
        status, text = server.get(path)
        assert status == 200 and needle in text, path


@pytest.mark.parametrize("path", ["/../CMakeLists.txt", "/%2e%2e/CMakeLists.txt", "/web/app.js",
                                  "/scenarios/county-jail.yaml", "/etc/passwd", "/api/nothing",
                                  "/appXjs", "/api/jobs/../../etc/passwd"])
def test_no_path_reaches_the_file_system(server, path):
    status, text = server.get(path)
    assert status == 404, (path, status)
    assert "illustrative" not in text


# ---- Catalog endpoints -------------------------------------------------------------

def test_scenarios(server):
    status, text = server.get("/api/scenarios")
    assert status == 200
    scenarios = {s["id"]: s for s in json.loads(text)}
    # Every shipped scenario, those built on a facility table included.
    folder = os.path.join(SOURCE, "scenarios")
    shipped = {f[:-5] for f in os.listdir(folder) if f.endswith(".yaml")}
    assert set(scenarios) == shipped
    il = scenarios["illinois-statewide"]
    with open(os.path.join(folder, "illinois/facilities.csv")) as f:
        rows = [line.split(",")[0] for line in f.read().splitlines()[1:] if line.strip()]
    assert [f for f in il["facilities"] if f in rows] == rows  # the table's rows, in order
    cj = scenarios["county-jail"]
    assert cj["replications"] == 20 and cj["seed"] == 42 and cj["horizon_days"] == 365
    knobs = {k["path"]: k["value"] for k in cj["knobs"]}
    assert knobs["population.noncitizen_share"] == 0.07
    assert knobs["ice.lodge_probability.violent"] == 0.8
    assert knobs["detainer_hold.limit_hours"] == 48
    assert "population.noncitizen_share" in cj["illustrative"]
    assert "detainer_hold.limit_hours" not in cj["illustrative"]  # cited, not illustrative


def test_policies(server):
    status, text = server.get("/api/policies")
    assert status == 200
    names = [p["name"] for p in json.loads(text)]
    shipped = sorted(f[:-5] for f in os.listdir(os.path.join(SOURCE, "scenarios/policies"))
                     if f.endswith(".yaml"))
    assert names == shipped
    assert all(p["description"] for p in json.loads(text))


def test_metrics_match_the_docs(server):
    status, text = server.get("/api/metrics")
    assert status == 200
    metrics = json.loads(text)
    with open(os.path.join(SOURCE, "docs/metrics.md")) as f:
        rows = re.findall(r"^\| `(\w+)`[^|]*\| ([^|]+) \| (count|amount) \|", f.read(), re.M)
    docs = {name: (unit.strip(), kind) for name, unit, kind in rows}
    assert len(metrics) >= 30
    for m in metrics:
        assert docs[m["name"]] == (m["unit"], m["kind"]), m["name"]
        assert m["definition"].endswith(".")
    # every metric a run reports has a glossary entry
    status, text = server.post("/api/run", {"scenario": "county-jail", "reps": 1})
    assert status == 200
    assert set(json.loads(text)["metrics"]) == {m["name"] for m in metrics}


# ---- Validate ----------------------------------------------------------------------

def county_jail_text():
    with open(os.path.join(SOURCE, "scenarios/county-jail.yaml")) as f:
        return f.read()


def test_validate_ok(server):
    status, text = server.post("/api/validate", county_jail_text())
    body = json.loads(text)
    assert status == 200 and body["ok"] is True and body["errors"] == []
    assert body["scenario"]["name"] == "county-jail"


def test_validate_error_at_its_line(server):
    lines = county_jail_text().split("\n")
    n = next(i for i, l in enumerate(lines) if l.startswith("  noncitizen_share:"))
    lines[n] = "  noncitizen_share: 1.7"
    status, text = server.post("/api/validate", "\n".join(lines))
    body = json.loads(text)
    assert status == 200 and body["ok"] is False
    (err,) = body["errors"]
    assert err["line"] == n + 1 and err["column"] > 1
    assert err["key"] == "population.noncitizen_share" and err["message"]


def test_validate_garbage(server):
    for text in ["", "{{{", "\x00\xff", "- a\n- b\n", "name: [unclosed"]:
        status, body = server.post("/api/validate", text.encode("utf-8", "surrogateescape"))
        assert status == 200 and json.loads(body)["ok"] is False


# ---- Results identical to the CLI's ------------------------------------------------

def test_run_identical_to_cli(server):
    status, text = server.post("/api/run", {"scenario": "county-jail", "policies": ["sanctuary"],
                                            "reps": 2, "seed": 7})
    assert status == 200
    assert text == cli("run", "scenarios/county-jail.yaml", "--policy", "sanctuary",
                       "--reps", "2", "--seed", "7", "--json")


def test_compare_identical_to_cli(server):
    body = {"scenario": "county-jail", "policies": ["cooperative", "sanctuary", "notify-only"],
            "set": ["ice.match_probability=0.5", "detainer_hold.limit_hours=24"],
            "reps": 3, "seed": 11}
    status, text = server.post("/api/compare", body)
    assert status == 200
    expected = cli("compare", "scenarios/county-jail.yaml", "--policy", "cooperative",
                   "--policy", "sanctuary", "--policy", "notify-only",
                   "--set", "ice.match_probability=0.5", "--set", "detainer_hold.limit_hours=24",
                   "--reps", "3", "--seed", "11", "--json")
    assert text == expected
    # a set given as an object is the same override (applied in the object's
    # key order, which the JSON records)
    body["set"] = {"detainer_hold.limit_hours": 24, "ice.match_probability": 0.5}
    expected = cli("compare", "scenarios/county-jail.yaml", "--policy", "cooperative",
                   "--policy", "sanctuary", "--policy", "notify-only",
                   "--set", "detainer_hold.limit_hours=24", "--set", "ice.match_probability=0.5",
                   "--reps", "3", "--seed", "11", "--json")
    assert server.post("/api/compare", body) == (200, expected)


def test_pasted_yaml_identical_to_cli(server):
    text = county_jail_text()
    status, doc = server.post("/api/compare", {"yaml": text, "policies": ["cooperative", "sanctuary"],
                                               "reps": 2})
    assert status == 200
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "scenario.yaml"), "w") as f:
            f.write(text)
        assert doc == cli("compare", "scenario.yaml", "--policy", "cooperative", "--policy",
                          "sanctuary", "--reps", "2", "--json", cwd=d)


# ---- Jobs --------------------------------------------------------------------------

def test_job_progress_result_and_csv(server):
    body = {"kind": "compare", "scenario": "county-jail", "policies": ["cooperative", "sanctuary"],
            "reps": 4}
    status, text = server.post("/api/jobs", body)
    assert status == 202
    job = json.loads(text)
    assert job["state"] == "running" and job["total"] == 8 and re.fullmatch(r"[0-9a-f]{16}", job["id"])
    done = wait_job(server, job["id"])
    assert done["state"] == "done" and done["finished"] == done["total"] == 8
    time.sleep(0.1)
    assert json.loads(server.get(f"/api/jobs/{job['id']}")[1])["seconds"] == done["seconds"]
    status, doc = server.get(f"/api/jobs/{job['id']}/result")
    assert status == 200 and json.loads(doc) == done["result"]
    del body["kind"]
    assert server.post("/api/compare", body) == (200, doc)
    status, csv = server.get(f"/api/jobs/{job['id']}/csv")
    assert status == 200 and csv.startswith("regime,replication,facility,offense,metric,value\n")
    assert len(csv.splitlines()) > 8 * 30


def test_job_cancel_and_unknown(server):
    status, text = server.post("/api/jobs", {"scenario": "county-jail", "reps": 200,
                                             "policies": ["cooperative", "sanctuary"]})
    assert status == 202
    job_id = json.loads(text)["id"]
    status, text = server.request("DELETE", f"/api/jobs/{job_id}")
    assert status == 200
    job = json.loads(text)
    assert job["state"] == "cancelled" and job["finished"] < job["total"] and "result" not in job
    assert server.get(f"/api/jobs/{job_id}/result")[0] == 409
    assert server.get("/api/jobs/0123456789abcdef")[0] == 404
    assert server.request("DELETE", "/api/jobs/0123456789abcdef")[0] == 404


# ---- Refusals ----------------------------------------------------------------------

def test_body_over_1_mb_is_413(server):
    big = "#" * (1024 * 1024 + 1)
    assert server.post("/api/validate", big)[0] == 413
    assert server.post("/api/compare", big)[0] == 413
    assert server.post("/api/validate", "#" * (1024 * 1024 - 10))[0] == 200


@pytest.mark.parametrize("body,status,reason", [
    ({"scenario": "county-jail", "policies": ["cooperative", "sanctuary"], "reps": 100000}, 422, "reps"),
    ({"scenario": "county-jail", "policies": ["cooperative", "sanctuary"], "reps": 0}, 422, "reps"),
    ({"scenario": "county-jail", "policies": ["cooperative", "sanctuary"],
      "set": ["horizon_days=20000"]}, 422, "horizon"),
    ({"scenario": "county-jail", "policies": ["cooperative", "sanctuary"],
      "set": ["facilities.county-jail.bookings_per_day=50000"]}, 422, "bookings"),
    ({"scenario": "county-jail", "policies": ["cooperative"] * 7}, 422, "policies"),
    ({"scenario": "county-jail", "policies": ["cooperative"]}, 400, "two or more"),
    ({"scenario": "county-jail", "policies": ["cooperative", "no-such-policy"]}, 400, "no-such-policy"),
    ({"scenario": "../CMakeLists", "policies": ["cooperative", "sanctuary"]}, 404, "no shipped"),
    ({"scenario": "/etc/passwd", "policies": ["cooperative", "sanctuary"]}, 404, "no shipped"),
    ({"policies": ["cooperative", "sanctuary"]}, 400, "either"),
    ({"scenario": "county-jail", "yaml": "x", "policies": ["a", "b"]}, 400, "either"),
    ({"scenario": "county-jail", "policies": ["cooperative", "sanctuary"], "out": "/tmp/x"}, 400, "unknown key"),
    ({"scenario": "county-jail", "policies": "cooperative"}, 400, "list"),
    ({"scenario": "county-jail", "policies": ["cooperative", "sanctuary"], "seed": -1}, 400, "seed"),
    ({"scenario": "county-jail", "policies": ["cooperative", "sanctuary"], "set": ["nope"]}, 400, "PATH=VALUE"),
    ({"scenario": "county-jail", "policies": ["cooperative", "sanctuary"],
      "set": ["population.noncitizen_share=2"]}, 400, "noncitizen_share"),
    ([1, 2], 400, "object"),
])
def test_refusals(server, body, status, reason):
    got, text = server.post("/api/compare", body)
    assert got == status, text
    assert reason in json.loads(text)["error"]


def test_malformed_json_is_400(server):
    for body in ["{", "not json", "\xff\xfe", "", "null", "[]"]:
        for kind in ["application/json", "text/plain", "application/x-www-form-urlencoded"]:
            got, text = server.post("/api/compare", body.encode("utf-8", "surrogateescape"), kind)
            assert got == 400 and json.loads(text)["error"], (body, kind)


def test_pasted_error_has_its_line(server):
    got, text = server.post("/api/compare", {"yaml": "name: x\nstart: [", "policies": ["cooperative", "sanctuary"]})
    assert got == 400
    (err,) = json.loads(text)["errors"]
    assert err["line"] >= 1 and err["message"]


def test_too_many_jobs_is_503(server):
    body = {"scenario": "county-jail", "policies": ["cooperative", "sanctuary"], "reps": 200}
    ids = []
    for _ in range(2):
        status, text = server.post("/api/jobs", body)
        assert status == 202, text
        ids.append(json.loads(text)["id"])
    status, text = server.post("/api/jobs", body)
    assert status == 503 and "try again" in json.loads(text)["error"]
    assert server.post("/api/compare", body)[0] == 503
    for job_id in ids:
        assert json.loads(server.request("DELETE", f"/api/jobs/{job_id}")[1])["state"] == "cancelled"
    assert server.post("/api/run", {"scenario": "county-jail", "reps": 1})[0] == 200


def test_time_limit():
    s = Server("--job-seconds", "0.3", "--threads", "1")
    try:
        body = {"scenario": "county-jail", "policies": ["cooperative", "sanctuary"], "reps": 200}
        t0 = time.monotonic()
        status, text = s.post("/api/compare", body)
        assert status == 504 and "time limit" in json.loads(text)["error"]
        assert time.monotonic() - t0 < 20
        status, text = s.post("/api/jobs", body)
        assert wait_job(s, json.loads(text)["id"])["state"] == "timeout"
    finally:
        assert s.stop() == 0


def test_non_loopback_host_warns():
    proc = subprocess.Popen([os.path.abspath(DETSIM), "serve", "--port", "0", "--host", "0.0.0.0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert any("warning" in proc.stderr.readline() for _ in range(2))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    proc = subprocess.run([os.path.abspath(DETSIM), "serve", "--port", "0", "--help"],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "--host" in proc.stdout


# ---- Load and malformed traffic ----------------------------------------------------

def raw(server, data):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        try:
            return s.recv(200)
        except OSError:
            return b""


def test_malformed_requests_never_stop_the_server(server):
    for data in [b"", b"\x00\x01\x02garbage\r\n\r\n", b"GET\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                 b"POST /api/compare HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n{",
                 b"POST /api/validate HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
                 b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\n\r\n",
                 b"POST /api/validate HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"]:
        raw(server, data)
        assert server.get("/api/limits")[0] == 200


def test_200_concurrent_requests(server):
    def one(i):
        if i % 4 == 0:
            return server.post("/api/validate", county_jail_text())[0]
        if i % 4 == 1:
            return server.post("/api/compare", "{bad")[0]
        if i % 4 == 2:
            return server.get("/api/scenarios")[0]
        return server.get("/app.js")[0]

    rss = []
    for _ in range(3):
        with concurrent.futures.ThreadPoolExecutor(max_workers=200) as pool:
            statuses = list(pool.map(one, range(200)))
        assert statuses.count(400) == 50 and statuses.count(200) == 150
        rss.append(server.rss_kb())
        assert server.get("/api/policies")[0] == 200
    # memory is bounded: the second and third rounds of 200 add (almost) nothing
    assert rss[2] - rss[0] < 20 * 1024, rss
    assert rss[2] < 300 * 1024, rss
