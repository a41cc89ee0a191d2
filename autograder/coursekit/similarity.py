"""Does an answer cell repeat the instructor's solution?  Normalised ASTs, compared.

A master's answer cell holds its solution between ``### BEGIN SOLUTION`` and
``### END SOLUTION``; around it sits what the student's version keeps (the
signature, the docstring).  :func:`reference` takes the top-level statements
that hold the solution (the whole ``def`` when the solution is its body) and
:func:`matches` looks for the same run of statements in a submitted cell.
Both sides are normalised first: parsed with ``ast`` (which drops comments),
docstrings dropped, every local identifier (function arguments, assigned
names, loop variables, names of nested functions and classes) renamed to a
canonical name in order of first appearance, then ``ast.dump`` (which drops
line numbers).  Renaming variables, rewording comments or the docstring, or
adding imports and helpers around the copy does not hide it; changing the
code does.

A solution of fewer than :data:`MIN_STATEMENTS` statements is not compared:
``return sp.sqrt(s1**2 + s2**2)`` is what every honest student writes.  A
blank cell or a stub (``pass``, ``...``, ``raise NotImplementedError()``)
never matches.

This module reads plain Python source (the caller turns IPython magics into
Python first) and imports nothing from coursekit.
"""

from __future__ import annotations

import ast
import copy
import dataclasses

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
MIN_STATEMENTS = 2


@dataclasses.dataclass(frozen=True)
class Reference:
    dump: str  # the normalised run of top-level statements that holds the solution
    length: int  # how many top-level statements that run has
    statements: int  # statements inside the solution block, nested ones included


def _drop_docstrings(tree: ast.AST) -> None:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]


def local_names(tree: ast.AST) -> set[str]:
    """Names the code binds: assigned, deleted, loop and ``with`` targets, arguments, defs, ``except ... as``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


class _Renamer(ast.NodeTransformer):
    def __init__(self, bound: set[str]):
        self.bound = bound
        self.names: dict[str, str] = {}

    def canon(self, name: str) -> str:
        if name not in self.bound:
            return name
        return self.names.setdefault(name, f"_v{len(self.names)}")

    def visit_Name(self, node):
        node.id = self.canon(node.id)
        return node

    def visit_arg(self, node):
        node.arg = self.canon(node.arg)
        self.generic_visit(node)
        return node

    def _named(self, node):
        node.name = self.canon(node.name)
        self.generic_visit(node)
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _named

    def visit_ExceptHandler(self, node):
        if node.name:
            node.name = self.canon(node.name)
        self.generic_visit(node)
        return node

    def visit_Global(self, node):
        node.names = [self.canon(n) for n in node.names]
        return node

    visit_Nonlocal = visit_Global


def normalise(statements: list[ast.stmt]) -> str:
    """``ast.dump`` of the statements with docstrings dropped and local names made canonical.

    >>> a = normalise(ast.parse("def f(x):\\n    '''Doc.'''\\n    y = x + 1  # one more\\n    return y").body)
    >>> a == normalise(ast.parse("def f(t):\\n    z = t + 1\\n    return z").body)
    True
    >>> a == normalise(ast.parse("def f(x):\\n    return x + 1").body)
    False
    """
    module = ast.Module(body=copy.deepcopy(list(statements)), type_ignores=[])
    _drop_docstrings(module)
    _Renamer(local_names(module)).visit(module)
    return ast.dump(module)


def _is_stub(statements: list[ast.stmt]) -> bool:
    """Nothing but docstrings, ``pass``, ``...`` and ``raise NotImplementedError``, in functions or not."""
    for s in statements:
        if isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)):
            continue
        if isinstance(s, ast.Raise) and s.exc is not None:
            exc = s.exc.func if isinstance(s.exc, ast.Call) else s.exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                continue
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_stub(s.body):
            continue
        return False
    return True


def reference(master_source: str) -> Reference | None:
    """What :func:`matches` compares with, from a master's answer cell; None when there is nothing to compare.

    Without ``### BEGIN SOLUTION`` the whole cell is the solution (as nbgrader reads it).

    >>> ref = reference("def f(x):\\n    '''Doc.'''\\n    ### BEGIN SOLUTION\\n"
    ...                 "    y = x * x\\n    return y + 1\\n    ### END SOLUTION")
    >>> (ref.length, ref.statements)
    (1, 2)
    >>> reference("x = 1\\n### BEGIN SOLUTION\\n### END SOLUTION") is None
    True
    """
    lines, region, inside = [], set(), False
    for line in master_source.splitlines():
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        else:
            lines.append(line)
            if inside:
                region.add(len(lines))
    if BEGIN not in master_source:
        region = set(range(1, len(lines) + 1))
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return None
    run = [i for i, s in enumerate(tree.body) if region & set(range(s.lineno, (s.end_lineno or s.lineno) + 1))]
    statements = sum(1 for n in ast.walk(tree) if isinstance(n, ast.stmt) and n.lineno in region)
    if not run or not statements:
        return None
    body = tree.body[run[0]: run[-1] + 1]
    if _is_stub(body):
        return None
    return Reference(normalise(body), len(body), statements)


def matches(ref: Reference | None, source: str, min_statements: int = MIN_STATEMENTS) -> int | None:
    """The line where ``source`` repeats the solution ``ref`` (after normalising), or None.

    >>> ref = reference("def f(x):\\n    ### BEGIN SOLUTION\\n    y = x * x\\n    return y + 1\\n    ### END SOLUTION")
    >>> matches(ref, "import math\\n\\ndef f(x):\\n    # squared\\n    s = x * x\\n    return s + 1")
    3
    >>> matches(ref, "def f(x):\\n    return x * x + 1") is None
    True
    >>> matches(ref, "def f(x):\\n    raise NotImplementedError()") is None
    True
    """
    if ref is None or ref.statements < min_statements:
        return None
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    body = tree.body
    if _is_stub(body):
        return None
    for i in range(len(body) - ref.length + 1):
        window = body[i: i + ref.length]
        if normalise(window) == ref.dump:
            return window[0].lineno
    return None


def is_answer(cell) -> bool:
    """An nbgrader answer cell: ``solution: true``, or a grade_id ending in ``-answer``."""
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("solution") or meta.get("grade_id", "").endswith("-answer"))


def solutions(master_nb, prepare=lambda source: source) -> dict[str, Reference]:
    """{grade_id: the :func:`reference` of its solution} for each answer cell of a master notebook.

    ``prepare`` turns a cell into plain Python first (the audit passes IPython's transformation).
    """
    out = {}
    for cell in master_nb.cells:
        ref = reference(prepare(cell.source)) if is_answer(cell) else None
        if ref is not None:
            out[cell.metadata["nbgrader"]["grade_id"]] = ref
    return out
