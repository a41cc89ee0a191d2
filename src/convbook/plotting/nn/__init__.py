"""Figures and kernel-free animations for chapter 5, "Convolution in deep learning".

Chapter 5 asks what a deep-learning "convolution" layer computes and how it
differs from the convolution of mathematics.  Its pictures are drawn here:

- :func:`conv_grid_figure` and :func:`conv_grid_animation`: the sliding
  window of a layer on a grid of cells, with its padding, stride and
  dilation, in the manner of Dumoulin and Visin's guide to convolution
  arithmetic; the animation moves the window over every output position;
- :func:`tensor_shapes_figure`: the shapes ``(N, C, H, W)`` of the input,
  ``(K, C/groups, kH, kW)`` of the weights and ``(N, K, H_out, W_out)`` of the
  output, coloured by channel group;
- :func:`strided_sampling_figure`: a strided layer is the stride-1 layer
  sampled every ``s`` positions;
- :func:`im2col_figure`: the im2col matrix next to the image it comes from;
- :func:`image_grid_figure`: a row (or grid) of images, kernels or feature
  maps with their shapes;
- :func:`conv_explorer_figure` and :func:`conv_explorer_animation`: an image,
  a kernel and the layer's output for one setting of stride, padding and
  dilation, with the output size; the animation sweeps the settings and is the
  static twin of the explorer :func:`convbook.widgets.nn.conv2d_explorer`;
- :func:`synthetic_scene` and :func:`standard_kernels`: a test image drawn in
  code (no download) and the classic image filters;
- :func:`gallery_cases`, :func:`gallery_output_size`, :func:`gallery_formula`,
  :func:`gallery_figure` and :func:`gallery_animation`: the gallery of
  convolution arithmetic (no, half and full padding, stride, dilation,
  transposed, ``output_padding``), each frame computed by :mod:`convbook.nn`;
  the animation is the static twin of
  :func:`convbook.widgets.nn.gallery_explorer`.

Conventions, out loud: every layer here is PyTorch's ``conv2d`` from
:mod:`convbook.nn`, a **cross-correlation** (the kernel is not flipped);
an integer ``padding`` adds that many zeros on **each** side; ``'same'``
adds ``d(k - 1)`` zeros in total with the odd one at the end (bottom/right),
as PyTorch does.  Figures are :class:`matplotlib.figure.Figure` objects not
registered with pyplot (see :mod:`convbook.plotting`); show animations with
:func:`convbook.plotting.animation_html`.

By lesson:

- :mod:`~convbook.plotting.nn.correlation` -- "Cross-correlation, not
  convolution" (``05-deep-learning/correlation``), and every later lesson
  that shows images: :func:`synthetic_scene`, :func:`standard_kernels`,
  :func:`image_grid_figure`;
- :mod:`~convbook.plotting.nn.channels` -- "Channels: many convolutions at
  once" (``05-deep-learning/channels``), also used by
  ``05-deep-learning/stride-padding-dilation`` for groups:
  :func:`tensor_shapes_figure`;
- :mod:`~convbook.plotting.nn.stride_padding_dilation` -- "Stride, padding,
  dilation and groups" (``05-deep-learning/stride-padding-dilation``):
  :func:`conv_grid_figure`, :func:`conv_grid_animation`,
  :func:`strided_sampling_figure`;
- :mod:`~convbook.plotting.nn.im2col` -- "im2col: a layer as one matrix
  product" (``05-deep-learning/im2col``): :func:`im2col_figure`;
- :mod:`~convbook.plotting.nn.equivariance_and_filters` -- "Translation
  equivariance and image filters"
  (``05-deep-learning/equivariance-and-filters``): :func:`conv_explorer_figure`,
  :func:`conv_explorer_animation`;
- :mod:`~convbook.plotting.nn.gallery` -- "A gallery of convolution
  arithmetic" (``05-deep-learning/gallery``): :func:`gallery_cases`,
  :func:`gallery_output_size`, :func:`gallery_formula`,
  :func:`gallery_figure`, :func:`gallery_animation`.

Their shared colours and validators are in the private
:mod:`convbook.plotting.nn._common`.
"""

from .channels import tensor_shapes_figure
from .correlation import image_grid_figure, standard_kernels, synthetic_scene
from .equivariance_and_filters import conv_explorer_animation, conv_explorer_figure
from .gallery import gallery_animation, gallery_cases, gallery_figure, gallery_formula, gallery_output_size
from .im2col import im2col_figure
from .stride_padding_dilation import conv_grid_animation, conv_grid_figure, strided_sampling_figure

__all__ = [
    "synthetic_scene",
    "standard_kernels",
    "conv_grid_figure",
    "conv_grid_animation",
    "tensor_shapes_figure",
    "strided_sampling_figure",
    "im2col_figure",
    "image_grid_figure",
    "conv_explorer_figure",
    "conv_explorer_animation",
    "gallery_cases",
    "gallery_output_size",
    "gallery_formula",
    "gallery_figure",
    "gallery_animation",
]
