"""The re-check: its reference answers, and the student's side in the real sandbox (bubblewrap).

The reference is computed once per content (master, convbook, grading seed)
and a failure never aborts grading.  A submission's code runs in the sandbox
and sees neither the master nor an expected value: the attacks below try, and
get no point.  Nothing is mocked: a test that cannot start bubblewrap fails.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import textwrap

import jupytext
import nbformat
import pytest

from conftest import MYST_HEADER, ROOT
from coursekit import recheck

pytestmark = [pytest.mark.slow]

SEED = "a seed for the tests"

MASTER = MYST_HEADER + """\

```{code-cell} ipython3
---
nbgrader:
  grade_id: setup
  locked: true
---
import numpy as np
SETUP
```

```{code-cell} ipython3
---
recheck:
  exercise: double
  function: double
---
CASES = [(1,), (2.5,)]
def reference(x):
    return 2 * x
def same(got, expected):
    return got == expected
```
"""


def _master(tmp_path, setup="x0 = 0"):
    path = tmp_path / "demo" / "demo.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MASTER.replace("SETUP", setup))
    return path


def _values(data, exercise="double"):
    return [recheck.decode(v["value"]) for v in data[exercise]["expected"]]


def test_reference_is_computed_once_per_content(tmp_path):
    master, cache = _master(tmp_path), tmp_path / "cache"
    data, why = recheck.cached_reference_results(master, cache, SEED)
    assert why is None and _values(data) == [2, 5.0]
    assert [recheck.decode(c) for c in data["double"]["cases"]] == [(1,), (2.5,)]
    (stored,) = cache.glob("demo-*.json")
    stored.write_text(json.dumps({"double": {"cases": [recheck.encode((1,))],
                                             "expected": [{"value": recheck.encode(42)}]}}))
    again, _ = recheck.cached_reference_results(master, cache, SEED)
    assert _values(again) == [42], "the second run reads the cache"
    _master(tmp_path, setup="x0 = 1")  # a changed master is a new key: computed afresh
    fresh, _ = recheck.cached_reference_results(master, cache, SEED)
    assert _values(fresh) == [2, 5.0]
    assert len(list(cache.glob("demo-*.json"))) == 2
    recheck.cached_reference_results(master, cache, "another seed")  # so is another grading seed
    assert len(list(cache.glob("demo-*.json"))) == 3


def test_a_failing_reference_is_reported_not_raised(tmp_path):
    master = _master(tmp_path, setup="raise ValueError('the set-up is broken')")
    data, why = recheck.cached_reference_results(master, tmp_path / "cache", SEED)
    assert data is None
    assert why.startswith("the re-check reference for demo.md failed: the process died")
    assert "the set-up is broken" in why
    assert not list((tmp_path / "cache").glob("*.json")), "a failure is not cached"


def test_a_real_master_has_a_reference(tmp_path):
    src = ROOT / "autograder" / "source" / "01-continuous" / "01-continuous.md"
    master = tmp_path / "01-continuous" / "01-continuous.md"
    master.parent.mkdir()
    shutil.copy2(src, master)
    data, why = recheck.cached_reference_results(master, tmp_path / "cache", SEED)
    assert why is None, why
    assert set(data) == set(recheck.master_parts(master)[1]), textwrap.shorten(str(data), 200)
    # the master's solution, run on the student's side of the sandbox, agrees on every exercise
    nb = jupytext.read(master)
    nb.cells = [c for c in nb.cells if "recheck" not in c.metadata]
    nbformat.write(nb, tmp_path / "solution.ipynb")
    verdicts = recheck.recheck_submission(master, tmp_path / "solution.ipynb", data, seed=SEED)
    assert set(verdicts) == set(data)
    assert all(v["ok"] for v in verdicts.values()), {k: v for k, v in verdicts.items() if not v["ok"]}


# ------------------------------------------------------------------ the student's side, in the sandbox

MULTI = MYST_HEADER + """\

```{code-cell} ipython3
---
nbgrader:
  grade_id: setup
  locked: true
---
import numpy as np
import sympy as sp
```

```{code-cell} ipython3
---
recheck:
  exercise: double
  function: double
---
CASES = [(1,), (2.5,)]
def reference(x):
    return 2 * x
def same(got, expected):
    return got == expected
```

```{code-cell} ipython3
---
recheck:
  exercise: triple
  function: triple
---
_rng = np.random.default_rng(11)
CASES = [(int(v),) for v in _rng.integers(0, 10**6, 4)]
def reference(x):
    return 3 * x
def same(got, expected):
    return got == expected
```

```{code-cell} ipython3
---
recheck:
  exercise: sym
  function: square
---
CASES = [(sp.Symbol("s", real=True),)]
def reference(s):
    return s**2
def same(got, expected):
    return sp.simplify(got - expected) == 0
```

```{code-cell} ipython3
---
recheck:
  exercise: half
  function: recheck_half
---
_DIVISOR = 2
def _apply(f, x):
    return f(x) * _DIVISOR
def recheck_half(x):
    return _apply(half, x)
CASES = [(4,), (10,)]
def reference(x):
    return x
def same(got, expected):
    return got == expected
```
"""

SOLUTION = {"double": "def double(x):\n    return 2 * x\n", "triple": "def triple(x):\n    return 3 * x\n",
            "sym": "def square(s):\n    return s**2\n", "half": "def half(x):\n    return x / 2\n"}


def _course(tmp_path):
    """A course folder with the master, a gradebook, reports, a seed and another student's submission."""
    course = tmp_path / "course"
    master = course / "source" / "demo" / "demo.md"
    master.parent.mkdir(parents=True)
    master.write_text(MULTI)
    for name in ("gradebook.db", "report.html", "integrity.json", ".grading-seed", "grades.csv"):
        (course / name).write_text("secret")
    other = course / "submitted" / "other" / "demo" / "demo.ipynb"
    other.parent.mkdir(parents=True)
    other.write_text("{}")
    return course, master


def _notebook(path, answers: dict, added=()):
    """A submission: the set-up cell, a test cell, an answer cell per exercise, and cells the student added."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("import numpy as np\nimport sympy as sp\n")
    cell.metadata["nbgrader"] = {"grade_id": "setup", "locked": True, "grade": False, "solution": False}
    nb.cells.append(cell)
    nb.cells += [nbformat.v4.new_code_cell(src) for src in added]  # no nbgrader metadata: the student's own
    for exercise, src in answers.items():
        cell = nbformat.v4.new_code_cell(src)
        cell.metadata["nbgrader"] = {"grade_id": f"{exercise}-answer", "solution": True, "grade": False}
        nb.cells.append(cell)
        test = nbformat.v4.new_code_cell("raise SystemExit('test cells never run in the re-check')\n")
        test.metadata["nbgrader"] = {"grade_id": f"{exercise}-test", "grade": True, "solution": False, "points": 1}
        nb.cells.append(test)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _recheck(tmp_path, master, answers, added=(), seed=SEED, student="eve"):
    data, why = recheck.cached_reference_results(master, tmp_path / "cache", seed)
    assert why is None, why
    nb = _notebook(master.parents[2] / "submitted" / student / "demo" / "demo.ipynb", answers, added)
    return recheck.recheck_submission(master, nb, data, seed=seed)


def test_the_solution_and_its_helper_cells_pass(tmp_path):
    course, master = _course(tmp_path)
    answers = dict(SOLUTION, triple="def triple(x):\n    return _times(3, x)\n")
    verdicts = _recheck(tmp_path, master, answers, added=["def _times(k, x):\n    return k * x\n"])
    assert verdicts == {ex: {"ok": True, "detail": f"{n} case(s) agree", "passed": n, "cases": n}
                        for ex, n in [("double", 2), ("triple", 4), ("sym", 1), ("half", 2)]}


def test_a_submission_cannot_read_the_master_or_the_records_from_the_recheck(tmp_path):
    course, master = _course(tmp_path)
    secrets = [str(master), str(course / "gradebook.db"), str(course / "report.html"), str(course / "integrity.json"),
               str(course / ".grading-seed"), str(course / "submitted" / "other" / "demo" / "demo.ipynb"),
               str(tmp_path / "cache"), str(ROOT / "autograder" / "source"), str(ROOT / "autograder" / "gradebook.db")]
    cheat = f"""
import glob, os, sys
SECRETS = {secrets!r}
def _master():
    for path in [a for a in sys.argv if a.endswith(".md")] + ["../../../source/demo/demo.md", SECRETS[0]]:
        if os.path.exists(path):
            with open(path) as fh:
                return fh.read()
def double(x):
    text = _master()
    if text is None:
        return None
    ns = {{}}
    exec(text.split("def reference")[0].split("---")[-1] + "def reference" + text.split("def reference")[1]
         .split("```")[0], ns)                    # the master's reference, run here
    return ns["reference"](x)
def triple(x):
    seen = [p for p in SECRETS if os.path.exists(p)]
    if os.path.exists("job.json"):  # the job (hidden inputs and all) is read and deleted before any cell runs
        seen.append("job.json")
    seen += [n for n in os.listdir(".") if n.startswith(("ex-", "probe"))]  # nor another fork's answers
    return ("seen", seen) if seen else 3 * x
"""
    control: dict = {}
    exec(cheat, control)  # outside the sandbox, the cheat works: it finds the master and the records
    assert control["double"](2.5) == 5.0 and control["_master"]() == MULTI
    verdicts = _recheck(tmp_path, master, dict(SOLUTION, double=cheat, triple=""))
    assert verdicts["double"] == {"ok": False, "detail": "case 0: expected 2, got None (and 1 more; 0 of 2 agree)",
                                  "passed": 0, "cases": 2}, verdicts
    assert verdicts["triple"]["ok"], verdicts["triple"]  # it saw nothing: no master, no records, no checker
    assert verdicts["sym"]["ok"] and verdicts["half"]["ok"]


def test_objects_of_its_own_classes_get_no_point(tmp_path):
    course, master = _course(tmp_path)
    oracle = """
class Always:
    def __eq__(self, other):
        return True
    __hash__ = object.__hash__
class Float(float):
    def __eq__(self, other):
        return True
    __hash__ = float.__hash__
class Expr(sp.Symbol):
    def __eq__(self, other):
        return True
    __hash__ = sp.Symbol.__hash__
def double(x):
    return Always()
def triple(x):
    return Float(3 * x + 1)
def square(s):
    return Expr("anything")
def half(x):
    import sys
    frame = sys._getframe()
    while frame is not None:               # walk up to the test's expected value, as the frame oracle did
        for name in ("expected", "same", "reference"):
            if name in frame.f_locals or name in frame.f_globals:
                return frame.f_locals.get(name, frame.f_globals.get(name))
        frame = frame.f_back
    return 0
"""
    verdicts = _recheck(tmp_path, master, {"oracle": oracle})
    for exercise, cls in [("double", "Always"), ("triple", "Float"), ("sym", "Expr")]:
        assert not verdicts[exercise]["ok"]
        assert verdicts[exercise]["detail"].startswith(f"case 0: refused: the answer is an object of class {cls}, "
                                                       "defined by the submission"), verdicts[exercise]
    assert verdicts["half"]["detail"].startswith("case 0: expected 4, got 0"), verdicts["half"]
    assert not verdicts["half"]["ok"] and verdicts["half"]["passed"] < verdicts["half"]["cases"], verdicts["half"]


def test_an_infinite_loop_costs_only_its_exercise(tmp_path, monkeypatch):
    monkeypatch.setattr(recheck, "TIME_LIMIT", 3)  # CPU seconds per exercise
    monkeypatch.setenv("CONVBOOK_CELL_CPU", "2")  # CPU seconds per cell
    course, master = _course(tmp_path)
    added = ["while True:\n    pass\n",  # stopped after 2 s of CPU; the next cells run
             "import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\n",  # the kill still comes
             "def _times(k, x):\n    return k * x\n"]
    answers = dict(SOLUTION, double="def double(x):\n    while True:\n        pass\n",
                   triple="def triple(x):\n    return _times(3, x)\n",
                   half="def half(x):\n    while True:\n        try:\n            while True:\n                pass\n"
                        "        except BaseException:\n            pass\n")
    verdicts = _recheck(tmp_path, master, answers, added=added)
    for exercise in ("double", "half"):
        assert verdicts[exercise] == {"ok": False, "detail": "ran out of CPU time (3 s of CPU)"}, verdicts
    assert verdicts["triple"]["ok"] and verdicts["sym"]["ok"], verdicts


def test_hidden_inputs_follow_the_grading_seed(tmp_path, monkeypatch):
    course, master = _course(tmp_path)
    (course / ".grading-seed").unlink()

    def cases(seed, cache):
        data, why = recheck.cached_reference_results(master, tmp_path / cache, seed)
        assert why is None, why
        return {ex: [recheck.decode(c) for c in v["cases"]] for ex, v in data.items()}

    monkeypatch.setenv(recheck.SEED_ENV, "one")
    one = recheck.grading_seed(course)
    assert one == "one" and not (course / ".grading-seed").exists()
    first, again = cases(one, "a"), cases(one, "b")  # computed twice, in two caches
    assert first == again, "the same seed draws the same hidden inputs"
    monkeypatch.setenv(recheck.SEED_ENV, "two")
    second = cases(recheck.grading_seed(course), "c")
    assert second["triple"] != first["triple"], "another seed draws other random inputs"
    assert second["double"] == first["double"] == [(1,), (2.5,)], "fixed inputs stay"
    # the seed never reaches the student: the variable is set here, and not in the sandbox
    probe = "import os\ndef triple(x):\n    return 3 * x if os.environ.get('CONVBOOK_GRADING_SEED') is None else 0\n"
    verdicts = _recheck(tmp_path, master, dict(SOLUTION, triple=probe), seed="two")
    assert verdicts["triple"] == {"ok": True, "detail": "4 case(s) agree", "passed": 4, "cases": 4}, verdicts

    monkeypatch.delenv(recheck.SEED_ENV)  # no variable: a secret file in the course, made once
    made = recheck.grading_seed(course)
    path = course / ".grading-seed"
    assert len(made) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert recheck.grading_seed(course) == made
    assert cases(made, "d")["triple"] not in (first["triple"], second["triple"])


def test_a_wrapper_that_needs_the_checker_is_refused(tmp_path):
    course, master = _course(tmp_path)
    master.write_text(MULTI.replace("return _apply(half, x)", "return same(half(x), x)"))
    data, why = recheck.cached_reference_results(master, tmp_path / "cache", SEED)
    assert data is None
    assert why == ("the re-check of demo.md cannot run: the re-check of 'half': the wrapper recheck_half needs same, "
                   "which must never reach the student's side")


@pytest.mark.parametrize("value, message", [
    ({"t": "sympy", "v": "__import__('os').system('true')"}, "unexpected construct in a sympy expression"),
    ({"t": "array", "dtype": "<U3", "shape": [1], "v": [{"t": "lit", "v": "abc"}]}, "bad dtype"),
    ({"t": "pickle", "v": "gASVAA=="}, "unknown encoded type 'pickle'"),
    ({"t": "sympy", "v": "Symbol('x')" + " " * recheck._recheck_child.MAX_SREPR}, "at most 200000 characters"),
])
def test_the_decoder_reads_plain_data_only(value, message):
    with pytest.raises(ValueError, match=message):
        recheck.decode(value)
