"""Figures and kernel-free animations for chapter 1, continuous convolution.

Chapter 1 pictures the convolution

.. math:: V(t) = (f * g)(t) = \\int f(x)\\, g(t - x)\\, dx

in two ways at once: as the "rolling up" of the joint picture
``U(x, y) = f(x) g(y)`` along the lines ``x + y = t``, and as the familiar
flip-and-slide picture ``f(x)`` against ``g(t - x)``.  By lesson:

- :mod:`~convbook.plotting.continuous.rolling_up` -- "Convolution as rolling
  up" (``01-continuous/rolling-up``): both pictures at one ``t``
  (:func:`rolling_up_figure`) and swept over ``t`` in an animation
  (:func:`rolling_up_animation`);
- :mod:`~convbook.plotting.continuous.properties` -- "Computing convolutions
  with sympy" (``01-continuous/sympy``) and "Properties of convolution"
  (``01-continuous/properties``): :func:`curves_figure`,
  :func:`joint_heatmap` and :func:`histogram_figure`, which later chapters
  use too.

Every function takes *numeric* callables, vectorised over numpy arrays (for
instance ``sympy.lambdify(t, expr, "numpy")``), so that these modules do not
depend on sympy.  Conventions: the convolution here is the true convolution
of mathematics (``g`` is flipped: ``g(t - x)``), not the cross-correlation
that deep-learning libraries call "convolution".  Integrals drawn from
callables are computed with the trapezoid rule on the plotting grid, so the
windows ``x_range`` and ``y_range`` must contain the parts of ``f`` and
``g`` that matter.  :mod:`convbook.plotting` re-exports every name here.
"""

from .properties import curves_figure, histogram_figure, joint_heatmap
from .rolling_up import rolling_up_animation, rolling_up_figure

__all__ = [
    "rolling_up_figure",
    "rolling_up_animation",
    "joint_heatmap",
    "curves_figure",
    "histogram_figure",
]
