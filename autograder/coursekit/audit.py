"""Integrity audit: read every submission's code statically and flag what tests cannot see.

nbgrader runs a student's code and the tests in one kernel, so a notebook can
make the tests pass without solving anything: reassign ``numpy.allclose``,
patch ``convbook``, hook IPython so later cells vanish, kill the kernel, or
ship a file that shadows a package.  This module parses each code cell with
Python's ``ast`` (after IPython's own transformation of magics) and flags:

- assignments to attributes of imported modules or of ``builtins``
  (``np.allclose = ...``, ``setattr(convbook.discrete, ...)``);
- writes into ``sys.modules``;
- use of ``get_ipython()`` internals (input transformers, events, ``run_cell``,
  ``showtraceback``, shell escapes);
- ``os._exit`` / ``os.kill`` / ``signal`` / ``ctypes`` / ``subprocess``;
- code that writes, moves or deletes files;
- in an exercise's answer cell, calls the exercise forbids (the names its
  test cells pass to ``forbid(...)``);
- redefinitions of what the assignment's set-up cell defines (``check_sympy =
  lambda *a, **k: None`` would silence every test that uses it);
- files in the submission beyond the expected notebooks.

A flag names the student, assignment, cell, line and reason.  Flags go into
the grade report; they never change a score: the instructor decides.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

SUSPICIOUS_IPYTHON = {
    "input_transformers_cleanup", "input_transformers_post", "input_transformer_manager", "input_splitter",
    "ast_transformers", "events", "run_cell", "run_cell_async", "run_cell_magic", "showtraceback",
    "showsyntaxerror", "set_custom_exc", "register_magic_function", "register_magics", "kernel",
    "user_ns", "user_global_ns", "ex", "ev", "run_code", "run_ast_nodes", "transform_cell",
    "system", "system_raw", "getoutput", "magics_manager",
}
HARMLESS_MAGICS = {"matplotlib", "timeit", "time", "precision", "pprint", "who", "whos"}
KILLERS = {"os._exit", "os.kill", "os.killpg", "os.abort", "os.system", "os.execv", "os.execl", "os.fork",
           "sys.settrace", "sys.setprofile", "sys.addaudithook"}
DANGEROUS_MODULES = {"ctypes": "loads C code into the kernel", "signal": "handles or sends signals",
                     "subprocess": "runs other programs", "multiprocessing": "starts other processes",
                     "gc": "reaches objects through the garbage collector", "inspect": "reads the grader's frames",
                     "importlib": "reloads or replaces modules", "threading": "runs code behind the tests"}
FILE_WRITERS = {"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move", "shutil.rmtree",
                "os.remove", "os.unlink", "os.rename", "os.replace", "os.rmdir", "os.removedirs", "os.makedirs",
                "os.mkdir", "os.symlink", "os.link", "os.chmod", "os.truncate", "os.write"}
PATH_WRITERS = {"write_text", "write_bytes", "unlink", "rename", "replace", "rmdir", "symlink_to", "touch",
                "hardlink_to", "chmod"}


@dataclasses.dataclass(frozen=True)
class Flag:
    student: str
    assignment: str
    cell: str
    line: int
    reason: str
    code: str

    def __str__(self) -> str:
        return f"{self.student}/{self.assignment} {self.cell} line {self.line}: {self.reason}  [{self.code}]"


def _dotted(node) -> str | None:
    """'np.fft.fft' for the expression np.fft.fft, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _is_get_ipython_call(node) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "get_ipython"


def _import_bindings(node) -> list[tuple[str, str]]:
    """(name bound, dotted path it refers to) for each alias of an Import or ImportFrom node.

    ``import numpy.fft`` binds ``numpy`` to ``numpy``; ``import numpy.fft as f``
    binds ``f`` to ``numpy.fft``; ``from numpy import fft`` binds ``fft`` to ``numpy.fft``.
    """
    if isinstance(node, ast.Import):
        return [((a.asname or a.name).split(".")[0], a.name if a.asname else a.name.split(".")[0])
                for a in node.names]
    mod = node.module or ""
    return [(a.asname or a.name, f"{mod}.{a.name}" if mod else a.name) for a in node.names]


def bound_names(src: str) -> dict[str, str | None]:
    """Top-level names a cell binds: {name: imported module path, or None for other bindings}."""
    try:
        tree = ast.parse(_python_source(src))
    except SyntaxError:
        return {}
    names: dict[str, str | None] = {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(_import_bindings(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] = None
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        names[n.id] = None
    return names


class _Scanner(ast.NodeVisitor):
    def __init__(self, forbidden: set[str], protected: dict | None = None):
        self.protected = protected or {}
        self.depth = 0  # inside a function, lambda, class or comprehension: names are local
        self.aliases: dict[str, str] = {"builtins": "builtins", "__builtins__": "builtins"}
        self.ipython_names: set[str] = set()
        self.forbidden = forbidden
        self.found: list[tuple[int, str]] = []

    # -- helpers
    def resolve(self, node) -> str | None:
        dotted = _dotted(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        if head in self.aliases:
            return self.aliases[head] + ("." + rest if rest else "")
        return None

    def flag(self, node, reason: str) -> None:
        self.found.append((getattr(node, "lineno", 0), reason))

    # -- imports
    def visit_Import(self, node):
        for (bound, target), a in zip(_import_bindings(node), node.names):
            self.aliases[bound] = target
            self._rebinds(node, bound, target)
            self._check_module(node, a.name)

    def visit_ImportFrom(self, node):
        for bound, target in _import_bindings(node):
            self.aliases[bound] = target
            self._rebinds(node, bound, target)
            self._check_module(node, target)
        self._check_module(node, node.module or "")

    def _check_module(self, node, name: str) -> None:
        top = name.split(".")[0]
        if top in DANGEROUS_MODULES:
            self.flag(node, f"imports {top}, which {DANGEROUS_MODULES[top]}")
        self._check_forbidden(node, name)

    def _check_forbidden(self, node, dotted: str | None) -> None:
        if not dotted:
            return
        for f in self.forbidden:
            if dotted == f or dotted.startswith(f + "."):
                self.flag(node, f"uses {dotted}, which this exercise forbids")
                return

    # -- writes to modules
    def _target(self, target, node) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for t in target.elts:
                self._target(t, node)
        elif isinstance(target, ast.Attribute):
            owner = self.resolve(target.value)
            if owner is not None:
                self.flag(node, f"assigns to {owner}.{target.attr}, an attribute of an imported module")
            elif _is_get_ipython_call(target.value) or _dotted(target.value) in self.ipython_names:
                self.flag(node, f"replaces get_ipython().{target.attr}")
        elif isinstance(target, ast.Subscript):
            base = self.resolve(target.value)
            if base == "sys.modules":
                self.flag(node, "writes into sys.modules")
            elif base is not None:
                self.flag(node, f"writes into {base}[...]")

    def _rebinds(self, node, name: str, module: str | None = None) -> None:
        if name in self.protected and not (module is not None and module == self.protected[name]):
            self.flag(node, f"redefines {name}, which the assignment's set-up cell defines")

    def _nested(self, node) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_FunctionDef(self, node):
        if self.depth == 0:
            self._rebinds(node, node.name)
        self._nested(node)

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_Lambda = _nested
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _nested

    def visit_ClassDef(self, node):
        if self.depth == 0:
            self._rebinds(node, node.name)
        self._nested(node)

    def visit_Name(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)) and self.depth == 0:
            self._rebinds(node, node.id)

    def visit_Global(self, node):
        for name in node.names:
            self._rebinds(node, name)

    def visit_Assign(self, node):
        if _is_get_ipython_call(node.value):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    self.ipython_names.add(t.id)
        for t in node.targets:
            self._target(t, node)
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        self._target(node.target, node)
        self.generic_visit(node)

    def visit_AnnAssign(self, node):
        self._target(node.target, node)
        self.generic_visit(node)

    def visit_Delete(self, node):
        for t in node.targets:
            self._target(t, node)

    # -- calls
    def visit_Call(self, node):
        func = node.func
        name = _dotted(func)
        resolved = self.resolve(func)
        if name in ("setattr", "delattr") and node.args:
            owner = self.resolve(node.args[0])
            if owner is not None:
                self.flag(node, f"{name}() on {owner}, an imported module")
        if resolved in KILLERS:
            self.flag(node, f"calls {resolved}")
        if resolved and resolved.startswith("sys.modules.") and resolved.split(".")[-1] in {
                "update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"}:
            self.flag(node, f"changes sys.modules ({resolved})")
        if resolved in FILE_WRITERS:
            self.flag(node, f"writes, moves or deletes files ({resolved})")
        if name == "open" or resolved in ("io.open", "builtins.open", "os.open"):
            mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
            if isinstance(mode, ast.Constant) and isinstance(mode.value, str) and set(mode.value) & set("wax+"):
                self.flag(node, f"opens a file for writing (mode {mode.value!r})")
            elif resolved == "os.open":
                self.flag(node, "opens a file with os.open")
        if isinstance(func, ast.Attribute) and func.attr in PATH_WRITERS and self.resolve(func.value) is None:
            self.flag(node, f"may write, move or delete a file (.{func.attr}())")
        if isinstance(func, ast.Attribute) and (_is_get_ipython_call(func.value) or _dotted(func.value) in self.ipython_names):
            self._ipython_attr(node, func.attr, node.args)
        self._check_forbidden(node, resolved)
        self.generic_visit(node)

    def _ipython_attr(self, node, attr: str, args) -> None:
        if attr in ("run_line_magic", "run_cell_magic") and args and isinstance(args[0], ast.Constant):
            if args[0].value not in HARMLESS_MAGICS:
                self.flag(node, f"runs the IPython magic %{args[0].value}")
        elif attr in ("system", "system_raw", "getoutput"):
            self.flag(node, f"runs a shell command (get_ipython().{attr})")
        elif attr in SUSPICIOUS_IPYTHON:
            self.flag(node, f"uses get_ipython().{attr}, an IPython internal")

    def visit_Attribute(self, node):
        if isinstance(node.ctx, ast.Load):
            if (_is_get_ipython_call(node.value) or _dotted(node.value) in self.ipython_names) \
                    and node.attr in SUSPICIOUS_IPYTHON - {"system", "getoutput"}:
                self.flag(node, f"uses get_ipython().{node.attr}, an IPython internal")
            self._check_forbidden(node, self.resolve(node))
        self.generic_visit(node)


def _python_source(src: str) -> str:
    """The cell as plain Python, magics and shell escapes turned into calls, as IPython runs it."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(src)


def scan_source(src: str, forbidden=(), protected=None) -> list[tuple[int, str]]:
    """(line, reason) for each suspicious construct in one cell's source.

    >>> scan_source("import numpy as np\\nnp.allclose = lambda *a, **k: True")
    [(2, 'assigns to numpy.allclose, an attribute of an imported module')]
    >>> scan_source("def f(a, v):\\n    return np.convolve(a, v)", forbidden={"numpy.convolve"})
    []
    >>> scan_source("import numpy as np\\ndef f(a, v):\\n    return np.convolve(a, v)", forbidden={"numpy.convolve"})
    [(3, 'uses numpy.convolve, which this exercise forbids')]
    """
    try:
        tree = ast.parse(_python_source(src))
    except SyntaxError as exc:
        return [(exc.lineno or 0, f"does not parse as Python ({exc.msg}); read it by hand")]
    scanner = _Scanner(set(forbidden), protected)
    scanner.visit(tree)
    return sorted(set(scanner.found))


_FORBIDDERS = {"forbid", "not_allowed"}


def _string_tuples(src: str) -> dict[str, list[str]]:
    """NAME = ("a.b", "c.d", ...) assignments at the top of a cell."""
    out = {}
    try:
        tree = ast.parse(_python_source(src))
    except SyntaxError:
        return out
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, (ast.Tuple, ast.List)):
            items = [e.value for e in node.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
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
            tree = ast.parse(_python_source(cell.source))
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


def audit_submission(student: str, assignment: str, sub_dir: Path, release_dir: Path, master_nb) -> list[Flag]:
    """Every flag for one submission folder."""
    import nbformat

    flags: list[Flag] = []
    expected = {p.name for p in release_dir.iterdir() if p.is_file()} if release_dir.exists() else set()
    for path in sorted(sub_dir.rglob("*")):
        rel = path.relative_to(sub_dir)
        if path.is_file() and str(rel) not in expected and ".ipynb_checkpoints" not in rel.parts:
            flags.append(Flag(student, assignment, str(rel), 0, "a file that is not part of the assignment", ""))
    forbidden = forbidden_by_exercise(master_nb) if master_nb is not None else {}
    release_sources, protected = set(), {}
    for nb_path in release_dir.glob("*.ipynb"):
        for c in nbformat.read(nb_path, as_version=4).cells:
            if c.cell_type == "code":
                release_sources.add(c.source)
                meta = c.metadata.get("nbgrader", {})
                if meta.get("locked") and not meta.get("grade"):
                    protected.update(bound_names(c.source))
    for nb_path in sorted(sub_dir.glob("*.ipynb")):
        try:
            nb = nbformat.read(nb_path, as_version=4)
        except Exception as exc:
            flags.append(Flag(student, assignment, nb_path.name, 0, f"not a readable notebook ({exc})", ""))
            continue
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or cell.source in release_sources:
                continue
            gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            exercise = gid[: -len("-answer")] if gid.endswith("-answer") else None
            where = f"{nb_path.name} cell {i}" + (f" ({gid})" if gid else " (added by the student)")
            lines = cell.source.splitlines()
            for line, reason in scan_source(cell.source, forbidden.get(exercise, ()), protected):
                code = lines[line - 1].strip() if 0 < line <= len(lines) else ""
                flags.append(Flag(student, assignment, where, line, reason, code[:120]))
    return flags


def audit_class(course_dir: Path, subs) -> list[Flag]:
    """Flags for every (student, assignment) in ``subs`` under ``course_dir`` (autograder/)."""
    import nbformat

    masters = {}
    flags: list[Flag] = []
    for student, assignment in subs:
        if assignment not in masters:
            src = course_dir / "source" / assignment / f"{assignment}.ipynb"
            masters[assignment] = nbformat.read(src, as_version=4) if src.exists() else None
        flags += audit_submission(student, assignment, course_dir / "submitted" / student / assignment,
                                  course_dir / "release" / assignment, masters[assignment])
    return flags
