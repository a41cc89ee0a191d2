"""Interactive explorers (ipywidgets) for the lessons; they need a live kernel.

One module per chapter, named as the chapter modules are:

- :mod:`convbook.widgets.continuous` -- chapter 1's :func:`rolling_up_explorer`
  (lesson ``01-continuous/rolling-up``), re-exported here: a slider for ``t``
  that redraws :func:`convbook.plotting.rolling_up_figure`;
- :mod:`convbook.widgets.discrete`, :mod:`convbook.widgets.polynomial`,
  :mod:`convbook.widgets.fourier` and :mod:`convbook.widgets.nn` -- the
  explorers of chapters 2 to 5, loaded on first use (e.g.
  ``widgets.nn.conv2d_explorer``).

The static book shows the same pictures as kernel-free animations
(:mod:`convbook.plotting`): widget output needs a kernel and the widget
JavaScript, so lesson cells that build an explorer are tagged
``skip-execution`` and run in JupyterLab only.

ipywidgets is an optional dependency (``pip install convbook[widgets]``); it
is imported when an explorer is built, with a clear message if it is missing
(the helpers every explorer shares are in the private
:mod:`convbook.widgets._common`).
"""

import importlib

from . import continuous
from .continuous import rolling_up_explorer

__all__ = ["rolling_up_explorer", "continuous", "discrete", "polynomial", "fourier", "nn"]

_CHAPTERS = ("discrete", "polynomial", "fourier", "nn")


def __getattr__(name):
    """Load a chapter's explorers on first use (no start-up cost for chapters 2 to 5)."""
    if name in _CHAPTERS:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
