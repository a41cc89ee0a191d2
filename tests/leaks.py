"""What must never reach a student: the lines of solution and hidden-test blocks of a master."""

from __future__ import annotations

import re
from pathlib import Path

_BLOCK = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)\n[ \t]*### END \1", re.S)


def public_lines(masters) -> set[str]:
    """Every line that some master shows students (outside its solution and hidden-test blocks)."""
    out = set()
    for m in masters:
        out |= set(l.strip() for l in _BLOCK.sub("", Path(m).read_text()).splitlines())
    return out


def secret_lines(master: Path, kinds=("SOLUTION", "HIDDEN TESTS"), min_len: int = 16) -> list[str]:
    """Distinctive lines inside the master's solution and hidden-test blocks.

    A line counts when it is long enough to be distinctive and does not also
    appear outside the blocks of any master (where students are meant to see
    it: one set's visible set-up may hold a line another set's solution uses).
    """
    text = Path(master).read_text()
    inside = set()
    for m in _BLOCK.finditer(text):
        if m.group(1) not in kinds:
            continue
        for line in m.group(2).splitlines():
            s = line.strip()
            if len(s) >= min_len and not s.startswith("#"):
                inside.add(s)
    public = "\n".join(public_lines(Path(master).resolve().parent.parent.glob("*/*.md")))
    return sorted(s for s in inside if s not in public)


# ------------------------------------------------------------------ across sets (tests/test_leaks_cross_set.py)
#
# The rule for a *distinctive* line of a solution or hidden-test block.  A line is normalised by stripping its
# leading and trailing white space; it is distinctive unless
#   1. it is blank or a comment;
#   2. it is shorter than 16 characters (the bar of `secret_lines`): `return x`, `n = len(x)`, `else:`,
#      `while True:`, `digits.pop()` are idioms any code may hold, not a solution (one-token lines are all here);
#   3. it is a counting-loop header, `for <names> in range(...):` (`for i in range(len(a)):`), or it only
#      converts arguments in place, `<names> = np.asarray(<same names>, ...)` (`x = np.asarray(x, dtype=complex)`):
#      the first lines of any numerical function, which say nothing of what it computes.
# Every other line of a block is the solution's (or the hidden test's) own, and no page a student sees may hold it.

MIN_DISTINCTIVE = 16
_RANGE_LOOP = re.compile(r"for\s+[\w\s,()]+\s+in\s+range\(.*\):$")
_COERCERS = {"np.asarray", "np.array", "np.asanyarray", "numpy.asarray", "numpy.array", "list", "tuple",
             "int", "float", "complex"}


def _is_coercion(line: str) -> bool:
    """``x = np.asarray(x, ...)`` or ``a, v = np.asarray(a), np.asarray(v)``: each name converted in place."""
    import ast

    try:
        tree = ast.parse(line)
    except SyntaxError:
        return False
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assign) or len(tree.body[0].targets) != 1:
        return False
    target, value = tree.body[0].targets[0], tree.body[0].value
    names = [target] if isinstance(target, ast.Name) else list(getattr(target, "elts", []))
    calls = [value] if isinstance(value, ast.Call) else list(getattr(value, "elts", []))
    if not names or len(names) != len(calls) or not all(isinstance(n, ast.Name) for n in names):
        return False
    return all(isinstance(c, ast.Call) and ast.unparse(c.func) in _COERCERS and c.args
               and isinstance(c.args[0], ast.Name) and c.args[0].id == n.id for n, c in zip(names, calls))


def distinctive(line: str) -> bool:
    """Whether a line of a block is distinctive (the rule above), once stripped.

    >>> [distinctive(s) for s in ("return x", "# carry", "n = len(x)", "for i in range(len(a)):",
    ...                           "x = np.asarray(x, dtype=complex)", "coefficients[i + j] += a * b")]
    [False, False, False, False, False, True]
    """
    s = line.strip()
    if not s or s.startswith("#") or len(s) < MIN_DISTINCTIVE:
        return False
    return not (_RANGE_LOOP.match(s) or _is_coercion(s))


def block_lines(master: Path, kind: str) -> set[str]:
    """The distinctive lines (stripped) of a master's ``### BEGIN <kind>`` blocks (kind: SOLUTION, HIDDEN TESTS)."""
    out = set()
    for m in _BLOCK.finditer(Path(master).read_text()):
        if m.group(1) == kind:
            out |= {line.strip() for line in m.group(2).splitlines() if distinctive(line)}
    return out


def page_lines(path: Path) -> set[str]:
    """The stripped lines a student reads in a file: a notebook's cell sources and text outputs, an HTML page's
    text (tags removed, entities decoded: highlighted code reads as it was written), or a text file's lines."""
    import html
    import json

    path = Path(path)
    text = path.read_text(errors="replace")
    if path.suffix == ".ipynb":
        parts = []
        for cell in json.loads(text).get("cells", []):
            parts.append("".join(cell.get("source", "")))
            for out in cell.get("outputs", []):
                parts.append("".join(out.get("text", "")))
                parts.extend("".join(v) if isinstance(v, list) else str(v)
                             for k, v in out.get("data", {}).items() if k.startswith("text/"))
        text = "\n".join(parts)
    elif path.suffix in (".html", ".htm"):
        text = html.unescape(re.sub(r"<[^>]*>", "", re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S)))
    return {line.strip() for line in text.splitlines()}
