"""The feedback's last guard: an output that quotes a hidden test is withheld (coursekit.preprocessors)."""

from __future__ import annotations

import html

import nbformat
import pytest

from coursekit.preprocessors import WITHHELD, WithholdHiddenTestEchoes, hidden_skeletons

TEST_CELL = '''\
check_equal(double(1), 2, name="double(1)")
### BEGIN HIDDEN TESTS
check_equal(double(-7), -14, name="double(-7)")
_cases = [(3, 6), (250, 500), (-1, -2)]
### END HIDDEN TESTS
'''


def _feedback(*outputs) -> list:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(TEST_CELL)
    cell.outputs = [nbformat.v4.new_output(**o) for o in outputs]
    nb.cells = [nbformat.v4.new_code_cell("def double(x):\n    return 2 * x\n"), cell]
    nb, _ = WithholdHiddenTestEchoes().preprocess(nb, {})
    return nb.cells[1].outputs


def test_only_the_distinctive_hidden_lines_are_looked_for():
    assert hidden_skeletons([TEST_CELL]) == {"checkequaldouble714namedouble7", "cases3625050012"}
    assert hidden_skeletons(["print('no hidden tests here')"]) == set()


@pytest.mark.parametrize("text", [
    TEST_CELL,                                                    # print(_ih[-1])
    repr(TEST_CELL),                                              # print(repr(_ih[-1]))
    "_cases = [(3, 6),\n(250, 500), (-1, -2)]",                   # re-wrapped
    html.escape('check_equal(double(-7), -14, name="double(-7)")'),  # as HTML
], ids=["plain", "repr", "rewrapped", "html"])
def test_an_output_that_quotes_a_hidden_test_is_withheld(text):
    stream, shown = _feedback(dict(output_type="stream", name="stdout", text=text),
                              dict(output_type="display_data", data={"text/html": f"<pre>{text}</pre>"}))
    assert stream == dict(output_type="stream", name="stdout", text=WITHHELD)
    assert shown["text"] == WITHHELD


def test_an_honest_failure_message_is_kept():
    message = "double(-7): expected -14, got 0"
    error = dict(output_type="error", ename="AssertionError", evalue=message, traceback=[message])
    out = _feedback(dict(output_type="stream", name="stdout", text="Checking double(1) == 2 ...\n"), error)
    assert out[0]["text"] == "Checking double(1) == 2 ...\n" and out[1]["evalue"] == message


def test_a_visible_line_repeated_in_the_hidden_block_is_not_a_secret():
    cell = 'check_equal(double(1), 2, name="double(1)")\n### BEGIN HIDDEN TESTS\ncheck_equal(double(1), 2, name="double(1)")\n### END HIDDEN TESTS\n'
    assert hidden_skeletons([cell]) == set()


def test_a_row_of_numbers_is_not_a_secret_and_a_traceback_is_left_to_minimal_tracebacks():
    cell = "x = 1\n### BEGIN HIDDEN TESTS\n[0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1],\n### END HIDDEN TESTS\n"
    assert hidden_skeletons([cell]) == set()
    quoting = 'check_equal(double(-7), -14, name="double(-7)")'
    error = dict(output_type="error", ename="NotImplementedError", evalue="", traceback=[quoting])
    assert _feedback(error)[0]["ename"] == "NotImplementedError"
