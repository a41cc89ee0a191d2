"""Figures and kernel-free animations for chapter 4 (the FFT).

Chapter 4 turns the convolution theorem into an algorithm.  Its pictures are

- the n-th roots of unity on the unit circle, and the path that one row of
  the DFT matrix takes around it (:func:`roots_of_unity_figure`), and the
  rows of that matrix as sampled cosines and sines (:func:`dft_rows_figure`);
- the wrap-around error of a circular convolution that is too short to hold
  the linear one (:func:`wraparound_figure`, swept over the transform
  length by :func:`wraparound_animation`);
- the butterfly diagram of the radix-2 Cooley--Tukey FFT, optionally with the
  values on the wires after each butterfly (:func:`butterfly_steps` computes
  them, :func:`butterfly_figure` draws one step, :func:`butterfly_animation`
  steps through them all);
- measured timings and operation counts on log-log axes, with a crossover
  marked (:func:`loglog_figure`).

Conventions are numpy's: :math:`X_k = \\sum_j x_j \\omega^{jk}` with
:math:`\\omega = e^{-2\\pi i/n}` (so the powers of :math:`\\omega` go round the
circle *clockwise*), the forward transform unscaled and the inverse with the
factor 1/n.  Convolutions are true convolutions (the kernel is flipped), and
"circular convolution of length N" means both inputs zero-padded to N and
indices taken modulo N.

Figures are :class:`matplotlib.figure.Figure` objects not registered with
pyplot (as in :mod:`convbook.plotting`); leave one as the last expression of
a notebook cell to display it, and show an animation without a kernel with
:func:`convbook.plotting.animation_html`.

By lesson:

- :mod:`~convbook.plotting.fourier.dft` -- "The discrete Fourier transform"
  (``04-fft/dft``): :func:`roots_of_unity_figure`, :func:`dft_rows_figure`;
- :mod:`~convbook.plotting.fourier.linear_by_fft` -- "Linear convolution by
  FFT" (``04-fft/linear-by-fft``): :func:`wraparound_figure`,
  :func:`wraparound_animation`;
- :mod:`~convbook.plotting.fourier.cooley_tukey` -- "The fast Fourier
  transform" (``04-fft/cooley-tukey``): :class:`ButterflyStep`,
  :class:`ButterflyTrace`, :func:`butterfly_steps`, :func:`butterfly_figure`,
  :func:`butterfly_animation`;
- :mod:`~convbook.plotting.fourier.speed` -- "Speed, measured"
  (``04-fft/speed``), also used by ``04-fft/cooley-tukey`` and
  ``04-fft/big-integers``: :func:`loglog_figure`.

Their shared colours and validators are in the private
:mod:`convbook.plotting.fourier._common`.
"""

from .cooley_tukey import ButterflyStep, ButterflyTrace, butterfly_animation, butterfly_figure, butterfly_steps
from .dft import dft_rows_figure, roots_of_unity_figure
from .linear_by_fft import wraparound_animation, wraparound_figure
from .speed import loglog_figure

__all__ = [
    "roots_of_unity_figure",
    "dft_rows_figure",
    "wraparound_figure",
    "wraparound_animation",
    "ButterflyStep",
    "ButterflyTrace",
    "butterfly_steps",
    "butterfly_figure",
    "butterfly_animation",
    "loglog_figure",
]
