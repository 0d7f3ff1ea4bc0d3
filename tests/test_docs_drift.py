"""The docs cannot drift from the code: every key a loader accepts is in
docs/scenario.md, every metric the code emits has a section in
docs/metrics.md.

Keys are read from the source: each `MapReader(cursor, {"key", ...})` lists
the keys one mapping accepts. docs/scenario.md documents a key as a table row
whose first cell is its dotted path in backticks (`ice.pickup.teams`,
`facilities[].id`, `parameters.PATH.min`); a key is documented when it is
the last component of such a path. Metrics are the DETSIM_METRICS list of
include/detsim/metrics.hpp; docs/metrics.md gives each a "### `name`"
heading.
"""
import os
import pathlib
import re

ROOT = pathlib.Path(os.environ.get("DETSIM_SOURCE_DIR",
                                   pathlib.Path(__file__).resolve().parent.parent))


def loader_keys():
    keys = {}
    for path in sorted((ROOT / "sim").rglob("*.cpp")):
        text = path.read_text()
        for m in re.finditer(r"MapReader(?:\s+\w+)?\s*\(\s*[^,{;]+,\s*\{([^}]*)\}", text):
            for key in re.findall(r'"([^"]+)"', m.group(1)):
                keys.setdefault(key, str(path.relative_to(ROOT)))
    return keys


def documented_paths():
    text = (ROOT / "docs" / "scenario.md").read_text()
    return re.findall(r"^\| `([^`]+)`", text, re.M)


def last_component(path):
    return re.split(r"[.\[\]]+", path.strip(".[]"))[-1]


def emitted_metrics():
    text = (ROOT / "include" / "detsim" / "metrics.hpp").read_text()
    block = text[text.index("#define DETSIM_METRICS(X)"):]
    block = block[:block.index("\n\n")]
    return re.findall(r"X\((\w+)\)", block)


def test_the_key_scan_finds_the_loaders():
    keys = loader_keys()
    # A scan that finds nothing would pass anything: these keys are read
    # by the scenario, ICE, facility, sweep and policy readers.
    for key in ["horizon_days", "teams", "bookings_per_day", "design", "local_option"]:
        assert key in keys


def test_every_loader_key_is_documented():
    documented = {last_component(p) for p in documented_paths()}
    missing = sorted(f"{key} (read in {where})"
                     for key, where in loader_keys().items() if key not in documented)
    assert not missing, "keys missing from docs/scenario.md: " + ", ".join(missing)


def test_every_metric_has_a_section():
    metrics = emitted_metrics()
    assert len(metrics) >= 30
    headings = set(re.findall(r"^### `(\w+)`", (ROOT / "docs" / "metrics.md").read_text(), re.M))
    missing = [m for m in metrics if m not in headings]
    assert not missing, "metrics missing from docs/metrics.md: " + ", ".join(missing)


def test_every_metric_is_in_the_overview_table():
    text = (ROOT / "docs" / "metrics.md").read_text()
    rows = set(re.findall(r"^\| `(\w+)`", text, re.M))
    missing = [m for m in emitted_metrics() if m not in rows]
    assert not missing, "metrics missing from the overview of docs/metrics.md: " + ", ".join(missing)


def test_every_preset_is_documented():
    # Every file of scenarios/policies/ has a section in docs/policies.md
    # ("## `name`"), or, for another name of a preset (alias_of), is named in
    # its target's heading ("(alias `name`)"); and a row of the summary.
    text = (ROOT / "docs" / "policies.md").read_text()
    headings = re.findall(r"^## `([\w-]+)`(?: \(alias `([\w-]+)`\))?", text, re.M)
    sections = {name for name, _ in headings}
    aliases = {alias: name for name, alias in headings if alias}
    rows = set(re.findall(r"^\| `([\w-]+)`", text, re.M))
    files = sorted((ROOT / "scenarios" / "policies").glob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        name = path.stem
        target = re.search(r"^alias_of:\s*([\w-]+)", path.read_text(), re.M)
        if target:
            assert aliases.get(name) == target.group(1), f"alias {name} missing from docs/policies.md"
        else:
            assert name in sections, f"preset {name} has no section in docs/policies.md"
            assert name in rows, f"preset {name} has no row in the summary of docs/policies.md"
