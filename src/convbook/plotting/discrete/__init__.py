"""Figures and kernel-free animations for chapter 2, discrete convolution.

Chapter 2 computes the discrete convolution of two finite sequences,

.. math:: y[n] = (a * v)[n] = \\sum_k a[k]\\, v[n - k],

and draws it in the pictures of chapter 1 made discrete:

* :func:`antidiagonal_figure` -- the grid ``U[k, j] = a[k] v[j]`` rolled up
  along its anti-diagonals ``k + j = n`` (the discrete rolling-up);
* :func:`sliding_kernel_figure` and :func:`sliding_kernel_animation` -- the
  flipped kernel ``v[n - k]`` sliding over the zero-padded signal, the
  products at the current position, and the output growing, for numpy's
  three modes (the animation is the static twin of
  :func:`convbook.widgets.discrete.discrete_explorer`);
* :func:`modes_figure` -- the first and last kernel positions of the modes
  'full', 'same' and 'valid', and the outputs each one keeps;
* :func:`toeplitz_figure` -- the convolution matrix, constant along its
  diagonals;
* :func:`wraparound_figure` -- circular convolution as the linear one with
  its tail wrapped around to the start;
* :func:`convergence_figure` -- errors against a step ``h`` on log-log axes,
  with fitted slopes (the Riemann sum approaching the integral).

Conventions, out loud: this is the *true* convolution (the kernel ``v`` is
flipped), not the cross-correlation that deep-learning libraries call
"convolution".  The modes are numpy's (``numpy.convolve``): 'same' has
``max(M, N)`` outputs and starts ``(min(M, N) - 1) // 2`` samples into the
full result -- scipy's 'same' has the length of the *first* input instead.
Every value drawn is computed with :func:`convbook.discrete.convolve` (or
:func:`~convbook.discrete.circular_convolve`,
:func:`~convbook.discrete.convolution_matrix`).  Figures are not registered
with pyplot and show themselves as PNGs in IPython; their artists carry gids
so that tests can read the data back.

By lesson:

- :mod:`~convbook.plotting.discrete.from_integral_to_sum` -- "From the
  integral to the sum" (``02-discrete/from-integral-to-sum``):
  :func:`antidiagonal_figure`, :func:`convergence_figure`;
- :mod:`~convbook.plotting.discrete.modes` -- "Full, same and valid"
  (``02-discrete/modes``): :func:`mode_window`, :func:`modes_figure`,
  :func:`sliding_kernel_figure`, :func:`sliding_kernel_animation`;
- :mod:`~convbook.plotting.discrete.matrix` -- "Convolution as a matrix"
  (``02-discrete/matrix``): :func:`toeplitz_figure`;
- :mod:`~convbook.plotting.discrete.circular` -- "Circular convolution and
  correlation" (``02-discrete/circular``): :func:`wraparound_figure`.

Their shared colours and validators are in the private
:mod:`convbook.plotting.discrete._common`.
"""

from .circular import wraparound_figure
from .from_integral_to_sum import antidiagonal_figure, convergence_figure
from .matrix import toeplitz_figure
from .modes import mode_window, modes_figure, sliding_kernel_animation, sliding_kernel_figure

__all__ = [
    "antidiagonal_figure",
    "sliding_kernel_figure",
    "sliding_kernel_animation",
    "modes_figure",
    "toeplitz_figure",
    "wraparound_figure",
    "convergence_figure",
    "mode_window",
]
