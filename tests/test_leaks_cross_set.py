"""No set shows another set's solution: every set's secrets against every page a student reads.

The per-set leak tests (test_autograder, test_site, test_student_path) check a set's own release and
leave out any line that some master shows in the open; a set-up cell that pastes another set's
solution slips through that gap (issue 15, correction 4). Here every master's solution lines and
hidden-test lines, chosen by one rule (``leaks.distinctive``: stripped, not blank or a comment, at
least 16 characters, not a counting-loop header or an in-place conversion of arguments), are looked
for in every place a student reads:

- the student versions nbgrader generates (``autograder/release/<set>/``, ``make release``);
- the exercise pages' sources the book reads (``chapters/exercises/<set>.ipynb``, ``coursekit
  book-exercises``) and the built exercise pages (``_build/html/chapters/exercises/``);
- the lesson pages (``chapters/**/*.md``) and every page of the built site.

A solution line may appear in none of them. A hidden-test line may appear where some master shows it
outside its blocks (a visible test that shares a line with the hidden ones, as `with forbid(...):`):
that line is public by design.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT
from leaks import block_lines, distinctive, page_lines, public_lines

from coursekit import masters, paths

pytestmark = [pytest.mark.slow]

SOURCE = ROOT / "autograder" / "source"
SITE = ROOT / "_build" / "html"
SETS = masters.assignments(paths.current())


def _masters() -> list[Path]:
    return [SOURCE / a / f"{a}.md" for a in SETS]


@pytest.fixture(scope="module")
def secrets() -> dict[str, dict[str, set[str]]]:
    """{"solution" | "hidden test": {line: ...}}, each line with the sets whose blocks hold it."""
    public = public_lines(_masters())
    out: dict[str, dict[str, set[str]]] = {"solution": {}, "hidden test": {}}
    for master in _masters():
        for kind, key in (("SOLUTION", "solution"), ("HIDDEN TESTS", "hidden test")):
            for line in block_lines(master, kind):
                if key == "hidden test" and line in public:
                    continue
                out[key].setdefault(line, set()).add(master.parent.name)
    assert len(out["solution"]) > 100 and len(out["hidden test"]) > 100, {k: len(v) for k, v in out.items()}
    return out


def _leaks(files, secrets) -> list[str]:
    found = []
    for f in files:
        lines = page_lines(f)
        for kind, table in secrets.items():
            for line in sorted(lines & table.keys()):
                found.append(f"{f.relative_to(ROOT)} shows a {kind} line of {', '.join(sorted(table[line]))}: {line!r}")
    return found


def _release_files(a: str) -> list[Path]:
    folder = ROOT / "autograder" / "release" / a
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in {".ipynb", ".md", ".py", ".txt"})
    if not any(p.suffix == ".ipynb" for p in files):
        pytest.fail(f"no student version in {folder.relative_to(ROOT)}: run `make release` (`make test` does it)")
    return files


@pytest.mark.parametrize("a", SETS)
def test_the_student_version_shows_no_set_s_solution_or_hidden_test(a, secrets):
    leaks = _leaks(_release_files(a), secrets)
    assert not leaks, "\n".join(leaks[:10])


@pytest.mark.parametrize("a", SETS)
def test_the_exercise_page_source_shows_no_set_s_solution_or_hidden_test(a, secrets):
    page = ROOT / "chapters" / "exercises" / f"{a}.ipynb"
    if not page.exists():
        pytest.fail(f"{page.relative_to(ROOT)} is missing: run `coursekit book-exercises` (`make book` does it)")
    leaks = _leaks([page], secrets)
    assert not leaks, "\n".join(leaks[:10])


def test_no_lesson_shows_a_set_s_solution_or_hidden_test(secrets):
    lessons = sorted(p for p in (ROOT / "chapters").rglob("*.md") if "exercises" not in p.relative_to(ROOT).parts)
    assert len(lessons) > 20
    leaks = _leaks(lessons, secrets)
    assert not leaks, "\n".join(leaks[:10])


def test_the_built_site_shows_no_set_s_solution_or_hidden_test(secrets):
    if not (SITE / "index.html").exists():
        pytest.fail("no built site: run `make book` first (`make test` does it)")
    files = sorted(p for p in SITE.rglob("*") if p.is_file() and p.suffix in {".html", ".ipynb", ".md", ".txt"}
                   and "_static" not in p.parts and "mathjax" not in p.parts)
    for a in SETS:  # the exercise pages and their downloads are among them
        assert SITE / "chapters" / "exercises" / f"{a}.html" in files
    leaks = _leaks(files, secrets)
    assert not leaks, "\n".join(leaks[:10])


# ------------------------------------------------------------------ the check itself can fail

def test_the_rule_keeps_the_lines_of_a_solution_and_drops_idioms():
    master = SOURCE / "03-polynomial" / "03-polynomial.md"
    lines = block_lines(master, "SOLUTION")
    for line in ("coefficients[i + j] += a * b", "coefficients = [0] * (len(xd) + len(yd) - 1)",
                 "while len(digits) > 1 and digits[-1] == 0:"):
        assert line in lines
    for idiom in ("return digits", "digits = []", "while True:", "for i in range(len(a)):",
                  "a, v = np.asarray(a), np.asarray(v)", "    # a comment long enough to count", ""):
        assert not distinctive(idiom), idiom


def test_a_pasted_solution_is_found_in_a_notebook_and_a_page(tmp_path, secrets):
    """Set 3's multiply_digits pasted into another set's set-up cell (correction 4), as a notebook and as HTML."""
    solution = next(b for b in (SOURCE / "03-polynomial" / "03-polynomial.md").read_text().split("```")
                    if "def multiply_digits" in b)
    body = solution.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
    nb = {"cells": [{"cell_type": "code", "source": "def schoolbook(xd, yd):\n" + body, "outputs": []}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "set.ipynb").write_text(json.dumps(nb))
    highlighted = "".join(f'<span class="n">{w}</span> ' for w in "coefficients[i + j] += a * b".split())
    (tmp_path / "page.html").write_text(f"<pre>{highlighted.replace('+=', '+&#x3D;')}\n</pre>")
    for f in (tmp_path / "set.ipynb", tmp_path / "page.html"):
        lines = page_lines(f) & secrets["solution"].keys()
        assert "coefficients[i + j] += a * b" in lines, (f.name, sorted(lines))
        assert all("03-polynomial" in secrets["solution"][line] for line in lines)
