"""The mathematics the lessons state, checked against independent implementations.

Each test backs a claim that a page of the book makes in words (issue 15): the one definition of
cross-correlation, (f ⋆ g)(t) = ∫ f(x + t) g(x) dx with g the kernel, as numpy, scipy, PyTorch and
convbook compute it; the adjoint of a convolution; the Sobel kernels under rotation; the Fourier
convention e^{-2πikx}; the Vandermonde matrix of the roots of unity as the DFT matrix and the dual
convolution theorem ("Multiplying by evaluating"); the centred limbs and the three bounds of
"Multiplying huge integers exactly"; and the bibliography rendering without raw TeX.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pybtex.database
import pytest
import scipy.integrate
import scipy.signal
import sympy as sp
import torch
from pybtex.plugin import find_plugin

from convbook import _fft, continuous, discrete, fourier, nn, polynomial
from convbook.plotting.nn import standard_kernels

torch.set_num_threads(1)  # two shared cores


def correlation_by_definition(a, v):
    """c[k] = sum_n a[n + k] conj(v[n]) for every lag k = -(N-1), ..., M-1, by loops."""
    m, n = len(a), len(v)
    return np.array([sum(a[i + k] * np.conj(v[i]) for i in range(n) if 0 <= i + k < m)
                     for k in range(-(n - 1), m)])


# --------------------------------------------------------------------------
# One definition of cross-correlation: the kernel second, not flipped
# --------------------------------------------------------------------------

@pytest.mark.parametrize("m, n", [(7, 3), (3, 7), (5, 5), (1, 4), (9, 1)])
def test_correlation_is_the_same_in_convbook_numpy_scipy_and_torch(m, n):
    rng = np.random.default_rng(m * 10 + n)
    a, v = rng.standard_normal(m), rng.standard_normal(n)
    expected = correlation_by_definition(a, v)
    layer = torch.nn.functional.conv1d(torch.tensor(a)[None, None], torch.tensor(v)[None, None],
                                       padding=n - 1)[0, 0].numpy()   # input = signal, weight = kernel
    np.testing.assert_allclose(discrete.correlate(a, v, "full"), expected, atol=1e-12)
    np.testing.assert_allclose(np.correlate(a, v, "full"), expected, atol=1e-12)
    np.testing.assert_allclose(scipy.signal.correlate(a, v, "full"), expected, atol=1e-12)
    np.testing.assert_allclose(layer, expected, atol=1e-12)
    if m >= n:
        np.testing.assert_allclose(nn.conv1d(a[None], v[None, None])[0], expected[n - 1: m], atol=1e-12)
    if not np.allclose(v, v[::-1]):                                    # the mirror image is another thing
        assert not np.allclose(layer, correlation_by_definition(v, a))


def test_complex_correlation_conjugates_the_kernel():
    rng = np.random.default_rng(1)
    a = rng.standard_normal(6) + 1j * rng.standard_normal(6)
    v = rng.standard_normal(3) + 1j * rng.standard_normal(3)
    expected = correlation_by_definition(a, v)
    np.testing.assert_allclose(discrete.correlate(a, v, "full"), expected, atol=1e-12)
    np.testing.assert_allclose(np.correlate(a, v, "full"), expected, atol=1e-12)
    np.testing.assert_allclose(discrete.convolve(a, np.conj(v[::-1]), "full"), expected, atol=1e-12)


def test_continuous_correlation_is_convolution_with_the_reflected_kernel():
    """eq-ch1-xcorr: int f(x + t) g(x) dx = (f * g^-)(t), checked against PyTorch's conv1d."""
    t = sp.Symbol("t", real=True)
    f_expr, g_expr = continuous.rect(t, 0, 1), continuous.one_sided_exp(t, 2)
    exact = continuous.to_numeric(continuous.convolve(f_expr, g_expr.subs(t, -t), t), t)
    f, g = continuous.to_numeric(f_expr, t), continuous.to_numeric(g_expr, t)
    for tv in (-1.5, -0.5, 0.0, 0.5, 0.9):
        by_quad = scipy.integrate.quad(lambda x: f(x + tv) * g(x), max(0.0, -tv), 1 - tv)[0]
        assert by_quad == pytest.approx(exact(tv), abs=1e-10)
    assert abs(exact(0.5) - exact(-0.5)) > 0.1                         # the order of the arguments matters

    h = 1 / 100
    fs = f((np.arange(100) + 0.5) * h)
    gs = g((np.arange(800) + 0.5) * h)
    layer = torch.nn.functional.conv1d(torch.tensor(fs)[None, None], torch.tensor(gs)[None, None],
                                       padding=len(gs) - 1)[0, 0].numpy()
    lags = np.arange(-(len(gs) - 1), len(fs)) * h
    for tv in (-1.0, -0.5, 0.0, 0.5, 0.9):
        k = int(np.argmin(np.abs(lags - tv)))
        assert h * layer[k] == pytest.approx(exact(tv), abs=1e-4)


def test_the_adjoint_of_a_convolution_is_a_correlation():
    rng = np.random.default_rng(2)
    for _ in range(20):
        n, k = int(rng.integers(1, 12)), int(rng.integers(1, 6))
        kernel, f, h = rng.standard_normal(k), rng.standard_normal(n), rng.standard_normal(n + k - 1)
        A = discrete.convolution_matrix(kernel, n)
        np.testing.assert_allclose(A @ f, np.convolve(f, kernel), atol=1e-12)
        np.testing.assert_allclose(A.T @ h, discrete.correlate(h, kernel, "valid"), atol=1e-12)
        assert np.dot(A @ f, h) == pytest.approx(np.dot(f, np.correlate(h, kernel, "valid")), abs=1e-10)


def test_sobel_x_rotated_by_90_degrees_is_plus_or_minus_sobel_y():
    kernels = standard_kernels()
    sx, sy = kernels["Sobel x"], kernels["Sobel y"]
    np.testing.assert_array_equal(np.rot90(sx, -1), sy)                # clockwise
    np.testing.assert_array_equal(np.rot90(sx, 1), -sy)                # counterclockwise
    np.testing.assert_array_equal(np.rot90(sx, 2), -sx)
    image = np.random.default_rng(3).standard_normal((9, 9))

    def layer(img, w):
        return nn.conv2d(img[None, None], w[None, None], padding=1)[0, 0]

    np.testing.assert_allclose(layer(np.rot90(image), sx), np.rot90(layer(image, sy)), atol=1e-12)
    np.testing.assert_allclose(layer(np.rot90(image), -sy), np.rot90(layer(image, sx)), atol=1e-12)


def test_fourier_transform_convention_of_the_lessons():
    """hat f(k) = int f(x) e^{-2 pi i k x} dx: the Gaussian of width sigma goes to e^{-2 pi^2 sigma^2 k^2}."""
    sigma = 0.7
    for k in (0.0, 0.2, 0.5, 1.1):
        value = 2 * scipy.integrate.quad(
            lambda x: math.exp(-x * x / (2 * sigma**2)) / (sigma * math.sqrt(2 * math.pi))
            * math.cos(2 * math.pi * k * x), 0, np.inf)[0]
        assert value == pytest.approx(math.exp(-2 * math.pi**2 * sigma**2 * k**2), abs=1e-10)


# --------------------------------------------------------------------------
# Multiplying by evaluating
# --------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 8, 16, 31, 64])
def test_vandermonde_matrix_of_the_roots_of_unity_is_the_dft_matrix(n):
    roots = np.exp(-2j * np.pi * np.arange(n) / n)
    np.testing.assert_allclose(np.vander(roots, n, increasing=True), fourier.dft_matrix(n), atol=1e-12)
    coefficients = np.random.default_rng(n).integers(-9, 10, size=n)
    np.testing.assert_allclose(fourier.fft(coefficients),
                               np.polynomial.polynomial.polyval(roots, coefficients), atol=1e-9)


def test_evaluate_multiply_interpolate_is_the_cauchy_product_and_too_few_points_wrap():
    rng = np.random.default_rng(4)
    for _ in range(30):
        p = rng.integers(-20, 21, size=int(rng.integers(1, 15))).tolist()
        q = rng.integers(-20, 21, size=int(rng.integers(1, 15))).tolist()
        full = len(p) + len(q) - 1
        for n in range(max(len(p), len(q)), full + 3):
            values = fourier.fft(p + [0] * (n - len(p))) * fourier.fft(q + [0] * (n - len(q)))
            product = np.rint(fourier.ifft(values).real).astype(int).tolist()
            if n >= full:                                      # enough points: the Cauchy product
                assert product[:full] == polynomial.multiply(p, q) and not any(product[full:])
            else:                                              # too few: p q mod (x^n - 1)
                wrapped = [0] * n
                for k, c in enumerate(polynomial.multiply(p, q)):
                    wrapped[k % n] += c
                assert product == wrapped
                np.testing.assert_allclose(discrete.circular_convolve(p, q, n), wrapped, atol=1e-9)


def test_42_times_137_by_the_fourth_roots_of_unity():
    P, Q = fourier.fft([2, 4, 0, 0]), fourier.fft([7, 3, 1, 0])
    np.testing.assert_allclose(P, [6, 2 - 4j, -2, 2 + 4j], atol=1e-12)
    np.testing.assert_allclose(Q, [11, 6 - 3j, 5, 6 + 3j], atol=1e-12)
    np.testing.assert_allclose(P * Q, [66, -30j, -10, 30j], atol=1e-12)
    coefficients = np.rint(fourier.ifft(P * Q).real).astype(int).tolist()
    assert coefficients == [14, 34, 14, 4]
    assert polynomial.from_digits(polynomial.carry(coefficients)) == 5754 == 42 * 137


def test_dual_theorem_fourier_coefficients_of_a_product_convolve():
    rng = np.random.default_rng(5)
    K = 2
    f_hat = rng.standard_normal(2 * K + 1) + 1j * rng.standard_normal(2 * K + 1)
    g_hat = rng.standard_normal(2 * K + 1) + 1j * rng.standard_normal(2 * K + 1)

    def trig(c, t):
        half = (len(c) - 1) // 2
        return sum(ck * np.exp(1j * k * t) for k, ck in zip(range(-half, half + 1), c))

    expected = np.convolve(f_hat, g_hat)                               # frequencies -2K..2K
    for k in range(-2 * K - 1, 2 * K + 2):
        integrand = lambda t: trig(f_hat, t) * trig(g_hat, t) * np.exp(-1j * k * t)  # noqa: E731
        re = scipy.integrate.quad(lambda t: integrand(t).real, 0, 2 * np.pi, limit=200)[0]
        im = scipy.integrate.quad(lambda t: integrand(t).imag, 0, 2 * np.pi, limit=200)[0]
        want = expected[k + 2 * K] if abs(k) <= 2 * K else 0
        assert (re + 1j * im) / (2 * np.pi) == pytest.approx(want, abs=1e-10)


def test_dual_theorem_on_the_line():
    """hat(f g) = hat f * hat g, for e^{-pi x^2} and 1/(1 + x^2), all by quadrature."""
    f = lambda x: np.exp(-np.pi * x**2)  # noqa: E731
    g = lambda x: 1 / (1 + x**2)  # noqa: E731
    f_hat = lambda xi: np.exp(-np.pi * xi**2)  # noqa: E731
    g_hat = lambda xi: np.pi * np.exp(-2 * np.pi * abs(xi))  # noqa: E731
    for xi in (0.05, 0.4, 1.0):
        lhs = 2 * scipy.integrate.quad(lambda x: f(x) * g(x), 0, np.inf, weight="cos", wvar=2 * np.pi * xi)[0]
        conv = lambda eta: f_hat(eta) * g_hat(xi - eta)  # noqa: E731
        rhs = scipy.integrate.quad(conv, -np.inf, xi)[0] + scipy.integrate.quad(conv, xi, np.inf)[0]
        assert lhs == pytest.approx(rhs, abs=1e-9)


# --------------------------------------------------------------------------
# Multiplying huge integers exactly: centred limbs and which bound certifies what
# --------------------------------------------------------------------------

def test_centred_limbs_recover_the_convolution_exactly():
    """eq-ch4-centred: x * y = u * v + c (u * 1 + 1 * v) + c^2 1 * 1, with u = x - c."""
    rng = random.Random(6)
    for b in (4, 8, 16, 24):
        xl = [rng.randrange(1 << b) for _ in range(rng.randrange(1, 40))]
        yl = [rng.randrange(1 << b) for _ in range(rng.randrange(1, 40))]
        c = 1 << (b - 1)
        u, v = [d - c for d in xl], [d - c for d in yl]
        ones_x, ones_y = [1] * len(xl), [1] * len(yl)
        recovered = (discrete.convolve(u, v) + c * (discrete.convolve(u, ones_y) + discrete.convolve(ones_x, v))
                     + c * c * discrete.convolve(ones_x, ones_y))
        assert recovered.tolist() == polynomial.multiply(xl, yl)


def test_which_bound_certifies_16_bit_limbs_for_ten_thousand_digits():
    rng = random.Random(7)
    bits = math.ceil(10_000 * math.log2(10))
    x, y = rng.getrandbits(bits) | (1 << (bits - 1)), rng.getrandbits(bits) | (1 << (bits - 1))
    plan = fourier.multiply_plan(bits, bits)
    assert (plan.limb_bits, plan.safe_limb_bits) == (16, 13)

    def certificate(a, v):
        n = len(a) + len(v) - 1
        length = 1 << (n - 1).bit_length()
        spectrum = np.fft.fft(a, length) * np.fft.fft(v, length)
        return _fft.convolution_certificate(np.linalg.norm(a), np.linalg.norm(v), np.linalg.norm(spectrum),
                                            length, _fft.pocketfft_delta(length))

    def limbs(z, b, centred):
        arr = fourier.to_limbs(z, b).astype(float)
        return arr - 2.0 ** (b - 1) if centred else arr

    assert certificate(limbs(x, 14, False), limbs(y, 14, False)) < 0.5       # raw limbs: 14 bits ...
    assert certificate(limbs(x, 16, False), limbs(y, 16, False)) > 0.5       # ... but not 16
    assert certificate(limbs(x, 16, True), limbs(y, 16, True)) <= 0.25       # centred: 16 bits
    assert fourier.multiply(x, y, threshold=0) == x * y
    assert fourier.multiply_unsafe(x, y, limb_bits=16) == x * y              # exact, though uncertified


# --------------------------------------------------------------------------
# The References page: no raw TeX
# --------------------------------------------------------------------------

def test_bibliography_entries_render_without_raw_tex(root):
    """Each entry formatted as sphinxcontrib-bibtex does (pybtex's 'alpha' style, docutils backend)."""
    bib = pybtex.database.parse_file(str(root / "chapters" / "references.bib"))
    style = find_plugin("pybtex.style.formatting", "alpha")()
    backend = find_plugin("pybtex.backends", "docutils")()
    texts = [backend.paragraph(entry).astext() for entry in style.format_entries(bib.entries.values())]
    assert len(texts) == len(bib.entries) > 0
    for text in texts:
        assert "$" not in text and "\\" not in text, f"raw TeX in a rendered reference: {text!r}"
    assert any("Integer multiplication in time O(n log n)" in text for text in texts)
