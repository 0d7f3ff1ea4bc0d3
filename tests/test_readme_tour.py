"""The README's tour, run as written: every command of its fenced block
exits 0 on the shipped scenarios.

The commands run one after another in a fresh folder holding a link to the
repository's scenarios/ (so the tour's relative paths and the files it writes,
results/, trace.csv, capacity.csv, stay out of the source tree), through bash
(the tour uses a glob), with `detsim` replaced by this build's binary.
"""

import os
import pathlib
import re
import shlex
import subprocess

import pytest

SOURCE = pathlib.Path(os.environ["DETSIM_SOURCE_DIR"])
BINARY = os.environ["DETSIM_BINARY"]


def tour_commands():
    """The commands of the first ```sh block after the heading '## A short tour'."""
    text = (SOURCE / "README.md").read_text(encoding="utf-8")
    start = text.index("## A short tour")
    block = re.search(r"```sh\n(.*?)```", text[start:], re.S)
    assert block, "no ```sh block after '## A short tour'"
    commands, pending = [], ""
    for line in block.group(1).splitlines():
        line = re.sub(r"\s+#.*$", "", line).rstrip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = (pending + line).strip()
        pending = ""
        if line:
            commands.append(line)
    assert not pending, "a continued line ends the block"
    return commands


def test_the_tour_has_the_commands_it_shows():
    commands = tour_commands()
    assert len(commands) >= 10
    assert all(c.split()[0] == "detsim" for c in commands), commands
    assert "detsim expect scenarios/county-jail.yaml" in commands


def test_every_tour_command_exits_0(tmp_path):
    (tmp_path / "scenarios").symlink_to(SOURCE / "scenarios", target_is_directory=True)
    for command in tour_commands():
        line = shlex.quote(BINARY) + command[len("detsim"):]
        run = subprocess.run(["bash", "-c", line], cwd=tmp_path, capture_output=True,
                             text=True, timeout=600)
        assert run.returncode == 0, f"{command}\nexit {run.returncode}\n{run.stderr[-2000:]}"
        assert run.stdout or os.listdir(tmp_path), command
    # The files the tour says it writes.
    assert (tmp_path / "trace.csv").stat().st_size > 0
    assert (tmp_path / "capacity.csv").stat().st_size > 0
    assert (tmp_path / "results" / "summary.csv").stat().st_size > 0
    assert (tmp_path / "results" / "series.csv").stat().st_size > 0


if __name__ == "__main__":
    raise SystemExit(pytest.main([__file__, "-q"]))
