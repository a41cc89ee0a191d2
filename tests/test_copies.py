"""coursekit.copies: winnowing fingerprints over answer cells, and the pairs of submissions that share code.

Hand cases (renaming, comments, layout, starter code, the master), the real
masters of every set against the honest controls' other methods
(tests/honest/alternatives_0k), and property tests: a copy always pairs with
its original, and the comparison does not depend on the order of the class.
"""

from __future__ import annotations

import importlib

import jupytext
import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT

from coursekit import copies, masters, paths

SETS = masters.assignments(paths.current())

LOOPS = '''
def convolve_loops(a, v):
    """Full convolution of a and v, with loops."""
    a, v = np.asarray(a), np.asarray(v)
    if a.size == 0 or v.size == 0:
        raise ValueError("empty")
    y = np.zeros(len(a) + len(v) - 1, dtype=np.result_type(a, v))
    for i in range(len(a)):
        for j in range(len(v)):
            y[i + j] += a[i] * v[j]
    return y
'''
# the same code, renamed, recommented, reformatted and with another docstring
DISGUISED = '''
def convolve_loops(first, second):
    "My own work!"
    first, second = np.asarray(first), np.asarray(second)
    if first.size == 0 or second.size == 0: raise ValueError("nothing to convolve")  # edge case
    out = np.zeros(len(first) + len(second) - 1,
                   dtype=np.result_type(first, second))
    for p in range(len(first)):  # every pair of taps
        for q in range(len(second)):
            out[p + q] += first[p] * second[q]
    return out
'''
VECTORISED = '''
def convolve_loops(a, v):
    a, v = np.asarray(a), np.asarray(v)
    if a.size == 0 or v.size == 0:
        raise ValueError("empty")
    out = np.zeros(a.size + v.size - 1, dtype=np.result_type(a, v))
    i, j = np.meshgrid(np.arange(a.size), np.arange(v.size), indexing="ij")
    np.add.at(out, (i + j).ravel(), np.multiply.outer(a, v).ravel())
    return out
'''
STARTER = '''
def convolve_loops(a, v):
    """Full convolution of a and v, with loops."""
    raise NotImplementedError()
'''


def test_tokens_drop_comments_docstrings_and_layout_and_name_every_variable_alike():
    assert [t for t, _ in copies.tokens(LOOPS)] == [t for t, _ in copies.tokens(DISGUISED)]
    kinds = {t for t, _ in copies.tokens(LOOPS)}
    assert "V" in kinds and "zeros" in kinds and "range" in kinds and "for" in kinds  # attributes, builtins, keywords
    assert not kinds & {"a", "v", "y", "i", "j"}
    assert "S" in kinds and "N" in kinds


def test_a_cell_that_does_not_parse_still_has_tokens():
    assert [t for t, _ in copies.tokens("def f(x:\n    return x +")][:3] == ["def", "V", "("]


def test_a_disguised_copy_is_a_pair_and_the_lines_it_shares_are_listed():
    found = copies.pairs("02", {"ann": {"convolve-loops-answer": LOOPS}, "bob": {"convolve-loops-answer": DISGUISED}})
    assert [(p.a, p.b) for p in found] == [("ann", "bob")]
    pair = found[0]
    assert pair.score == 1.0 and pair.shared >= copies.MIN_FINGERPRINTS
    assert any("y[i + j] += a[i] * v[j]" in line for line in pair.lines_a), pair.lines_a
    assert any("out[p + q] += first[p] * second[q]" in line for line in pair.lines_b), pair.lines_b
    assert all(line.startswith("convolve-loops-answer: ") for line in pair.lines_a + pair.lines_b)


def test_two_honest_methods_are_not_a_pair():
    assert copies.pairs("02", {"ann": {"c": LOOPS}, "bob": {"c": VECTORISED}}) == []


def test_the_starter_code_is_left_out():
    # two students who only added one line to the starter share the starter, which does not count
    a, b = STARTER + "\nx = 1\n", STARTER + "\nz = [2]\n"
    assert copies.pairs("02", {"ann": {"c": a}, "bob": {"c": b}}, starter={"c": STARTER}) == []
    with_starter = copies.fingerprints({"c": STARTER * 3})
    assert with_starter, "the starter has fingerprints of its own, which are the ones left out"


def test_a_submission_equal_to_the_master_is_reported_with_the_master():
    found = copies.pairs("02", {"ann": {"c": DISGUISED}, "bob": {"c": VECTORISED}}, master={"c": LOOPS})
    assert [(p.a, p.b, p.score) for p in found] == [("ann", copies.MASTER, 1.0)]


def test_short_answers_are_never_reported():
    one_liner = "def edge_detector(x):\n    return np.diff(np.asarray(x))\n"
    assert len(copies.fingerprints({"c": one_liner})) < copies.MIN_FINGERPRINTS
    assert copies.pairs("02", {"ann": {"c": one_liner}, "bob": {"c": one_liner}}) == []


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"threshold must be in \(0, 1\], got 1.5"):
        copies.pairs("02", {}, threshold=1.5)
    with pytest.raises(ValueError, match=r"threshold must be in \(0, 1\], got 0"):
        copies.pairs("02", {}, threshold=0)
    with pytest.raises(ValueError, match="'master' is the master's name here"):
        copies.pairs("02", {"master": {"c": LOOPS}}, master={"c": LOOPS})


def _master_solutions(a):
    nb = jupytext.read(ROOT / "autograder" / "source" / a / f"{a}.md")
    return {g: src for g, src in copies.notebook_cells(nb).items() if g.endswith("-answer")}


@pytest.mark.parametrize("k, a", list(enumerate(SETS, 1)), ids=SETS)
def test_other_honest_methods_are_not_the_master(k, a):
    """Each set's honest control by other methods (tests/honest) stays below the threshold against the master,
    on the cells it answers otherwise; the master's own solutions pair with the master at 1.0."""
    alternatives = importlib.import_module(f"honest.alternatives_0{k}").CELLS
    solutions = _master_solutions(a)
    mine = {g: src for g, src in alternatives.items()}
    theirs = {g: solutions[g] for g in alternatives}
    assert copies.pairs(a, {"alt": mine}, master=theirs) == []
    copied = copies.pairs(a, {"copy": dict(solutions)}, master=solutions)
    assert [(p.a, p.b, p.score) for p in copied] == [("copy", copies.MASTER, 1.0)]


def test_notebook_cells_keep_answers_and_the_students_own_cells_only():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import numpy as np", metadata={"nbgrader": {"locked": True,
                                                                                         "grade_id": "setup"}}),
                nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION",
                                          metadata={"nbgrader": {"solution": True, "grade_id": "a-answer"}}),
                nbformat.v4.new_code_cell("assert x == 1",
                                          metadata={"nbgrader": {"grade": True, "grade_id": "a-test"}}),
                nbformat.v4.new_markdown_cell("words"),
                nbformat.v4.new_code_cell("def helper(): pass")]
    assert copies.notebook_cells(nb) == {"a-answer": "x = 1", "cell 4": "def helper(): pass"}


_names = st.sampled_from(["alpha", "beta", "gamma", "delta", "eps", "zeta"])


@st.composite
def _programs(draw):
    lines = ["def f(a, b):", "    out = 0"]
    for _ in range(draw(st.integers(4, 10))):
        x, y = draw(_names), draw(_names)
        op = draw(st.sampled_from(["+", "-", "*", "//"]))
        lines.append(f"    {x} = {y} {op} {draw(st.integers(0, 9))} + len(a) * out")
        lines.append(f"    out = out + {x}")
    lines.append("    return out")
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None)
@given(_programs(), st.permutations(["ann", "bob", "cy"]))
def test_a_copy_always_pairs_with_its_original_whatever_the_order(program, order):
    renamed = program.replace("out", "total").replace("alpha", "q")
    cells = {"ann": {"c": program}, "bob": {"c": renamed}, "cy": {"c": VECTORISED}}
    if len(copies.fingerprints({"c": program})) < copies.MIN_FINGERPRINTS:
        assert copies.pairs("x", cells) == []
        return
    found = copies.pairs("x", {who: cells[who] for who in order})
    assert [(p.a, p.b, p.score) for p in found] == [("ann", "bob", 1.0)]


def test_the_docstring_examples_run():
    import doctest

    result = doctest.testmod(copies, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 4 and result.failed == 0, result
