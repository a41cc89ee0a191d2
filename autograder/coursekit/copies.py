"""Submissions that share code: winnowing fingerprints of the answer cells, compared pair by pair.

The instructor's question is "did these two students hand in the same code,
or did this one hand in the master?"; :mod:`coursekit.similarity` answers
the second for one cell at a time (the same statements up to renaming).  This
module looks at a whole submission, as MOSS does (Schleimer, Wilkerson and
Aiken, *Winnowing: local algorithms for document fingerprinting*, 2003):

1. **Normalise.**  A submission's answer cells and the cells the student
   added (never the set-up, test or other locked cells) are tokenised with
   Python's :mod:`tokenize`.  Comments, docstrings and layout go; every
   identifier that is not a keyword, a builtin or an attribute name becomes
   ``V``, every string ``S``, every number ``N``.  Renaming variables,
   rewording comments or reformatting changes nothing.
2. **Fingerprint.**  Each run of :data:`K` consecutive tokens (a *k-gram*) is
   hashed (BLAKE2b: the same on every machine and run); in every window of
   :data:`WINDOW` consecutive hashes the smallest is kept.  Any run of at
   least ``K + WINDOW - 1`` tokens that two submissions share gives them a
   shared fingerprint.
3. **Leave out what everybody has.**  The fingerprints of the release's cells
   (the starter code: signatures, docstrings, ``raise NotImplementedError``)
   are removed from every submission.
4. **Compare.**  Two submissions' similarity is the share of the smaller
   one's fingerprints that the other has too.  Pairs at or above the
   threshold are reported with the lines they share; so is each submission
   compared with the master's solutions (as the pseudo-student ``master``).

A submission with fewer than :data:`MIN_FINGERPRINTS` fingerprints left (a
blank one, or a few one-liners) is never reported: short honest answers look
alike.  A finding never changes a score: it is a place to look.

This module imports nothing from coursekit.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import hashlib
import io
import itertools
import keyword
import tokenize

__all__ = ["K", "MASTER", "MIN_FINGERPRINTS", "THRESHOLD", "WINDOW", "Pair", "fingerprints", "notebook_cells",
           "pairs", "tokens"]

K = 12  # tokens per k-gram
WINDOW = 6  # k-grams per winnowing window: a shared run of K + WINDOW - 1 = 17 tokens is always seen
THRESHOLD = 0.6  # the share of the smaller submission's fingerprints found in the other
MIN_FINGERPRINTS = 12
MASTER = "master"  # the pseudo-student whose cells are the master's solutions

_KEEP = frozenset(dir(builtins)) | frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
_SKIP = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                   tokenize.ENCODING, tokenize.ENDMARKER})


@dataclasses.dataclass(frozen=True)
class Pair:
    """Two submissions of one set that share code (``b`` may be :data:`MASTER`)."""

    assignment: str
    a: str
    b: str
    score: float  # the share of the smaller submission's fingerprints that the other has
    shared: int  # fingerprints in common
    lines_a: tuple[str, ...]  # a's lines that the shared fingerprints cover, in order ("cell: line")
    lines_b: tuple[str, ...]


def _docstring_lines(source: str) -> set[int]:
    """The lines of the docstrings of the module, its functions and classes (none if it does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                lines.update(range(first.lineno, first.end_lineno + 1))
    return lines


def tokens(source: str) -> list[tuple[str, int]]:
    """The normalised tokens of Python ``source`` with the line each starts on (see the module docstring).

    >>> [t for t, _ in tokens("def f(x):\\n    '''Doc.'''\\n    return np.sum(x) + 1  # hi\\n")]
    ['def', 'V', '(', 'V', ')', ':', 'return', 'V', '.', 'sum', '(', 'V', ')', '+', 'N']
    """
    skip_lines = _docstring_lines(source)
    out, after_dot = [], False
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type in _SKIP or tok.start[0] in skip_lines and tok.type == tokenize.STRING:
                continue
            if tok.type == tokenize.NAME:
                text = tok.string if after_dot or tok.string in _KEEP else "V"
            elif tok.type == tokenize.STRING:
                text = "S"
            elif tok.type == tokenize.NUMBER:
                text = "N"
            else:
                text = tok.string
            after_dot = tok.string == "."
            out.append((text, tok.start[0]))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # what was read so far counts: a cell that does not parse is still somebody's code
    return out


def notebook_cells(nb, prepare=lambda source: source) -> dict[str, str]:
    """``{label: Python source}`` of a notebook's answer cells and of the code cells a student added.

    Labels are grade_ids (``cell k`` for a cell of the student's own).  Set-up,
    test and other locked cells are left out; so are the master's solution
    markers.  ``prepare`` turns IPython input into plain Python (the audit's).
    """
    out = {}
    for k, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        if meta and not meta.get("solution"):
            continue
        source = "\n".join(line for line in cell.source.splitlines()
                           if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
        out[meta.get("grade_id") or f"cell {k}"] = prepare(source)
    return out


def _hash(gram: tuple[str, ...]) -> int:
    return int.from_bytes(hashlib.blake2b("\x1f".join(gram).encode(), digest_size=8).digest(), "big")


def fingerprints(cells: dict[str, str]) -> dict[int, list[tuple[str, int, int]]]:
    """``{fingerprint: [(cell, first line, last line), ...]}`` of the cells ``{name: Python source}``.

    Winnowing: of every :data:`WINDOW` consecutive k-gram hashes of a cell the
    smallest (the rightmost on a tie) is kept, with the lines its k-gram spans.
    """
    found: dict[int, list[tuple[str, int, int]]] = {}
    for name, source in cells.items():
        toks = tokens(source)
        grams = [(_hash(tuple(t for t, _ in toks[i:i + K])), toks[i][1], toks[i + K - 1][1])
                 for i in range(len(toks) - K + 1)]
        if not grams:
            continue
        chosen = set()
        for start in range(max(1, len(grams) - WINDOW + 1)):
            window = grams[start:start + WINDOW]
            low = min(h for h, _, _ in window)
            chosen.add(start + max(i for i, (h, _, _) in enumerate(window) if h == low))
        for i in sorted(chosen):
            h, first, last = grams[i]
            found.setdefault(h, []).append((name, first, last))
    return found


def _covered(cells: dict[str, str], where: list[tuple[str, int, int]], most: int) -> tuple[str, ...]:
    seen = sorted({(name, line) for name, first, last in where for line in range(first, last + 1)})
    out = []
    for name, line in seen[:most]:
        text = cells[name].splitlines()[line - 1].strip() if line - 1 < len(cells[name].splitlines()) else ""
        if text:
            out.append(f"{name}: {text}")
    return tuple(out)


def pairs(assignment: str, submissions: dict[str, dict[str, str]], starter: dict[str, str] | None = None,
          master: dict[str, str] | None = None, threshold: float = THRESHOLD, most_lines: int = 12) -> list[Pair]:
    """The pairs of ``submissions`` (``{student: {cell: source}}``) of one set that share code.

    ``starter`` (the release's cells) is left out of every submission;
    ``master`` (the master's solution cells), when given, takes part as the
    pseudo-student :data:`MASTER`.  Each pair is listed once, most similar first.

    >>> code = "def f(a, b):\\n    out = []\\n    for i in range(len(a)):\\n        out.append(a[i] * b[i] + i)\\n" * 3
    >>> renamed = code.replace("out", "result")
    >>> [(p.a, p.b, p.score) for p in pairs("01", {"ann": {"c": code}, "bob": {"c": renamed}, "cy": {"c": "x = 1"}})]
    [('ann', 'bob', 1.0)]
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"pairs: threshold must be in (0, 1], got {threshold!r}.")
    left_out = set(fingerprints(starter or {}))
    people = dict(submissions)
    if master:
        if MASTER in people:
            raise ValueError(f"pairs: {MASTER!r} is the master's name here; a student may not have it.")
        people[MASTER] = master
    prints = {who: {h: w for h, w in fingerprints(cells).items() if h not in left_out} for who, cells in people.items()}
    found = []
    for a, b in itertools.combinations(sorted(prints, key=lambda w: (w == MASTER, w)), 2):
        fa, fb = prints[a], prints[b]
        smaller = min(len(fa), len(fb))
        if smaller < MIN_FINGERPRINTS:
            continue
        shared = fa.keys() & fb.keys()
        score = len(shared) / smaller
        if score >= threshold:
            found.append(Pair(assignment, a, b, round(score, 3), len(shared),
                              _covered(people[a], [w for h in shared for w in fa[h]], most_lines),
                              _covered(people[b], [w for h in shared for w in fb[h]], most_lines)))
    return sorted(found, key=lambda p: (-p.score, p.a, p.b))
