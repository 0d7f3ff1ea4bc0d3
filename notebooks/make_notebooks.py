#!/usr/bin/python3
"""Writes the notebooks of this folder (unexecuted) from their cells.

Edit the cells in notebooks/source/ (one module per notebook), then run
`/usr/bin/python3 notebooks/make_notebooks.py`; `notebooks/run_all.sh`
executes them and writes notebooks/figures/*.png.
"""
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_notebook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from source import (  # noqa: E402
    calibration,
    ice_capacity,
    illinois_2025,
    sanctuary_vs_cooperative,
    scenario_gallery,
)

NOTEBOOKS = {
    "sanctuary-vs-cooperative": sanctuary_vs_cooperative.CELLS,
    "ice-capacity": ice_capacity.CELLS,
    "illinois-2025": illinois_2025.CELLS,
    "scenario-gallery": scenario_gallery.CELLS,
    "calibration": calibration.CELLS,
}


def write(name: str, cells) -> None:
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    })
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{name}-{i:02d}"  # stable ids: regenerating changes nothing
    nbformat.validate(nb)
    path = HERE / f"{name}.ipynb"
    path.write_text(nbformat.writes(nb) + "\n")
    print("wrote", path.relative_to(HERE.parent))


if __name__ == "__main__":
    for name, cells in NOTEBOOKS.items():
        write(name, cells)
