"""Figures and kernel-free animations for the course, one module per chapter.

The figures of each chapter live in a module named as the chapter's module:

- :mod:`convbook.plotting.continuous` -- chapter 1 (the rolling-up picture,
  curves, heat maps and histograms); its functions are re-exported here:
  :func:`rolling_up_figure`, :func:`rolling_up_animation`,
  :func:`joint_heatmap`, :func:`curves_figure`, :func:`histogram_figure`;
- :mod:`convbook.plotting.discrete` (chapter 2),
  :mod:`convbook.plotting.polynomial` (chapter 3),
  :mod:`convbook.plotting.fourier` (chapter 4) and
  :mod:`convbook.plotting.nn` (chapter 5), loaded on first use, e.g.
  ``from convbook.plotting import discrete as pd; pd.sliding_kernel_animation(...)``.

Inside a chapter, each lesson's figures are one module named after the
lesson (``convbook.plotting.nn.im2col`` draws the pictures of the lesson
``05-deep-learning/im2col``); the chapter's package re-exports them all.

:func:`book_figures` makes IPython show pyplot's figures as the book shows
its own: sharp, and with the font sizes the site needs to keep them legible.
:func:`animation_html` turns any matplotlib animation into a self-contained
HTML snippet that needs no kernel and loads nothing from another host: every
animation of the book is shown with it.

Figures are :class:`matplotlib.figure.Figure` objects that are *not*
registered with pyplot: they never pile up in memory, they are not shown
twice in a notebook, and they work under any backend, Agg included.  Leave a
figure as the last expression of a cell to display it: it shows itself as a
PNG in IPython even when pyplot's inline backend is not loaded.  Colours,
figure creation and the small validators every chapter uses are in the
private :mod:`convbook.plotting._style`; the HTML of animations in the
private :mod:`convbook.plotting._animation`.
"""

import importlib

from . import continuous
from ._animation import animation_html
from ._style import book_figures
from .continuous import (
    curves_figure, histogram_figure, joint_heatmap, rolling_up_animation, rolling_up_figure,
)

__all__ = [
    "animation_html",
    "book_figures",
    "rolling_up_figure",
    "rolling_up_animation",
    "joint_heatmap",
    "curves_figure",
    "histogram_figure",
    "continuous",
    "discrete",
    "polynomial",
    "fourier",
    "nn",
]

_CHAPTERS = ("discrete", "polynomial", "fourier", "nn")


def __getattr__(name):
    """Load a chapter's figure module on first use (no start-up cost for chapters 2 to 5)."""
    if name in _CHAPTERS:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
