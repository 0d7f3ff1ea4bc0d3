"""detsim.plotting: plain titles, units and the illustrative-input captions."""
import os
from pathlib import Path

import pytest

from detsim import plotting

SOURCE = Path(os.environ.get("DETSIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))


def write(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return path


def test_illustrative_paths_follow_nesting_and_list_ids(tmp_path):
    path = write(tmp_path, """\
name: x                      # not marked
population:
  noncitizen_share: 0.1      # illustrative: unknown
  erroneous_detainer_rate: 0 # cited somewhere
offenses:
  - id: violent              # illustrative (the id line names the item, not a key)
    share: 0.3               # Illustrative
    pretrial_stay: {dist: fixed, days: 1}   # illustrative
  - id: other
    share: 0.7               # a source
ice:
  pickup:
    delay: {dist: fixed, hours: 4}          # illustrative
facilities:
- id: jail
  bookings_per_day: 10       # illustrative
""")
    assert plotting.illustrative_inputs(path) == [
        "population.noncitizen_share",
        "offenses.violent.share",
        "offenses.violent.pretrial_stay",
        "ice.pickup.delay",
        "facilities.jail.bookings_per_day",
    ]


def test_caption_groups_offense_categories_and_shortens(tmp_path):
    path = write(tmp_path, """\
offenses:
  - id: a
    share: 0.5   # illustrative
  - id: b
    share: 0.5   # illustrative
ice:
  match_probability: 0.7   # illustrative
  lodge_delay: {dist: fixed, hours: 1}  # illustrative
""")
    text = plotting.caption_text(path, "Mean of 3 replications.")
    assert text.startswith("Mean of 3 replications. Illustrative inputs (no public source) in s.yaml: ")
    assert "offenses.*.share, ice.match_probability, ice.lodge_delay." in text
    assert "and 1 more" in plotting.caption_text(path, limit=2)


def test_caption_says_when_nothing_is_illustrative(tmp_path):
    path = write(tmp_path, "name: x   # cited\n")
    assert plotting.caption_text(path) == "Every input of the scenario cites a public source."


def test_titles_and_units_come_from_the_glossary():
    assert plotting.title("released_despite_detainer") == "Released despite a detainer"
    assert plotting.title("some_new_metric") == "Some new metric"
    assert plotting.axis_label("hold_hours") == "Hours held past release on a detainer (hours)"
    assert plotting.axis_label("hold_cost", currency="USD") == "Cost of holds past release (USD)"
    assert plotting.unit("hold_cost") == "cost units"
    # Every metric the tool emits has a plain title (not its snake_case name).
    for metric in plotting._units():
        assert "_" not in plotting.title(metric), metric


@pytest.mark.parametrize("name", ["county-jail", "illinois-2025"])
def test_shipped_scenarios_name_their_illustrative_inputs(name):
    names = plotting.illustrative_inputs(SOURCE / "scenarios" / f"{name}.yaml")
    assert "ice.match_probability" in names
    assert all(not n.startswith(".") and ".." not in n for n in names)
