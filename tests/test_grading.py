"""convbook.grading: failure messages that teach, and forbid() that blocks shortcuts."""

import numpy as np
import pytest
import sympy as sp

from convbook import grading
from convbook.grading import ForbiddenFunctionError, check_array, check_close, check_equal, check_sympy, forbid


def test_check_array_passes_within_tolerance():
    check_array(np.array([0.1 + 0.2, 1.0]), [0.3, 1.0])
    check_array([1, 2, 3], np.array([1, 2, 3]), check_dtype=True)


def test_check_array_reports_none():
    with pytest.raises(AssertionError, match=r"returned None \(did you forget `return`\?\)"):
        check_array(None, [1, 2])


def test_check_array_reports_shape():
    with pytest.raises(AssertionError, match=r"y: wrong shape: expected \(3,\), got \(2,\)"):
        check_array([1, 2], [1, 2, 3], name="y")


def test_check_array_reports_first_differing_index_2d():
    with pytest.raises(AssertionError, match=r"first difference at index \(1, 0\): expected 3, got 4 "
                                             r"\(1 of 4 entries differ\)"):
        check_array([[1, 2], [4, 4]], [[1, 2], [3, 4]])


def test_check_array_reports_dtype():
    with pytest.raises(AssertionError, match=r"wrong dtype: expected int64"):
        check_array([1.0, 2.0], np.array([1, 2], dtype=np.int64), check_dtype=True)


def test_check_array_integers_are_exact_even_when_huge():
    big = 2**80
    check_array(np.array([big, 1], dtype=object), np.array([big, 1], dtype=object))
    with pytest.raises(AssertionError, match="first difference at index 0"):
        check_array(np.array([big + 1, 1], dtype=object), np.array([big, 1], dtype=object))


def test_check_array_rejects_strings():
    with pytest.raises(AssertionError, match="expected numbers, got an array of dtype <U1"):
        check_array(["a", "b"], [1, 2])


def test_check_array_ragged():
    with pytest.raises(AssertionError, match="could not read your answer as an array"):
        check_array([[1, 2], [3]], [[1, 2], [3, 4]])


def test_check_close():
    check_close(np.float32(0.5), 0.5)
    with pytest.raises(AssertionError, match=r"sigma: expected 5.0 \(within rtol=1e-07, atol=1e-10\), got 7.0"):
        check_close(7.0, 5.0, name="sigma")
    with pytest.raises(AssertionError, match="expected a number, got str"):
        check_close("5", 5.0)
    with pytest.raises(AssertionError, match="returned None"):
        check_close(None, 5.0)


def test_check_equal():
    check_equal((4, 5, 7, 5), [4, 5, 7, 5])
    check_equal(np.array([4, 5]), [4, 5])
    with pytest.raises(AssertionError, match="wrong length: expected 4, got 3"):
        check_equal([4, 5, 7], [4, 5, 7, 5])
    with pytest.raises(AssertionError, match="first difference at index 1: expected 5, got 6"):
        check_equal([4, 6, 7, 5], [4, 5, 7, 5])
    with pytest.raises(AssertionError, match="returned None"):
        check_equal(None, 3)


def test_check_sympy_equal_piecewise_where_simplify_struggles():
    t = sp.symbols("t", real=True)
    tri = sp.Piecewise((0, t < 0), (t, t < 1), (2 - t, t < 2), (0, True))
    same = sp.Piecewise((t, (t >= 0) & (t < 1)), (2 - t, (t >= 1) & (t < 2)), (0, True))
    check_sympy(same, tri, symbols=[t])


def test_check_sympy_reports_the_first_point_of_difference():
    t = sp.symbols("t", real=True)
    tri = sp.Piecewise((0, t < 0), (t, t < 1), (2 - t, t < 2), (0, True))
    wrong = sp.Piecewise((0, t < 0), (t, t < 2), (0, True))
    with pytest.raises(AssertionError, match=r"box_box: the expressions differ at t = 5/4: expected 3/4, got 5/4"):
        check_sympy(wrong, tri, symbols=[t], name="box_box")


def test_check_sympy_rejects_unevaluated_integrals_and_strings():
    t, x = sp.symbols("t x", real=True)
    with pytest.raises(AssertionError, match="unevaluated Integral"):
        check_sympy(sp.Integral(sp.exp(-x**2), (x, 0, t)), sp.erf(t), symbols=[t])
    with pytest.raises(AssertionError, match="expected a sympy expression, got str"):
        check_sympy("t**2", t**2, symbols=[t])
    with pytest.raises(AssertionError, match=r"unexpected symbols \['s'\]"):
        check_sympy(sp.Symbol("s") * t, t, symbols=[t])


def test_forbid_blocks_module_attribute_and_restores():
    with forbid("numpy.convolve"):
        with pytest.raises(ForbiddenFunctionError,
                           match=r"implement this yourself; numpy.convolve is not allowed in this exercise\."):
            np.convolve([1, 2], [1])
    assert np.convolve([1, 2], [1]).tolist() == [1, 2]


def test_forbid_blocks_aliases_in_the_namespace():
    from numpy import convolve as my_conv
    ns = {"my_conv": my_conv}
    with forbid("numpy.convolve", namespace=ns):
        with pytest.raises(ForbiddenFunctionError, match="numpy.convolve is not allowed"):
            ns["my_conv"]([1], [1])
    assert ns["my_conv"] is my_conv


def test_forbid_a_whole_module():
    with forbid("numpy.fft", namespace={}):
        with pytest.raises(ForbiddenFunctionError, match=r"numpy\.fft\.fft is not allowed"):
            np.fft.fft([1, 2])
        with pytest.raises(ForbiddenFunctionError, match=r"numpy\.fft\.ifft is not allowed"):
            np.fft.ifft([1, 2])
    assert np.allclose(np.fft.fft([1, 2]), [3, -1])


def test_forbid_restores_after_an_error():
    with pytest.raises(ZeroDivisionError):
        with forbid("numpy.convolve", namespace={}):
            1 / 0
    assert np.convolve([1], [2]).tolist() == [2]


def test_forbid_bad_targets():
    with pytest.raises(ValueError, match=r"forbid\(\) takes dotted names like 'numpy.convolve', got 'convolve'"):
        with forbid("convolve"):
            pass
    with pytest.raises(ValueError, match=r"forbid\(\): 'numpy.no_such_function' does not exist"):
        with forbid("numpy.no_such_function"):
            pass
    with pytest.raises(ValueError, match="cannot import the module of 'nosuchpackage.f'"):
        with forbid("nosuchpackage.f"):
            pass


def test_forbid_accepts_function_objects():
    with forbid(grading.check_equal, namespace={}):
        with pytest.raises(ForbiddenFunctionError, match="convbook.grading.check_equal is not allowed"):
            grading.check_equal(1, 1)
    grading.check_equal(1, 1)


def test_check_sympy_nan_and_constants():
    t = sp.symbols("t", real=True)
    with pytest.raises(AssertionError, match="differ at t = -5: expected -5, got nan"):
        check_sympy(sp.nan * t, t, symbols=[t])
    with pytest.raises(AssertionError, match="could not evaluate both expressions as numbers at t = -5"):
        check_sympy(sp.Function("f")(t), t, symbols=[t])
    with pytest.raises(AssertionError, match="differ at the constant value: expected 4, got 2"):
        check_sympy(sp.Integer(2), sp.Integer(4), symbols=[])


def test_check_raises():
    grading.check_raises(ZeroDivisionError, lambda: 1 / 0)
    with pytest.raises(AssertionError, match=r"f: expected ValueError to be raised, but the call returned 3\."):
        grading.check_raises(ValueError, lambda: 3, name="f")
    with pytest.raises(KeyError):
        grading.check_raises(ValueError, lambda: {}["k"])
