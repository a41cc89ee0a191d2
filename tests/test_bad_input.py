"""Bad input that used to slip through (issue 14, item 8): every class of it gets a clear error.

Students feed the package everything.  Each error must be a ``TypeError`` or
``ValueError`` that names the parameter, says what it got and what is
allowed -- never an ``AttributeError`` from deep inside, numpy's own
``MemoryError``, a ``NameError`` from code that sympy generated, or a silently
wrong answer.  This file has

* one ``pytest.raises(..., match=...)`` per error path, parametrised over
  every function that has it (every ``nn`` function for ``None``, every size
  parameter that can imply an impossible array, every numeric path of
  ``continuous``, complex values where real ones are required, 0-d arrays
  where PyTorch refuses them);
* correctness tests of the mathematics that replaced two refusals: the Dirac
  delta in ``continuous.convolve`` (sifting property, derivatives) and the
  Gaussian factor ``exp(A t**2)`` with ``A > 0`` on a finite interval
  (``erfi``), against ``scipy.integrate.quad`` and with hypothesis;
* a fuzz list of bad calls (:func:`bad_calls`), each of which must raise a
  ``TypeError`` or ``ValueError`` whose message names the parameter.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from convbook import continuous, discrete, fourier, nn, polynomial
from convbook._validation import MAX_SIZE
from convbook.continuous import convolve, gaussian, one_sided_exp, pieces, rect, to_numeric, triangle

t = sp.Symbol("t", real=True)
R = sp.Rational
BOX = rect(t)
HUGE = 10**30
BIG = 2**62  # fits an index, but no array of that many elements (times anything) can exist
X2 = np.ones((1, 1, 3, 3))
W2 = np.ones((1, 1, 2, 2))
X1 = np.ones((1, 1, 4))
W1 = np.ones((1, 1, 2))
WT = np.ones((1, 1, 2, 2))
G2 = np.ones((1, 1, 2, 2))
LARGEST = re.escape(f"<= {MAX_SIZE} (the largest size a numpy array can have)")

# bad values for an array operand: (label, value)
BAD_ARRAYS = [
    ("None", None),
    ("str", "abc"),
    ("strlist", ["a", "b"]),
    ("complex", np.ones((1, 1, 3, 3)) * 1j),
    ("ragged", [[1, 2], [3]]),
    ("dict", {"a": 1}),
    ("set", {1, 2}),
    ("0d", np.float64(1.0)),
    ("0darr", np.array(1.0)),
    ("object", np.array([object()], dtype=object)),
    ("float16", np.ones((1, 1, 3, 3), dtype=np.float16)),
    ("datetime", np.array(["2020-01-01"], dtype="datetime64[D]")),
]
# bad values for an integer parameter
BAD_INTS = [
    ("huge", HUGE),
    ("neg", -1),
    ("float", 1.5),
    ("bool", True),
    ("str", "2"),
    ("None", None),
    ("complex", 1 + 0j),
    ("array", np.array([1, 2, 3])),
    ("timedelta", np.timedelta64(2)),
    ("hugebig", 10**5000),  # its repr is refused by Python (int_max_str_digits): the message must not be
]

NN_ARRAY_FUNCS = {
    "conv1d": (nn.conv1d, dict(x=X1, w=W1)),
    "conv1d_loops": (nn.conv1d_loops, dict(x=X1, w=W1)),
    "conv2d": (nn.conv2d, dict(x=X2, w=W2)),
    "conv2d_loops": (nn.conv2d_loops, dict(x=X2, w=W2)),
    "conv_transpose2d": (nn.conv_transpose2d, dict(x=X2, w=WT)),
    "conv_transpose2d_loops": (nn.conv_transpose2d_loops, dict(x=X2, w=WT)),
    "unfold": (nn.unfold, dict(x=X2, kernel_size=2)),
    "unfold_loops": (nn.unfold_loops, dict(x=X2, kernel_size=2)),
    "conv2d_backward": (nn.conv2d_backward, dict(grad_out=G2, x=X2, w=W2)),
    "conv2d_backward_loops": (nn.conv2d_backward_loops, dict(grad_out=G2, x=X2, w=W2)),
}
NN_INT_PARAMS = {
    "conv1d": ("stride", "padding", "dilation", "groups"),
    "conv2d": ("stride", "padding", "dilation", "groups"),
    "conv_transpose2d": ("stride", "padding", "output_padding", "groups", "dilation"),
    "unfold": ("kernel_size", "dilation", "padding", "stride"),
    "conv2d_backward": ("stride", "padding", "dilation", "groups"),
}
NN_OPERANDS = [(fname, param) for fname, (_, good) in NN_ARRAY_FUNCS.items() for param in good
               if param != "kernel_size"]
WITH_BIAS = [fname for fname, (_, good) in NN_ARRAY_FUNCS.items() if "w" in good and "grad_out" not in good]


# =============================================================================
# The fuzz list
# =============================================================================


def bad_calls():
    """[(id, parameter name, function, kwargs)]: every call must raise TypeError or ValueError naming the parameter."""
    calls = []

    def add(ident, param, fn, **kwargs):
        calls.append((ident, param, fn, kwargs))

    # nn: every array operand of every array function
    for fname, (fn, good) in NN_ARRAY_FUNCS.items():
        for param in good:
            if param == "kernel_size":
                continue
            for label, value in BAD_ARRAYS:
                add(f"nn.{fname}-{param}-{label}", param, fn, **{**good, param: value})
        if "w" in good and "grad_out" not in good:
            for label, value in BAD_ARRAYS:
                if label == "None":
                    continue  # an absent bias
                add(f"nn.{fname}-bias-{label}", "bias", fn, **good, bias=value)
            add(f"nn.{fname}-bias-2d", "bias", fn, **good, bias=np.ones((1, 1)))
    # nn: every int parameter, in the fast and the loop versions
    for fname, params in NN_INT_PARAMS.items():
        for suffix in ("", "_loops"):
            fn, good = NN_ARRAY_FUNCS[fname + suffix]
            for param in params:
                for label, value in BAD_INTS:
                    add(f"nn.{fname}{suffix}-{param}-{label}", param, fn, **{**good, param: value})
    # nn: sizes that no array can have, though each parameter is an int an array index can hold
    big = 2**62
    for fname in ("conv1d", "conv2d", "unfold"):
        for suffix in ("", "_loops"):
            fn, good = NN_ARRAY_FUNCS[fname + suffix]
            add(f"nn.{fname}{suffix}-padding-2**62", "padding", fn, **good, padding=big)
    for suffix in ("", "_loops"):
        fn, good = NN_ARRAY_FUNCS["conv_transpose2d" + suffix]
        add(f"nn.conv_transpose2d{suffix}-stride-2**62", "stride", fn, **good, stride=big)
        add(f"nn.conv_transpose2d{suffix}-dilation-2**62", "dilation", fn, **good, dilation=big)
        add(f"nn.conv_transpose2d{suffix}-stride-2**40", "stride", fn, **good, stride=2**40)
        add(f"nn.conv_transpose2d{suffix}-padding-same", "padding", fn, **good, padding="same")
    for fname in ("output_size", "transposed_output_size"):
        fn = getattr(nn, fname)
        params = ["n", "kernel_size", "stride", "padding", "dilation"]
        if fname == "transposed_output_size":
            params.append("output_padding")
        for param in params:
            for label, value in BAD_INTS:
                add(f"nn.{fname}-{param}-{label}", param, fn, **{"n": 5, "kernel_size": 3, param: value})

    # discrete
    a, v = [1.0, 2.0, 3.0], [1.0, 1.0]
    for fname in ("convolve", "convolve_loops", "correlate", "correlate_loops", "circular_convolve",
                  "circular_convolve_loops", "choose_method"):
        fn = getattr(discrete, fname)
        for param in ("a", "v"):
            for label, value in BAD_ARRAYS:
                if label in ("complex", "float16", "0d", "0darr"):
                    continue  # complex, float16 and scalars are fine inputs for a 1-D convolution
                add(f"discrete.{fname}-{param}-{label}", param, fn, **{"a": a, "v": v, param: value})
    for fname in ("circular_convolve", "circular_convolve_loops"):
        fn = getattr(discrete, fname)
        for label, value in BAD_INTS:
            if label == "None":
                continue  # n=None is the default
            add(f"discrete.{fname}-n-{label}", "n", fn, a=a, v=v, n=value)
        add(f"discrete.{fname}-n-2**62", "n", fn, a=a, v=v, n=2**62)
    for fname in ("convolution_matrix", "convolution_matrix_loops"):
        fn = getattr(discrete, fname)
        for label, value in BAD_INTS:
            add(f"discrete.{fname}-n-{label}", "n", fn, a=a, n=value)
        add(f"discrete.{fname}-n-2**40", "n", fn, a=a, n=2**40)
        add(f"discrete.{fname}-n-2**62", "n", fn, a=a, n=2**62)
        for label, value in BAD_ARRAYS:
            if label in ("complex", "float16", "0d", "0darr"):
                continue
            add(f"discrete.{fname}-a-{label}", "a", fn, a=value, n=3)
    for fname in ("convolve2d", "convolve2d_loops"):
        fn = getattr(discrete, fname)
        for param in ("a", "k"):
            for label, value in BAD_ARRAYS:
                if label in ("complex", "float16"):
                    continue
                add(f"discrete.{fname}-{param}-{label}", param, fn,
                    **{"a": np.ones((3, 3)), "k": np.ones((2, 2)), param: value})

    # fourier
    for fname in ("dft", "idft", "fft", "ifft", "fft_recursive", "fft_iterative", "fft_bluestein"):
        fn = getattr(fourier, fname)
        param = "X" if fname in ("idft", "ifft") else "x"
        for label, value in BAD_ARRAYS:
            if label in ("complex", "float16", "0d", "0darr"):
                continue
            add(f"fourier.{fname}-{param}-{label}", param, fn, **{param: value})
    for label, value in BAD_INTS:
        add(f"fourier.dft_matrix-n-{label}", "n", fourier.dft_matrix, n=value)
    for param in ("a", "v"):
        for label, value in BAD_ARRAYS:
            if label in ("complex", "float16", "0d", "0darr"):
                continue
            add(f"fourier.fft_convolve-{param}-{label}", param, fourier.fft_convolve,
                **{"a": [1, 2], "v": [1, 1], param: value})
    for label, value in BAD_INTS:
        add(f"fourier.to_limbs-limb_bits-{label}", "limb_bits", fourier.to_limbs, x=5, limb_bits=value)
        add(f"fourier.from_limbs-limb_bits-{label}", "limb_bits", fourier.from_limbs, coefficients=[1, 2],
            limb_bits=value)
        add(f"fourier.multiply_plan-bits_x-{label}", "bits_x", fourier.multiply_plan, bits_x=value, bits_y=10)
        add(f"fourier.multiply_plan-bits_y-{label}", "bits_y", fourier.multiply_plan, bits_x=10, bits_y=value)
        add(f"fourier.multiply_unsafe-limb_bits-{label}", "limb_bits", fourier.multiply_unsafe, x=5, y=7,
            limb_bits=value)
        if label not in ("huge", "hugebig", "neg"):
            add(f"fourier.to_limbs-x-{label}", "x", fourier.to_limbs, x=value, limb_bits=8)
            add(f"fourier.multiply-x-{label}", "x", fourier.multiply, x=value, y=3)
            add(f"fourier.multiply-y-{label}", "y", fourier.multiply, x=3, y=value)
            add(f"fourier.multiply_unsafe-x-{label}", "x", fourier.multiply_unsafe, x=value, y=3, limb_bits=8)
        if label not in ("huge", "hugebig", "None"):
            add(f"fourier.multiply-threshold-{label}", "threshold", fourier.multiply, x=3, y=5, threshold=value)
    add("fourier.from_limbs-limb_bits-2**62", "limb_bits", fourier.from_limbs, coefficients=[1, 2], limb_bits=2**62)
    for label, value in BAD_ARRAYS:
        if label in ("0d", "0darr", "float16"):
            continue
        add(f"fourier.from_limbs-coefficients-{label}", "coefficients", fourier.from_limbs,
            coefficients=value, limb_bits=8)

    # polynomial
    for fname in ("multiply", "multiply_loops"):
        fn = getattr(polynomial, fname)
        for param in ("p", "q"):
            for label, value in BAD_ARRAYS:
                if label in ("complex", "float16", "0d", "0darr"):
                    continue
                add(f"polynomial.{fname}-{param}-{label}", param, fn, **{"p": [1, 2], "q": [1, 1], param: value})
    for label, value in BAD_INTS:
        if label not in ("huge", "hugebig"):
            add(f"polynomial.to_digits-n-{label}", "n", polynomial.to_digits, n=value)
            if label != "neg":
                add(f"polynomial.multiply_integers-x-{label}", "x", polynomial.multiply_integers, x=value, y=3)
        if label in ("huge", "hugebig"):
            continue  # any base >= 2 is fine: Python ints have no size limit
        add(f"polynomial.to_digits-base-{label}", "base", polynomial.to_digits, n=12, base=value)
        add(f"polynomial.from_digits-base-{label}", "base", polynomial.from_digits, digits=[1, 2], base=value)
        add(f"polynomial.carry-base-{label}", "base", polynomial.carry, coefficients=[1, 2], base=value)
        add(f"polynomial.multiply_integers-base-{label}", "base", polynomial.multiply_integers, x=12, y=3,
            base=value)
    for label, value in BAD_ARRAYS:
        if label in ("0d", "0darr", "float16"):
            continue
        add(f"polynomial.from_digits-digits-{label}", "digits", polynomial.from_digits, digits=value)
        add(f"polynomial.carry-coefficients-{label}", "coefficients", polynomial.carry, coefficients=value)

    # continuous: signals that are not functions, or not formulas
    f_undef = sp.Function("f")(t)
    integral = sp.Integral(sp.exp(-t * sp.Symbol("s")), (sp.Symbol("s"), 0, 1))
    not_numeric = [
        ("delta", sp.DiracDelta(t)),
        ("delta1", sp.DiracDelta(t - 1, 1)),
        ("boxdelta", BOX + sp.DiracDelta(t - 2)),
        ("undef", f_undef),
        ("integral", integral),
        ("derivative", sp.Derivative(f_undef, t)),
        ("sum", sp.Sum(t**sp.Symbol("k"), (sp.Symbol("k"), 0, 3))),
        ("complexsym", BOX * sp.Symbol("z")),
    ]
    for label, value in not_numeric:
        add(f"continuous.to_numeric-expr-{label}", "expr", continuous.to_numeric, expr=value, t=t)
        for param in ("f", "g"):
            kwargs = {**dict(f=BOX, g=BOX, t=t, t_values=[0.5], dx=0.1, lo=0, hi=1), param: value}
            add(f"continuous.riemann_convolve-{param}-{label}", param, continuous.riemann_convolve, **kwargs)
    for label, value in not_numeric[3:-1]:  # a symbolic amplitude z is fine for the exact convolution
        for fname in ("convolve", "pieces", "support"):
            fn = getattr(continuous, fname)
            kwargs = dict(f=value, t=t) if fname != "convolve" else dict(f=value, g=BOX, t=t)
            add(f"continuous.{fname}-f-{label}", "f", fn, **kwargs)
    for label, value in [("delta", sp.DiracDelta(t)), ("delta_t2", sp.DiracDelta(t**2 - 1)),
                         ("delta_product", sp.DiracDelta(t) * sp.DiracDelta(t - 1)),
                         ("delta_at_jump", BOX * sp.DiracDelta(t))]:
        if label == "delta":
            for fname in ("pieces", "support"):
                add(f"continuous.{fname}-f-{label}", "f", getattr(continuous, fname), f=value, t=t)
        else:
            add(f"continuous.convolve-f-{label}", "f", continuous.convolve, f=value, g=BOX, t=t)
    base = dict(f=BOX, g=BOX, t=t, t_values=[0.5], dx=0.1, lo=0, hi=1)
    for label, value in [("complex", [1 + 2j, 3]), ("complex0d", 1j), ("str", ["a"]), ("None", None),
                         ("2d", [[0.5]]), ("nan", [np.nan]), ("inf", [np.inf]), ("obj_complex", [sp.I]),
                         ("huge_int", [10**400]), ("dict", {"a": 1})]:
        add(f"continuous.riemann_convolve-t_values-{label}", "t_values", continuous.riemann_convolve,
            **{**base, "t_values": value})
    for param in ("dx", "lo", "hi"):
        for label, value in [("complex", 0.1 + 1j), ("str", "0.1"), ("None", None), ("bool", True),
                             ("nan", float("nan")), ("inf", float("inf")), ("huge", 10**400),
                             ("array", np.array([0.1, 0.2])), ("sympy", sp.Rational(1, 10) + sp.I)]:
            add(f"continuous.riemann_convolve-{param}-{label}", param, continuous.riemann_convolve,
                **{**base, param: value})
    add("continuous.riemann_convolve-dx-tiny", "dx", continuous.riemann_convolve, **{**base, "dx": 1e-300})
    add("continuous.riemann_convolve-dx-2**-40", "dx", continuous.riemann_convolve,
        **{**base, "dx": 2.0**-40, "t_values": np.zeros(1000)})
    for label, value in [("complex", [1 + 2j]), ("str", ["a"]), ("None", None), ("obj_complex", [sp.I])]:
        add(f"continuous.to_numeric(BOX)-x-{label}", "x", continuous.to_numeric(BOX, t), x=value)
    for fname in ("convolve", "pieces", "support", "to_numeric"):
        fn = getattr(continuous, fname)
        first = "expr" if fname == "to_numeric" else "f"
        extra = dict(g=BOX) if fname == "convolve" else {}
        for label, value in [("None", None), ("str", "t"), ("positive", sp.Symbol("p", positive=True)), ("expr", t + 1), ("int", 1)]:
            add(f"continuous.{fname}-t-{label}", "t", fn, **{first: BOX, "t": value}, **extra)
        for label, value in [("None", None), ("list", [1, 2]), ("relational", t < 1), ("oo", sp.oo),
                             ("nan", sp.nan), ("bool", True), ("array", np.ones(2))]:
            add(f"continuous.{fname}-{first}-{label}", first, fn, **{first: value, "t": t}, **extra)
    for fname, params in (("rect", ("a", "b")), ("one_sided_exp", ("a",)), ("gaussian", ("sigma", "mu"))):
        fn = getattr(continuous, fname)
        for param in params:
            for label, value in [("complex", 1 + 2j), ("I", sp.I), ("str", "1"), ("None", None),
                                 ("nan", float("nan")), ("signal", BOX), ("undef", sp.Function("h")(t))]:
                add(f"continuous.{fname}-{param}-{label}", param, fn, t=t, **{param: value})
        for label, value in [("None", None), ("complex", sp.I * t), ("str", "t"), ("number", 1.5)]:
            add(f"continuous.{fname}-t-{label}", "t", fn, t=value)
    return calls


BAD_CALLS = bad_calls()


def test_the_fuzz_list_is_large_and_its_ids_unique():
    ids = [ident for ident, *_ in BAD_CALLS]
    assert len(ids) == len(set(ids))
    assert len(ids) > 1500
    assert {ident.split(".")[0] for ident in ids} == {"nn", "discrete", "fourier", "polynomial", "continuous"}


@pytest.mark.parametrize(("param", "fn", "kwargs"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS])
def test_every_bad_call_raises_a_clear_error(param, fn, kwargs):
    """A TypeError or ValueError (never AttributeError, IndexError, NameError, MemoryError, OverflowError,
    a numpy warning, nor a result) whose message names the parameter."""
    with pytest.raises((TypeError, ValueError)) as info:
        fn(**kwargs)
    assert type(info.value) in (TypeError, ValueError), repr(info.value)  # not a subclass from numpy or sympy
    assert re.search(rf"(?<![A-Za-z_]){re.escape(param)}(?![A-Za-z_])", str(info.value)), str(info.value)


# =============================================================================
# nn: None, 0-d arrays, sizes no array can have
# =============================================================================


@pytest.mark.parametrize(("fname", "param"), NN_OPERANDS)
def test_nn_none_operand_is_a_type_error(fname, param):
    fn, good = NN_ARRAY_FUNCS[fname]
    with pytest.raises(TypeError, match=rf"^{fname}: {param} must be an array of real numbers, got None\.$"):
        fn(**{**good, param: None})


@pytest.mark.parametrize("fname", WITH_BIAS)
@pytest.mark.parametrize("bias", [np.float64(1.0), np.array(1.0), 1.0], ids=["numpy-scalar", "0d-array", "float"])
def test_nn_0d_bias_is_refused_as_pytorch_does(fname, bias):
    fn, good = NN_ARRAY_FUNCS[fname]
    transposed = "Given transposed=1, " if "transpose" in fname else "Given "
    with pytest.raises(ValueError, match=rf"{fname}: {transposed}weight of size \[1, 1, 2(, 2)?\], expected bias to "
                                         r"be 1-dimensional with 1 elements, but got bias of shape \(\) instead"):
        fn(**good, bias=bias)


@pytest.mark.parametrize("fname", WITH_BIAS)
def test_nn_1_element_bias_still_works(fname):
    fn, good = NN_ARRAY_FUNCS[fname]
    np.testing.assert_array_equal(fn(**good, bias=np.array([2.0])), fn(**good) + 2.0)


@pytest.mark.parametrize(("fname", "param"), [(f, p) for f, p in NN_OPERANDS if p != "grad_out"])
def test_nn_0d_operand_is_refused_with_its_shape(fname, param):
    fn, good = NN_ARRAY_FUNCS[fname]
    with pytest.raises(ValueError, match=rf"{fname}: {param} must be \d-D .*got an array of shape \(\) and dtype float64"):
        fn(**{**good, param: np.array(1.0)})


@pytest.mark.parametrize("fname", ["conv2d_backward", "conv2d_backward_loops"])
def test_nn_0d_grad_out_is_refused_with_its_shape(fname):
    fn, good = NN_ARRAY_FUNCS[fname]
    with pytest.raises(ValueError, match=rf"{fname}: grad_out must have the shape of conv2d\(x, w, \.\.\.\) = "
                                         r"\(1, 1, 2, 2\), got an array of shape \(\)"):
        fn(**{**good, "grad_out": np.array(1.0)})


@pytest.mark.parametrize("fname", list(NN_ARRAY_FUNCS))
@pytest.mark.parametrize("param", ["stride", "padding", "dilation"])
def test_nn_size_above_any_array_is_refused_by_name(fname, param):
    fn, good = NN_ARRAY_FUNCS[fname]
    with pytest.raises(ValueError, match=rf"^{param} must be an integer {LARGEST}, got {HUGE} \(type int\)"):
        fn(**good, **{param: HUGE})


@pytest.mark.parametrize("fname", ["conv1d", "conv1d_loops", "conv2d", "conv2d_loops", "unfold", "unfold_loops"])
@pytest.mark.parametrize(("padding", "why"), [
    (BIG, r"that is \d+ elements: more than a numpy array can have \(9223372036854775807\)"),
    (2**20, r"[TP]iB of float64: more than this machine's memory"),
])
def test_nn_padding_too_large_for_any_array(fname, padding, why):
    """Samples of 64 channels, each 2**21 long once padded: 1 TiB (1-D) and far more (2-D)."""
    fn, _ = NN_ARRAY_FUNCS[fname]
    if fname.startswith("conv1d"):
        good = dict(x=np.ones((1024, 64, 3)), w=np.ones((1, 64, 2)))
    elif fname.startswith("conv2d"):
        good = dict(x=np.ones((64, 64, 3, 3)), w=np.ones((1, 64, 2, 2)))
    else:
        good = dict(x=np.ones((64, 64, 3, 3)), kernel_size=2)
    with pytest.raises(ValueError, match=rf"^{fname}: padding={padding} would make a padded input of shape .*{why}"):
        fn(**good, padding=padding)


@pytest.mark.parametrize("fname", ["conv_transpose2d", "conv_transpose2d_loops"])
@pytest.mark.parametrize(("param", "value"), [("stride", BIG), ("stride", 2**40), ("dilation", BIG), ("dilation", 2**40),
                                              ("stride", (1, BIG))])
def test_conv_transpose2d_stride_or_dilation_too_large(fname, param, value):
    fn, good = NN_ARRAY_FUNCS[fname]
    with pytest.raises(ValueError, match=rf"^{fname}: {param}={re.escape(repr(value))} would make an output \(before "
                                         r"cropping\) of shape \(1, 1, \d+, \d+\), that is \d+ elements: more than a "
                                         r"numpy array can have"):
        fn(**good, **{param: value})


def test_conv_transpose2d_large_stride_that_fits_still_works():
    out = nn.conv_transpose2d(np.ones((1, 1, 2, 1)), np.ones((1, 1, 1, 1)), stride=(1000, 1))
    assert out.shape == (1, 1, 1001, 1) and out.sum() == 2.0


def test_unfold_kernel_size_whose_columns_cannot_be_held():
    x = np.ones((1, 1, 4000, 4000), dtype=np.float32)  # 64 MB; the columns of a 2000 x 2000 window: 58 TiB
    with pytest.raises(ValueError, match=r"^unfold: kernel_size=2000 would make an output of shape "
                                         r"\(1, 4000000, 2001, 2001\), 58\.3 TiB of float32: more than this "
                                         r"machine's memory"):
        nn.unfold(x, 2000)


def test_conv2d_kernel_whose_im2col_columns_cannot_be_held():
    x = np.ones((1, 1, 4000, 4000), dtype=np.float32)
    w = np.ones((1, 1, 2000, 2000), dtype=np.float32)
    with pytest.raises(ValueError, match=r"^conv2d: w of shape \(1, 1, 2000, 2000\) would make the im2col columns "
                                         r"of one sample of shape \(16016004000000,\), 58\.3 TiB of float32"):
        nn.conv2d(x, w)


@pytest.mark.parametrize("fname", ["output_size", "transposed_output_size"])
@pytest.mark.parametrize("param", ["n", "kernel_size", "stride", "padding", "dilation"])
def test_output_size_parameters_above_any_array(fname, param):
    with pytest.raises(ValueError, match=rf"^{param} must be an integer {LARGEST}, got {HUGE}"):
        getattr(nn, fname)(**{"n": 5, "kernel_size": 3, param: HUGE})


# =============================================================================
# discrete, fourier, polynomial: sizes
# =============================================================================


@pytest.mark.parametrize("fn", [discrete.circular_convolve, discrete.circular_convolve_loops])
def test_circular_period_above_any_array(fn):
    with pytest.raises(ValueError, match=rf"^n must be an integer {LARGEST}, got {HUGE}"):
        fn([1, 2], [1], n=HUGE)
    with pytest.raises(ValueError, match=rf"^n={BIG} would make an output of shape \({BIG},\), 32\.0 EiB of int64: "
                                         r"more than this machine's memory"):
        fn([1, 2], [1], n=BIG)
    with pytest.raises(ValueError, match=r"^n=1099511627776 would make an output of shape \(1099511627776,\), 8\.0 "
                                         r"TiB of float64: more than this machine's memory"):
        fn([1.0, 2.0], [1.0], n=2**40)


@pytest.mark.parametrize("fn", [discrete.convolution_matrix, discrete.convolution_matrix_loops])
def test_convolution_matrix_size_above_any_array(fn):
    with pytest.raises(ValueError, match=rf"^n must be an integer {LARGEST}, got {HUGE}"):
        fn([1, 2], HUGE)
    with pytest.raises(ValueError, match=r"^n=1099511627776 would make a matrix of shape \(1099511627777, "
                                         r"1099511627776\), that is \d+ elements: more than a numpy array can have"):
        fn([1, 2], 2**40)
    with pytest.raises(ValueError, match=r"^n=1048576 would make a matrix of shape \(1048576, 1048576\), 8\.0 TiB of "
                                         r"float64: more than this machine's memory"):
        fn([1.0], 2**20)


def test_circular_convolve_loops_keeps_inf_where_the_fast_path_does():
    a, v = [np.inf, 1.0], [1.0]
    np.testing.assert_array_equal(discrete.circular_convolve_loops(a, v, n=4), discrete.circular_convolve(a, v, n=4))
    np.testing.assert_array_equal(discrete.circular_convolve_loops(a, v, n=4), [np.inf, 1.0, 0.0, 0.0])


def test_from_limbs_result_too_large_for_memory():
    with pytest.raises(ValueError, match=rf"^limb_bits={BIG} is too large for 2 coefficients: coefficient 1 is "
                                         rf"shifted by 1 \* limb_bits bits, so the result would have {BIG + 2} bits, "
                                         r"more than this machine's memory"):
        fourier.from_limbs([1, 2], BIG)
    with pytest.raises(ValueError, match=rf"^limb_bits must be an integer {LARGEST}"):
        fourier.from_limbs([1, 2], HUGE)
    assert fourier.from_limbs([5, 0, 0], BIG) == 5  # zeros are never shifted


@pytest.mark.parametrize("param", ["bits_x", "bits_y"])
def test_multiply_plan_sizes_above_any_number(param):
    with pytest.raises(ValueError, match=rf"^{param} must be an integer {LARGEST}, got an integer of 16610 bits"):
        fourier.multiply_plan(**{"bits_x": 10, "bits_y": 10, param: 10**5000})


def test_messages_with_huge_ints_are_printable():
    with pytest.raises(ValueError, match=r"^n must be an integer between 1 and 4096 for dft_matrix, got an integer "
                                         r"of 16610 bits \(type int\)"):
        fourier.dft_matrix(10**5000)
    with pytest.raises(ValueError, match=r"^digits\[0\] must be a digit in \[0, base\), base an integer of 16610 bits"):
        polynomial.from_digits([10**5000], 10**5000)
    with pytest.raises(TypeError, match=r"^x must be an integer \(int, any size\), got (np|numpy).timedelta64\(2\)"):
        polynomial.multiply_integers(np.timedelta64(2), 3)


# =============================================================================
# continuous: every numeric path refuses what it cannot evaluate
# =============================================================================

F_UNDEF = sp.Function("f")(t)
S = sp.Symbol("s")
NOT_NUMERIC = [
    (sp.DiracDelta(t), r"holds DiracDelta\(t\), the Dirac delta: a distribution, not a function"),
    (sp.DiracDelta(t - 1, 2), r"holds DiracDelta\(t - 1, 2\), a derivative of the Dirac delta: a distribution"),
    (BOX + 3 * sp.DiracDelta(t - 2), r"holds DiracDelta\(t - 2\), the Dirac delta"),
    (F_UNDEF * BOX, r"holds the undefined function f\(t\): sympy knows nothing about its values"),
    (sp.Integral(sp.exp(-t * S), (S, 0, 1)), r"holds the unevaluated Integral Integral\(exp\(-s\*t\), \(s, 0, 1\)\)"),
    (sp.Derivative(F_UNDEF, t), r"holds the unevaluated Derivative"),
    (sp.Sum(t**S, (S, 0, 3)), r"holds the unevaluated Sum"),
    (sp.polylog(2, t) * BOX, r"= .*polylog\(2, t\).* cannot be evaluated numerically: numpy/scipy \(through "
                             r"sympy.lambdify\) have no numeric version of it \(NameError"),
    (sp.hyper([1], [2], t), r"= hyper\(\(1,\), \(2,\), t\) cannot be evaluated numerically: .* Evaluate it "
                            r"with sympy instead"),
]


@pytest.mark.parametrize(("expr", "match"), NOT_NUMERIC)
def test_to_numeric_refuses_what_numpy_cannot_evaluate(expr, match):
    with pytest.raises(ValueError, match=rf"^expr {match}"):
        to_numeric(expr, t)


@pytest.mark.parametrize("method", ["vectorized", "loops"])
@pytest.mark.parametrize("which", ["f", "g"])
@pytest.mark.parametrize(("expr", "match"), NOT_NUMERIC)
def test_riemann_convolve_refuses_what_numpy_cannot_evaluate(expr, match, which, method):
    kwargs = dict(f=BOX, g=BOX, t_values=[0.5], dx=0.1, lo=0, hi=1, method=method)
    kwargs[which] = expr
    with pytest.raises(ValueError, match=rf"^{which} {match}"):
        continuous.riemann_convolve(t=t, **kwargs)


@pytest.mark.parametrize("fname", ["convolve", "pieces", "support"])
@pytest.mark.parametrize(("expr", "match"), NOT_NUMERIC[3:7])
def test_exact_paths_refuse_unevaluated_and_undefined(fname, expr, match):
    fn = getattr(continuous, fname)
    with pytest.raises(ValueError, match=rf"^f {match}"):
        fn(expr, BOX, t) if fname == "convolve" else fn(expr, t)


@pytest.mark.parametrize("fname", ["pieces", "support"])
def test_pieces_of_a_delta_point_to_convolve(fname):
    with pytest.raises(ValueError, match=r"^f: DiracDelta\(t - 1\) is a distribution, not a function: it has no "
                                         r"value at any point, hence no pieces. convolve accepts it"):
        getattr(continuous, fname)(sp.DiracDelta(t - 1), t)


@pytest.mark.parametrize(("f", "match"), [
    (sp.DiracDelta(t**2 - 1), r"the argument of DiracDelta must be linear in t, such as DiracDelta\(t - 1\) .*got t\*\*2 - 1"),
    (sp.DiracDelta(t) * sp.DiracDelta(t - 1), r"products of deltas, or deltas inside other functions"),
    (sp.exp(sp.DiracDelta(t)), r"products of deltas, or deltas inside other functions"),
    (sp.Piecewise((sp.DiracDelta(t), t < 1), (0, True)), r"products of deltas, or deltas inside other functions"),
    (BOX * sp.DiracDelta(t), r"cannot convolve .*: Piecewise.* jumps or bends at t = 0, where the delta sits"),
    (sp.Abs(t - 1) * sp.DiracDelta(t - 1, 1), r"jumps or bends at t = 1, where the delta sits"),
    (sp.DiracDelta(sp.Symbol("c", real=True) * t), r"cannot decide the sign of c"),
])
def test_convolve_refuses_deltas_it_cannot_sift(f, match):
    with pytest.raises(ValueError, match=match):
        convolve(f, BOX, t)


@pytest.mark.parametrize("method", ["vectorized", "loops"])
@pytest.mark.parametrize(("t_values", "shown"), [
    ([1 + 2j, 3], r"\[\(1\+2j\), 3\] \(type list\)"),
    (1j, r"1j \(type complex\)"),
    (np.array([0.5 + 0j]), r"an array of shape \(1,\) and dtype complex128"),
])
def test_riemann_convolve_refuses_complex_t_values(t_values, shown, method):
    with pytest.raises(TypeError, match=rf"^t_values must hold real numbers, got {shown}: complex values are "
                                        r"refused, as dropping their imaginary part would silently give a wrong"):
        continuous.riemann_convolve(BOX, BOX, t, t_values, dx=0.1, lo=0, hi=1, method=method)


@pytest.mark.parametrize("param", ["dx", "lo", "hi"])
@pytest.mark.parametrize(("value", "exc", "match"), [
    (0.1 + 1j, TypeError, r"must be a real number, got \(0.1\+1j\) \(type complex\)"),
    (np.complex128(1), TypeError, r"must be a real number, got np.complex128\(1\+0j\)|must be a real number, got \(1\+0j\)"),
    (10**400, ValueError, r"must be a real number within float range \(about 1.8e308\), got an integer of 1329 bits"),
    (float("nan"), ValueError, r"must be finite, got nan"),
])
def test_riemann_convolve_scalars_must_be_real(param, value, exc, match):
    kwargs = dict(dx=0.1, lo=0, hi=1)
    kwargs[param] = value
    with pytest.raises(exc, match=rf"^{param} {match}"):
        continuous.riemann_convolve(BOX, BOX, t, [0.5], **kwargs)


def test_riemann_convolve_dx_too_small_for_any_array():
    with pytest.raises(ValueError, match=r"^dx=1e-300 is too small for the range lo=0 \.\. hi=1: \(hi - lo\) / dx = "
                                         r"1e\+300 cells, more than an array can have"):
        continuous.riemann_convolve(BOX, BOX, t, [0.5], dx=1e-300, lo=0, hi=1)
    with pytest.raises(ValueError, match=r"^dx=9.094947017729282e-13 would make a Riemann sum of shape \(1000, "
                                         r"1099511627776\), 7.8 PiB of float64: more than this machine's memory"):
        continuous.riemann_convolve(BOX, BOX, t, np.zeros(1000), dx=2.0**-40, lo=0, hi=1)


def test_complex_valued_signals_keep_their_imaginary_part_in_both_methods():
    chirp = sp.exp(sp.I * t) * BOX
    exact = complex(convolve(chirp, BOX, t).subs(t, R(1, 2)))
    for method in ("vectorized", "loops"):
        got = continuous.riemann_convolve(chirp, BOX, t, [0.5], dx=1e-3, lo=0, hi=1, method=method)
        assert got.dtype == np.complex128
        assert abs(got[0] - exact) < 1e-3 and abs(exact.imag) > 0.1


def test_to_numeric_refuses_complex_points():
    F = to_numeric(BOX, t)
    with pytest.raises(TypeError, match=r"^x must hold real numbers, got \[1j\] \(type list\): complex values are"):
        F([1j])


@pytest.mark.parametrize("fn", [rect, triangle, one_sided_exp, gaussian])
@pytest.mark.parametrize("arg", [sp.I * t, t + sp.I, sp.I], ids=["I*t", "t+I", "I"])
def test_constructors_refuse_a_non_real_variable(fn, arg):
    with pytest.raises(ValueError, match=rf"^t must be a real sympy Symbol or expression, .* got {re.escape(str(arg))} "
                                         r"\(type \w+\): a signal is compared with its edges"):
        fn(arg)


@pytest.mark.parametrize(("fn", "param"), [(rect, "a"), (rect, "b"), (one_sided_exp, "a"), (gaussian, "sigma"),
                                           (gaussian, "mu")])
@pytest.mark.parametrize("value", [BOX, sp.Heaviside(t), sp.Function("h")(t)], ids=["rect", "Heaviside", "h(t)"])
def test_constructor_parameters_are_not_signals(fn, param, value):
    with pytest.raises(ValueError, match=rf"^{param} must be a number or an expression in parameters \(such as a "
                                         r"positive symbol\), not a signal"):
        fn(t, **{param: value})


# =============================================================================
# continuous: the mathematics that replaced two refusals
# =============================================================================

c_pos = sp.Symbol("c", positive=True)
SIGNALS = {
    "rect": BOX,
    "rect(-1, 2)": rect(t, -1, 2),
    "triangle": triangle(t),
    "one_sided_exp": one_sided_exp(t, 2),
    "gaussian": gaussian(t),
    "t**2 * rect": t**2 * BOX,
    "exp(t) * rect": sp.exp(t) * BOX,
}
POINTS = [R(k, 7) for k in range(-20, 40, 3)]  # never on a breakpoint of the shifted signals below


def assert_equal_at(got, expected, points=POINTS):
    for p in points:
        assert sp.simplify(got.subs(t, p) - expected.subs(t, p)) == 0, (p, got, expected)


def assert_same_pieces(got, expected):
    pg, pe = pieces(got, t), pieces(expected, t)
    assert [(lo, hi) for lo, hi, _ in pg] == [(lo, hi) for lo, hi, _ in pe], (got, expected)
    for (_, _, p), (_, _, q) in zip(pg, pe):
        assert sp.simplify(p - q) == 0, (p, q)


@pytest.mark.parametrize("shift", [0, 2, R(-1, 2)])
@pytest.mark.parametrize("name", list(SIGNALS))
def test_delta_sifts(name, shift):
    """convolve(DiracDelta(t - c), g, t) == g(t - c), in either order."""
    g = SIGNALS[name]
    expected = g.subs(t, t - shift)
    assert_same_pieces(convolve(sp.DiracDelta(t - shift), g, t), expected)
    assert_same_pieces(convolve(g, sp.DiracDelta(t - shift), t), expected)


def test_delta_with_a_symbolic_shift():
    got = convolve(sp.DiracDelta(t - c_pos), one_sided_exp(t, 1), t)
    assert_equal_at(got.subs(c_pos, 3), one_sided_exp(t - 3, 1))
    assert sp.simplify(convolve(sp.DiracDelta(t - c_pos), gaussian(t), t) - gaussian(t, 1, c_pos)) == 0


@pytest.mark.parametrize("k", [1, 2, 3])
def test_derivatives_of_delta_differentiate_smooth_signals(k):
    g = gaussian(t)
    got = convolve(sp.DiracDelta(t - 1, k), g, t)
    assert sp.simplify(got - sp.diff(g, t, k).subs(t, t - 1)) == 0


def test_derivative_of_delta_differentiates_a_triangle_and_its_jumps_become_deltas():
    # triangle' = +1 on (-1, 0), -1 on (0, 1): no jump, so no delta
    got = convolve(sp.DiracDelta(t, 1), triangle(t), t)
    assert_same_pieces(got, sp.Piecewise((0, t < -1), (1, t < 0), (-1, t < 1), (0, True)))
    # triangle'' = delta(t + 1) - 2 delta(t) + delta(t - 1): the jumps of triangle'
    second = convolve(sp.DiracDelta(t - 2, 2), triangle(t), t)
    assert sp.simplify(second - (sp.DiracDelta(t - 1) - 2 * sp.DiracDelta(t - 2) + sp.DiracDelta(t - 3))) == 0


def test_derivative_of_delta_on_a_box_gives_the_edges():
    assert sp.simplify(convolve(sp.DiracDelta(t, 1), BOX, t) - (sp.DiracDelta(t) - sp.DiracDelta(t - 1))) == 0
    # a box times e^t: the smooth part differentiates, the jumps (1 and -e) become deltas
    got = convolve(sp.DiracDelta(t, 1), sp.exp(t) * BOX, t)
    regular = got - (sp.DiracDelta(t) - sp.E * sp.DiracDelta(t - 1))
    assert not regular.has(sp.DiracDelta)
    assert_same_pieces(regular, sp.exp(t) * BOX)


@pytest.mark.parametrize(("f", "g", "expected"), [
    (3 * sp.DiracDelta(2 * t - 2), BOX, R(3, 2) * rect(t, 1, 2)),          # delta(2(t - 1)) = delta(t - 1) / 2
    (sp.DiracDelta(1 - t), BOX, rect(t, 1, 2)),                               # delta is even
    (sp.exp(t) * sp.DiracDelta(t - 1), BOX, sp.E * rect(t, 1, 2)),            # c(t) delta(t - a) = c(a) delta(t - a)
    (t * sp.DiracDelta(t, 1), BOX, -BOX),                                     # t delta'(t) = -delta(t)
    (BOX + sp.DiracDelta(t), BOX, convolve(BOX, BOX, t) + BOX),              # linearity
    (sp.DiracDelta(t - 1), sp.DiracDelta(t - 2), sp.DiracDelta(t - 3)),      # delta * delta
    (sp.DiracDelta(t - 1, 1), sp.DiracDelta(t + 1), sp.DiracDelta(t, 1)),
])
def test_delta_rules(f, g, expected):
    got = convolve(f, g, t)
    if expected.has(sp.DiracDelta):
        assert sp.simplify(got - expected) == 0, got
    else:
        assert_same_pieces(got, expected)


@settings(max_examples=20, deadline=None)
@given(shift=st.fractions(min_value=-3, max_value=3, max_denominator=5),
       coefficients=st.lists(st.integers(-3, 3), min_size=1, max_size=3),
       weight=st.integers(-3, 3).filter(bool))
def test_delta_sifting_property(shift, coefficients, weight):
    """weight * delta(t - c) convolved with a polynomial on a box is the shifted, scaled polynomial box."""
    c = sp.Rational(shift.numerator, shift.denominator)
    g = sum(k * t**i for i, k in enumerate(coefficients)) * rect(t, -1, 1)
    got = convolve(weight * sp.DiracDelta(t - c), g, t)
    assert_equal_at(got, weight * g.subs(t, t - c), [c + R(k, 3) for k in range(-5, 6)])


def _quad_convolution(f, tv, lo, hi):
    """(f * rect)(tv) by scipy.integrate.quad, f being zero outside [lo, hi] (its jumps and kinks at 0, lo, hi)."""
    F, G = to_numeric(f, t), to_numeric(BOX, t)
    inside = sorted(p for p in {0.0, tv - 1, tv} if lo < p < hi)  # where the integrand jumps or bends
    value, _ = quad(lambda x: float(F(x)) * float(G(tv - x)), lo, hi, points=inside or None, limit=200,
                    epsabs=1e-13, epsrel=1e-12)
    return value


GROWING = [
    sp.exp(t**2) * BOX,
    sp.exp(2 * t**2 - t) * BOX,
    t * sp.exp(t**2) * BOX,
    t**2 * sp.exp(t**2 + 3 * t) * rect(t, -1, 1),
    sp.exp(R(1, 2) * t**2) * triangle(t),
]


@pytest.mark.parametrize("f", GROWING, ids=[str(f)[:40] for f in GROWING])
def test_growing_gaussian_factor_on_a_finite_interval_matches_quad(f):
    """The closed form (erfi, as the integrand exp(A tau**2), A > 0, is bounded there) against numeric quadrature."""
    v = convolve(f, BOX, t)
    assert not v.has(sp.I)  # a real closed form (erfi, or elementary for an odd power of t)
    V = to_numeric(v, t)
    for tv in [-1.5, -0.5, 0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 1.9, 2.5]:
        expected = _quad_convolution(f, tv, -1, 1)
        assert V(tv) == pytest.approx(expected, rel=1e-9, abs=1e-12), (tv, float(V(tv)), expected)


@settings(max_examples=15, deadline=None)
@given(A=st.integers(1, 6), B=st.integers(-4, 4), width=st.integers(1, 3), tv=st.floats(-0.5, 4.5))
def test_growing_gaussian_property(A, B, width, tv):
    f = sp.exp(R(A, 2) * t**2 + B * t) * rect(t, 0, R(width, 2))
    v = convolve(f, BOX, t)
    assert not v.has(sp.I)
    expected = _quad_convolution(f, tv, 0, width / 2)
    assert to_numeric(v, t)(tv) == pytest.approx(expected, rel=1e-8, abs=1e-12)


def test_growing_gaussian_on_an_infinite_interval_still_diverges():
    with pytest.raises(ValueError, match=r"^the convolution integral diverges: the integrand .*exp\(tau\*\*2.* does "
                                         r"not vanish as tau -> -oo"):
        convolve(sp.exp(t**2), sp.Heaviside(t) * sp.exp(-t), t)
    with pytest.raises(ValueError, match=r"diverges: the integrand .* does not vanish as tau -> oo"):
        convolve(sp.exp(t**2) * sp.Heaviside(t), sp.Heaviside(-t), t)


# =============================================================================
# nn: a property over sizes, small and absurd
# =============================================================================

SIZES = st.one_of(st.integers(-2, 4), st.sampled_from([2**20, 2**31, 2**40, 2**62, 2**63 - 1, 2**63, HUGE]))


@settings(max_examples=60, deadline=None)
@given(stride=SIZES, padding=SIZES, dilation=SIZES)
def test_conv2d_either_gives_the_predicted_shape_or_names_a_parameter(stride, padding, dilation):
    """Never numpy's own error, never an allocation attempt that cannot succeed."""
    try:
        out = nn.conv2d(X2, W2, stride=stride, padding=padding, dilation=dilation)
    except ValueError as exc:
        assert re.search(r"\b(stride|padding|dilation)\b", str(exc)), str(exc)
    else:
        n = nn.output_size(3, 2, stride, padding, dilation)
        assert out.shape == (1, 1, n, n)


@settings(max_examples=60, deadline=None)
@given(stride=SIZES, padding=SIZES, dilation=SIZES)
def test_conv_transpose2d_either_gives_the_predicted_shape_or_names_a_parameter(stride, padding, dilation):
    try:
        out = nn.conv_transpose2d(X2, WT, stride=stride, padding=padding, dilation=dilation)
    except ValueError as exc:
        assert re.search(r"\b(stride|padding|dilation)\b", str(exc)), str(exc)
    else:
        n = nn.transposed_output_size(3, 2, stride, padding, 0, dilation)
        assert out.shape == (1, 1, n, n)
