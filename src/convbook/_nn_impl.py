"""Private fast kernels behind :mod:`convbook.nn` (chapter 5).

Everything here works on already validated, batched, 4-D floating arrays
(``x`` of shape ``(N, C, H, W)``) and on fully resolved parameters: a stride
``(sh, sw)``, a dilation ``(dh, dw)`` and the zeros added *before* each
spatial dimension, ``(pad_top, pad_left)`` (the zeros added after are implied
by the output size).  No kernel is ever flipped: these are cross-correlations,
as in PyTorch.

Dense layers with enough input channels use row columns (``kw`` shifted
copies of the input, one GEMM per row phase, shifted adds: see
:func:`_conv2d_rows`); the others use im2col columns.  Depthwise layers use
banded matrix products (:func:`_conv2d_depthwise`).  A large image is cut
into tiles of the output first (:func:`conv2d_fast`), so that no path's
scratch grows beyond about ``_CHUNK_BYTES`` for it.

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

# Columns (output positions) per GEMM of the dense path: the batch is cut into
# chunks of about this many, so that one image of a 32x32 layer is one chunk
# (its columns and products stay in the L2 cache; measured fastest) and
# small images are batched (a GEMM of a few hundred columns is inefficient).
_ROW_GEMM_COLS = 1024

# The row-column path's GEMMs have an inner dimension of (C/groups) * kw;
# below this the full im2col (inner dimension (C/groups) * kh * kw) is
# faster: measured on 3x3 layers of 8 images of 32x32, im2col is 1.9x, 1.2x
# and 0.96x as fast as the row columns at C = 8, 16 and 32, and 0.65x at C = 64.
_ROW_MIN_INNER = 96

# Output columns per tile of the depthwise path's banded matrices: each output
# costs kh * ((tile - 1) * sw + (kw - 1) * dw + 1) multiply-adds there, so
# small tiles waste less arithmetic and large ones make fewer, larger BLAS
# calls.  Measured (3x3, ms for tiles of 8/16/32/64/128 columns):
# (8, 64, 32, 32) 1.93/1.38/1.50/1.53/1.57, (1, 64, 112, 112)
# 2.79/1.93/2.78/3.78/5.23, (1, 32, 224, 224) 6.16/3.90/3.92/6.28/17.2.
_DW_TILE = 16

# Bytes of side-by-side rows built at once by the depthwise path (a chunk of
# the batch): about the L2 cache of one core.
_DW_CHUNK_BYTES = 2 * 2**20


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


def _tiles(n_out: int, n_per_tile: int) -> list[tuple[int, int]]:
    """Balanced ``(start, stop)`` ranges of ``[0, n_out)``, each at most ``n_per_tile`` long."""
    count = -(-n_out // max(1, n_per_tile))
    size = -(-n_out // count)
    return [(a, min(n_out, a + size)) for a in range(0, n_out, size)]


def _chunks(N, per_sample_bytes):
    """Balanced ``(start, stop)`` chunks of the batch, each about ``_CHUNK_BYTES`` of columns."""
    n_chunks = max(1, min(N, -(-N * per_sample_bytes // _CHUNK_BYTES)))
    return _tiles(N, -(-N // n_chunks))


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


def _conv2d_im2col(x, w, stride, dilation, pad_begin, out_hw, groups):
    """Grouped GEMM on im2col columns, in cache-sized chunks of the batch (layers with few input channels)."""
    N, C, H, W = x.shape
    K, Cg, kh, kw = w.shape
    G, Kg = groups, K // groups
    Ho, Wo = out_hw
    L = Ho * Wo
    wmat = w.reshape(G, Kg, Cg * kh * kw)
    out = np.empty((N, K, L), dtype=x.dtype)
    if N == 0:
        return out.reshape(N, K, Ho, Wo)
    chunks = _chunks(N, C * kh * kw * L * x.itemsize)
    buffers = _column_buffers(x, (kh, kw), out_hw, chunks)
    for n0, n1 in chunks:
        m = n1 - n0
        cols = _im2col_channel_major(x[n0:n1], (kh, kw), stride, dilation, pad_begin, out_hw, buffers[m])
        prod = np.matmul(wmat, cols.reshape(G, Cg * kh * kw, m * L))  # (G, Kg, m*L)
        out[n0:n1] = prod.reshape(K, m, L).transpose(1, 0, 2)
    return out.reshape(N, K, Ho, Wo)


def _conv2d_rows(x, w, stride, dilation, pad_begin, out_hw, groups):
    """Row columns (``kw`` copies of the input, not ``kh*kw``), one GEMM per row phase, shifted adds.

    Kernel row ``i`` reads padded input row ``y*sh + i*dh = (y + q_i)*sh + p_i``.
    The columns ``cols[c, j, p, n, r, x] = xpad[n, c, r*sh + p, x*sw + j*dw]``
    hold the ``kw`` horizontal taps only; for every kernel row ``i`` with
    phase ``p``, ``w[:, :, i, :] @ cols[:, :, p]`` is the contribution of row
    ``i`` at every column row ``r``, and it belongs to output row
    ``y = r - q_i``.  So the kernel rows of one phase are stacked into one
    GEMM (``len * K`` rows, ``C*kw`` inner), and the ``kh`` results are added
    with their row shifts straight into the output.  Chunks of the batch
    keep each GEMM at about ``_ROW_GEMM_COLS`` columns.
    """
    N, C, H, W = x.shape
    K, Cg, kh, kw = w.shape
    G, Kg = groups, K // groups
    Ho, Wo = out_hw
    sh, dh = stride[0], dilation[0]
    out = np.empty((N, K, Ho, Wo), dtype=x.dtype)
    if N == 0:
        return out
    shift = [(i * dh) // sh for i in range(kh)]      # q_i
    phase = [(i * dh) % sh for i in range(kh)]       # p_i
    rows = Ho + max(shift)                          # column rows per image and phase
    per_image = rows * Wo
    m = max(1, min(N, -(-_ROW_GEMM_COLS // per_image), _CHUNK_BYTES // (C * kw * sh * per_image * x.itemsize) or 1))
    cols = np.zeros((C, kw, sh, m, rows, Wo), dtype=x.dtype)
    flat = cols.reshape(C * kw, sh, m * per_image)
    # the copies that fill cols are im2col's taps, with the sh row phases as the "kernel rows" (no
    # dilation between them) and the column rows as the output rows
    fills = list(_taps((H, W), (rows, Wo), (sh, kw), stride, (1, dilation[1]), pad_begin))
    by_phase = {p: [i for i in range(kh) if phase[i] == p] for p in sorted(set(phase))}
    # stacked[g, p]: rows (i, k) for the kernel rows i of phase p, columns (c, j) as in cols
    stacked = {(g, p): np.ascontiguousarray(w[g * Kg : (g + 1) * Kg, :, ii, :].transpose(2, 0, 1, 3)).reshape(
        len(ii) * Kg, Cg * kw) for g in range(G) for p, ii in by_phase.items()}
    prods = {p: np.empty((len(ii) * Kg, m * per_image), dtype=x.dtype) for p, ii in by_phase.items()}
    xt = x.transpose(1, 0, 2, 3)
    for n0 in range(0, N, m):
        b = min(N, n0 + m) - n0
        for p, j, ro, co, ri, ci in fills:    # the zero padding of cols is never written
            cols[:, j, p, :b, ro, co] = xt[:, n0 : n0 + b, ri, ci]
        for g in range(G):
            dest = out[n0 : n0 + b, g * Kg : (g + 1) * Kg].transpose(1, 0, 2, 3)   # (Kg, b, Ho, Wo)
            first = True
            for p, ii in by_phase.items():
                prod = prods[p][:, : b * per_image]
                np.matmul(stacked[g, p], flat[g * Cg * kw : (g + 1) * Cg * kw, p, : b * per_image], out=prod)
                prod = prod.reshape(len(ii), Kg, b, rows, Wo)
                for t, i in enumerate(ii):
                    part = prod[t, :, :, shift[i] : shift[i] + Ho]
                    if first:
                        np.copyto(dest, part)
                        first = False
                    else:
                        np.add(dest, part, out=dest)
    return out


def _conv2d_depthwise(x, w, stride, dilation, pad_begin, out_hw, groups):
    """One input channel per group: each output row is ONE matrix product with a banded matrix.

    A GEMM over the channels is the wrong tool here (its inner dimension
    would be ``kh*kw``), and ``kh*kw`` whole-tensor multiply-adds cost
    ``2*kh*kw`` passes over memory.  Instead, the output rows are cut into
    tiles of ``wt = _DW_TILE`` columns; for each input channel ``c``, output
    row ``y`` and tile, the pieces of the ``kh`` padded input rows that the
    tile reads (``tile_in = (wt-1)*sw + (kw-1)*dw + 1`` columns each) are laid
    side by side, ``a[y, tile]`` (a copy of ``kh * tile_in / wt`` times the
    output's size), and

        out[n, c*m + t, y, tile's columns] = a[n, c, y, tile] @ T[c, t]

    where ``T[c, t]``, of shape ``(kh*tile_in, wt)`` and the same for every
    tile, has ``w[c*m + t, 0, i, j]`` at row ``i*tile_in + x*sw + j*dw``,
    column ``x``: every tap, stride and dilation is in the matrix.  One
    batched ``matmul`` over (image, channel) does it, per chunk of the batch;
    the work per output is ``kh * tile_in`` multiply-adds, whatever the width.
    """
    N, C, H, W = x.shape
    K, _, kh, kw = w.shape
    m = K // groups  # channel multiplier: output channels per input channel
    Ho, Wo = out_hw
    (sh, sw), (dh, dw), (pt, pl) = stride, dilation, pad_begin
    wt = min(Wo, _DW_TILE)                     # output columns per tile
    n_tiles = -(-Wo // wt)
    tile_in = (wt - 1) * sw + (kw - 1) * dw + 1  # input columns one tile reads
    Hp = max(pt + H, (Ho - 1) * sh + dh * (kh - 1) + 1)
    Wp = max(pl + W, (n_tiles * wt - 1) * sw + dw * (kw - 1) + 1)
    band = np.zeros((C, m, kh, tile_in, wt), dtype=x.dtype)
    cols = np.arange(wt)
    taps = w.reshape(C, m, kh, kw)
    for j in range(kw):
        band[:, :, :, cols * sw + j * dw, cols] = taps[:, :, :, j, None]  # indexed shape (C, m, kh, wt)
    band = band.reshape(C, m, kh * tile_in, wt)
    # chunks of the batch, so that the rows laid side by side (kh * tile_in / wt times the output) stay in cache
    per_image = C * Ho * n_tiles * kh * tile_in * x.itemsize
    nb = max(1, min(N, _DW_CHUNK_BYTES // max(per_image, 1)))
    xp = np.zeros((nb, C, Hp, Wp), dtype=x.dtype)
    rows = np.empty((nb, C, 1, Ho * n_tiles, kh * tile_in), dtype=x.dtype)
    out = np.empty((N, K, Ho, Wo), dtype=x.dtype)
    prod = np.empty((nb, C, m, Ho * n_tiles, wt), dtype=x.dtype) if n_tiles * wt != Wo else None
    s_n, s_c, s_h, s_w = xp.strides
    # rows[n, c, 0, (y, tile), (i, u)] = xp[n, c, y*sh + i*dh, tile*wt*sw + u]: a read-only strided view, copied
    view = np.lib.stride_tricks.as_strided(
        xp, shape=(nb, C, Ho, n_tiles, kh, tile_in),
        strides=(s_n, s_c, sh * s_h, wt * sw * s_w, dh * s_h, s_w), writeable=False)
    for n0 in range(0, N, nb):
        b = min(N, n0 + nb) - n0
        xp[:b, :, pt : pt + H, pl : pl + W] = x[n0 : n0 + b]   # the zero border is never written
        rows[:b].reshape(b, C, Ho, n_tiles, kh, tile_in)[...] = view[:b]
        if prod is None:
            np.matmul(rows[:b], band, out=out[n0 : n0 + b].reshape(b, C, m, Ho * n_tiles, wt))
        else:
            np.matmul(rows[:b], band, out=prod[:b])
            out[n0 : n0 + b] = prod[:b].reshape(b, K, Ho, n_tiles * wt)[..., :Wo]
    return out


def _input_window(o0, o1, n_in, step, dil, k, pad):
    """Input range ``[lo, hi)`` that outputs ``[o0, o1)`` read, clipped to ``[0, n_in)``, and its leading zeros."""
    first = o0 * step - pad                      # input index of the first tap of output o0
    last = (o1 - 1) * step + dil * (k - 1) - pad  # ... and of the last tap of output o1 - 1
    lo, hi = max(first, 0), min(last + 1, n_in)
    return lo, hi, lo - first


def conv2d_fast(x, w, stride, dilation, pad_begin, out_hw, groups):
    """Cross-correlation of batched ``x`` with ``w`` (no bias): the fast path of ``nn.conv2d``.

    Depthwise-like layers (one input channel per group, more than one group)
    use banded matrix products per output row; an unpadded 1x1 layer on one
    image is one matrix product; other layers with ``(C/groups) * kw >=
    _ROW_MIN_INNER`` use row columns, and the rest im2col columns with one
    GEMM per group and per cache-sized chunk of the batch.

    Every path builds scratch of up to ``C*kh*kw`` times one image's output
    (im2col's columns) and cuts the batch into chunks of at least one image.
    So that one large image (a photograph, a long 1-D signal) does not need
    gigabytes, the output is cut into tiles of rows (and, if one row is still
    too large, of columns) whose columns fit in ``_CHUNK_BYTES``; each tile is
    computed from the input window it reads, with the padding it needs.
    """
    C, (K, _, kh, kw), (Ho, Wo) = x.shape[1], w.shape, out_hw
    per_output = C * kh * kw * x.itemsize                  # im2col bytes per output position
    wide = min(Wo, max(1, _CHUNK_BYTES // per_output))     # output columns per tile
    rows = min(Ho, max(1, _CHUNK_BYTES // (per_output * wide)))
    if rows == Ho and wide == Wo:
        return _conv2d_dispatch(x, w, stride, dilation, pad_begin, out_hw, groups)
    H, W = x.shape[2:]
    out = np.empty((x.shape[0], K, Ho, Wo), dtype=x.dtype)
    for y0, y1 in _tiles(Ho, rows):
        r0, r1, pt = _input_window(y0, y1, H, stride[0], dilation[0], kh, pad_begin[0])
        for x0, x1 in _tiles(Wo, wide):
            c0, c1, pl = _input_window(x0, x1, W, stride[1], dilation[1], kw, pad_begin[1])
            tile = out[:, :, y0:y1, x0:x1]
            if r0 >= r1 or c0 >= c1:      # the tile reads padding only
                tile[...] = 0
                continue
            tile[...] = _conv2d_dispatch(x[:, :, r0:r1, c0:c1], w, stride, dilation, (pt, pl),
                                         (y1 - y0, x1 - x0), groups)
    return out


def _conv2d_dispatch(x, w, stride, dilation, pad_begin, out_hw, groups):
    """``conv2d_fast`` for one tile: the path that suits the layer."""
    if w.shape[1] == 1 and groups > 1:
        return _conv2d_depthwise(x, w, stride, dilation, pad_begin, out_hw, groups)
    N, (Ho, Wo) = x.shape[0], out_hw
    if w.shape[2:] == (1, 1) and pad_begin == (0, 0) and N == 1:
        # Pointwise (1x1) layer on one image: no columns to build, the input
        # is the matrix.  (For a batch, the columns -- a transposition of the
        # input -- buy one BLAS call instead of N.)
        K, Cg = w.shape[:2]
        sub = x[:, :, : (Ho - 1) * stride[0] + 1 : stride[0], : (Wo - 1) * stride[1] + 1 : stride[1]]
        out = np.empty((N, K, Ho, Wo), dtype=x.dtype)
        np.matmul(w.reshape(groups, K // groups, Cg), sub.reshape(N, groups, Cg, Ho * Wo),
                  out=out.reshape(N, groups, K // groups, Ho * Wo))
        return out
    if w.shape[1] * w.shape[3] < _ROW_MIN_INNER:
        return _conv2d_im2col(x, w, stride, dilation, pad_begin, out_hw, groups)
    return _conv2d_rows(x, w, stride, dilation, pad_begin, out_hw, groups)


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
