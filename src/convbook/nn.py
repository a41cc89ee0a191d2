"""Deep-learning "convolution" with PyTorch semantics, in numpy (chapter 5).

This module backs chapter 5 of the course, "Convolution in deep learning".
It reproduces, in plain numpy, ``torch.nn.functional.conv1d``, ``conv2d``,
``conv_transpose2d`` and ``unfold``, plus the gradients that autograd gives
for ``conv2d`` and the output-size formulas of the chapter.

.. warning::

   **What deep learning calls "convolution" is a CROSS-CORRELATION: the kernel
   is NOT flipped.**  ``conv2d(x, w)[n, k, y, x] = sum x[..., y*s + i*d,
   x*s + j*d] * w[k, ..., i, j]``, whereas the convolution of chapters 1-4
   (``numpy.convolve``, ``scipy.signal.convolve2d``) flips the kernel first.
   For a learned kernel the distinction is immaterial (the network would just
   learn the flipped kernel); for a hand-written kernel it is not.

Conventions, all those of PyTorch:

- arrays are channels-first: batched ``(N, C, L)`` / ``(N, C, H, W)``, or
  unbatched ``(C, L)`` / ``(C, H, W)`` (the output is then unbatched too);
- weights have shape ``(out_channels, in_channels / groups, kH, kW)``
  (``(in_channels, out_channels / groups, kH, kW)`` for the transposed
  convolution);
- an integer ``padding`` is the number of zeros added on EACH side (total
  ``2 * padding`` per dimension); ``padding='same'`` adds ``d*(k-1)`` zeros
  in total, the odd one at the END (bottom/right), and needs ``stride=1``;
- computations run in float32 or float64 and the output has the input's
  dtype.  Integer and boolean input is converted to floating point (PyTorch
  refuses it; we convert it, see :func:`conv2d`); float32 and float64 arrays
  are never mixed (a ``TypeError``, as in PyTorch).

Every array function has a fast path (strided slices, im2col or row columns
and BLAS matrix products; for depthwise layers one product per output row
with a banded matrix of the taps, see :func:`conv2d`) and a didactic twin,
``*_loops``, that loops over output positions and can be shown in a lesson;
the tests prove that the two agree, and that both agree with PyTorch.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from . import _nn_impl
from ._validation import MAX_SIZE, as_numeric_array, check_int, check_size, check_tuple, describe

__all__ = [
    "output_size",
    "transposed_output_size",
    "conv1d",
    "conv2d",
    "conv_transpose2d",
    "unfold",
    "conv2d_backward",
    # didactic twins (loops over output positions)
    "conv1d_loops",
    "conv2d_loops",
    "conv_transpose2d_loops",
    "unfold_loops",
    "conv2d_backward_loops",
]

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


# ----------------------------------------------------------------------------
# Validation helpers (private)
# ----------------------------------------------------------------------------


def _float_arrays(fname: str, **values):
    """Convert the named operands to one floating dtype (float32 or float64).

    Float numpy arrays keep their dtype and must agree; anything without a
    floating precision of its own (lists, ints, bools, Fractions) adopts the
    dtype of the float arrays, or float64 if there is none.  ``None`` is
    passed through for ``bias`` only (an absent bias); every other operand
    is required.  The number of dimensions is kept (a 0-d array stays 0-d,
    so that the shape checks and their messages see the real shape).
    """
    arrays, typed = {}, {}
    for name, value in values.items():
        if value is None and name == "bias":
            arrays[name] = None
            continue
        if value is None:
            raise TypeError(f"{fname}: {name} must be an array of real numbers, got None.")
        arr = as_numeric_array(name, value, allow_empty=True)
        if arr.dtype.kind == "c":
            raise TypeError(
                f"{fname}: {name} must be real (float32 or float64), got {describe(arr)}; "
                "convbook.nn does not convolve complex data."
            )
        if arr.dtype.kind == "f":
            if arr.dtype not in _FLOATS:
                raise TypeError(
                    f"{fname}: {name} must be float32 or float64, got {describe(arr)}; "
                    f"convert it first, e.g. {name}.astype(np.float32)."
                )
            if isinstance(value, (np.ndarray, np.generic)):
                typed[name] = arr.dtype
        arrays[name] = arr
    if len(set(typed.values())) > 1:
        (n1, d1), (n2, d2) = [(n, d) for n, d in typed.items()][:2]
        if d1 == d2:
            n2, d2 = next((n, d) for n, d in typed.items() if d != d1)
        raise TypeError(
            f"{fname}: {n1} has dtype {d1} but {n2} has dtype {d2}; convbook.nn does not mix "
            f"float32 and float64 (PyTorch refuses too). Convert one of them, e.g. "
            f"{n2}.astype(np.{d1})."
        )
    dtype = next(iter(typed.values())) if typed else np.dtype(np.float64)
    for name, arr in arrays.items():
        if arr is None:
            continue
        try:
            arrays[name] = np.asarray(arr, dtype=dtype, order="C")  # not ascontiguousarray: it makes 0-d 1-d
        except (TypeError, ValueError, OverflowError) as exc:
            raise TypeError(
                f"{fname}: {name} must hold real numbers convertible to {dtype}, "
                f"got {describe(arr)} ({exc})."
            ) from None
    return dtype, arrays


def _check_ndim(fname, name, arr, allowed, what):
    if arr.ndim not in allowed:
        raise ValueError(f"{fname}: {name} must be {what}, got {describe(arr)}.")


def _check_nonempty(fname, name, arr, first_axis):
    """Every axis from ``first_axis`` on must be non-empty (the batch may be empty)."""
    if any(n == 0 for n in arr.shape[first_axis:]):
        raise ValueError(f"{fname}: {name} must not have an empty axis (except the batch), got {describe(arr)}.")


def _parse_padding(fname, padding, nd, kernel, stride, dilation):
    """``padding`` (int, tuple, 'valid' or 'same') -> ((begin, end), ...) per spatial dim."""
    if isinstance(padding, str):
        if padding not in ("valid", "same"):
            raise ValueError(
                f"padding={padding!r} is not allowed. Acceptable padding flags are 'valid' or 'same' "
                f"(or an integer >= 0, or a tuple of {nd} integers >= 0: zeros added on each side)."
            )
        if padding == "valid":
            return ((0, 0),) * nd
        if any(s != 1 for s in stride):
            raise ValueError(
                f"{fname}: padding='same' is not supported for strided convolutions, got "
                f"stride={stride if nd > 1 else stride[0]} (PyTorch refuses it too). "
                "Use stride=1, or an explicit integer padding."
            )
        pads = []
        for k, d in zip(kernel, dilation):
            total = d * (k - 1)
            pads.append((total // 2, total - total // 2))  # the odd zero goes at the end
        return tuple(pads)
    return tuple((p, p) for p in check_tuple("padding", padding, nd, minimum=0, maximum=MAX_SIZE))


def _check_fits(fname, spatial, pads, kernel, dilation):
    padded = [n + a + b for n, (a, b) in zip(spatial, pads)]
    dilated = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    if any(p < k for p, k in zip(padded, dilated)):
        raise ValueError(
            f"{fname}: calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
            f"Kernel size (dilated: dilation*(kernel_size-1)+1): ({' x '.join(map(str, dilated))}). "
            "Kernel size can't be greater than actual input size."
        )


def _check_sizes(fname, padding, xb, pads, out_ck, cols, dtype, culprit):
    """Refuse a call whose padded input, output or im2col columns (of one sample) could not be allocated.

    The message names ``padding`` when there is padding (it is what makes
    those arrays grow beyond x times the kernel), else ``culprit``, a
    ``(name, value)`` pair for the kernel.  ``cols`` is the number of im2col
    entries one sample needs (0 when the path builds none).  O(1).
    """
    name, value = ("padding", padding) if any(a or b for a, b in pads) else culprit
    N, C = xb.shape[:2]
    padded = tuple(n + a + b for n, (a, b) in zip(xb.shape[2:], pads))
    context = f"{fname}: "
    check_size(name, value, (N, C, *padded), dtype, what="a padded input", context=context)
    check_size(name, value, (N, *out_ck), dtype, what="an output", context=context)
    if cols:
        check_size(name, value, (cols,), dtype, what="the im2col columns of one sample", context=context)


def _prepare_conv(fname, nd, x, w, bias, stride, padding, dilation, groups, **extra):
    """Validate the arguments of conv1d/conv2d (and friends) and lift them to batched 2-D.

    Returns a dict with ``x`` (N, C, H, W), ``w`` (K, C/groups, kh, kw),
    ``bias`` (K,) or None, ``stride``, ``dilation``, ``pads`` ((top, bottom),
    (left, right)), ``out_hw``, ``groups``, ``batched``, ``nd``, ``dtype`` and
    the extra arrays (also lifted to batched when ``x`` is unbatched).
    """
    dtype, arrs = _float_arrays(fname, x=x, w=w, **extra, bias=bias)
    x, w, bias = arrs["x"], arrs["w"], arrs["bias"]
    dims = "(C, L)" if nd == 1 else "(C, H, W)"
    bdims = "(N, C, L)" if nd == 1 else "(N, C, H, W)"
    _check_ndim(fname, "x", x, (nd + 1, nd + 2), f"{nd + 1}-D {dims} unbatched or {nd + 2}-D {bdims} batched")
    wdims = "(out_channels, in_channels/groups, kL)" if nd == 1 else "(out_channels, in_channels/groups, kH, kW)"
    _check_ndim(fname, "w", w, (nd + 2,), f"{nd + 2}-D {wdims}")
    groups = check_int("groups", groups, minimum=1, maximum=MAX_SIZE)
    stride = check_tuple("stride", stride, nd, minimum=1, maximum=MAX_SIZE)
    dilation = check_tuple("dilation", dilation, nd, minimum=1, maximum=MAX_SIZE)
    batched = x.ndim == nd + 2
    xb = x if batched else x[None]
    _check_nonempty(fname, "x", xb, 1)
    _check_nonempty(fname, "w", w, 0)
    K, Cg = w.shape[:2]
    C = xb.shape[1]
    if K % groups:
        raise ValueError(
            f"{fname}: given groups={groups}, expected weight to be divisible by {groups} at dimension 0 "
            f"(out_channels), but got weight w of size {list(w.shape)} instead."
        )
    if C % groups:
        raise ValueError(
            f"{fname}: x has {C} channels, which is not divisible by groups={groups} "
            f"(each group reads in_channels/groups channels); x has shape {x.shape}."
        )
    if Cg * groups != C:
        raise ValueError(
            f"{fname}: Given groups={groups}, weight of size {list(w.shape)}, expected input{list(x.shape)} "
            f"to have {Cg * groups} channels, but got {C} channels instead."
        )
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != K):
        raise ValueError(
            f"{fname}: Given weight of size {list(w.shape)}, expected bias to be 1-dimensional with {K} "
            f"elements, but got bias of shape {bias.shape} instead."
        )
    kernel = w.shape[2:]
    pads = _parse_padding(fname, padding, nd, kernel, stride, dilation)
    spatial = xb.shape[2:]
    _check_fits(fname, spatial, pads, kernel, dilation)
    out = tuple(
        (n + a + b - d * (k - 1) - 1) // s + 1
        for n, (a, b), k, s, d in zip(spatial, pads, kernel, stride, dilation)
    )
    depthwise = Cg == 1 and groups > 1  # banded products: no im2col columns
    cols = 0 if depthwise else C * math.prod(kernel) * math.prod(out)
    _check_sizes(fname, padding, xb, pads, (K, *out), cols, dtype, ("w", w))
    extras = {name: arrs[name] for name in extra}
    if nd == 1:  # lift to 2-D with a height of 1
        xb, w = xb[:, :, None, :], w[:, :, None, :]
        stride, dilation, pads, out = (1, *stride), (1, *dilation), ((0, 0), *pads), (1, *out)
    return dict(
        x=xb, w=w, bias=bias, stride=stride, dilation=dilation, pads=pads, out_hw=out,
        groups=groups, batched=batched, nd=nd, dtype=dtype, extras=extras,
    )


def _finish(out, prm):
    """Add the bias, drop the lifted height (1-D) and the batch axis (unbatched)."""
    if prm["bias"] is not None:
        out += prm["bias"][:, None, None]
    if prm["nd"] == 1:
        out = out[:, :, 0, :]
    return out if prm["batched"] else out[0]


# ----------------------------------------------------------------------------
# Output sizes
# ----------------------------------------------------------------------------


def output_size(n: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Length of the output of a convolution layer along one dimension.

    .. math::

        n_{out} = \\left\\lfloor \\frac{n + 2p - d(k - 1) - 1}{s} \\right\\rfloor + 1

    Parameters
    ----------
    n : int
        Input length (>= 1).
    kernel_size : int
        Kernel length ``k`` (>= 1).
    stride : int
        Step ``s`` between output positions (>= 1).
    padding : int
        Zeros ``p`` added on EACH side (>= 0), PyTorch's convention: the total
        padding is ``2p``.
    dilation : int
        Spacing ``d`` between kernel taps (>= 1); the dilated kernel spans
        ``d(k - 1) + 1`` samples.

    Returns
    -------
    int
        The output length, as in the shape :func:`conv1d` and :func:`conv2d`
        return.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If an argument is out of range (above ``2**63 - 1``, the largest
        array size, included), or the dilated kernel is longer than the
        padded input (no output position would fit).

    Notes
    -----
    ``n + 2p - d(k-1) - 1`` is the number of steps the dilated kernel can
    slide; when it is not a multiple of ``s`` the last few input samples are
    never reached by the kernel (they get a zero gradient, see
    :func:`conv2d_backward`).

    References
    ----------
    .. [1] V. Dumoulin and F. Visin, "A guide to convolution arithmetic for
       deep learning", arXiv:1603.07285, 2016.

    Examples
    --------
    >>> output_size(32, 3, padding=1)             # 'same' for a 3x3 kernel
    32
    >>> output_size(32, 3, stride=2, padding=1)   # ResNet downsampling
    16
    >>> output_size(7, 3, dilation=2)             # a dilated kernel spans 5 samples
    3
    """
    n = check_int("n", n, minimum=1, maximum=MAX_SIZE)
    k = check_int("kernel_size", kernel_size, minimum=1, maximum=MAX_SIZE)
    s = check_int("stride", stride, minimum=1, maximum=MAX_SIZE)
    p = check_int("padding", padding, minimum=0, maximum=MAX_SIZE)
    d = check_int("dilation", dilation, minimum=1, maximum=MAX_SIZE)
    if n + 2 * p < d * (k - 1) + 1:
        raise ValueError(
            f"output_size: the dilated kernel (dilation*(kernel_size-1)+1 = {d * (k - 1) + 1}) is longer "
            f"than the padded input (n + 2*padding = {n + 2 * p}): no output position fits."
        )
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def transposed_output_size(n: int, kernel_size: int, stride: int = 1, padding: int = 0, output_padding: int = 0,
                           dilation: int = 1) -> int:
    """Length of the output of a transposed convolution layer along one dimension.

    .. math::

        n_{out} = (n - 1)s - 2p + d(k - 1) + \\text{output\\_padding} + 1

    Parameters
    ----------
    n : int
        Input length (>= 1).
    kernel_size : int
        Kernel length ``k`` (>= 1).
    stride : int
        Stride ``s`` of the convolution being transposed (>= 1).
    padding : int
        Padding ``p`` (per side) of the convolution being transposed (>= 0):
        here it REMOVES ``p`` samples from each end.
    output_padding : int
        Extra samples added at the end (>= 0), to pick one of the ``s``
        input lengths that the strided convolution maps to the same output
        length.  Must be smaller than ``stride`` or than ``dilation``.
    dilation : int
        Spacing ``d`` between kernel taps (>= 1).

    Returns
    -------
    int
        The output length, as in the shape :func:`conv_transpose2d` returns.

    Raises
    ------
    TypeError
        If an argument is not an integer.
    ValueError
        If an argument is out of range (above ``2**63 - 1``, the largest
        array size, included), if ``output_padding`` is not smaller than
        ``stride`` or ``dilation``, or if the result would be < 1.

    Notes
    -----
    It inverts :func:`output_size` for the shape:
    ``output_size(transposed_output_size(n, k, s, p, a), k, s, p) == n`` for
    every ``0 <= a < s``.

    Examples
    --------
    >>> transposed_output_size(16, 3, stride=2, padding=1)
    31
    >>> transposed_output_size(16, 3, stride=2, padding=1, output_padding=1)
    32
    >>> output_size(32, 3, stride=2, padding=1)
    16
    """
    n = check_int("n", n, minimum=1, maximum=MAX_SIZE)
    k = check_int("kernel_size", kernel_size, minimum=1, maximum=MAX_SIZE)
    s = check_int("stride", stride, minimum=1, maximum=MAX_SIZE)
    p = check_int("padding", padding, minimum=0, maximum=MAX_SIZE)
    a = check_int("output_padding", output_padding, minimum=0, maximum=MAX_SIZE)
    d = check_int("dilation", dilation, minimum=1, maximum=MAX_SIZE)
    if a >= max(s, d):
        raise ValueError(
            f"output_padding must be smaller than either stride or dilation, got output_padding={a}, "
            f"stride={s}, dilation={d}."
        )
    size = (n - 1) * s - 2 * p + d * (k - 1) + a + 1
    if size < 1:
        raise ValueError(
            f"transposed_output_size: the output would have size {size} (< 1): padding={p} removes "
            f"more than the (n-1)*s + d*(k-1) + output_padding + 1 = {size + 2 * p} samples produced."
        )
    return size


# ----------------------------------------------------------------------------
# conv1d / conv2d
# ----------------------------------------------------------------------------


def conv2d(x: ArrayLike, w: ArrayLike, bias: ArrayLike | None = None, stride: int | tuple[int, int] = 1,
           padding: int | tuple[int, int] | Literal["valid", "same"] = 0, dilation: int | tuple[int, int] = 1,
           groups: int = 1) -> np.ndarray:
    """2-D "convolution" of deep learning -- a CROSS-CORRELATION (no kernel flip), as ``torch.nn.functional.conv2d``.

    .. math::

        \\text{out}[n, k, y, x] = b[k] + \\sum_{c=0}^{C/G-1} \\sum_{i, j}
            x_{pad}[n,\\, g C/G + c,\\, y s_h + i d_h,\\, x s_w + j d_w]\\; w[k, c, i, j],
        \\qquad g = \\lfloor k / (K/G) \\rfloor

    **The kernel is NOT flipped**: this is the cross-correlation that every
    deep-learning library calls convolution.

    Parameters
    ----------
    x : array_like
        Input, batched ``(N, C, H, W)`` or unbatched ``(C, H, W)``.
    w : array_like
        Weights ``(K, C / groups, kH, kW)``: ``K`` output channels.
    bias : array_like, optional
        Shape ``(K,)``, added to every output position of channel ``k``.
    stride : int or tuple of 2 ints
        Step between output positions (>= 1).
    padding : int, tuple of 2 ints, 'valid' or 'same'
        An int ``p`` (or ``(p_h, p_w)``) adds ``p`` zeros on EACH side.
        ``'valid'`` means no padding.  ``'same'`` (only with ``stride=1``)
        adds ``d(k-1)`` zeros in total per dimension so that the output has
        the input's size; when that total is odd the extra zero goes at the
        end (bottom/right), as PyTorch does.
    dilation : int or tuple of 2 ints
        Spacing between kernel taps (>= 1).
    groups : int
        Split the channels into ``groups`` independent convolutions (>= 1);
        ``C`` and ``K`` must be divisible by it.  ``groups == C`` is a
        depthwise convolution.

    Returns
    -------
    numpy.ndarray
        Shape ``(N, K, H_out, W_out)`` (``(K, H_out, W_out)`` if ``x`` is
        unbatched), with ``H_out = floor((H + 2p - d(kH-1) - 1)/s) + 1`` per
        dimension (see :func:`output_size`); ``H_out = H`` for ``'same'``.
        dtype float32 or float64, that of the input.

    Raises
    ------
    TypeError
        ``None`` for ``x`` or ``w``, non-numeric or complex input, float16
        input, float32 mixed with float64, non-integer
        stride/padding/dilation/groups.
    ValueError
        Wrong number of dimensions (a 0-d ``x``, ``w`` or ``bias`` included,
        as PyTorch), channels not divisible by ``groups`` or not matching the
        weights, non-positive stride, dilation or groups, negative padding,
        unknown padding string, ``'same'`` with a stride, a (dilated) kernel
        larger than the padded input, a bias of the wrong shape; a parameter
        above the largest array size (``2**63 - 1``), or a padding so large
        that the padded input, the output or the im2col columns could not be
        held (more elements than a numpy array can have, or more bytes than
        this machine's memory).

    See Also
    --------
    conv2d_loops : the same computation, written as loops over output positions.
    unfold : the im2col matrix, ``conv2d`` is ``w.reshape(K, -1) @ unfold(x)``.

    Notes
    -----
    **Cross-correlation, not convolution.** ``scipy.signal.correlate2d(x, w,
    'valid')`` equals ``conv2d`` for one channel; ``scipy.signal.convolve2d``
    would flip ``w``.

    Padding is per side, as in PyTorch: ``padding=1`` adds one row on top AND
    one at the bottom.  numpy's and scipy's ``'same'`` are centred
    differently for even kernels (scipy puts the extra zero at the start);
    PyTorch's ``'same'``, reproduced here, puts it at the end.

    dtypes: float32 and float64 are kept; integer and boolean input (PyTorch
    refuses it) is converted to floating point -- to the dtype of the float
    arrays among ``x``, ``w`` and ``bias``, or float64 if there are none.
    Python lists count as having no precision of their own.  A float32 array
    with a float64 array is a ``TypeError``, as in PyTorch.

    Fast path: for dense layers with ``(C/groups) * kW >= 96``, "row
    columns": ``kW`` shifted copies of the input (not the ``kH*kW`` of
    im2col), one BLAS matrix product per group and row phase (``kH*K/groups``
    rows, the kernel rows stacked), and the ``kH`` partial results added with
    their row shifts into the output; smaller layers use im2col columns (one
    strided copy per kernel tap) and one product per group, in cache-sized
    chunks of the batch; unpadded 1x1 kernels on one image skip the columns
    (the input already is the matrix).  When each group has a single input
    channel (depthwise layers), each output row is the ``kH`` input rows it
    reads, side by side, times a banded matrix that holds the taps, the
    stride and the dilation: a GEMM over the channels, with an inner
    dimension of ``kH*kW``, would be the wrong tool.  Whatever the path, an
    image whose im2col columns would exceed 32 MB (a photograph, a long 1-D
    signal) is computed in tiles of output rows (or columns), each from the
    input window it reads, so the scratch memory stays bounded; only a layer
    whose columns of one sample could not be held at all is refused, as
    listed under Raises (its work is ``K/groups`` times that many
    multiply-adds per sample).

    References
    ----------
    .. [1] PyTorch documentation, ``torch.nn.Conv2d`` and
       ``torch.nn.functional.conv2d``.
    .. [2] K. Chellapilla, S. Puri and P. Simard, "High performance
       convolutional neural networks for document processing", 2006 (im2col).
    .. [3] I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*, MIT
       Press, 2016, chapter 9.

    Examples
    --------
    A kernel that subtracts the pixel down-right from each pixel: with no
    flip the result is ``x[y, x] - x[y+1, x+1] = -5`` everywhere (a true
    convolution would give ``+5``).

    >>> import numpy as np
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])
    >>> conv2d(x, w)
    array([[[[-5., -5., -5.],
             [-5., -5., -5.],
             [-5., -5., -5.]]]])
    >>> conv2d(x, w, padding="same").shape   # even kernel: extra zero at bottom/right
    (1, 1, 4, 4)
    >>> conv2d(np.ones((3, 8, 8), np.float32), np.ones((4, 3, 3, 3), np.float32),
    ...        stride=2, padding=1).dtype
    dtype('float32')
    """
    prm = _prepare_conv("conv2d", 2, x, w, bias, stride, padding, dilation, groups)
    out = _nn_impl.conv2d_fast(
        prm["x"], prm["w"], prm["stride"], prm["dilation"],
        (prm["pads"][0][0], prm["pads"][1][0]), prm["out_hw"], prm["groups"],
    )
    return _finish(out, prm)


def conv1d(x: ArrayLike, w: ArrayLike, bias: ArrayLike | None = None, stride: int | tuple[int] = 1,
           padding: int | tuple[int] | Literal["valid", "same"] = 0, dilation: int | tuple[int] = 1,
           groups: int = 1) -> np.ndarray:
    """1-D "convolution" of deep learning -- a CROSS-CORRELATION (no kernel flip), as ``torch.nn.functional.conv1d``.

    .. math::

        \\text{out}[n, k, t] = b[k] + \\sum_{c=0}^{C/G-1} \\sum_{i=0}^{k_L-1}
            x_{pad}[n,\\, g C/G + c,\\, t s + i d]\\; w[k, c, i],
        \\qquad g = \\lfloor k / (K/G) \\rfloor

    **The kernel is NOT flipped** (``numpy.convolve`` would flip it).

    Parameters
    ----------
    x : array_like
        Input, batched ``(N, C, L)`` or unbatched ``(C, L)``.
    w : array_like
        Weights ``(K, C / groups, kL)``.
    bias : array_like, optional
        Shape ``(K,)``.
    stride : int or tuple of 1 int
        Step between output positions (>= 1).
    padding : int, tuple of 1 int, 'valid' or 'same'
        Zeros added on EACH side; ``'same'`` (``stride=1`` only) adds
        ``d(kL-1)`` in total, the odd one at the END.
    dilation : int or tuple of 1 int
        Spacing between kernel taps (>= 1).
    groups : int
        Number of independent channel groups (>= 1).

    Returns
    -------
    numpy.ndarray
        Shape ``(N, K, L_out)`` (``(K, L_out)`` unbatched),
        ``L_out = floor((L + 2p - d(kL-1) - 1)/s) + 1``; ``L_out = L`` for
        ``'same'``.  The input's dtype (float32 or float64).

    Raises
    ------
    TypeError
        Non-numeric, complex or float16 input; float32 mixed with float64;
        non-integer parameters.
    ValueError
        The same cases as :func:`conv2d`.

    See Also
    --------
    conv1d_loops, conv2d

    Notes
    -----
    **Cross-correlation, not convolution**: ``conv1d`` of one channel equals
    ``numpy.correlate(x, w, 'valid')``, i.e. ``numpy.convolve(x, w[::-1],
    'valid')``.  Padding is per side (PyTorch), and PyTorch's ``'same'`` puts
    the odd zero at the end.  dtypes follow :func:`conv2d`.  The fast path
    is that of :func:`conv2d` with a height of 1.

    References
    ----------
    .. [1] PyTorch documentation, ``torch.nn.functional.conv1d``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1.0, 2.0, 3.0, 4.0, 5.0]])    # unbatched: 1 channel
    >>> w = np.array([[[1.0, 0.0, -1.0]]])           # 1 filter of length 3
    >>> conv1d(x, w)                                 # x[t] - x[t+2]: no flip
    array([[-2., -2., -2.]])
    >>> np.convolve(x[0], w[0, 0], "valid")          # true convolution flips
    array([2., 2., 2.])
    >>> conv1d(x, w, padding="same")
    array([[-2., -2., -2., -2.,  4.]])
    """
    prm = _prepare_conv("conv1d", 1, x, w, bias, stride, padding, dilation, groups)
    out = _nn_impl.conv2d_fast(
        prm["x"], prm["w"], prm["stride"], prm["dilation"],
        (prm["pads"][0][0], prm["pads"][1][0]), prm["out_hw"], prm["groups"],
    )
    return _finish(out, prm)


def conv2d_loops(x: ArrayLike, w: ArrayLike, bias: ArrayLike | None = None, stride: int | tuple[int, int] = 1,
                 padding: int | tuple[int, int] | Literal["valid", "same"] = 0,
                 dilation: int | tuple[int, int] = 1, groups: int = 1) -> np.ndarray:
    """Didactic :func:`conv2d`: a CROSS-CORRELATION (no kernel flip), one output position at a time.

    .. math::

        \\text{out}[n, k, y, x] = b[k] + \\sum_{c, i, j}
            x_{pad}[n,\\, g C/G + c,\\, y s_h + i d_h,\\, x s_w + j d_w]\\; w[k, c, i, j]

    Same arguments, results and errors as :func:`conv2d` (read its docstring);
    this version pads explicitly with ``numpy.pad`` and loops over
    ``(n, k, y, x)``, each output value being the sum of a window of the
    padded input times the kernel.  **The kernel is NOT flipped.**

    Parameters
    ----------
    x, w, bias, stride, padding, dilation, groups
        As in :func:`conv2d`.

    Returns
    -------
    numpy.ndarray
        As :func:`conv2d`.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv2d`.

    Notes
    -----
    ``N * K * H_out * W_out`` Python iterations: for lessons and tests, not
    for training networks.  Padding is per side; ``'same'`` puts the odd
    zero at the end, as PyTorch.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(16.0).reshape(1, 4, 4)
    >>> w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])
    >>> conv2d_loops(x, w, stride=2)
    array([[[-5., -5.],
            [-5., -5.]]])
    """
    prm = _prepare_conv("conv2d_loops", 2, x, w, bias, stride, padding, dilation, groups)
    x, w = prm["x"], prm["w"]
    (sh, sw), (dh, dw), groups = prm["stride"], prm["dilation"], prm["groups"]
    N = x.shape[0]
    K, Cg, kh, kw = w.shape
    Kg = K // groups
    Ho, Wo = prm["out_hw"]
    xp = np.pad(x, ((0, 0), (0, 0), *prm["pads"]))  # explicit zero padding
    out = np.zeros((N, K, Ho, Wo), dtype=prm["dtype"])
    for n in range(N):
        for k in range(K):
            g = k // Kg  # the group of output channel k reads channels g*Cg ... g*Cg + Cg - 1
            for y in range(Ho):
                for x_ in range(Wo):
                    top, left = y * sh, x_ * sw
                    window = xp[n, g * Cg : (g + 1) * Cg,
                                top : top + dh * (kh - 1) + 1 : dh,
                                left : left + dw * (kw - 1) + 1 : dw]
                    out[n, k, y, x_] = np.sum(window * w[k])  # no flip: w[k] as it is
    return _finish(out, prm)


def conv1d_loops(x: ArrayLike, w: ArrayLike, bias: ArrayLike | None = None, stride: int | tuple[int] = 1,
                 padding: int | tuple[int] | Literal["valid", "same"] = 0, dilation: int | tuple[int] = 1,
                 groups: int = 1) -> np.ndarray:
    """Didactic :func:`conv1d`: a CROSS-CORRELATION (no kernel flip), one output position at a time.

    .. math::

        \\text{out}[n, k, t] = b[k] + \\sum_{c, i} x_{pad}[n,\\, g C/G + c,\\, t s + i d]\\; w[k, c, i]

    Same arguments, results and errors as :func:`conv1d`; loops over
    ``(n, k, t)``.  **The kernel is NOT flipped.**

    Parameters
    ----------
    x, w, bias, stride, padding, dilation, groups
        As in :func:`conv1d`.

    Returns
    -------
    numpy.ndarray
        As :func:`conv1d`.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv1d`.

    Notes
    -----
    Padding is per side (PyTorch); the window of output ``t`` starts at
    ``t * stride`` in the padded input.

    Examples
    --------
    >>> conv1d_loops([[1.0, 2.0, 3.0, 4.0, 5.0]], [[[1.0, 0.0, -1.0]]], padding=1)
    array([[-2., -2., -2., -2.,  4.]])
    """
    prm = _prepare_conv("conv1d_loops", 1, x, w, bias, stride, padding, dilation, groups)
    x, w = prm["x"][:, :, 0, :], prm["w"][:, :, 0, :]  # back to (N, C, L) and (K, Cg, kL)
    s, d, groups = prm["stride"][1], prm["dilation"][1], prm["groups"]
    N = x.shape[0]
    K, Cg, kl = w.shape
    Kg = K // groups
    Lo = prm["out_hw"][1]
    xp = np.pad(x, ((0, 0), (0, 0), prm["pads"][1]))
    out = np.zeros((N, K, 1, Lo), dtype=prm["dtype"])  # the height 1 is dropped by _finish
    for n in range(N):
        for k in range(K):
            g = k // Kg
            for t in range(Lo):
                window = xp[n, g * Cg : (g + 1) * Cg, t * s : t * s + d * (kl - 1) + 1 : d]
                out[n, k, 0, t] = np.sum(window * w[k])
    return _finish(out, prm)


# ----------------------------------------------------------------------------
# Transposed convolution
# ----------------------------------------------------------------------------


def _prepare_transpose(fname, x, w, bias, stride, padding, output_padding, groups, dilation):
    dtype, arrs = _float_arrays(fname, x=x, w=w, bias=bias)
    x, w, bias = arrs["x"], arrs["w"], arrs["bias"]
    _check_ndim(fname, "x", x, (3, 4), "3-D (C_in, H, W) unbatched or 4-D (N, C_in, H, W) batched")
    _check_ndim(fname, "w", w, (4,), "4-D (in_channels, out_channels/groups, kH, kW)")
    groups = check_int("groups", groups, minimum=1, maximum=MAX_SIZE)
    stride_arg, dilation_arg = stride, dilation
    stride = check_tuple("stride", stride, 2, minimum=1, maximum=MAX_SIZE)
    dilation = check_tuple("dilation", dilation, 2, minimum=1, maximum=MAX_SIZE)
    if isinstance(padding, str):
        raise ValueError(
            f"{fname}: padding={padding!r} is not allowed: the transposed convolution takes an integer "
            "padding >= 0 or a tuple of 2 (PyTorch has no 'same'/'valid' for it)."
        )
    padding = check_tuple("padding", padding, 2, minimum=0, maximum=MAX_SIZE)
    output_padding = check_tuple("output_padding", output_padding, 2, minimum=0, maximum=MAX_SIZE)
    batched = x.ndim == 4
    xb = x if batched else x[None]
    _check_nonempty(fname, "x", xb, 1)
    _check_nonempty(fname, "w", w, 0)
    Cin, Cog = w.shape[:2]
    if Cin % groups:
        raise ValueError(
            f"{fname}: given groups={groups}, expected weight to be divisible by {groups} at dimension 0 "
            f"(in_channels), but got weight w of size {list(w.shape)} instead."
        )
    if xb.shape[1] != Cin:
        raise ValueError(
            f"{fname}: Given transposed=1, weight of size {list(w.shape)}, expected input{list(x.shape)} "
            f"to have {Cin} channels, but got {xb.shape[1]} channels instead."
        )
    K = Cog * groups
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != K):
        raise ValueError(
            f"{fname}: Given transposed=1, weight of size {list(w.shape)}, expected bias to be "
            f"1-dimensional with {K} elements, but got bias of shape {bias.shape} instead."
        )
    for a, s, d in zip(output_padding, stride, dilation):
        if a >= max(s, d):
            raise ValueError(
                f"{fname}: output_padding must be smaller than either stride or dilation, got "
                f"output_padding={output_padding}, stride={stride}, dilation={dilation}."
            )
    out, full = [], []
    for n, k, s, p, a, d in zip(xb.shape[2:], w.shape[2:], stride, padding, output_padding, dilation):
        size = (n - 1) * s - 2 * p + d * (k - 1) + a + 1
        if size < 1:
            raise ValueError(
                f"{fname}: the output would have size {size} (< 1) along a dimension of length {n}: "
                f"padding={padding} removes more than the transposed convolution produces."
            )
        out.append(size)
        full.append(max((n - 1) * s + d * (k - 1) + 1, p + size))
    # The uncropped result grows with the stride and the dilation: refuse sizes no array can have.
    steps = max((n - 1) * s for n, s in zip(xb.shape[2:], stride))
    spans = max(d * (k - 1) for k, d in zip(w.shape[2:], dilation))
    name, value = ("stride", stride_arg) if steps >= spans else ("dilation", dilation_arg)
    check_size(name, value, (xb.shape[0], K, *full), dtype, what="an output (before cropping)",
               context=f"{fname}: ")
    return dict(x=xb, w=w, bias=bias, stride=stride, dilation=dilation, pads=tuple((p, p) for p in padding),
                out_hw=tuple(out), groups=groups, batched=batched, nd=2, dtype=dtype)


def conv_transpose2d(x: ArrayLike, w: ArrayLike, bias: ArrayLike | None = None,
                     stride: int | tuple[int, int] = 1, padding: int | tuple[int, int] = 0,
                     output_padding: int | tuple[int, int] = 0, groups: int = 1,
                     dilation: int | tuple[int, int] = 1) -> np.ndarray:
    """Transposed 2-D convolution (no kernel flip in its definition), as ``torch.nn.functional.conv_transpose2d``.

    .. math::

        \\text{out}[n, g K_g + o, y, x] = b + \\sum_{c \\in \\text{group } g} \\sum_{h, v, i, j}
            x[n, c, h, v]\\; w[c, o, i, j]
            \\quad\\text{over}\\; y = h s_h + i d_h - p_h,\\; x = v s_w + j d_w - p_w

    Each input pixel scatters a copy of the kernel, scaled by its value, at
    ``stride`` times its position; ``padding`` then crops ``p`` samples from
    each side.  It is the adjoint (the transpose) of :func:`conv2d` with the
    same weights: ``<conv2d(x, w), y> == <x, conv_transpose2d(y, w)>``, and
    the gradient of :func:`conv2d` with respect to its input.  **No kernel
    flip is written anywhere** (written as a gather, it is a correlation with
    the flipped kernel, which is the same thing).

    Parameters
    ----------
    x : array_like
        Input ``(N, C_in, H, W)`` or unbatched ``(C_in, H, W)``.
    w : array_like
        Weights ``(C_in, C_out / groups, kH, kW)`` -- in and out are swapped
        with respect to :func:`conv2d`, as in PyTorch.
    bias : array_like, optional
        Shape ``(C_out,)``.
    stride : int or tuple of 2 ints
        Stride of the convolution being transposed (>= 1).
    padding : int or tuple of 2 ints
        Padding (per side) of the convolution being transposed (>= 0); it
        crops the output.  No 'same'/'valid' strings (as in PyTorch).
    output_padding : int or tuple of 2 ints
        Extra rows/columns at the bottom/right (>= 0), smaller than
        ``stride`` or than ``dilation`` in each dimension.
    groups : int
        Number of channel groups (>= 1), dividing ``C_in``.
    dilation : int or tuple of 2 ints
        Spacing between kernel taps (>= 1).

    Returns
    -------
    numpy.ndarray
        Shape ``(N, C_out, H_out, W_out)`` (unbatched: no ``N``),
        ``H_out = (H-1)s - 2p + d(kH-1) + output_padding + 1`` (see
        :func:`transposed_output_size`).  The input's dtype.

    Raises
    ------
    TypeError
        As :func:`conv2d`.
    ValueError
        Wrong ndim, ``C_in`` not divisible by ``groups`` or not equal to
        ``w.shape[0]``, non-positive stride/dilation/groups, negative or
        string padding, ``output_padding`` too large, an output size < 1, a
        bias of the wrong shape (0-d included); a stride or dilation so large
        that the output could not be held.

    See Also
    --------
    conv_transpose2d_loops : the same, as loops that scatter each input pixel.
    conv2d_backward : uses it for the gradient with respect to the input.

    Notes
    -----
    Cross-correlation convention as in :func:`conv2d` (PyTorch): the weights
    ``w`` are used as they are.  Fast path: one GEMM ``w^T @ x`` per group
    and sample (every pixel times the whole kernel), then "col2im": each of
    the ``kH*kW`` taps is scatter-added at stride ``s`` into the output.
    dtypes follow :func:`conv2d`.

    References
    ----------
    .. [1] V. Dumoulin and F. Visin, "A guide to convolution arithmetic for
       deep learning", arXiv:1603.07285, 2016.
    .. [2] PyTorch documentation, ``torch.nn.ConvTranspose2d``.

    Examples
    --------
    Stride 2 spreads the pixels out; a 2x2 kernel of ones fills the gaps:

    >>> import numpy as np
    >>> x = np.array([[[1.0, 2.0], [3.0, 4.0]]])    # unbatched, 1 channel
    >>> conv_transpose2d(x, np.ones((1, 1, 2, 2)), stride=2)
    array([[[1., 1., 2., 2.],
            [1., 1., 2., 2.],
            [3., 3., 4., 4.],
            [3., 3., 4., 4.]]])
    >>> conv_transpose2d(x, np.ones((1, 1, 3, 3)), stride=2, padding=1).shape
    (1, 3, 3)
    """
    prm = _prepare_transpose("conv_transpose2d", x, w, bias, stride, padding, output_padding, groups, dilation)
    out = _nn_impl.conv_transpose2d_fast(
        prm["x"], prm["w"], prm["stride"], prm["dilation"],
        (prm["pads"][0][0], prm["pads"][1][0]), prm["out_hw"], prm["groups"],
    )
    return _finish(out, prm)


def conv_transpose2d_loops(x: ArrayLike, w: ArrayLike, bias: ArrayLike | None = None,
                           stride: int | tuple[int, int] = 1, padding: int | tuple[int, int] = 0,
                           output_padding: int | tuple[int, int] = 0, groups: int = 1,
                           dilation: int | tuple[int, int] = 1) -> np.ndarray:
    """Didactic :func:`conv_transpose2d`: every input pixel scatters a scaled copy of the kernel (no flip).

    .. math::

        \\text{full}[n, g K_g + o,\\, h s_h + i d_h,\\, v s_w + j d_w] \\mathrel{+}= x[n, c, h, v]\\, w[c, o, i, j],
        \\qquad \\text{out} = \\text{full}[\\ldots, p_h : p_h + H_{out},\\, p_w : p_w + W_{out}]

    Same arguments, results and errors as :func:`conv_transpose2d`; loops
    over the input pixels ``(n, c, h, v)``, then crops the padding.

    Parameters
    ----------
    x, w, bias, stride, padding, output_padding, groups, dilation
        As in :func:`conv_transpose2d`.

    Returns
    -------
    numpy.ndarray
        As :func:`conv_transpose2d`.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv_transpose2d`.

    Notes
    -----
    Compare with :func:`conv2d_loops`, which gathers a window into each
    output pixel: here each input pixel scatters into a window of the output.
    That is why the two are adjoint.  No kernel is flipped.

    Examples
    --------
    >>> conv_transpose2d_loops([[[1.0, 2.0]]], [[[[1.0, 10.0]]]], stride=1)
    array([[[ 1., 12., 20.]]])
    """
    prm = _prepare_transpose("conv_transpose2d_loops", x, w, bias, stride, padding, output_padding, groups,
                             dilation)
    x, w = prm["x"], prm["w"]
    (sh, sw), (dh, dw), groups = prm["stride"], prm["dilation"], prm["groups"]
    N, Cin, H, W = x.shape
    _, Cog, kh, kw = w.shape
    Cig = Cin // groups
    Ho, Wo = prm["out_hw"]
    (pt, _), (pl, _) = prm["pads"]
    full = np.zeros((N, Cog * groups, max((H - 1) * sh + dh * (kh - 1) + 1, pt + Ho),
                     max((W - 1) * sw + dw * (kw - 1) + 1, pl + Wo)), dtype=prm["dtype"])
    for n in range(N):
        for c in range(Cin):
            g = c // Cig  # input channel c feeds output channels g*Cog ... g*Cog + Cog - 1
            for h in range(H):
                for v in range(W):
                    full[n, g * Cog : (g + 1) * Cog,
                         h * sh : h * sh + dh * (kh - 1) + 1 : dh,
                         v * sw : v * sw + dw * (kw - 1) + 1 : dw] += x[n, c, h, v] * w[c]
    out = np.ascontiguousarray(full[:, :, pt : pt + Ho, pl : pl + Wo])
    return _finish(out, prm)


# ----------------------------------------------------------------------------
# unfold (im2col)
# ----------------------------------------------------------------------------


def _prepare_unfold(fname, x, kernel_size, dilation, padding, stride):
    dtype, arrs = _float_arrays(fname, x=x)
    x = arrs["x"]
    _check_ndim(fname, "x", x, (3, 4), "3-D (C, H, W) unbatched or 4-D (N, C, H, W) batched")
    kernel = check_tuple("kernel_size", kernel_size, 2, minimum=1, maximum=MAX_SIZE)
    dilation = check_tuple("dilation", dilation, 2, minimum=1, maximum=MAX_SIZE)
    if isinstance(padding, str):
        raise ValueError(
            f"{fname}: padding={padding!r} is not allowed: unfold takes an integer padding >= 0 or a tuple "
            "of 2 (zeros added on each side), as PyTorch."
        )
    padding_arg = padding
    padding = check_tuple("padding", padding, 2, minimum=0, maximum=MAX_SIZE)
    stride = check_tuple("stride", stride, 2, minimum=1, maximum=MAX_SIZE)
    batched = x.ndim == 4
    xb = x if batched else x[None]
    _check_nonempty(fname, "x", xb, 1)
    pads = tuple((p, p) for p in padding)
    _check_fits(fname, xb.shape[2:], pads, kernel, dilation)
    out = tuple((n + 2 * p - d * (k - 1) - 1) // s + 1
                for n, k, s, p, d in zip(xb.shape[2:], kernel, stride, padding, dilation))
    _check_sizes(fname, padding_arg, xb, pads, (xb.shape[1] * kernel[0] * kernel[1], *out), 0, dtype,
                 ("kernel_size", kernel_size))
    return xb, kernel, dilation, padding, stride, out, batched, dtype


def unfold(x: ArrayLike, kernel_size: int | tuple[int, int], dilation: int | tuple[int, int] = 1,
           padding: int | tuple[int, int] = 0, stride: int | tuple[int, int] = 1) -> np.ndarray:
    """im2col: every sliding window of ``x`` as a column, as ``torch.nn.functional.unfold``.

    .. math::

        \\text{cols}[n,\\, (c k_H + i) k_W + j,\\, y W_{out} + x] = x_{pad}[n, c, y s_h + i d_h, x s_w + j d_w]

    With it, :func:`conv2d` (a CROSS-CORRELATION, no kernel flip) becomes one
    matrix product: ``conv2d(x, w) == (w.reshape(K, -1) @ unfold(x, (kH,
    kW))).reshape(N, K, H_out, W_out)`` for ``groups=1``.

    Parameters
    ----------
    x : array_like
        Input ``(N, C, H, W)`` or unbatched ``(C, H, W)``.
    kernel_size : int or tuple of 2 ints
        Window size ``(kH, kW)`` (>= 1).
    dilation : int or tuple of 2 ints
        Spacing between window taps (>= 1).
    padding : int or tuple of 2 ints
        Zeros added on EACH side (>= 0).
    stride : int or tuple of 2 ints
        Step between windows (>= 1).

    Returns
    -------
    numpy.ndarray
        Shape ``(N, C*kH*kW, L)`` (``(C*kH*kW, L)`` unbatched) with
        ``L = H_out * W_out`` windows in row-major order, ``H_out`` given by
        :func:`output_size`.  Rows are ordered channel first, then kernel
        row, then kernel column, as in PyTorch.  The input's dtype.

    Raises
    ------
    TypeError
        ``x`` None, non-numeric, complex or float16; non-integer parameters.
    ValueError
        Wrong ndim (a 0-d ``x`` included), out-of-range parameters, string
        padding, a (dilated) window larger than the padded input, a padding
        or kernel size whose columns could not be held.

    See Also
    --------
    unfold_loops : the same, one window at a time.

    Notes
    -----
    The matrix has ``kH*kW`` times as many entries as the input: it trades
    memory for one large, BLAS-friendly product.  Padding is per side.
    dtypes follow :func:`conv2d` (integers are converted to float64).

    References
    ----------
    .. [1] K. Chellapilla, S. Puri and P. Simard, "High performance
       convolutional neural networks for document processing", 2006.
    .. [2] PyTorch documentation, ``torch.nn.Unfold``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(9.0).reshape(1, 3, 3)          # unbatched, 1 channel
    >>> unfold(x, 2)                                 # 4 windows of 2x2, as columns
    array([[0., 1., 3., 4.],
           [1., 2., 4., 5.],
           [3., 4., 6., 7.],
           [4., 5., 7., 8.]])
    """
    xb, kernel, dilation, padding, stride, out_hw, batched, _ = _prepare_unfold(
        "unfold", x, kernel_size, dilation, padding, stride)
    cols = _nn_impl.im2col(xb, kernel, stride, dilation, padding, out_hw)
    N, C = xb.shape[:2]
    cols = cols.reshape(N, C * kernel[0] * kernel[1], out_hw[0] * out_hw[1])
    return cols if batched else cols[0]


def unfold_loops(x: ArrayLike, kernel_size: int | tuple[int, int], dilation: int | tuple[int, int] = 1,
                 padding: int | tuple[int, int] = 0, stride: int | tuple[int, int] = 1) -> np.ndarray:
    """Didactic :func:`unfold`: one window of the padded input per column, flattened channel first.

    .. math::

        \\text{cols}[n, :, y W_{out} + x] = \\operatorname{ravel}\\big(x_{pad}[n, :,\\,
            y s_h : y s_h + d_h(k_H-1)+1 : d_h,\\; x s_w : x s_w + d_w(k_W-1)+1 : d_w]\\big)

    Same arguments, results and errors as :func:`unfold`.

    Parameters
    ----------
    x, kernel_size, dilation, padding, stride
        As in :func:`unfold`.

    Returns
    -------
    numpy.ndarray
        As :func:`unfold`.

    Raises
    ------
    TypeError, ValueError
        As :func:`unfold`.

    Notes
    -----
    The window is taken as it is (no flip), so that ``w.reshape(K, -1) @
    cols`` is the cross-correlation :func:`conv2d`.

    Examples
    --------
    >>> unfold_loops([[[0.0, 1.0, 2.0]]], (1, 2))
    array([[0., 1.],
           [1., 2.]])
    """
    xb, (kh, kw), (dh, dw), padding, (sh, sw), (Ho, Wo), batched, dtype = _prepare_unfold(
        "unfold_loops", x, kernel_size, dilation, padding, stride)
    N, C = xb.shape[:2]
    xp = np.pad(xb, ((0, 0), (0, 0), (padding[0], padding[0]), (padding[1], padding[1])))
    cols = np.zeros((N, C * kh * kw, Ho * Wo), dtype=dtype)
    for n in range(N):
        for y in range(Ho):
            for x_ in range(Wo):
                window = xp[n, :, y * sh : y * sh + dh * (kh - 1) + 1 : dh,
                            x_ * sw : x_ * sw + dw * (kw - 1) + 1 : dw]
                cols[n, :, y * Wo + x_] = window.ravel()  # order (c, i, j), as PyTorch
    return cols if batched else cols[0]


# ----------------------------------------------------------------------------
# Backward pass of conv2d
# ----------------------------------------------------------------------------


def _prepare_backward(fname, grad_out, x, w, stride, padding, dilation, groups):
    prm = _prepare_conv(fname, 2, x, w, None, stride, padding, dilation, groups, grad_out=grad_out)
    g = prm["extras"]["grad_out"]
    K = prm["w"].shape[0]
    expected = (prm["x"].shape[0], K, *prm["out_hw"])
    if not prm["batched"]:
        expected = expected[1:]
    if g.shape != expected:
        raise ValueError(
            f"{fname}: grad_out must have the shape of conv2d(x, w, ...) = {expected}, got {describe(g)}."
        )
    prm["grad_out"] = g if prm["batched"] else g[None]
    return prm


def _unbatch(arr, prm):
    return arr if prm["batched"] else arr[0]


def conv2d_backward(grad_out: ArrayLike, x: ArrayLike, w: ArrayLike, stride: int | tuple[int, int] = 1,
                    padding: int | tuple[int, int] | Literal["valid", "same"] = 0,
                    dilation: int | tuple[int, int] = 1,
                    groups: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of :func:`conv2d` (a CROSS-CORRELATION, no flip) with respect to x, w and the bias.

    For a loss ``L`` and ``out = conv2d(x, w, b, stride, padding, dilation,
    groups)``, given ``grad_out = dL/d out``:

    .. math::

        \\frac{\\partial L}{\\partial x} = \\text{conv\\_transpose2d}(\\text{grad\\_out}, w)
        \\;(\\text{for stride 1: a FULL convolution of grad\\_out with } w
        \\text{, i.e. a correlation with the flipped kernel}),

        \\frac{\\partial L}{\\partial w}[k, c, i, j] = \\sum_{n, y, x}
            \\text{grad\\_out}[n, k, y, x]\\; x_{pad}[n, g C_g + c,\\, y s_h + i d_h,\\, x s_w + j d_w]
        \\;(\\text{a correlation of the input with grad\\_out}),

        \\frac{\\partial L}{\\partial b}[k] = \\sum_{n, y, x} \\text{grad\\_out}[n, k, y, x].

    Parameters
    ----------
    grad_out : array_like
        ``dL/d out``, of the shape :func:`conv2d` returns for ``x`` and ``w``.
    x, w, stride, padding, dilation, groups
        The arguments of the forward :func:`conv2d` (the bias does not
        matter).

    Returns
    -------
    grad_x : numpy.ndarray
        Shape of ``x``.
    grad_w : numpy.ndarray
        Shape of ``w``.
    grad_b : numpy.ndarray
        Shape ``(K,)``: ``grad_out`` summed over batch, height and width.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv2d`, and a ``ValueError`` if ``grad_out`` does not have
        the output's shape.

    See Also
    --------
    conv2d_backward_loops : the same gradients, accumulated position by position.

    Notes
    -----
    These are exactly what ``torch.autograd`` gives for
    ``torch.nn.functional.conv2d``.

    * ``grad_x`` is computed as a **transposed convolution** of ``grad_out``
      with the same weights (:func:`conv_transpose2d`).  For stride 1 (and
      ``groups=1``) that is the FULL convolution of ``grad_out`` with ``w``:
      ``conv2d(grad_out, flip(w).swapaxes(0, 1), padding=d*(k-1) - p,
      dilation=d)`` (for ``p <= d*(k-1)``), i.e. the forward pass's
      cross-correlation with the kernel flipped and the channel axes swapped.
    * ``grad_w`` is computed as a **correlation** of the input with
      ``grad_out`` (``grad_out`` acting as a kernel dilated by the stride),
      one GEMM per group between ``grad_out`` and the im2col columns of ``x``.
    * When ``n + 2p - d(k-1) - 1`` is not a multiple of the stride ``s``,
      the last ``(n + 2p - d(k-1) - 1) mod s`` input rows (or columns) are
      never reached by the kernel: their gradient is zero.  ``grad_x`` still
      has the shape of ``x`` -- the transposed convolution is taken with the
      ``output_padding`` that restores it.
    * ``'same'`` padding with an even kernel is asymmetric; it is handled.

    References
    ----------
    .. [1] V. Dumoulin and F. Visin, "A guide to convolution arithmetic for
       deep learning", arXiv:1603.07285, 2016.
    .. [2] I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*, MIT
       Press, 2016, section 9.5.

    Examples
    --------
    With ``L = sum(conv2d(x, w))``, ``grad_out`` is all ones; each input
    pixel's gradient counts the kernel taps that touch it:

    >>> import numpy as np
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)
    >>> w = np.ones((1, 1, 2, 2))
    >>> gx, gw, gb = conv2d_backward(np.ones((1, 1, 2, 2)), x, w)
    >>> gx[0, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    >>> gw[0, 0]                 # tap (i, j) sums x over the 2x2 block at (i, j)
    array([[ 8., 12.],
           [20., 24.]])
    >>> gb
    array([4.])
    """
    prm = _prepare_backward("conv2d_backward", grad_out, x, w, stride, padding, dilation, groups)
    x, w, g = prm["x"], prm["w"], prm["grad_out"]
    pad_begin = (prm["pads"][0][0], prm["pads"][1][0])
    grad_x = _nn_impl.conv_transpose2d_fast(g, w, prm["stride"], prm["dilation"], pad_begin,
                                            x.shape[2:], prm["groups"])
    grad_w = _nn_impl.conv2d_grad_weight(g, x, w.shape[2:], prm["stride"], prm["dilation"], pad_begin,
                                         prm["groups"])
    grad_b = g.sum(axis=(0, 2, 3))
    return _unbatch(grad_x, prm), grad_w, grad_b


def conv2d_backward_loops(grad_out: ArrayLike, x: ArrayLike, w: ArrayLike, stride: int | tuple[int, int] = 1,
                          padding: int | tuple[int, int] | Literal["valid", "same"] = 0,
                          dilation: int | tuple[int, int] = 1,
                          groups: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Didactic :func:`conv2d_backward`: accumulate the gradients output position by output position.

    .. math::

        \\text{for each } (n, k, y, x):\\quad
        \\begin{aligned}
        \\partial L/\\partial w[k] &\\mathrel{+}= \\text{grad\\_out}[n, k, y, x]\\cdot \\text{window}(y, x)\\\\
        \\partial L/\\partial \\text{window}(y, x) &\\mathrel{+}= \\text{grad\\_out}[n, k, y, x]\\cdot w[k]
        \\end{aligned}

    The forward pass reads, for output ``(n, k, y, x)``, a window of the
    padded input and multiplies it by ``w[k]`` (a cross-correlation, no
    flip); the chain rule sends ``grad_out[n, k, y, x]`` back along the same
    products.  Same arguments, results and errors as
    :func:`conv2d_backward`.

    Parameters
    ----------
    grad_out, x, w, stride, padding, dilation, groups
        As in :func:`conv2d_backward`.

    Returns
    -------
    grad_x, grad_w, grad_b : numpy.ndarray
        As :func:`conv2d_backward`.

    Raises
    ------
    TypeError, ValueError
        As :func:`conv2d_backward`.

    Notes
    -----
    The gradient of the padded input is accumulated, then the padding is
    cropped away; input rows that no window reaches keep a zero gradient.

    Examples
    --------
    >>> gx, gw, gb = conv2d_backward_loops([[[1.0, 1.0]]], [[[1.0, 2.0, 3.0]]], [[[[1.0, 10.0]]]])
    >>> gx
    array([[[ 1., 11., 10.]]])
    >>> gw
    array([[[[3., 5.]]]])
    """
    prm = _prepare_backward("conv2d_backward_loops", grad_out, x, w, stride, padding, dilation, groups)
    x, w, g = prm["x"], prm["w"], prm["grad_out"]
    (sh, sw), (dh, dw), groups = prm["stride"], prm["dilation"], prm["groups"]
    N, C, H, W = x.shape
    K, Cg, kh, kw = w.shape
    Kg = K // groups
    Ho, Wo = prm["out_hw"]
    (pt, pb), (pl, pr) = prm["pads"]
    xp = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    grad_xp = np.zeros_like(xp)
    grad_w = np.zeros_like(w)
    for n in range(N):
        for k in range(K):
            chans = slice((k // Kg) * Cg, (k // Kg + 1) * Cg)
            for y in range(Ho):
                for x_ in range(Wo):
                    rows = slice(y * sh, y * sh + dh * (kh - 1) + 1, dh)
                    cols = slice(x_ * sw, x_ * sw + dw * (kw - 1) + 1, dw)
                    grad_w[k] += g[n, k, y, x_] * xp[n, chans, rows, cols]
                    grad_xp[n, chans, rows, cols] += g[n, k, y, x_] * w[k]
    grad_x = np.ascontiguousarray(grad_xp[:, :, pt : pt + H, pl : pl + W])
    return _unbatch(grad_x, prm), grad_w, g.sum(axis=(0, 2, 3))
