"""Tests of convbook.nn (chapter 5): PyTorch's conv1d/conv2d/conv_transpose2d/unfold in numpy.

Three independent witnesses for every function: naive loop oracles written
here (scalar loops over output positions, no numpy.pad, no shared code with
convbook.nn), PyTorch itself, and the package's own didactic ``*_loops``
twins.  Plus the identities the lesson relies on (adjoint, im2col, gradients
as transposed convolution and correlation), output sizes, and every error.
"""

from __future__ import annotations

import doctest
import fractions
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from convbook import _nn_impl, nn

torch.set_num_threads(1)  # two shared cores: no oversubscription, and torch's sums are then deterministic

FAST = settings(deadline=None, max_examples=120)
SLOW = settings(deadline=None, max_examples=60)

TOL = {np.float32: dict(rtol=1e-4, atol=1e-4), np.float64: dict(rtol=1e-10, atol=1e-10)}


# ----------------------------------------------------------------------------
# Naive oracles: scalar loops over output positions, written independently.
# ----------------------------------------------------------------------------


def _tup(v, n):
    return (v,) * n if isinstance(v, int) else tuple(v)


def _pads(padding, kernel, dilation):
    """(before, after) per dimension; 'same' puts the odd zero after (PyTorch)."""
    if padding == "valid":
        return [(0, 0)] * len(kernel)
    if padding == "same":
        return [(d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2) for k, d in zip(kernel, dilation)]
    return [(p, p) for p in _tup(padding, len(kernel))]


def naive_conv2d(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    x, w = np.asarray(x, np.float64), np.asarray(w, np.float64)
    N, C, H, W = x.shape
    K, Cg, kh, kw = w.shape
    (sh, sw), (dh, dw) = _tup(stride, 2), _tup(dilation, 2)
    (pt, pb), (pl, pr) = _pads(padding, (kh, kw), (dh, dw))
    Ho = (H + pt + pb - dh * (kh - 1) - 1) // sh + 1
    Wo = (W + pl + pr - dw * (kw - 1) - 1) // sw + 1
    X, Wt = x.tolist(), w.tolist()
    out = np.zeros((N, K, Ho, Wo))
    for n in range(N):
        for k in range(K):
            base = (k // (K // groups)) * Cg
            for yo in range(Ho):
                for xo in range(Wo):
                    acc = 0.0 if b is None else float(b[k])
                    for c in range(Cg):
                        for i in range(kh):
                            h = yo * sh + i * dh - pt
                            if not 0 <= h < H:
                                continue
                            for j in range(kw):
                                v = xo * sw + j * dw - pl
                                if 0 <= v < W:
                                    acc += X[n][base + c][h][v] * Wt[k][c][i][j]
                    out[n, k, yo, xo] = acc
    return out


def naive_conv1d(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    x, w = np.asarray(x, np.float64), np.asarray(w, np.float64)
    N, C, L = x.shape
    K, Cg, kl = w.shape
    (s,), (d,) = _tup(stride, 1), _tup(dilation, 1)
    ((pa, pz),) = _pads(padding, (kl,), (d,))
    Lo = (L + pa + pz - d * (kl - 1) - 1) // s + 1
    out = np.zeros((N, K, Lo))
    for n in range(N):
        for k in range(K):
            base = (k // (K // groups)) * Cg
            for t in range(Lo):
                acc = 0.0 if b is None else float(b[k])
                for c in range(Cg):
                    for i in range(kl):
                        pos = t * s + i * d - pa
                        if 0 <= pos < L:
                            acc += x[n, base + c, pos] * w[k, c, i]
                out[n, k, t] = acc
    return out


def naive_conv_transpose2d(x, w, b=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Gather form: each output pixel sums the input pixels whose kernel copy covers it."""
    x, w = np.asarray(x, np.float64), np.asarray(w, np.float64)
    N, Cin, H, W = x.shape
    _, Cog, kh, kw = w.shape
    (sh, sw), (ph, pw), (ah, aw), (dh, dw) = (_tup(v, 2) for v in (stride, padding, output_padding, dilation))
    Ho = (H - 1) * sh - 2 * ph + dh * (kh - 1) + ah + 1
    Wo = (W - 1) * sw - 2 * pw + dw * (kw - 1) + aw + 1
    Cig = Cin // groups
    X, Wt = x.tolist(), w.tolist()
    out = np.zeros((N, Cog * groups, Ho, Wo))
    for n in range(N):
        for oc in range(Cog * groups):
            g, o = divmod(oc, Cog)
            for yo in range(Ho):
                for xo in range(Wo):
                    acc = 0.0 if b is None else float(b[oc])
                    for c in range(g * Cig, (g + 1) * Cig):
                        for i in range(kh):
                            num = yo + ph - i * dh
                            if num % sh or not 0 <= num // sh < H:
                                continue
                            for j in range(kw):
                                mum = xo + pw - j * dw
                                if mum % sw == 0 and 0 <= mum // sw < W:
                                    acc += X[n][c][num // sh][mum // sw] * Wt[c][o][i][j]
                    out[n, oc, yo, xo] = acc
    return out


def naive_unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = np.asarray(x, np.float64)
    N, C, H, W = x.shape
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = (_tup(v, 2) for v in (kernel_size, dilation, padding, stride))
    Ho = (H + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    Wo = (W + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    cols = np.zeros((N, C * kh * kw, Ho * Wo))
    for n in range(N):
        for c in range(C):
            for i in range(kh):
                for j in range(kw):
                    for yo in range(Ho):
                        for xo in range(Wo):
                            h, v = yo * sh + i * dh - ph, xo * sw + j * dw - pw
                            if 0 <= h < H and 0 <= v < W:
                                cols[n, (c * kh + i) * kw + j, yo * Wo + xo] = x[n, c, h, v]
    return cols


def naive_conv2d_backward(g, x, w, stride=1, padding=0, dilation=1, groups=1):
    """grad_x gathered per input pixel; grad_w per weight: the chain rule, term by term."""
    g, x, w = (np.asarray(a, np.float64) for a in (g, x, w))
    N, C, H, W = x.shape
    K, Cg, kh, kw = w.shape
    Kg = K // groups
    _, _, Ho, Wo = g.shape
    (sh, sw), (dh, dw) = _tup(stride, 2), _tup(dilation, 2)
    (pt, _), (pl, _) = _pads(padding, (kh, kw), (dh, dw))
    gx = np.zeros(x.shape)
    for n in range(N):
        for cf in range(C):
            grp, c = divmod(cf, Cg)
            for h in range(H):
                for v in range(W):
                    acc = 0.0
                    for k in range(grp * Kg, (grp + 1) * Kg):
                        for i in range(kh):
                            num = h + pt - i * dh
                            if num % sh or not 0 <= num // sh < Ho:
                                continue
                            for j in range(kw):
                                mum = v + pl - j * dw
                                if mum % sw == 0 and 0 <= mum // sw < Wo:
                                    acc += g[n, k, num // sh, mum // sw] * w[k, c, i, j]
                    gx[n, cf, h, v] = acc
    gw = np.zeros(w.shape)
    for k in range(K):
        base = (k // Kg) * Cg
        for c in range(Cg):
            for i in range(kh):
                for j in range(kw):
                    acc = 0.0
                    for n in range(N):
                        for yo in range(Ho):
                            for xo in range(Wo):
                                h, v = yo * sh + i * dh - pt, xo * sw + j * dw - pl
                                if 0 <= h < H and 0 <= v < W:
                                    acc += g[n, k, yo, xo] * x[n, base + c, h, v]
                    gw[k, c, i, j] = acc
    return gx, gw, g.sum(axis=(0, 2, 3))


def test_oracles_on_hand_computed_cases():
    """The oracles themselves, on cases small enough to check by hand."""
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])
    assert naive_conv2d(x, w).tolist() == [[[[-4.0, -4.0], [-4.0, -4.0]]]]
    assert naive_conv1d([[[1.0, 2.0, 3.0, 4.0]]], [[[1.0, 1.0]]], padding="same").tolist() == [[[3.0, 5.0, 7.0, 4.0]]]
    assert naive_conv_transpose2d([[[[1.0, 2.0]]]], [[[[1.0, 10.0]]]]).tolist() == [[[[1.0, 12.0, 20.0]]]]
    assert naive_unfold([[[[0.0, 1.0, 2.0]]]], (1, 2)).tolist() == [[[0.0, 1.0], [1.0, 2.0]]]
    gx, gw, gb = naive_conv2d_backward(np.ones((1, 1, 1, 2)), [[[[1.0, 2.0, 3.0]]]], [[[[1.0, 10.0]]]])
    assert gx.tolist() == [[[[1.0, 11.0, 10.0]]]] and gw.tolist() == [[[[3.0, 5.0]]]] and gb.tolist() == [2.0]


# ----------------------------------------------------------------------------
# Strategies
# ----------------------------------------------------------------------------


@st.composite
def conv_settings(draw, nd=2, strings=True, max_k=3, max_extra=4):
    """Shapes and keyword arguments of a valid conv1d/conv2d call (any padding form)."""
    G = draw(st.integers(1, 3))
    Cg = draw(st.sampled_from([1, 1, 2, 3]))
    Kg = draw(st.integers(1, 2))
    N = draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, max_k)) for _ in range(nd))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    mode = draw(st.sampled_from(["int", "tuple", "valid", "same"] if strings else ["int", "tuple"]))
    if mode == "same":
        stride, padding = (1,) * nd, "same"
    else:
        stride = tuple(draw(st.integers(1, 3)) for _ in range(nd))
        padding = draw(st.integers(0, 2)) if mode == "int" else "valid" if mode == "valid" else tuple(
            draw(st.integers(0, 2)) for _ in range(nd))
    pads = _pads(padding, kernel, dilation)
    sizes = tuple(
        draw(st.integers(max(1, d * (k - 1) + 1 - a - b), max(1, d * (k - 1) + 1 - a - b) + max_extra))
        for k, d, (a, b) in zip(kernel, dilation, pads)
    )
    kwargs = dict(
        stride=draw(st.sampled_from([stride, stride[0]])) if len(set(stride)) == 1 else stride,
        padding=padding,
        dilation=draw(st.sampled_from([dilation, dilation[0]])) if len(set(dilation)) == 1 else dilation,
        groups=G,
    )
    return (N, G * Cg, *sizes), (G * Kg, Cg, *kernel), kwargs


@st.composite
def transpose_settings(draw):
    G = draw(st.integers(1, 3))
    Cig, Cog = draw(st.sampled_from([1, 1, 2])), draw(st.integers(1, 2))
    N = draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(2))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(2))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(2))
    padding = tuple(draw(st.integers(0, 2)) for _ in range(2))
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    sizes = []
    for k, s, p, a, d in zip(kernel, stride, padding, output_padding, dilation):
        n_min = 1
        while (n_min - 1) * s - 2 * p + d * (k - 1) + a + 1 < 1:
            n_min += 1
        sizes.append(draw(st.integers(n_min, n_min + 3)))
    kwargs = dict(stride=stride, padding=padding, output_padding=output_padding, groups=G, dilation=dilation)
    return (N, G * Cig, *sizes), (G * Cig, Cog, *kernel), kwargs


seeds = st.integers(0, 2**32 - 1)
dtypes = st.sampled_from([np.float32, np.float64])


def _data(seed, *shapes, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(dtype) for s in shapes]


def _torch(fn, *arrays, **kwargs):
    with warnings.catch_warnings():  # torch warns about 'same' with even kernels
        warnings.filterwarnings("ignore", message="Using padding='same'", category=UserWarning)
        return fn(*(None if a is None else torch.from_numpy(a) for a in arrays), **kwargs).numpy()


def _torch_kwargs(kwargs):
    return {k: v if isinstance(v, (int, str)) else tuple(v) for k, v in kwargs.items()}


# ----------------------------------------------------------------------------
# conv2d / conv1d
# ----------------------------------------------------------------------------


@SLOW
@given(conv_settings(), seeds, dtypes, st.booleans())
def test_conv2d_matches_naive_oracle_and_loops(setting, seed, dtype, with_bias):
    xs, ws, kw = setting
    x, w, b = _data(seed, xs, ws, (ws[0],), dtype=dtype)
    b = b if with_bias else None
    expected = naive_conv2d(x, w, b, **kw)
    fast, loops = nn.conv2d(x, w, b, **kw), nn.conv2d_loops(x, w, b, **kw)
    for got in (fast, loops):
        assert got.dtype == dtype and got.shape == expected.shape
        np.testing.assert_allclose(got, expected, **TOL[dtype])
    np.testing.assert_allclose(fast, loops, **TOL[dtype])


@FAST
@given(conv_settings(), seeds)
def test_conv2d_matches_torch_float32_and_float64(setting, seed):
    xs, ws, kw = setting
    for dtype in (np.float32, np.float64):
        x, w, b = _data(seed, xs, ws, (ws[0],), dtype=dtype)
        got = nn.conv2d(x, w, b, **kw)
        ref = _torch(F.conv2d, x, w, b, **_torch_kwargs(kw))
        assert got.dtype == dtype and got.shape == ref.shape
        np.testing.assert_allclose(got, ref, **TOL[dtype])


@SLOW
@given(conv_settings(nd=1, max_k=4), seeds, dtypes, st.booleans())
def test_conv1d_matches_naive_oracle_loops_and_torch(setting, seed, dtype, with_bias):
    xs, ws, kw = setting
    x, w, b = _data(seed, xs, ws, (ws[0],), dtype=dtype)
    b = b if with_bias else None
    expected = naive_conv1d(x, w, b, **kw)
    ref = _torch(F.conv1d, x, w, b, **_torch_kwargs(kw))
    fast, loops = nn.conv1d(x, w, b, **kw), nn.conv1d_loops(x, w, b, **kw)
    for got in (fast, loops):
        assert got.dtype == dtype and got.shape == expected.shape == ref.shape
        np.testing.assert_allclose(got, expected, **TOL[dtype])
        np.testing.assert_allclose(got, ref, **TOL[dtype])


def test_conv2d_is_cross_correlation_not_convolution():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])
    assert nn.conv2d(x, w).tolist() == [[[[-5.0] * 3] * 3]]        # x[y,x] - x[y+1,x+1]
    assert nn.conv2d(x, w[..., ::-1, ::-1]).tolist() == [[[[5.0] * 3] * 3]]
    assert nn.conv1d([[1.0, 2.0, 4.0]], [[[1.0, 0.0]]]).tolist() == [[1.0, 2.0]]  # picks x[t], not x[t+1]


def test_same_padding_puts_the_odd_zero_at_the_end():
    # kernel [1, 1]: total padding 1, after the signal -> [1+2, 2+3, 3+4, 4+0]
    assert nn.conv1d([[[1.0, 2.0, 3.0, 4.0]]], [[[1.0, 1.0]]], padding="same").tolist() == [[[3.0, 5.0, 7.0, 4.0]]]
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    out = nn.conv2d(x, np.ones((1, 1, 2, 2)), padding="same")
    assert out[0, 0].tolist() == [[12.0, 16.0, 9.0], [24.0, 28.0, 15.0], [15.0, 17.0, 9.0]]
    # dilation 2 with k = 2: total padding 2, split evenly
    assert nn.conv1d([[[1.0, 2.0, 3.0]]], [[[1.0, 1.0]]], padding="same", dilation=2).tolist() == [[[2.0, 4.0, 2.0]]]


def test_depthwise_hand_computed():
    x = np.stack([np.ones((3, 3)), 2 * np.ones((3, 3))])[None]        # (1, 2, 3, 3)
    w = np.stack([np.ones((1, 2, 2)), -np.ones((1, 2, 2))])           # (2, 1, 2, 2)
    out = nn.conv2d(x, w, groups=2)
    assert out.tolist() == [[[[4.0, 4.0], [4.0, 4.0]], [[-8.0, -8.0], [-8.0, -8.0]]]]
    # channel multiplier 2: output channels 0, 1 read channel 0; 2, 3 read channel 1
    w4 = np.array([1.0, 2.0, 3.0, 4.0]).reshape(4, 1, 1, 1)
    assert nn.conv2d(x, w4, groups=2)[0, :, 0, 0].tolist() == [1.0, 2.0, 6.0, 8.0]


@FAST
@given(st.integers(1, 3), st.sampled_from([32, 48]), st.integers(1, 3), st.tuples(st.integers(1, 4), st.integers(3, 4)),
       st.tuples(st.integers(1, 3), st.integers(1, 3)), st.tuples(st.integers(1, 2), st.integers(1, 2)),
       st.tuples(st.integers(0, 2), st.integers(0, 2)), st.integers(1, 3), seeds, dtypes)
def test_row_column_path_matches_torch(G, Cg, Kg, kernel, stride, dilation, padding, N, seed, dtype):
    """Dense layers with (C / groups) * kW >= _ROW_MIN_INNER: kW copies of the input and one GEMM per row phase."""
    assert Cg * kernel[1] >= _nn_impl._ROW_MIN_INNER
    H, W = (d * (k - 1) + 1 + e for d, k, e in zip(dilation, kernel, (3, 4)))
    x, w = _data(seed, (N, G * Cg, H, W), (G * Kg, Cg, *kernel), dtype=dtype)
    kw = dict(stride=stride, padding=padding, dilation=dilation, groups=G)
    tol = dict(rtol=1e-4, atol=5e-4) if dtype == np.float32 else TOL[dtype]   # sums of 100-200 products
    np.testing.assert_allclose(nn.conv2d(x, w, **kw), _torch(F.conv2d, x, w, **kw), **tol)


@pytest.mark.parametrize("N", [1, 49])
def test_row_column_path_batches_small_images_in_chunks(N):
    """Small images are batched, about _ROW_GEMM_COLS columns a GEMM; 49 images of 6x6 make chunks 22, 22, 5."""
    x, w, b = _data(8, (N, 32, 6, 6), (5, 32, 3, 3), (5,))
    assert -(-_nn_impl._ROW_GEMM_COLS // ((6 + 2) * 6)) == 22
    got = nn.conv2d(x, w, b, padding=1)
    np.testing.assert_allclose(got, _torch(F.conv2d, x, w, b, padding=1), **TOL[np.float64])
    np.testing.assert_allclose(got, nn.conv2d_loops(x, w, b, padding=1), **TOL[np.float64])


@FAST
@given(st.integers(2, 3), st.integers(1, 2), st.integers(17, 100), st.tuples(st.integers(1, 3), st.integers(1, 3)),
       st.tuples(st.integers(1, 3), st.integers(1, 3)), st.tuples(st.integers(1, 2), st.integers(1, 2)),
       st.tuples(st.integers(0, 2), st.integers(0, 2)), seeds, dtypes)
def test_depthwise_banded_products_match_torch_across_tiles(C, mult, W, kernel, stride, dilation, padding, seed, dtype):
    """Depthwise layers: one banded matrix product per output row, wide rows cut into tiles of _DW_TILE columns."""
    assert C > 1   # groups == C == 1 would be a dense layer, not the depthwise path
    H = dilation[0] * (kernel[0] - 1) + 2
    x, w = _data(seed, (2, C, H, W), (C * mult, 1, *kernel), dtype=dtype)
    kw = dict(stride=stride, padding=padding, dilation=dilation, groups=C)
    np.testing.assert_allclose(nn.conv2d(x, w, **kw), _torch(F.conv2d, x, w, **kw), **TOL[dtype])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("stride", [1, 2, (1, 3)])
@pytest.mark.parametrize("groups", [1, 2, 4])
def test_pointwise_1x1_layers_match_torch(dtype, stride, groups):
    x, w, b = _data(7, (2, 4, 7, 9), (6 if groups != 4 else 8, 4 // groups, 1, 1), (6 if groups != 4 else 8,),
                    dtype=dtype)
    for xs in (x, x[:1], x[0]):  # a batch (channel-major copy), one image and unbatched (no copy at all)
        got = nn.conv2d(xs, w, b, stride=stride, groups=groups)
        np.testing.assert_allclose(got, _torch(F.conv2d, xs, w, b, stride=stride, groups=groups), **TOL[dtype])


@pytest.mark.parametrize("dtype, groups", [(np.float64, 1), (np.float32, 4)])
def test_large_batches_cross_the_chunk_boundary(dtype, groups):
    """The dense path cuts the batch into chunks of about _CHUNK_BYTES of columns, the last one shorter."""
    C, K, H, W = 16, 12, 16, 16
    per_sample = C * 3 * 3 * H * W * np.dtype(dtype).itemsize      # im2col bytes of one sample, padding 1
    N = 2 * (_nn_impl._CHUNK_BYTES // per_sample) + 3
    chunks = _nn_impl._chunks(N, per_sample)
    assert len(chunks) == 3 and len({b - a for a, b in chunks}) == 2 and chunks[-1][1] == N
    x, w, b = _data(3, (N, C, H, W), (K, C // groups, 3, 3), (K,), dtype=dtype)
    got = nn.conv2d(x, w, b, padding=1, groups=groups)
    np.testing.assert_allclose(got, _torch(F.conv2d, x, w, b, padding=1, groups=groups), **TOL[dtype])
    xt, wt = torch.from_numpy(x).requires_grad_(), torch.from_numpy(w).requires_grad_()
    out = F.conv2d(xt, wt, padding=1, groups=groups)
    g = _data(4, tuple(out.shape), dtype=dtype)[0]
    out.backward(torch.from_numpy(g))
    gx, gw, _ = nn.conv2d_backward(g, x, w, padding=1, groups=groups)
    np.testing.assert_allclose(gx, xt.grad.numpy(), **TOL[dtype])
    # grad_w sums N*H*W ~ 10^5 products: float32 rounding grows with it
    tol = dict(rtol=1e-3, atol=1e-2) if dtype == np.float32 else TOL[dtype]
    np.testing.assert_allclose(gw, wt.grad.numpy(), **tol)


def test_a_large_image_is_computed_in_tiles_of_rows():
    """A photograph-sized input: its im2col columns (27 times the image) exceed _CHUNK_BYTES, so the output is
    computed in tiles of rows, each from the input rows it reads."""
    x, w, b = _data(9, (1, 3, 900, 1000), (4, 3, 3, 3), (4,), dtype=np.float32)
    got = nn.conv2d(x, w, b, padding=1, stride=(2, 1))
    assert got.shape == (1, 4, 450, 1000) and 3 * 9 * 450 * 1000 * 4 > _nn_impl._CHUNK_BYTES   # 2 tiles
    np.testing.assert_allclose(got, _torch(F.conv2d, x, w, b, padding=1, stride=(2, 1)), **TOL[np.float32])


def test_a_long_signal_is_computed_in_tiles_of_columns():
    """conv1d on a million samples with a kernel of 9: one row, so the tiles are of columns."""
    x, w = _data(10, (2, 10**6), (3, 2, 9), dtype=np.float32)
    got = nn.conv1d(x, w, padding=4, dilation=2)
    assert got.shape == (3, 10**6 - 8) and 2 * 9 * got.shape[1] * 4 > 2 * _nn_impl._CHUNK_BYTES   # 3 tiles
    np.testing.assert_allclose(got, _torch(F.conv1d, x, w, padding=4, dilation=2), **TOL[np.float32])


@SLOW
@given(st.sampled_from(["im2col", "rows", "depthwise"]), st.tuples(st.integers(1, 3), st.integers(1, 3)),
       st.tuples(st.integers(1, 3), st.integers(1, 3)), st.tuples(st.integers(1, 2), st.integers(1, 2)),
       st.tuples(st.integers(0, 4), st.integers(0, 4)), st.integers(1, 40), seeds)
def test_tiles_of_the_output_agree_with_the_loops(path, kernel, stride, dilation, padding, budget, seed):
    """With a tiny _CHUNK_BYTES every layer is cut into tiles of rows and columns (some of them reading only
    padding, when the padding is wider than the kernel): each path's tiles give the oracle's result."""
    C, groups, K = {"im2col": (2, 1, 3), "rows": (32, 1, 2), "depthwise": (3, 3, 6)}[path]
    x, w = _data(seed, (2, C, 7, 9), (K, C // groups, *kernel))
    kw = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    expected = naive_conv2d(x, w, **kw)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_nn_impl, "_CHUNK_BYTES", budget * C * kernel[0] * kernel[1] * 8)  # budget outputs a tile
        got = nn.conv2d(x, w, **kw)
    np.testing.assert_allclose(got, expected, **TOL[np.float64])


def test_unbatched_input_gives_unbatched_output():
    x, w, b = _data(5, (3, 6, 7), (4, 3, 3, 2), (4,))
    out = nn.conv2d(x, w, b, padding=1)
    assert out.shape == (4, 6, 8)
    np.testing.assert_allclose(out, nn.conv2d(x[None], w, b, padding=1)[0], rtol=1e-12)
    np.testing.assert_allclose(out, _torch(F.conv2d, x, w, b, padding=1), rtol=1e-10)
    np.testing.assert_allclose(nn.conv2d_loops(x, w, b, padding=1), out, rtol=1e-12)
    x1, w1 = _data(6, (3, 10), (2, 3, 4))
    np.testing.assert_allclose(nn.conv1d(x1, w1, stride=2), _torch(F.conv1d, x1, w1, stride=2), rtol=1e-10)
    assert nn.conv1d_loops(x1, w1, stride=2).shape == (2, 4)


def test_empty_batch_is_allowed_as_in_torch():
    x, w = np.zeros((0, 3, 5, 5)), np.ones((2, 3, 3, 3))
    assert nn.conv2d(x, w, padding=1).shape == _torch(F.conv2d, x, w, padding=1).shape == (0, 2, 5, 5)
    assert nn.conv2d(np.zeros((0, 2, 5, 5)), np.ones((2, 1, 3, 3)), groups=2).shape == (0, 2, 3, 3)
    assert nn.conv_transpose2d(x, np.ones((3, 2, 3, 3))).shape == (0, 2, 7, 7)
    gx, gw, gb = nn.conv2d_backward(np.zeros((0, 2, 3, 3)), x, w)
    assert gx.shape == x.shape and gw.tolist() == np.zeros((2, 3, 3, 3)).tolist() and gb.tolist() == [0.0, 0.0]


# ----------------------------------------------------------------------------
# dtypes
# ----------------------------------------------------------------------------


def test_dtypes_are_kept_and_integers_become_float():
    x32, w32 = np.ones((1, 2, 4, 4), np.float32), np.ones((3, 2, 3, 3), np.float32)
    assert nn.conv2d(x32, w32).dtype == np.float32
    assert nn.conv2d(x32.astype(np.float64), w32.astype(np.float64)).dtype == np.float64
    # integer arrays (refused by PyTorch) are converted: float64 when nothing else is float ...
    xi = np.arange(32).reshape(1, 2, 4, 4)
    out = nn.conv2d(xi, np.ones((1, 2, 3, 3), dtype=np.int64))
    assert out.dtype == np.float64 and out.tolist() == naive_conv2d(xi, np.ones((1, 2, 3, 3))).tolist()
    # ... and the float arrays' dtype otherwise; lists have no precision of their own
    assert nn.conv2d(xi, w32[:1]).dtype == np.float32
    assert nn.conv2d(x32, w32.tolist(), bias=[1, 2, 3]).dtype == np.float32
    assert nn.conv1d([[True, False, True]], [[[1, 1]]]).tolist() == [[1.0, 1.0]]
    frac = np.array([[fractions.Fraction(1, 2), fractions.Fraction(3, 2)]], dtype=object)  # unbatched
    assert nn.conv1d(frac, [[[2, 2]]]).tolist() == [[4.0]]
    for fn, args in [(nn.conv_transpose2d, (x32, w32.transpose(1, 0, 2, 3))), (nn.unfold, (x32, 2)),
                     (nn.conv2d_loops, (x32, w32)), (nn.conv1d, (x32[0, :, 0], w32[:, :, 0]))]:
        assert fn(*args).dtype == np.float32, fn.__name__
    gx, gw, gb = nn.conv2d_backward(np.ones((1, 3, 2, 2), np.float32), x32, w32)
    assert gx.dtype == gw.dtype == gb.dtype == np.float32


@pytest.mark.parametrize("fn", [nn.conv2d, nn.conv2d_loops])
def test_mixed_float32_float64_is_refused(fn):
    x32, w64 = np.ones((1, 2, 4, 4), np.float32), np.ones((3, 2, 3, 3))
    with pytest.raises(TypeError, match=r"x has dtype float32 but w has dtype float64.*w\.astype\(np\.float32\)"):
        fn(x32, w64)
    with pytest.raises(TypeError, match="x has dtype float32 but bias has dtype float64"):
        fn(x32, w64.astype(np.float32), np.zeros(3))
    with pytest.raises(TypeError, match="x has dtype float64 but grad_out has dtype float32"):
        nn.conv2d_backward(np.ones((1, 3, 2, 2), np.float32), x32.astype(float), w64)


@pytest.mark.parametrize("bad, match, exc", [
    (np.ones((1, 2, 4, 4), np.float16), "x must be float32 or float64, got an array of shape .* float16", TypeError),
    (np.ones((1, 2, 4, 4), np.complex128), "x must be real .*complex128", TypeError),
    ([[[["a"] * 4] * 4] * 2], "x must hold numbers", TypeError),
    (np.array([[[[1j] * 4] * 4] * 2], dtype=object), "x must hold real numbers convertible to float64", TypeError),
    ([[[1.0, 2.0], [3.0]]], "x must be a rectangular array of numbers", ValueError),
])
def test_non_numeric_input_is_refused(bad, match, exc):
    for fn in (nn.conv2d, nn.conv2d_loops):
        with pytest.raises(exc, match=match):
            fn(bad, np.ones((3, 2, 3, 3)))
    with pytest.raises(exc, match=match):
        nn.unfold(bad, 2)


# ----------------------------------------------------------------------------
# conv_transpose2d
# ----------------------------------------------------------------------------


@SLOW
@given(transpose_settings(), seeds, dtypes, st.booleans())
def test_conv_transpose2d_matches_naive_oracle_loops_and_torch(setting, seed, dtype, with_bias):
    xs, ws, kw = setting
    x, w, b = _data(seed, xs, ws, (ws[1] * kw["groups"],), dtype=dtype)
    b = b if with_bias else None
    expected = naive_conv_transpose2d(x, w, b, **kw)
    ref = _torch(F.conv_transpose2d, x, w, b, **kw)
    for got in (nn.conv_transpose2d(x, w, b, **kw), nn.conv_transpose2d_loops(x, w, b, **kw)):
        assert got.dtype == dtype and got.shape == expected.shape == ref.shape
        np.testing.assert_allclose(got, expected, **TOL[dtype])
        np.testing.assert_allclose(got, ref, **TOL[dtype])


def test_conv_transpose2d_unbatched_and_int_arguments():
    x, w, b = _data(9, (2, 3, 4), (2, 3, 3, 3), (3,))
    got = nn.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1)
    ref = _torch(F.conv_transpose2d, x, w, b, stride=2, padding=1, output_padding=1)
    assert got.shape == ref.shape == (3, 6, 8)
    np.testing.assert_allclose(got, ref, rtol=1e-10)
    # output_padding < dilation (not < stride) is allowed too, as in PyTorch
    got = nn.conv_transpose2d(x, w, stride=1, output_padding=1, dilation=2)
    np.testing.assert_allclose(got, _torch(F.conv_transpose2d, x, w, output_padding=1, dilation=2), rtol=1e-10)


@FAST
@given(conv_settings(strings=False), seeds)
def test_adjoint_dot_product(setting, seed):
    """<conv2d(x, w), y> == <x, conv_transpose2d(y, w)>: the transpose is the adjoint."""
    xs, ws, kw = setting
    x, w = _data(seed, xs, ws)
    out = nn.conv2d(x, w, **kw)
    y = _data(seed + 1, out.shape)[0]
    stride = _tup(kw["stride"], 2)
    pads = _pads(kw["padding"], ws[2:], _tup(kw["dilation"], 2))
    # the rows no window reaches are restored by output_padding (always < stride)
    opad = tuple(
        (n + 2 * p[0] - d * (k - 1) - 1) % s
        for n, p, k, s, d in zip(xs[2:], pads, ws[2:], stride, _tup(kw["dilation"], 2))
    )
    back = nn.conv_transpose2d(y, w, stride=kw["stride"], padding=kw["padding"], output_padding=opad,
                               groups=kw["groups"], dilation=kw["dilation"])
    assert back.shape == x.shape
    lhs, rhs = float(np.vdot(out, y)), float(np.vdot(x, back))
    assert lhs == pytest.approx(rhs, rel=1e-10, abs=1e-10)


# ----------------------------------------------------------------------------
# unfold
# ----------------------------------------------------------------------------


@SLOW
@given(conv_settings(strings=False), seeds, dtypes)
def test_unfold_matches_naive_oracle_loops_and_torch(setting, seed, dtype):
    xs, ws, kw = setting
    (x,) = _data(seed, xs, dtype=dtype)
    args = dict(kernel_size=ws[2:], dilation=kw["dilation"], padding=kw["padding"], stride=kw["stride"])
    expected = naive_unfold(x, **args)
    ref = _torch(F.unfold, x, **_torch_kwargs(args))
    for got in (nn.unfold(x, **args), nn.unfold_loops(x, **args)):
        assert got.dtype == dtype and got.shape == expected.shape == ref.shape
        np.testing.assert_array_equal(got, expected.astype(dtype))
        np.testing.assert_array_equal(got, ref)
    np.testing.assert_array_equal(nn.unfold(x[0], **args), ref[0])  # unbatched


@FAST
@given(conv_settings(strings=False), seeds)
def test_unfold_then_matmul_is_conv2d(setting, seed):
    xs, ws, kw = setting
    x, w = _data(seed, xs, ws)
    args = dict(kernel_size=ws[2:], dilation=kw["dilation"], padding=kw["padding"], stride=kw["stride"])
    cols = nn.unfold(x, **args)                                   # (N, C*kh*kw, L)
    G, K, N = kw["groups"], ws[0], xs[0]
    cols = cols.reshape(N, G, -1, cols.shape[-1])                 # group g owns rows g*Cg*kh*kw ...
    prod = np.matmul(w.reshape(G, K // G, -1), cols)              # one product per group
    out = nn.conv2d(x, w, **kw)
    np.testing.assert_allclose(prod.reshape(out.shape), out, rtol=1e-10, atol=1e-10)


# ----------------------------------------------------------------------------
# conv2d_backward
# ----------------------------------------------------------------------------


@SLOW
@given(conv_settings(max_extra=3), seeds)
def test_conv2d_backward_matches_naive_oracle_and_loops(setting, seed):
    xs, ws, kw = setting
    x, w = _data(seed, xs, ws)
    g = _data(seed + 1, naive_conv2d(x, w, **kw).shape)[0]
    expected = naive_conv2d_backward(g, x, w, **kw)
    for got in (nn.conv2d_backward(g, x, w, **kw), nn.conv2d_backward_loops(g, x, w, **kw)):
        for a, e in zip(got, expected):
            assert a.shape == e.shape
            np.testing.assert_allclose(a, e, rtol=1e-10, atol=1e-10)


@FAST
@given(conv_settings(), seeds, dtypes)
def test_conv2d_backward_matches_torch_autograd(setting, seed, dtype):
    xs, ws, kw = setting
    x, w, b = _data(seed, xs, ws, (ws[0],), dtype=dtype)
    xt, wt, bt = (torch.from_numpy(a).requires_grad_() for a in (x, w, b))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Using padding='same'", category=UserWarning)
        out = F.conv2d(xt, wt, bt, **_torch_kwargs(kw))
    g = _data(seed + 1, tuple(out.shape), dtype=dtype)[0]
    out.backward(torch.from_numpy(g))
    got = nn.conv2d_backward(g, x, w, **kw)
    for a, t in zip(got, (xt.grad, wt.grad, bt.grad)):
        assert a.dtype == dtype and a.shape == tuple(t.shape)
        np.testing.assert_allclose(a, t.numpy(), **TOL[dtype])


def test_conv2d_backward_rows_never_reached_get_zero_gradient():
    # H = 8, k = 3, s = 2, p = 0: (8 - 3) % 2 = 1, so row 7 (and column 7) is never read
    x, w = _data(11, (2, 3, 8, 8), (4, 3, 3, 3))
    g = _data(12, (2, 4, 3, 3))[0]
    gx, gw, gb = nn.conv2d_backward(g, x, w, stride=2)
    assert gx.shape == x.shape
    assert not gx[:, :, 7, :].any() and not gx[:, :, :, 7].any() and gx[:, :, 6, :].any()
    xt = torch.from_numpy(x).requires_grad_()
    F.conv2d(xt, torch.from_numpy(w), stride=2).backward(torch.from_numpy(g))
    np.testing.assert_allclose(gx, xt.grad.numpy(), rtol=1e-10, atol=1e-12)
    lx, lw, lb = nn.conv2d_backward_loops(g, x, w, stride=2)
    np.testing.assert_allclose(lx, gx, rtol=1e-10, atol=1e-12)
    # unbatched in, unbatched grad_x out
    gx1, gw1, gb1 = nn.conv2d_backward(g[0], x[0], w, stride=2)
    assert gx1.shape == x[0].shape and gw1.shape == w.shape and gb1.shape == (4,)
    np.testing.assert_allclose(gx1, nn.conv2d_backward(g[:1], x[:1], w, stride=2)[0][0], rtol=1e-12)


@FAST
@given(st.integers(1, 3), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2), seeds)
def test_grad_x_is_full_convolution_with_flipped_kernel_for_stride_1(kh, kw, p, d, seed):
    """The lesson's claim: for stride 1, dL/dx = conv2d(grad_out, flipped w with in/out swapped, padding d(k-1)-p)."""
    H, W = d * (kh - 1) + 3, d * (kw - 1) + 2
    x, w = _data(seed, (2, 3, H, W), (4, 3, kh, kw))
    g = _data(seed + 1, nn.conv2d(x, w, padding=p, dilation=d).shape)[0]
    gx, _, _ = nn.conv2d_backward(g, x, w, padding=p, dilation=d)
    flipped = w[:, :, ::-1, ::-1].swapaxes(0, 1)                  # (3, 4, kh, kw)
    qh, qw = d * (kh - 1) - p, d * (kw - 1) - p
    gp = np.pad(g, ((0, 0), (0, 0), (max(qh, 0),) * 2, (max(qw, 0),) * 2))
    full = nn.conv2d(gp, flipped, dilation=d)
    # negative "padding" (p > d(k-1)) means cropping instead
    full = full[:, :, max(-qh, 0) : full.shape[2] - max(-qh, 0), max(-qw, 0) : full.shape[3] - max(-qw, 0)]
    np.testing.assert_allclose(gx, full, rtol=1e-10, atol=1e-10)


@FAST
@given(conv_settings(strings=False), seeds)
def test_grad_w_is_correlation_of_input_with_grad_out(setting, seed):
    """dL/dw = conv2d(x^T, grad_out^T) with grad_out as a kernel dilated by the stride (groups=1)."""
    xs, ws, kw = setting
    xs, ws = (xs[0], xs[1] // kw["groups"], *xs[2:]), (ws[0] // kw["groups"], ws[1], *ws[2:])
    kw = dict(kw, groups=1)
    x, w = _data(seed, xs, ws)
    g = _data(seed + 1, nn.conv2d(x, w, **kw).shape)[0]
    _, gw, _ = nn.conv2d_backward(g, x, w, **kw)
    corr = nn.conv2d(x.swapaxes(0, 1), g.swapaxes(0, 1), padding=kw["padding"], stride=kw["dilation"],
                     dilation=kw["stride"])                          # (C, K, >= kh, >= kw)
    np.testing.assert_allclose(gw, corr[:, :, : ws[2], : ws[3]].swapaxes(0, 1), rtol=1e-10, atol=1e-10)


# ----------------------------------------------------------------------------
# Output sizes
# ----------------------------------------------------------------------------


@FAST
@given(conv_settings(strings=False), conv_settings(nd=1, strings=False, max_k=5))
def test_output_size_matches_the_shapes_conv_returns(s2, s1):
    for (xs, ws, kw), fn in ((s2, nn.conv2d), (s1, nn.conv1d)):
        nd = len(xs) - 2
        stride, dilation = _tup(kw["stride"], nd), _tup(kw["dilation"], nd)
        padding = _tup(kw["padding"], nd)
        expected = tuple(nn.output_size(n, k, s, p, d)
                         for n, k, s, p, d in zip(xs[2:], ws[2:], stride, padding, dilation))
        assert fn(np.zeros(xs), np.zeros(ws), **kw).shape[2:] == expected
        assert _torch(F.conv2d if nd == 2 else F.conv1d, np.zeros(xs), np.zeros(ws),
                      **_torch_kwargs(kw)).shape[2:] == expected
        if nd == 2:
            unf = nn.unfold(np.zeros(xs), ws[2:], dilation=dilation, padding=padding, stride=stride)
            assert unf.shape[2] == expected[0] * expected[1]


@FAST
@given(transpose_settings())
def test_transposed_output_size_matches_and_inverts_output_size(setting):
    xs, ws, kw = setting
    expected = tuple(nn.transposed_output_size(n, k, s, p, a, d) for n, k, s, p, a, d in zip(
        xs[2:], ws[2:], kw["stride"], kw["padding"], kw["output_padding"], kw["dilation"]))
    assert nn.conv_transpose2d(np.zeros(xs), np.zeros(ws), **kw).shape[2:] == expected
    for n, m, k, s, p, a, d in zip(xs[2:], expected, ws[2:], kw["stride"], kw["padding"],
                                   kw["output_padding"], kw["dilation"]):
        if a < s:  # every output_padding below the stride maps back onto n
            assert nn.output_size(m, k, s, p, d) == n


def test_output_size_hand_values():
    assert nn.output_size(32, 3, 1, 1) == 32
    assert nn.output_size(32, 3, 2, 1) == 16
    assert nn.output_size(224, 7, 2, 3) == 112
    assert nn.output_size(5, 3, dilation=2) == 1
    assert nn.output_size(8, 3, 2) == 3                        # floor((8 - 3)/2) + 1
    assert nn.transposed_output_size(3, 3, 2) == 7
    assert nn.transposed_output_size(3, 3, 2, output_padding=1) == 8
    assert nn.transposed_output_size(1, 1, padding=0) == 1


@pytest.mark.parametrize("call, exc, match", [
    (lambda: nn.output_size(0, 3), ValueError, r"n must be an integer >= 1, got 0"),
    (lambda: nn.output_size(8.0, 3), TypeError, r"n must be an integer >= 1, got 8\.0"),
    (lambda: nn.output_size(8, 0), ValueError, r"kernel_size must be an integer >= 1, got 0"),
    (lambda: nn.output_size(8, 3, stride=0), ValueError, r"stride must be an integer >= 1, got 0"),
    (lambda: nn.output_size(8, 3, padding=-1), ValueError, r"padding must be an integer >= 0, got -1"),
    (lambda: nn.output_size(8, 3, dilation=0), ValueError, r"dilation must be an integer >= 1, got 0"),
    (lambda: nn.output_size(4, 3, dilation=2), ValueError,
     r"dilated kernel \(dilation\*\(kernel_size-1\)\+1 = 5\) is longer than the padded input "
     r"\(n \+ 2\*padding = 4\)"),
    (lambda: nn.transposed_output_size(4, 3, stride=2, output_padding=2), ValueError,
     r"output_padding must be smaller than either stride or dilation, got output_padding=2, stride=2"),
    (lambda: nn.transposed_output_size(4, 3, output_padding=-1), ValueError,
     r"output_padding must be an integer >= 0, got -1"),
    (lambda: nn.transposed_output_size(1, 1, padding=1), ValueError, r"the output would have size -1 \(< 1\)"),
    (lambda: nn.transposed_output_size(0, 1), ValueError, r"n must be an integer >= 1"),
])
def test_output_size_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ----------------------------------------------------------------------------
# Errors of the array functions (fast and didactic alike)
# ----------------------------------------------------------------------------

X = np.ones((1, 3, 8, 8))
W = np.ones((4, 3, 3, 3))

CONV2D_ERRORS = [
    (dict(x=np.ones((3, 8)), w=W), ValueError,
     r"conv2d\w*: x must be 3-D \(C, H, W\) unbatched or 4-D \(N, C, H, W\) batched, got an array of shape \(3, 8\)"),
    (dict(x=np.ones((1, 1, 3, 8, 8)), w=W), ValueError, r"x must be 3-D .* got an array of shape \(1, 1, 3, 8, 8\)"),
    (dict(x=X, w=np.ones((4, 3, 3))), ValueError, r"w must be 4-D \(out_channels, in_channels/groups, kH, kW\)"),
    (dict(x=X, w=W, groups=0), ValueError, r"groups must be an integer >= 1, got 0"),
    (dict(x=X, w=W, groups=1.0), TypeError, r"groups must be an integer >= 1, got 1\.0 \(type float\)"),
    (dict(x=X, w=W, stride=0), ValueError, r"stride must be an integer >= 1, got 0"),
    (dict(x=X, w=W, stride=(1, -2)), ValueError, r"stride\[1\] must be an integer >= 1, got -2"),
    (dict(x=X, w=W, stride=(1, 1, 1)), ValueError, r"stride must be an integer or a tuple of 2 integers >= 1"),
    (dict(x=X, w=W, dilation=0), ValueError, r"dilation must be an integer >= 1, got 0"),
    (dict(x=X, w=W, padding=-1), ValueError, r"padding must be an integer >= 0, got -1"),
    (dict(x=X, w=W, padding=(0, -1)), ValueError, r"padding\[1\] must be an integer >= 0, got -1"),
    (dict(x=X, w=W, padding=True), ValueError, r"padding must be an integer or a tuple of 2 integers >= 0, got True"),
    (dict(x=X, w=W, padding="full"), ValueError,
     r"padding='full' is not allowed\. Acceptable padding flags are 'valid' or 'same'"),
    (dict(x=X, w=W, padding="same", stride=2), ValueError,
     r"padding='same' is not supported for strided convolutions, got stride=\(2, 2\)"),
    (dict(x=X, w=W, padding="same", stride=(1, 2)), ValueError, r"padding='same' is not supported for strided"),
    (dict(x=np.ones((1, 4, 8, 8)), w=np.ones((3, 2, 3, 3)), groups=2), ValueError,
     r"given groups=2, expected weight to be divisible by 2 at dimension 0 \(out_channels\), "
     r"but got weight w of size \[3, 2, 3, 3\]"),
    (dict(x=X, w=np.ones((4, 1, 3, 3)), groups=2), ValueError,
     r"x has 3 channels, which is not divisible by groups=2"),
    (dict(x=X, w=np.ones((4, 4, 3, 3))), ValueError,
     r"Given groups=1, weight of size \[4, 4, 3, 3\], expected input\[1, 3, 8, 8\] to have 4 channels, "
     r"but got 3 channels instead"),
    (dict(x=np.ones((4, 8, 8)), w=np.ones((4, 1, 3, 3)), groups=2), ValueError,
     r"Given groups=2, weight of size \[4, 1, 3, 3\], expected input\[4, 8, 8\] to have 2 channels, but got 4"),
    (dict(x=np.ones((1, 3, 2, 8)), w=W), ValueError,
     r"calculated padded input size per channel: \(2 x 8\)\. Kernel size \(dilated.*\): \(3 x 3\)\. "
     r"Kernel size can't be greater than actual input size"),
    (dict(x=X, w=W, dilation=(4, 1)), ValueError, r"padded input size per channel: \(8 x 8\)\. .*\(9 x 3\)"),
    (dict(x=X, w=W, bias=np.ones(3)), ValueError,
     r"expected bias to be 1-dimensional with 4 elements, but got bias of shape \(3,\) instead"),
    (dict(x=X, w=W, bias=np.ones((4, 1))), ValueError, r"expected bias to be 1-dimensional with 4 elements"),
    (dict(x=np.ones((1, 3, 0, 8)), w=W), ValueError, r"x must not have an empty axis \(except the batch\)"),
    (dict(x=X, w=np.ones((4, 3, 0, 3))), ValueError, r"w must not have an empty axis"),
    (dict(x=X, w=W, bias=["a"] * 4), TypeError, r"bias must hold numbers"),
]


@pytest.mark.parametrize("fn", [nn.conv2d, nn.conv2d_loops])
@pytest.mark.parametrize("args, exc, match", CONV2D_ERRORS)
def test_conv2d_errors(fn, args, exc, match):
    args = dict(args)
    with pytest.raises(exc, match=match):
        fn(args.pop("x"), args.pop("w"), **args)


X1, W1 = np.ones((1, 2, 8)), np.ones((3, 2, 3))


@pytest.mark.parametrize("fn", [nn.conv1d, nn.conv1d_loops])
@pytest.mark.parametrize("args, exc, match", [
    (dict(x=np.ones(8), w=W1), ValueError, r"conv1d\w*: x must be 2-D \(C, L\) unbatched or 3-D \(N, C, L\)"),
    (dict(x=X1, w=np.ones((3, 2))), ValueError, r"w must be 3-D \(out_channels, in_channels/groups, kL\)"),
    (dict(x=X1, w=np.ones((3, 3, 3))), ValueError,
     r"weight of size \[3, 3, 3\], expected input\[1, 2, 8\] to have 3 channels, but got 2 channels instead"),
    (dict(x=X1, w=W1, stride=(1, 1)), ValueError, r"stride must be an integer or a tuple of 1 integers"),
    (dict(x=X1, w=W1, padding="same", stride=2), ValueError, r"'same' is not supported .* got stride=2 "),
    (dict(x=X1, w=W1, padding="causal"), ValueError, r"padding='causal' is not allowed"),
    (dict(x=X1, w=W1, groups=-1), ValueError, r"groups must be an integer >= 1, got -1"),
    (dict(x=X1, w=W1, dilation=5), ValueError, r"padded input size per channel: \(8\)\. .*\(11\)"),
    (dict(x=X1, w=W1, bias=np.ones(2)), ValueError, r"expected bias to be 1-dimensional with 3 elements"),
    (dict(x=X1.astype(np.float32), w=W1), TypeError, r"x has dtype float32 but w has dtype float64"),
])
def test_conv1d_errors(fn, args, exc, match):
    args = dict(args)
    with pytest.raises(exc, match=match):
        fn(args.pop("x"), args.pop("w"), **args)


XT, WT = np.ones((1, 4, 5, 5)), np.ones((4, 2, 3, 3))


@pytest.mark.parametrize("fn", [nn.conv_transpose2d, nn.conv_transpose2d_loops])
@pytest.mark.parametrize("args, exc, match", [
    (dict(x=np.ones((4, 5)), w=WT), ValueError, r"x must be 3-D \(C_in, H, W\) unbatched or 4-D"),
    (dict(x=XT, w=np.ones((4, 2, 3))), ValueError, r"w must be 4-D \(in_channels, out_channels/groups, kH, kW\)"),
    (dict(x=XT, w=WT, padding="same"), ValueError, r"padding='same' is not allowed: the transposed convolution"),
    (dict(x=XT, w=WT, padding=-1), ValueError, r"padding must be an integer >= 0, got -1"),
    (dict(x=XT, w=WT, stride=0), ValueError, r"stride must be an integer >= 1, got 0"),
    (dict(x=XT, w=WT, dilation=(1, 0)), ValueError, r"dilation\[1\] must be an integer >= 1, got 0"),
    (dict(x=XT, w=WT, groups=0), ValueError, r"groups must be an integer >= 1, got 0"),
    (dict(x=np.ones((1, 3, 5, 5)), w=np.ones((3, 2, 3, 3)), groups=2), ValueError,
     r"expected weight to be divisible by 2 at dimension 0 \(in_channels\)"),
    (dict(x=np.ones((1, 3, 5, 5)), w=WT), ValueError,
     r"Given transposed=1, weight of size \[4, 2, 3, 3\], expected input\[1, 3, 5, 5\] to have 4 channels, "
     r"but got 3 channels instead"),
    (dict(x=XT, w=WT, bias=np.ones(4)), ValueError, r"expected bias to be 1-dimensional with 2 elements"),
    (dict(x=XT, w=WT, stride=2, output_padding=2), ValueError,
     r"output_padding must be smaller than either stride or dilation, got output_padding=\(2, 2\)"),
    (dict(x=XT, w=WT, output_padding=(0, 1)), ValueError, r"output_padding must be smaller than either stride"),
    (dict(x=XT, w=WT, output_padding=-1), ValueError, r"output_padding must be an integer >= 0, got -1"),
    (dict(x=XT, w=WT, padding=4), ValueError, r"the output would have size -1 \(< 1\)"),
    (dict(x=XT, w=WT.astype(np.float32)), TypeError, r"x has dtype float64 but w has dtype float32"),
    (dict(x=XT, w=WT, bias="ab"), TypeError, r"bias must hold numbers"),
])
def test_conv_transpose2d_errors(fn, args, exc, match):
    args = dict(args)
    with pytest.raises(exc, match=match):
        fn(args.pop("x"), args.pop("w"), **args)


@pytest.mark.parametrize("fn", [nn.unfold, nn.unfold_loops])
@pytest.mark.parametrize("args, exc, match", [
    (dict(x=np.ones((8, 8)), kernel_size=2), ValueError, r"unfold\w*: x must be 3-D \(C, H, W\) unbatched or 4-D"),
    (dict(x=X, kernel_size=0), ValueError, r"kernel_size must be an integer >= 1, got 0"),
    (dict(x=X, kernel_size=(2, 2, 2)), ValueError, r"kernel_size must be an integer or a tuple of 2 integers"),
    (dict(x=X, kernel_size=2, padding="same"), ValueError, r"padding='same' is not allowed: unfold takes"),
    (dict(x=X, kernel_size=2, padding=-1), ValueError, r"padding must be an integer >= 0, got -1"),
    (dict(x=X, kernel_size=2, stride=0), ValueError, r"stride must be an integer >= 1, got 0"),
    (dict(x=X, kernel_size=2, dilation=0), ValueError, r"dilation must be an integer >= 1, got 0"),
    (dict(x=X, kernel_size=9), ValueError, r"Kernel size can't be greater than actual input size"),
    (dict(x="abc", kernel_size=2), TypeError, r"x must hold numbers"),
])
def test_unfold_errors(fn, args, exc, match):
    args = dict(args)
    with pytest.raises(exc, match=match):
        fn(args.pop("x"), **args)


@pytest.mark.parametrize("fn", [nn.conv2d_backward, nn.conv2d_backward_loops])
@pytest.mark.parametrize("args, exc, match", [
    (dict(grad_out=np.ones((1, 4, 5, 5)), x=X, w=W), ValueError,
     r"grad_out must have the shape of conv2d\(x, w, \.\.\.\) = \(1, 4, 6, 6\), got an array of shape \(1, 4, 5, 5\)"),
    (dict(grad_out=np.ones((4, 6, 6)), x=X, w=W), ValueError, r"grad_out must have the shape .* \(1, 4, 6, 6\)"),
    (dict(grad_out=np.ones((1, 4, 6, 6)), x=X[0], w=W), ValueError, r"= \(4, 6, 6\), got an array of shape"),
    (dict(grad_out=np.ones((1, 4, 6, 6)), x=X, w=np.ones((4, 2, 3, 3))), ValueError,
     r"expected input\[1, 3, 8, 8\] to have 2 channels"),
    (dict(grad_out=np.ones((1, 4, 3, 3)), x=X, w=W, stride=2, padding="same"), ValueError,
     r"padding='same' is not supported for strided"),
    (dict(grad_out=[["x"]], x=X, w=W), TypeError, r"grad_out must hold numbers"),
])
def test_conv2d_backward_errors(fn, args, exc, match):
    with pytest.raises(exc, match=match):
        fn(**args)


# ----------------------------------------------------------------------------
# Module hygiene
# ----------------------------------------------------------------------------


def test_docstring_examples_run():
    result = doctest.testmod(nn, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 20


def test_every_public_function_says_it_does_not_flip_the_kernel():
    for name in ("conv1d", "conv2d", "conv1d_loops", "conv2d_loops", "unfold", "conv2d_backward",
                 "conv_transpose2d", "conv_transpose2d_loops"):
        doc = getattr(nn, name).__doc__
        assert "no kernel flip" in doc.lower() or "no flip" in doc.lower(), name
    assert set(nn.__all__) == {
        "output_size", "transposed_output_size", "conv1d", "conv2d", "conv_transpose2d", "unfold",
        "conv2d_backward", "conv1d_loops", "conv2d_loops", "conv_transpose2d_loops", "unfold_loops",
        "conv2d_backward_loops"}
