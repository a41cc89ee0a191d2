"""convbook.grading: failure messages that teach, and forbid() that blocks shortcuts."""

import subprocess
import sys
import textwrap
import threading
import types

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
    with pytest.raises(TypeError, match=r"forbid\(\) takes dotted names like 'numpy.convolve', got 3"):
        with forbid(3):
            pass


def test_forbidding_a_package_that_is_not_installed_is_a_no_op():
    with forbid("nosuchpackage.f", "nosuchpackage.signal"):
        assert np.convolve([1], [2]).tolist() == [2]
    assert sys.getprofile() is None


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


# ------------------------------------------------------------------ forbid by identity: every route

_NP_CONVOLVE = r"implement this yourself; numpy\.convolve is not allowed in this exercise\."


def _convolve_with_captured_default(a, v, _impl=np.convolve):
    return _impl(a, v)


def test_forbid_blocks_a_default_argument_captured_before_the_block():
    with forbid("numpy.convolve", namespace={}):
        with pytest.raises(ForbiddenFunctionError, match=_NP_CONVOLVE):
            _convolve_with_captured_default([1, 2], [1, 1])
    assert _convolve_with_captured_default([1, 2], [1, 1]).tolist() == [1, 3, 2]


def test_forbid_blocks_a_computed_name_in_vars_kept_in_a_container():
    tools = {"c": vars(np)["con" + "volve"]}  # taken before the block, where no name patch can reach it
    with forbid("numpy.convolve", namespace={}):
        with pytest.raises(ForbiddenFunctionError, match=_NP_CONVOLVE):
            tools["c"]([1, 2], [1, 1])
        with pytest.raises(ForbiddenFunctionError, match=_NP_CONVOLVE):
            vars(np)["con" + "volve"]([1, 2], [1, 1])


def test_forbid_blocks_the_private_module_path():
    private = np._core.numeric  # numpy 2's home of convolve
    with forbid("numpy.convolve", namespace={}):
        with pytest.raises(ForbiddenFunctionError, match=_NP_CONVOLVE):
            private.convolve([1, 2], [1, 1])
        with pytest.raises(ForbiddenFunctionError, match=_NP_CONVOLVE):
            np.convolve._implementation([1, 2], [1, 1])  # the Python function behind numpy's dispatcher


def test_forbid_blocks_the_c_kernel_behind_numpy_convolve():
    kernel = np._core.multiarray.correlate  # what numpy.convolve calls, reversed kernel
    with forbid("numpy.convolve", namespace={}):
        with pytest.raises(ForbiddenFunctionError, match=r"numpy\.convolve is not allowed"):
            kernel(np.array([1.0, 2.0]), np.array([1.0, 1.0]), 2)
    assert kernel(np.array([1.0, 2.0]), np.array([1.0, 1.0]), 2).tolist() == [1, 3, 2]


def test_forbid_blocks_a_copy_of_the_same_code():
    impl = np.convolve._implementation
    copy = types.FunctionType(impl.__code__, impl.__globals__, "my_convolve", impl.__defaults__)
    with forbid("numpy.convolve", namespace={}):
        with pytest.raises(ForbiddenFunctionError, match=_NP_CONVOLVE):
            copy([1, 2], [1, 1])


def test_forbid_blocks_a_call_made_from_c():
    conv = np.convolve  # an alias taken before the block, called by map (C), not by a Python line
    with forbid("numpy.convolve", namespace={}):
        with pytest.raises(ForbiddenFunctionError, match=_NP_CONVOLVE):
            list(map(conv, [[1, 2]], [[1, 1]]))


def test_forbid_still_blocks_after_the_student_caught_the_error():
    import convbook.discrete as cd

    def sneaky(a, v):
        for attempt in range(3):
            try:
                return _convolve_with_captured_default(a, v)
            except ForbiddenFunctionError:
                pass
        return "escaped"

    def sneaky_c(a, v):
        kernel = np._core.multiarray.correlate
        for attempt in range(3):
            try:
                return kernel(np.asarray(a, float), np.asarray(v, float)[::-1], 2)
            except ForbiddenFunctionError:
                pass
        return "escaped"

    with forbid("numpy.convolve", "convbook.discrete.convolve_loops", namespace={}):
        assert sneaky([1, 2], [1, 1]) == "escaped"      # every attempt was refused: none got through
        assert sneaky_c([1, 2], [1, 1]) == "escaped"
        with pytest.raises(ForbiddenFunctionError, match=r"convbook\.discrete\.convolve_loops is not allowed"):
            cd.convolve_loops([1, 2], [1, 1])
    assert sys.getprofile() is None and sys.gettrace() is None


def test_forbid_blocks_the_didactic_twins_under_any_name():
    from convbook import discrete
    from convbook.discrete import circular_convolve_loops as twin_c, convolution_matrix_loops as twin_m

    stash = [discrete.convolve_loops]
    with forbid("convbook.discrete.convolve_loops", "convbook.discrete.convolution_matrix_loops",
                "convbook.discrete.circular_convolve_loops", namespace={}):
        with pytest.raises(ForbiddenFunctionError, match=r"convbook\.discrete\.convolve_loops is not allowed"):
            stash[0]([1, 2], [1, 1])
        with pytest.raises(ForbiddenFunctionError, match=r"convbook\.discrete\.convolution_matrix_loops"):
            twin_m([1, 2], 3)
        with pytest.raises(ForbiddenFunctionError, match=r"convbook\.discrete\.circular_convolve_loops"):
            twin_c([1, 2], [1, 1])
        assert discrete.convolve([1, 2], [1, 1]).tolist() == [1, 3, 2]  # not forbidden here
    assert stash[0]([1, 2], [1, 1]).tolist() == [1, 3, 2]


def test_forbid_a_module_blocks_its_private_implementation():
    from convbook import _nn_impl, nn

    x, w = np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2))
    with forbid("convbook.nn", namespace={}):
        with pytest.raises(ForbiddenFunctionError, match=r"convbook\.nn\.conv2d is not allowed"):
            nn.conv2d(x, w)
        with pytest.raises(ForbiddenFunctionError, match=r"convbook\.nn \(conv2d_fast\) is not allowed"):
            _nn_impl.conv2d_fast(x, w, (1, 1), (1, 1), (0, 0), (2, 2), 1)
    assert nn.conv2d(x, w).shape == (1, 1, 2, 2)


def test_forbid_scipy_signal_blocks_its_private_modules():
    import scipy.signal
    from scipy.signal import _signaltools

    with forbid("scipy.signal", namespace={}):
        with pytest.raises(ForbiddenFunctionError, match=r"scipy\.signal\.convolve is not allowed"):
            _signaltools.convolve([1, 2], [1, 1])
        with pytest.raises(ForbiddenFunctionError, match=r"scipy\.signal \(_freq_domain_conv\) is not allowed"):
            _signaltools._freq_domain_conv(np.ones(2), np.ones(2), [0], 2, 0)  # a private function
        with pytest.raises(ForbiddenFunctionError, match=r"scipy\.signal \(scipy\.signal\._sigtools\.\w+\)"):
            _signaltools._sigtools._correlateND(np.ones(3), np.ones(2), np.zeros(2), 0)  # its C extension
    assert scipy.signal.convolve([1, 2], [1, 1]).tolist() == [1, 3, 2]


def test_forbid_blocks_torch_conv_routes_by_identity():
    import torch
    import torch.nn.functional as F

    x, w = torch.ones(1, 1, 3, 3), torch.ones(1, 1, 2, 2)
    captured = (torch._C._VariableFunctions.conv2d, torch.convolution, F.conv_transpose2d)
    with forbid("torch.nn.functional", "torch.convolution", namespace={}):
        with pytest.raises(ForbiddenFunctionError, match=r"torch\.nn\.functional\.conv2d is not allowed"):
            torch.conv2d(x, w)                      # the same builtin as F.conv2d
        with pytest.raises(ForbiddenFunctionError, match=r"torch\.nn\.functional\.conv2d is not allowed"):
            captured[0](x, w)                       # its home in torch._C
        with pytest.raises(ForbiddenFunctionError, match=r"torch\.convolution is not allowed"):
            captured[1](x, w, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1)
        with pytest.raises(ForbiddenFunctionError, match=r"torch\.nn\.functional\.conv_transpose2d"):
            captured[2](x, w)
        with pytest.raises(ForbiddenFunctionError, match=r"torch\.nn\.functional\.unfold is not allowed"):
            F.unfold(x, 2)
    assert tuple(torch.conv2d(x, w).shape) == (1, 1, 2, 2)


def _run_python(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_forbid_torch_neither_imports_it_nor_lets_an_import_inside_the_block_through():
    out = _run_python("""
        import sys
        from convbook.grading import ForbiddenFunctionError, forbid

        def student():
            import torch  # imported by the student's code, inside the block
            return torch.conv2d(torch.ones(1, 1, 3, 3), torch.ones(1, 1, 2, 2))

        with forbid("torch.conv2d", "torch.nn.functional", namespace={}):
            print("imported by forbid:", "torch" in sys.modules)
            try:
                student()
            except ForbiddenFunctionError as exc:
                print("refused:", exc)
        print("after:", tuple(student().shape))
    """)
    assert "imported by forbid: False" in out
    assert "refused: implement this yourself; torch.conv2d is not allowed in this exercise." in out
    assert "after: (1, 1, 2, 2)" in out


def test_forbid_blocks_threads_started_inside_the_block_and_restores_the_hooks():
    results = []

    def worker():
        try:
            results.append(_convolve_with_captured_default([1], [2]))
        except ForbiddenFunctionError as exc:
            results.append(str(exc))

    with forbid("numpy.convolve", namespace={}):
        t = threading.Thread(target=worker)
        t.start()
        t.join()
    assert results and "numpy.convolve is not allowed" in results[0]
    assert sys.getprofile() is None and threading._profile_hook is None


def test_forbid_refuses_switching_itself_off():
    with forbid("numpy.convolve", namespace={}):
        with pytest.raises(ForbiddenFunctionError, match=r"sys\.setprofile while forbid\(\) is active"):
            sys.setprofile(None)
        with pytest.raises(ForbiddenFunctionError, match=r"threading\.setprofile while forbid\(\) is active"):
            threading.setprofile(None)
        with pytest.raises(ForbiddenFunctionError, match=_NP_CONVOLVE):
            np.convolve([1], [2])
    assert sys.getprofile() is None


def test_nested_forbid_blocks_keep_the_outer_targets_and_restore_in_order():
    with forbid("numpy.convolve", namespace={}):
        outer = sys.getprofile()
        with forbid("numpy.correlate", namespace={}):
            with pytest.raises(ForbiddenFunctionError, match=_NP_CONVOLVE):
                np.convolve([1], [2])
            with pytest.raises(ForbiddenFunctionError, match=r"numpy\.correlate is not allowed"):
                np.correlate([1], [2])
        assert sys.getprofile() is outer
        assert np.correlate([1], [2]).tolist() == [2]
        with pytest.raises(ForbiddenFunctionError, match=_NP_CONVOLVE):
            np.convolve([1], [2])
    assert sys.getprofile() is None


# ------------------------------------------------------------------ types, and the notebook run as graded

def test_check_equal_wants_an_integer_where_an_integer_is_expected():
    check_equal(np.int64(5), 5)
    check_equal(sp.Integer(5), 5)
    with pytest.raises(AssertionError, match=r"output_size\(7, 3\): expected an integer \(5\), got float 5\.0\."):
        check_equal(5.0, 5, name="output_size(7, 3)")
    with pytest.raises(AssertionError, match=r"expected an integer \(1\), got bool True"):
        check_equal(True, 1)
    with pytest.raises(AssertionError, match=r"at index 1: expected an integer \(2\), got float 2\.0"):
        check_equal([1, 2.0], [1, 2])
    with pytest.raises(AssertionError, match=r"expected a bool \(False\), got int 0"):
        check_equal(0, False)
    with pytest.raises(AssertionError, match=r"expected a str \('full'\), got int 1"):
        check_equal(1, "full")


def test_failure_messages_show_numpy_scalars_plainly():
    with pytest.raises(AssertionError, match=r"got:      3\.0$"):
        check_close(np.float64(3.0), 2.0)


def test_the_checks_hide_their_own_frames_from_ipython():
    import traceback

    try:
        check_equal(5.0, 5)
    except AssertionError as exc:
        frames = [f for f, _ in traceback.walk_tb(exc.__traceback__)]
        assert callable(exc._render_traceback_)
    assert all(f.f_locals.get("__tracebackhide__") for f in frames[1:])


def test_cell_cpu_seconds_is_one_setting(monkeypatch):
    monkeypatch.setenv("CONVBOOK_CELL_CPU", "7.5")
    assert grading.cell_cpu_seconds() == 7.5
    monkeypatch.setenv("CONVBOOK_CELL_CPU", "soon")
    with pytest.raises(ValueError, match=r"CONVBOOK_CELL_CPU must be a positive number of seconds, got 'soon'"):
        grading.cell_cpu_seconds()


def test_grade_like_the_grader_does_nothing_outside_a_kernel():
    stderr = sys.stderr
    assert grading.grade_like_the_grader() is False
    assert sys.stderr is stderr


def test_forbidding_a_module_leaves_code_shared_by_wrappers_alone():
    """scipy.fft.set_workers is a contextlib.contextmanager: its wrapper's code is every context manager's."""
    import contextlib

    import scipy.fft

    @contextlib.contextmanager
    def mine():
        yield 1

    with forbid("scipy.fft", namespace={}):
        with mine() as one:
            assert one == 1
        with pytest.raises(ForbiddenFunctionError, match=r"scipy\.fft\.set_workers is not allowed"):
            with scipy.fft.set_workers(1):
                pass
