"""Private fast kernels behind :mod:`convbook.nn` (chapter 5).

Everything here works on already validated, batched, 4-D floating arrays
(``x`` of shape ``(N, C, H, W)``) and on fully resolved parameters: a stride
``(sh, sw)``, a dilation ``(dh, dw)`` and the zeros added *before* each
spatial dimension, ``(pad_top, pad_left)`` (the zeros added after are implied
by the output size).  No kernel is ever flipped: these are cross-correlations,
as in PyTorch.

The im2col columns are built without padding the input: for each kernel tap
``(i, j)`` the helper :func:`tap_range` finds the output positions whose input
sample lies inside the image, and only those are copied; the others keep the
zeros of the padding.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "tap_range",
    "im2col",
    "conv2d_fast",
    "conv_transpose2d_fast",
    "conv2d_grad_weight",
]

# Size (bytes) of the im2col buffer processed at once by the dense path: the
# batch is cut into balanced chunks of about this many bytes of columns, and
# each chunk is ONE matrix product per group.  A compromise, measured on a
# 2-core machine: chunks of ~2 MB (one sample of a 64-channel 32x32 layer)
# stay in the L2 cache and are the fastest on an idle machine (~1.3x one
# GEMM instead of ~2x), but every BLAS call costs a thread synchronisation,
# which on a busy machine can cost a whole scheduler time slice (3x and
# worse).  Large chunks (few, large calls) meet the 2.5x target in both cases;
# the bound keeps the memory in check for large batches.
_CHUNK_BYTES = 32 * 2**20


def tap_range(n_in: int, n_out: int, offset: int, step: int) -> tuple[int, int, slice]:
    """Output positions ``o`` in ``[0, n_out)`` with ``0 <= o*step + offset < n_in``.

    Returns ``(o0, o1, in_slice)``: the half-open range of such ``o`` and the
    slice of the input they read (empty range: ``o0 == o1``).
    """
    o0 = max(0, -(offset // step))  # ceil(-offset / step), clipped at 0
    o1 = min(n_out, (n_in - 1 - offset) // step + 1)
    if o1 <= o0:
        return o0, o0, slice(0, 0)
    start = o0 * step + offset
    return o0, o1, slice(start, start + (o1 - o0 - 1) * step + 1, step)


def _taps(shape_in, shape_out, kernel, stride, dilation, pad_begin):
    """Yield ``(i, j, out_rows, out_cols, in_rows, in_cols)`` for every tap that reaches the input."""
    (H, W), (Ho, Wo), (kh, kw) = shape_in, shape_out, kernel
    for i in range(kh):
        y0, y1, ys = tap_range(H, Ho, i * dilation[0] - pad_begin[0], stride[0])
        if y0 == y1:
            continue
        for j in range(kw):
            x0, x1, xs = tap_range(W, Wo, j * dilation[1] - pad_begin[1], stride[1])
            if x0 == x1:
                continue
            yield i, j, slice(y0, y1), slice(x0, x1), ys, xs


def im2col(x, kernel, stride, dilation, pad_begin, out_hw, out=None):
    """Columns ``cols[n, c, i, j, y, x] = xpad[n, c, y*sh + i*dh, x*sw + j*dw]``.

    ``out``, if given, must be zero wherever the padding is read (a buffer
    previously filled by this function with the same geometry is).
    """
    N, C, H, W = x.shape
    kh, kw = kernel
    Ho, Wo = out_hw
    if out is None:
        out = np.zeros((N, C, kh, kw, Ho, Wo), dtype=x.dtype)
    for i, j, ro, co, ri, ci in _taps((H, W), out_hw, kernel, stride, dilation, pad_begin):
        out[:, :, i, j, ro, co] = x[:, :, ri, ci]
    return out


def _chunks(N, per_sample_bytes):
    """Balanced ``(start, stop)`` chunks of the batch, each about ``_CHUNK_BYTES`` of columns."""
    n_chunks = max(1, min(N, -(-N * per_sample_bytes // _CHUNK_BYTES)))
    nb = -(-N // n_chunks)
    return [(n0, min(N, n0 + nb)) for n0 in range(0, N, nb)]


def _im2col_channel_major(x, kernel, stride, dilation, pad_begin, out_hw, out):
    """Like :func:`im2col` but laid out ``(C, kh, kw, N, Ho, Wo)``: one GEMM covers the whole chunk."""
    xt = x.transpose(1, 0, 2, 3)  # (C, N, H, W), a view
    for i, j, ro, co, ri, ci in _taps(x.shape[2:], out_hw, kernel, stride, dilation, pad_begin):
        out[:, i, j, :, ro, co] = xt[:, :, ri, ci]
    return out


def _column_buffers(x, kernel, out_hw, chunks):
    """Zeroed column buffers, one per distinct chunk size (the zero padding is written once)."""
    C = x.shape[1]
    return {m: np.zeros((C, *kernel, m, *out_hw), dtype=x.dtype) for m in {b - a for a, b in chunks}}


def _conv2d_dense(x, w, stride, dilation, pad_begin, out_hw, groups):
    """Grouped GEMM on im2col columns, in cache-sized chunks of the batch."""
    N, C, H, W = x.shape
    K, Cg, kh, kw = w.shape
    G, Kg = groups, K // groups
    Ho, Wo = out_hw
    L = Ho * Wo
    wmat = w.reshape(G, Kg, Cg * kh * kw)
    out = np.empty((N, K, L), dtype=x.dtype)
    if N == 0:
        return out.reshape(N, K, Ho, Wo)
    if (kh, kw) == (1, 1) and pad_begin == (0, 0) and N == 1:
        # Pointwise (1x1) layer on one image: no columns to build, the input
        # is the matrix.  (For a batch, the channel-major copy below, i.e. a
        # transposition of the input, buys one BLAS call instead of N.)
        sub = x[:, :, : (Ho - 1) * stride[0] + 1 : stride[0], : (Wo - 1) * stride[1] + 1 : stride[1]]
        np.matmul(wmat, sub.reshape(N, G, Cg, L), out=out.reshape(N, G, Kg, L))
        return out.reshape(N, K, Ho, Wo)
    chunks = _chunks(N, C * kh * kw * L * x.itemsize)
    buffers = _column_buffers(x, (kh, kw), out_hw, chunks)
    for n0, n1 in chunks:
        m = n1 - n0
        cols = _im2col_channel_major(x[n0:n1], (kh, kw), stride, dilation, pad_begin, out_hw, buffers[m])
        prod = np.matmul(wmat, cols.reshape(G, Cg * kh * kw, m * L))  # (G, Kg, m*L)
        out[n0:n1] = prod.reshape(K, m, L).transpose(1, 0, 2)
    return out.reshape(N, K, Ho, Wo)


def _conv2d_depthwise(x, w, stride, dilation, pad_begin, out_hw, groups):
    """One input channel per group: ``acc += x_shifted * w_tap`` for each of the kh*kw taps.

    A GEMM is the wrong tool here (its inner dimension would be kh*kw): the
    input is zero-padded once, then each tap is one whole-tensor multiply
    (into a reused scratch array) and one in-place add.
    """
    N, C, H, W = x.shape
    K, _, kh, kw = w.shape
    m = K // groups  # channel multiplier: output channels per input channel
    Ho, Wo = out_hw
    (sh, sw), (dh, dw), (pt, pl) = stride, dilation, pad_begin
    Hp = max(pt + H, (Ho - 1) * sh + dh * (kh - 1) + 1)
    Wp = max(pl + W, (Wo - 1) * sw + dw * (kw - 1) + 1)
    xp = np.zeros((N, C, Hp, Wp), dtype=x.dtype)
    xp[:, :, pt : pt + H, pl : pl + W] = x
    if m > 1:  # each input channel feeds m output channels: broadcast over a new axis
        xp = xp[:, :, None]
    wt = w.reshape(C, m, kh, kw) if m > 1 else w.reshape(C, kh, kw)
    acc = np.zeros((N, C, m, Ho, Wo) if m > 1 else (N, C, Ho, Wo), dtype=x.dtype)
    tmp = np.empty_like(acc)
    for i in range(kh):
        rows = slice(i * dh, i * dh + (Ho - 1) * sh + 1, sh)
        for j in range(kw):
            cols = slice(j * dw, j * dw + (Wo - 1) * sw + 1, sw)
            np.multiply(xp[..., rows, cols], wt[..., i, j, None, None], out=tmp)
            acc += tmp
    return acc.reshape(N, K, Ho, Wo)


def conv2d_fast(x, w, stride, dilation, pad_begin, out_hw, groups):
    """Cross-correlation of batched ``x`` with ``w`` (no bias): the fast path of ``nn.conv2d``.

    Depthwise-like layers (one input channel per group, more than one group)
    use the tap loop; every other layer uses im2col columns and one GEMM per
    group and per cache-sized chunk of the batch (unpadded 1x1 layers skip
    the columns).
    """
    if w.shape[1] == 1 and groups > 1:
        return _conv2d_depthwise(x, w, stride, dilation, pad_begin, out_hw, groups)
    return _conv2d_dense(x, w, stride, dilation, pad_begin, out_hw, groups)


def conv_transpose2d_fast(x, w, stride, dilation, pad_begin, out_hw, groups):
    """Transposed convolution of batched ``x`` with ``w`` of shape ``(Cin, Cout/groups, kh, kw)``.

    GEMM then col2im: ``cols = w^T @ x`` (one GEMM per group, over the whole
    batch: channel-major layout) gives every input pixel times the whole
    kernel, and each tap's slab is scatter-added at stride ``s`` into a
    buffer that is then cropped by ``pad_begin``.  ``out_hw`` is the wanted
    output size (it encodes the end padding and ``output_padding``).
    """
    N, Cin, H, W = x.shape
    _, Cog, kh, kw = w.shape
    G = groups
    Cig = Cin // G
    Cout = Cog * G
    Ho, Wo = out_hw
    (sh, sw), (dh, dw), (pt, pl) = stride, dilation, pad_begin
    wmat = w.reshape(G, Cig, Cog * kh * kw).transpose(0, 2, 1)            # (G, Cog*kh*kw, Cig)
    xcm = np.ascontiguousarray(x.transpose(1, 0, 2, 3)).reshape(G, Cig, N * H * W)
    cols = np.matmul(wmat, xcm).reshape(Cout, kh, kw, N, H, W)
    Hf = max((H - 1) * sh + dh * (kh - 1) + 1, pt + Ho)
    Wf = max((W - 1) * sw + dw * (kw - 1) + 1, pl + Wo)
    full = np.zeros((Cout, N, Hf, Wf), dtype=x.dtype)                    # channel-major too
    for i in range(kh):
        rows = slice(i * dh, i * dh + (H - 1) * sh + 1, sh)
        for j in range(kw):
            full[:, :, rows, j * dw : j * dw + (W - 1) * sw + 1 : sw] += cols[:, i, j]
    return np.ascontiguousarray(full[:, :, pt : pt + Ho, pl : pl + Wo].transpose(1, 0, 2, 3))


def conv2d_grad_weight(grad_out, x, kernel, stride, dilation, pad_begin, groups):
    """``dL/dw[o, c, i, j] = sum_{n,y,x} grad_out[n, o, y, x] * xpad[n, c, y*sh + i*dh, x*sw + j*dw]``.

    A correlation of the input with the output gradient, computed as one GEMM
    per chunk of the batch and group between ``grad_out`` and the im2col
    columns of ``x`` (the sum over the batch and the positions is the GEMM's
    inner dimension).
    """
    N, C, H, W = x.shape
    _, K, Ho, Wo = grad_out.shape
    kh, kw = kernel
    G, Cg, Kg = groups, C // groups, K // groups
    L = Ho * Wo
    gw = np.zeros((G, Kg, Cg * kh * kw), dtype=x.dtype)
    if N == 0:
        return gw.reshape(K, Cg, kh, kw)
    chunks = _chunks(N, C * kh * kw * L * x.itemsize)
    buffers = _column_buffers(x, kernel, (Ho, Wo), chunks)
    for n0, n1 in chunks:
        m = n1 - n0
        cols = _im2col_channel_major(x[n0:n1], kernel, stride, dilation, pad_begin, (Ho, Wo), buffers[m])
        g = grad_out[n0:n1].reshape(m, G, Kg, L).transpose(1, 2, 0, 3).reshape(G, Kg, m * L)
        gw += np.matmul(g, cols.reshape(G, Cg * kh * kw, m * L).transpose(0, 2, 1))
    return gw.reshape(K, Cg, kh, kw)
