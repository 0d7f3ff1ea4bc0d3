"""The what-if page in headless Chromium (Debian chromium, chromium-driver,
python3-selenium): a shared link runs and shows the API's numbers, and a
broken pasted scenario shows its error at its line. Run by .ci/browser.

Set DETSIM_SCREENSHOT=PATH to save a screenshot of the results.
"""
import datetime
import json
import os
import shutil
import tempfile
import urllib.parse

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from test_server import Server

pytestmark = pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                                reason="chromium and chromedriver are not installed")


@pytest.fixture(scope="module")
def server():
    s = Server("--threads", "2")
    yield s
    assert s.stop() == 0


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="detsim-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--window-size=1280,1900"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def close(text, want):
    """The number shown in `text` is `want` rounded to the decimals shown."""
    shown = text.replace(",", "").replace("+", "").split(" ")[0]
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    return abs(float(shown) - want) <= 0.5 * 10 ** -decimals + 1e-9


def test_shared_link_shows_the_api_numbers(server, browser):
    query = urllib.parse.urlencode([("scenario", "county-jail"), ("policy", "cooperative"),
                                    ("policy", "sanctuary"), ("set", "ice.match_probability=0.9"),
                                    ("reps", "20"), ("seed", "42")])
    browser.get(f"{server.base}/?{query}")
    WebDriverWait(browser, 120).until(
        lambda d: d.find_element(By.ID, "results").get_attribute("data-state") in ("done", "error"))
    assert browser.find_element(By.ID, "results").get_attribute("data-state") == "done"
    status, text = server.post("/api/compare", {"scenario": "county-jail",
                                                "policies": ["cooperative", "sanctuary"],
                                                "set": ["ice.match_probability=0.9"],
                                                "reps": 20, "seed": 42})
    assert status == 200
    api = json.loads(text)
    rows = browser.find_elements(By.CSS_SELECTOR, "#results [data-metric]")
    names = [r.get_attribute("data-metric") for r in rows]
    assert len(names) == len(set(names)) == len(api["regimes"]["cooperative"]["metrics"])
    for metric in ["released_despite_detainer", "honored", "transfers", "citizens_held",
                   "hold_hours", "hold_cost"]:
        row = browser.find_element(By.CSS_SELECTOR, f'#results [data-metric="{metric}"]')
        assert row.is_displayed()
        for regime in ["cooperative", "sanctuary"]:
            cell = row.find_element(By.CSS_SELECTOR, f'[data-regime="{regime}"]')
            want = api["regimes"][regime]["metrics"][metric]["mean"]
            assert float(cell.get_attribute("data-mean")) == want
            shown = cell.find_element(By.CLASS_NAME, "mean").text
            assert close(shown, want), (metric, regime, shown, want)
        diff = row.find_element(By.CSS_SELECTOR, '[data-difference="sanctuary"]')
        want = api["differences"]["sanctuary"][metric]["mean"]
        assert close(diff.find_element(By.CLASS_NAME, "mean").text, want), (metric, want)
    caption = browser.find_element(By.ID, "caption").text
    assert "illustrative" in caption and "ice.match_probability=0.9" in caption
    link = browser.find_element(By.ID, "share").get_attribute("href")
    assert "policy=sanctuary" in link and "scenario=county-jail" in link
    shot = os.environ.get("DETSIM_SCREENSHOT")
    if shot:
        browser.execute_script("document.getElementById('results').scrollIntoView()")
        browser.save_screenshot(shot)
    check_series_chart(server, browser)


def check_series_chart(server, browser):
    """The series chart shows the API's series: by month (12 points for the
    year), open holds averaged over each month's days; then by day."""
    body = {"kind": "compare", "series": True, "scenario": "county-jail",
            "policies": ["cooperative", "sanctuary"], "set": ["ice.match_probability=0.9"],
            "reps": 20, "seed": 42}
    status, text = server.post("/api/jobs", body)
    assert status == 202
    job_id = json.loads(text)["id"]
    WebDriverWait(browser, 120).until(
        lambda d: json.loads(server.get(f"/api/jobs/{job_id}")[1])["state"] != "running")
    status, text = server.get(f"/api/jobs/{job_id}/series")
    assert status == 200
    series = json.loads(text)
    canvas = browser.find_element(By.ID, "series-chart")
    assert canvas.get_attribute("data-field") == "holds_active"
    assert canvas.get_attribute("data-step") == "month"
    assert canvas.get_attribute("data-points") == "12"
    totals = json.loads(canvas.get_attribute("data-totals"))
    for regime in series["regimes"]:
        days = regime["values"]["holds_active"]
        months = {}
        for d, v in enumerate(days):
            months.setdefault(date_of(series["start"], d)[:7], []).append(v)
        want = sum(sum(v) / len(v) for v in months.values())
        assert abs(totals[regime["name"]] - want) <= 1e-9 * max(1, abs(want)), regime["name"]
    browser.execute_script("const s = document.getElementById('series-step');"
                           "s.value = 'day'; s.dispatchEvent(new Event('change'));")
    assert canvas.get_attribute("data-points") == "365"


def date_of(start, offset):
    return (datetime.date.fromisoformat(start) + datetime.timedelta(days=offset)).isoformat()


def test_pasted_scenario_error_at_its_line(server, browser):
    browser.get(server.base + "/")
    WebDriverWait(browser, 30).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#scenario option")) > 0)
    browser.find_element(By.CSS_SELECTOR, 'input[name="source"][value="pasted"]').click()
    with open(os.path.join(os.environ.get("DETSIM_SOURCE", "."), "scenarios/county-jail.yaml")) as f:
        lines = f.read().split("\n")
    n = next(i for i, l in enumerate(lines) if l.strip().startswith("match_probability:"))
    lines[n] = "  match_probability: 3.5"
    area = browser.find_element(By.ID, "yaml")
    browser.execute_script("arguments[0].value = arguments[1];"
                           "arguments[0].dispatchEvent(new Event('input'));", area, "\n".join(lines))
    browser.find_element(By.ID, "validate").click()
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#yaml-errors li"))
    err = browser.find_element(By.CSS_SELECTOR, "#yaml-errors li")
    assert err.get_attribute("data-line") == str(n + 1)
    assert f"line {n + 1}" in err.text and "match_probability" in err.text
    gutter = browser.find_element(By.ID, "gutter").text.split("\n")
    assert gutter[n].startswith("▶") and gutter[n].endswith(str(n + 1))
    # the share link never carries pasted text
    browser.find_element(By.ID, "run").click()
    WebDriverWait(browser, 30).until(lambda d: "error" in d.find_element(By.ID, "status").text)
    assert "match_probability" not in browser.current_url
