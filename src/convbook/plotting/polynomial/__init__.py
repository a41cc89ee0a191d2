"""Figures and kernel-free animations for chapter 3 (polynomials and long multiplication).

Chapter 3 reads the discrete convolution

.. math:: c_k = \\sum_{i + j = k} a_i\\, b_j

as the product of two polynomials and as schoolbook long multiplication.
This module draws its pictures:

* :func:`multiplication_grid_figure` -- the table of all products
  ``a[i] * b[j]`` whose *anti-diagonals* ``i + j = k`` are summed: the
  discrete twin of chapter 1's rolling up of ``U(x, y) = f(x) g(y)`` along
  the lines ``x + y = t``;
* :func:`carry_trace`, :func:`carry_figure`, :func:`carry_animation` -- the
  carries that turn the convolution ``(14, 34, 14, 4)`` into the digits of
  ``5754``, one column at a time;
* :func:`long_multiplication_figure`, :func:`long_multiplication_animation`
  -- both at once for two integers: the grid of their digits with the
  anti-diagonal of the current column highlighted, next to the carries
  (the static twin of the explorer in :mod:`convbook.widgets.polynomial`);
* :func:`fit_loglog` and :func:`timing_figure` -- measured running times on
  log-log axes, with fitted slopes;
* :func:`pmf_figure` -- an exact probability mass function next to the
  relative frequencies of a simulation;
* :func:`panels` -- a grid of axes on a figure that shows itself in a
  notebook, for lessons that combine several of the pictures.

Conventions: coefficient and digit sequences are **lowest degree first**
(``a[i]`` multiplies ``x**i``, or ``base**i`` for digits), as in
``numpy.polynomial`` and :mod:`convbook.polynomial`; the pictures write
numbers the usual way, most significant digit on the left.  The convolution
is the true convolution, ``b`` indexed by ``k - i``.  Figures are
:class:`matplotlib.figure.Figure` objects that are not registered with
pyplot (see :mod:`convbook.plotting`).

By lesson:

- :mod:`~convbook.plotting.polynomial.products` -- "Multiplying polynomials
  is convolving coefficients" (``03-polynomial/products``) and "Dice and
  coins" (``03-polynomial/probability``): :func:`pmf_figure`, :func:`panels`;
- :mod:`~convbook.plotting.polynomial.long_multiplication` -- "Long
  multiplication is a convolution" (``03-polynomial/long-multiplication``):
  :func:`multiplication_grid_figure`, :func:`long_multiplication_figure`,
  :func:`long_multiplication_animation`;
- :mod:`~convbook.plotting.polynomial.carrying_and_cost` -- "Carrying, bases
  and the cost of multiplying" (``03-polynomial/carrying-and-cost``), whose
  carries the long-multiplication lesson draws first: :class:`CarryStep`,
  :func:`carry_trace`, :func:`carry_figure`, :func:`carry_animation`,
  :func:`fit_loglog`, :func:`timing_figure`.

Their shared validators are in the private
:mod:`convbook.plotting.polynomial._common`.
"""

from .carrying_and_cost import (
    CarryStep, carry_animation, carry_figure, carry_trace, fit_loglog, timing_figure,
)
from .long_multiplication import (
    long_multiplication_animation, long_multiplication_figure, multiplication_grid_figure,
)
from .products import panels, pmf_figure

__all__ = [
    "multiplication_grid_figure",
    "CarryStep",
    "carry_trace",
    "carry_figure",
    "carry_animation",
    "long_multiplication_figure",
    "long_multiplication_animation",
    "fit_loglog",
    "timing_figure",
    "pmf_figure",
    "panels",
]
