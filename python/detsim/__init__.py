"""detsim from Python: scenarios in, pandas DataFrames out.

detsim simulates what happens to people booked into jails and prisons when
ICE lodges detainers: holds honored or declined, pickups, releases despite a
detainer, citizens held, costs. This package runs the same C++ library as
the ``detsim`` tool, with the same numbers::

    import detsim
    s = detsim.Scenario("scenarios/county-jail.yaml", set={"ice.pickup.teams": 3})
    r = detsim.run(s, reps=20)
    r.summary()                  # one row per facility, offense category and metric
    c = detsim.compare(s, policies=["cooperative", "sanctuary"], reps=50)
    c.differences()              # paired differences from the first regime

Functions: :func:`run`, :func:`compare`, :func:`expect`, :func:`sweep`,
:func:`calibrate`, :func:`validate`, :func:`policies`, :func:`metrics`.
Classes: :class:`Scenario`, :class:`Result`, :class:`Comparison`,
:class:`Calibration`, :class:`PosteriorResult`, :class:`InputError`. python/README.md has a five-minute tour.
"""

import os as _os

try:
    from . import _paths
except ImportError:  # pragma: no cover - a package without its generated file
    _paths = None
# The preset policies (scenarios/policies) for this build or installation,
# unless DETSIM_PRESETS names another folder.
if _paths is not None and _os.path.isdir(_paths.PRESET_DIR):
    _os.environ.setdefault("DETSIM_PRESETS", _paths.PRESET_DIR)

from ._core import __version__  # noqa: E402
from ._errors import InputError  # noqa: E402
from ._api import (  # noqa: E402
    Comparison,
    Result,
    Scenario,
    compare,
    expect,
    metrics,
    policies,
    run,
    sweep,
    validate,
)
from ._calibrate import Calibration, PosteriorResult, calibrate  # noqa: E402

__all__ = [
    "Scenario",
    "Result",
    "Comparison",
    "InputError",
    "Calibration",
    "PosteriorResult",
    "run",
    "compare",
    "expect",
    "sweep",
    "calibrate",
    "validate",
    "policies",
    "metrics",
    "__version__",
]
