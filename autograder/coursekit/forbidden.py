"""What an exercise forbids, read from the master, and a cell's source as IPython runs it.

The test cells of an exercise call ``forbid(...)`` (or the set-up cell's
wrapper ``not_allowed``) with the dotted names the exercise may not use.  The
audit flags those names in the exercise's answer cell; the re-check forbids
them while it calls the graded function.
"""

from __future__ import annotations

import ast


def python_source(src: str) -> str:
    """The cell as plain Python, magics and shell escapes turned into calls, as IPython runs it."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(src)


_FORBIDDERS = {"forbid", "not_allowed"}


def _strings(node: ast.expr, known: dict[str, list[str]]) -> list[str] | None:
    """The strings of a tuple or list literal, a name defined earlier, or a sum of those; None otherwise."""
    if isinstance(node, (ast.Tuple, ast.List)):
        items = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        return items or None
    if isinstance(node, ast.Name):
        return known.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _strings(node.left, known), _strings(node.right, known)
        return None if left is None and right is None else (left or []) + (right or [])
    return None


def _string_tuples(src: str) -> dict[str, list[str]]:
    """NAME = ("a.b", "c.d", ...) assignments at the top of a cell, and sums of them (A = B + ("e.f",))."""
    out: dict[str, list[str]] = {}
    try:
        tree = ast.parse(python_source(src))
    except SyntaxError:
        return out
    for node in tree.body:
        if isinstance(node, ast.Assign):
            items = _strings(node.value, out)
            for t in node.targets:
                if isinstance(t, ast.Name) and items:
                    out[t.id] = items
    return out


def forbidden_by_exercise(master_nb) -> dict[str, set[str]]:
    """{exercise: dotted names its test cells forbid}, from the master notebook.

    Reads calls to ``forbid(...)`` (and a set-up cell's wrapper named
    ``not_allowed``): string arguments, and names of tuples of strings that
    the set-up cell defines.
    """
    tuples: dict[str, list[str]] = {}
    for cell in master_nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade_id") == "setup":
            tuples.update(_string_tuples(cell.source))
    out: dict[str, set[str]] = {}
    for cell in master_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id", "")
        if cell.cell_type != "code" or not meta.get("grade") or "-test" not in gid:
            continue
        try:
            tree = ast.parse(python_source(cell.source))
        except SyntaxError:
            continue
        names = out.setdefault(gid.split("-test")[0], set())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FORBIDDERS:
                for arg in node.args:
                    arg = arg.value if isinstance(arg, ast.Starred) else arg
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        names.add(arg.value)
                    elif isinstance(arg, ast.Name):
                        names.update(tuples.get(arg.id, ()))
    return {k: v for k, v in out.items() if v}
