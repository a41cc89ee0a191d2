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
- ``exec``, ``eval``, ``compile`` and ``__import__`` however reached (``getattr(builtins,
  "exec")``), ``getattr`` / ``setattr`` / ``delattr`` with computed names, writes into
  ``globals()`` / ``vars()`` / ``locals()`` or into modules taken from ``sys.modules``, and
  interpreter frames (``sys._getframe``, ``.f_back``, ...);
- reads of IPython's input history (``In``, ``_ih``, ``_i3``, ...): it holds the test cell's source;
- ``os.popen`` / ``os.spawn*`` / ``os.exec*``, ``pty``, ``sqlite3`` (the gradebook) and ``socket``;
- paths outside the working directory: absolute, with ``..``, under ``~``, or computed;
- an answer cell that repeats the master's solution up to renaming (:mod:`coursekit.similarity`);
- files beyond the expected notebooks (``timestamp.txt`` and OS litter such as ``.DS_Store`` excepted).

A flag names the student, assignment, cell, line and reason.  Flags go into
the grade report; they never change a score: the instructor decides.
"""

from __future__ import annotations

import ast
import dataclasses
import os
import posixpath
import re
from pathlib import Path

from . import similarity
from .forbidden import forbidden_by_exercise, python_source

SUSPICIOUS_IPYTHON = {
    "input_transformers_cleanup", "input_transformers_post", "input_transformer_manager", "input_splitter",
    "ast_transformers", "events", "run_cell", "run_cell_async", "run_cell_magic", "showtraceback",
    "showsyntaxerror", "set_custom_exc", "register_magic_function", "register_magics", "kernel",
    "user_ns", "user_global_ns", "ex", "ev", "run_code", "run_ast_nodes", "transform_cell",
    "system", "system_raw", "getoutput", "magics_manager", "history_manager",
}
HARMLESS_MAGICS = {"matplotlib", "timeit", "time", "precision", "pprint", "who", "whos"}
KILLERS = {"os._exit", "os.kill", "os.killpg", "os.abort", "os.system", "os.execv", "os.execl", "os.fork",
           "sys.settrace", "sys.setprofile", "sys.addaudithook"}
DANGEROUS_MODULES = {"ctypes": "loads C code into the kernel", "signal": "handles or sends signals",
                     "subprocess": "runs other programs", "multiprocessing": "starts other processes",
                     "gc": "reaches objects through the garbage collector", "inspect": "reads the grader's frames",
                     "importlib": "reloads or replaces modules", "threading": "runs code behind the tests",
                     "pty": "runs other programs in a pseudo-terminal", "socket": "opens network connections",
                     "sqlite3": "opens SQLite databases (the gradebook is one)", "posix": "calls the system behind os",
                     "_posixsubprocess": "runs other programs", "_thread": "runs code behind the tests"}
FILE_WRITERS = {"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move", "shutil.rmtree",
                "os.remove", "os.unlink", "os.rename", "os.replace", "os.rmdir", "os.removedirs", "os.makedirs",
                "os.mkdir", "os.symlink", "os.link", "os.chmod", "os.truncate", "os.write"}
PATH_WRITERS = {"write_text", "write_bytes", "unlink", "rename", "replace", "rmdir", "symlink_to", "touch",
                "hardlink_to", "chmod"}
TWO_PATH_WRITERS = {"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move", "os.rename",
                    "os.replace", "os.symlink", "os.link"}
CODE_RUNNERS = {"exec", "eval", "compile"}
SPAWNERS = {"os.popen", "os.posix_spawn", "os.posix_spawnp", "os.fork", "os.forkpty"}  # and every os.spawn*, os.exec*
FRAME_FUNCTIONS = {"sys._getframe", "sys._current_frames"}
FRAME_ATTRIBUTES = {"f_back", "f_locals", "f_globals", "f_builtins", "tb_frame", "gi_frame", "cr_frame", "ag_frame"}
NAMESPACES = {"globals", "vars", "locals"}
DICT_WRITERS = {"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"}
HISTORY = {"_ih", "In", "_oh", "Out", "_i", "_ii", "_iii"}  # and _i1, _i2, ...
OPENERS = {"builtins.open", "io.open", "io.FileIO", "os.open", "codecs.open"}
LISTERS = {"os.listdir", "os.scandir", "os.walk", "glob.glob", "glob.iglob", "os.chdir"}
PATH_MAKERS = {f"pathlib.{t}" for t in ("Path", "PurePath", "PosixPath", "PurePosixPath")} | {"os.path.join"}
PATH_IO = {"read_text", "read_bytes", "write_text", "write_bytes"}  # only paths have these
LISTING_METHODS = {"iterdir", "glob", "rglob"}
PATH_METHODS = {"open"} | LISTING_METHODS | PATH_IO | PATH_WRITERS
ACCEPTED_FILES = {"timestamp.txt"}  # nbgrader collect writes it
OS_LITTER = {".ds_store", "thumbs.db", "desktop.ini"}  # and __MACOSX/, ._* (AppleDouble)

MODULE_OBJECT = "changes a module taken from sys.modules"
IMPORT_BY_NAME = "uses __import__, which imports modules by name at run time"
MASTER_MATCH = "matches the instructor's solution (after renaming)"


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


def _const_str(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _arg(call: ast.Call, position: int, *keywords: str):
    """The argument at ``position`` or passed by one of ``keywords``; None when absent."""
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg in keywords), None)


def outside(path: str) -> bool:
    """Whether a path leaves the working directory: absolute, under ``~``, or climbing out with ``..``.

    >>> [outside(p) for p in ("data.csv", "sub/../data.csv", "../x", "/etc/passwd", "~/x", "C:\\\\x")]
    [False, False, True, True, True, True]
    """
    p = path.replace("\\", "/")
    if p.startswith(("/", "~")) or re.match(r"[A-Za-z]:", p):
        return True
    return posixpath.normpath(p).split("/")[0] == ".."


def _is_history(name: str) -> bool:
    return name in HISTORY or re.fullmatch(r"_i\d+", name) is not None


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
        tree = ast.parse(python_source(src))
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
    def __init__(self, forbidden: set[str], protected: dict | None = None, local: set[str] = frozenset()):
        self.protected = protected or {}
        self.depth = 0  # inside a function, lambda, class or comprehension: names are local
        self.aliases: dict[str, str] = {"builtins": "builtins", "__builtins__": "builtins"}
        self.ipython_names: set[str] = set()
        self.namespaces: dict[str, str] = {}  # names bound to globals(), vars(...) or locals()
        self.module_objects: set[str] = set()  # names bound to sys.modules[...]
        self.paths: dict[str, str] = {}  # names bound to a constant path
        self.local = local  # every name the cell binds, at any depth (a parameter called In is not the history)
        self.forbidden = forbidden
        self.found: list[tuple[int, str]] = []

    # -- helpers
    def resolve(self, node) -> str | None:
        """The dotted path of what ``node`` names, through imports, ``getattr(m, "x")``, ``__import__("m")``."""
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call) and node.args:
            first = _const_str(node.args[0])
            if self._is_builtin(node.func, "getattr") and len(node.args) >= 2 and _const_str(node.args[1]):
                base = self.resolve(node.args[0])
                return f"{base}.{node.args[1].value}" if base else None
            if self._is_builtin(node.func, "__import__") and first:
                return first if _arg(node, 3, "fromlist") is not None else first.split(".")[0]
            if first and self.resolve(node.func) == "importlib.import_module":
                return first
        return None

    def _is_builtin(self, func, name: str) -> bool:
        if isinstance(func, ast.Name) and func.id == name and name not in self.aliases:
            return True
        return self.resolve(func) == f"builtins.{name}"

    def _namespace(self, node) -> str | None:
        """'globals()' for globals(), vars(...), locals() or a name bound to one of them."""
        if isinstance(node, ast.Call) and any(self._is_builtin(node.func, n) for n in NAMESPACES):
            return f"{_dotted(node.func).rpartition('.')[2]}()"
        if isinstance(node, ast.Name):
            return self.namespaces.get(node.id)
        return None

    def _module_object(self, node) -> bool:
        """sys.modules[...], sys.modules.get(...), its __dict__, or a name bound to one of them."""
        if isinstance(node, ast.Attribute) and node.attr == "__dict__":
            node = node.value
        if isinstance(node, ast.Subscript):
            return self.resolve(node.value) == "sys.modules"
        if isinstance(node, ast.Call):
            return self.resolve(node.func) in ("sys.modules.get", "sys.modules.setdefault", "sys.modules.pop")
        return isinstance(node, ast.Name) and node.id in self.module_objects

    def _write_into(self, node, obj) -> None:
        """Flag a write into ``obj`` when it is globals(), vars(...), locals() or a module from sys.modules."""
        if self._namespace(obj):
            self.flag(node, f"writes into {self._namespace(obj)}")
        elif self._module_object(obj):
            self.flag(node, MODULE_OBJECT)

    def _dict_owner(self, node) -> str | None:
        """The module whose namespace ``node`` is (builtins.__dict__, vars(builtins), __builtins__)."""
        if isinstance(node, ast.Call) and self._is_builtin(node.func, "vars") and node.args:
            return self.resolve(node.args[0])
        owner = self.resolve(node)
        if owner and owner.endswith(".__dict__"):
            return owner[: -len(".__dict__")]
        return owner if owner == "builtins" else None

    def _reference(self, node, resolved: str | None) -> None:
        """Flags for naming exec, eval, compile, __import__ or a frame function, however reached."""
        if not resolved:
            return
        if resolved.startswith("builtins."):
            name = resolved.partition(".")[2]
            if name in CODE_RUNNERS:
                self.flag(node, f"uses {name}, which runs code the audit cannot read")
            elif name == "__import__":
                self.flag(node, IMPORT_BY_NAME)
        if resolved in FRAME_FUNCTIONS:
            self.flag(node, f"reaches interpreter frames ({resolved})")

    def _history(self, node, name: str) -> None:
        self.flag(node, f"reads IPython's input history ({name}), which holds the test cells' source")

    def _const_path(self, node) -> str | None:
        """The path ``node`` stands for when it is known before running ("data.csv", Path("a") / "b"), else None."""
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            return os.fsdecode(node.value)
        if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
            return "".join(v.value for v in node.values)
        if isinstance(node, ast.Name):
            return self.paths.get(node.id)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            left, right = self._const_path(node.left), self._const_path(node.right)
            return posixpath.join(left, right) if left is not None and right is not None else None
        if isinstance(node, ast.Call) and not node.keywords and self.resolve(node.func) in PATH_MAKERS:
            parts = [self._const_path(a) for a in node.args]
            return None if None in parts else posixpath.join(*parts) if parts else "."
        return None  # Path.home(), .parent, os.getcwd() + ...: computed

    def _check_path(self, node, fn: str, arg) -> None:
        if arg is None:  # no path: the working directory (os.listdir()), or a call that fails anyway
            return
        path = self._const_path(arg)
        if path is None:
            self.flag(node, f"accesses a computed path ({fn}), which may lie outside the working directory")
        elif outside(path):
            self.flag(node, f"accesses a path outside the working directory ({fn}: {path!r})")

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
            elif self._module_object(target.value):
                self.flag(node, MODULE_OBJECT)
        elif isinstance(target, ast.Subscript):
            base = self.resolve(target.value)
            if base == "sys.modules":
                self.flag(node, "writes into sys.modules")
            elif base is not None:
                self.flag(node, f"writes into {base}[...]")
            else:
                self._write_into(node, target.value)

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

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef
    visit_Lambda = _nested
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _nested

    def visit_Name(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            if self.depth == 0:
                self._rebinds(node, node.id)
            return
        builtin = node.id in CODE_RUNNERS or node.id == "__import__"
        self._reference(node, self.resolve(node) or (f"builtins.{node.id}" if builtin else None))
        if _is_history(node.id) and node.id not in self.local:
            self._history(node, node.id)

    def visit_Subscript(self, node):
        key = _const_str(node.slice)
        if isinstance(node.ctx, ast.Load) and key:
            owner = self._dict_owner(node.value)
            if owner:
                self._reference(node, f"{owner}.{key}")
            if _is_history(key) and (self._namespace(node.value) or owner == "__main__"):
                self._history(node, key)
        self.generic_visit(node)

    def visit_Global(self, node):
        for name in node.names:
            self._rebinds(node, name)

    def visit_Assign(self, node):
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if _is_get_ipython_call(node.value):
            self.ipython_names.update(names)
        if self._module_object(node.value):
            self.module_objects.update(names)
        namespace, path = self._namespace(node.value), self._const_path(node.value)
        for name in names:  # a name bound to something else forgets what it stood for
            self.namespaces.pop(name, None)
            self.paths.pop(name, None)
            if namespace:
                self.namespaces[name] = namespace
            if path is not None:
                self.paths[name] = path
        for t in node.targets:
            self._target(t, node)
        self.generic_visit(node)

    def visit_For(self, node):
        """``for name in glob.glob("data/*.csv")``: each name is a path inside the working directory."""
        it, where = node.iter, None
        if isinstance(it, ast.Call) and _dotted(it.func) in ("sorted", "list") and it.args:
            it = it.args[0]
        if isinstance(it, ast.Call) and self.resolve(it.func) in ("glob.glob", "glob.iglob", "os.listdir"):
            where = self._const_path(_arg(it, 0, "pathname", "path") or ast.Constant("."))
        elif isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) and it.func.attr in LISTING_METHODS:
            where = self._const_path(ast.BinOp(it.func.value, ast.Div(), _arg(it, 0, "pattern") or ast.Constant(".")))
        if isinstance(node.target, ast.Name):
            self.paths.pop(node.target.id, None)
            if where is not None and not outside(where):
                self.paths[node.target.id] = where
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        self._target(node.target, node)
        self.generic_visit(node)

    visit_AnnAssign = visit_AugAssign

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
        for fn in ("getattr", "setattr", "delattr"):
            if self._is_builtin(func, fn):
                if len(node.args) >= 2 and _const_str(node.args[1]) is None:
                    self.flag(node, f"{fn}() with a computed attribute name")
                if fn != "getattr" and node.args and self._module_object(node.args[0]):
                    self.flag(node, MODULE_OBJECT)
        if node.args and _const_str(node.args[0]) and (self._is_builtin(func, "__import__")
                                                        or resolved == "importlib.import_module"):
            self._check_module(node, node.args[0].value)
        self._reference(node, self.resolve(node))
        if isinstance(func, ast.Attribute) and func.attr in DICT_WRITERS:
            self._write_into(node, func.value)
        if resolved in KILLERS:
            self.flag(node, f"calls {resolved}")
        elif resolved and (resolved in SPAWNERS or resolved.startswith(("os.spawn", "os.exec"))):
            self.flag(node, f"calls {resolved}, which starts another process")
        if resolved and resolved.startswith("sys.modules.") and resolved.split(".")[-1] in DICT_WRITERS:
            self.flag(node, f"changes sys.modules ({resolved})")
        if resolved in FILE_WRITERS:
            self.flag(node, f"writes, moves or deletes files ({resolved})")
            self._check_path(node, resolved, _arg(node, 0, "src", "path"))
            if resolved in TWO_PATH_WRITERS:
                self._check_path(node, resolved, _arg(node, 1, "dst"))
        if name == "open" or resolved in ("io.open", "builtins.open", "os.open"):
            mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
            if isinstance(mode, ast.Constant) and isinstance(mode.value, str) and set(mode.value) & set("wax+"):
                self.flag(node, f"opens a file for writing (mode {mode.value!r})")
            elif resolved == "os.open":
                self.flag(node, "opens a file with os.open")
        if name == "open" or resolved in OPENERS:
            self._check_path(node, resolved or name, _arg(node, 0, "file", "path", "filename"))
        if resolved in LISTERS:
            self._check_path(node, resolved, _arg(node, 0, "path", "top", "pathname"))
        if isinstance(func, ast.Attribute) and func.attr in PATH_WRITERS and self.resolve(func.value) is None:
            self.flag(node, f"may write, move or delete a file (.{func.attr}())")
        if isinstance(func, ast.Attribute) and func.attr in PATH_METHODS and self.resolve(func.value) is None \
                and (func.attr in PATH_IO or self._const_path(func.value) is not None):  # f.open(): f may be a zip
            self._check_path(node, f"Path.{func.attr}", func.value)
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
            self._reference(node, self.resolve(node))
            if _is_history(node.attr) and (node.attr not in ("In", "Out", "_i")  # obj.In may be anything
                                           or self.resolve(node.value) == "__main__"
                                           or self._module_object(node.value)):
                self._history(node, node.attr)
        if node.attr in FRAME_ATTRIBUTES:
            self.flag(node, f"reaches interpreter frames (.{node.attr})")
        self.generic_visit(node)


def scan_source(src: str, forbidden=(), protected=None) -> list[tuple[int, str]]:
    """(line, reason) for each suspicious construct in one cell's source.

    >>> scan_source("import numpy as np\\nnp.allclose = lambda *a, **k: True")
    [(2, 'assigns to numpy.allclose, an attribute of an imported module')]
    >>> scan_source("def f(a, v):\\n    return np.convolve(a, v)", forbidden={"numpy.convolve"})
    []
    >>> scan_source("import numpy as np\\ndef f(a, v):\\n    return np.convolve(a, v)", forbidden={"numpy.convolve"})
    [(3, 'uses numpy.convolve, which this exercise forbids')]
    >>> scan_source("import builtins\\ngetattr(builtins, 'ex' + 'ec')(In[-1])")  # doctest: +NORMALIZE_WHITESPACE
    [(2, 'getattr() with a computed attribute name'),
     (2, "reads IPython's input history (In), which holds the test cells' source")]
    >>> scan_source("rows = open('data.csv').read()\\ntext = open('../source/a.md').read()")
    [(2, "accesses a path outside the working directory (open: '../source/a.md')")]
    """
    try:
        tree = ast.parse(python_source(src))
    except SyntaxError as exc:
        return [(exc.lineno or 0, f"does not parse as Python ({exc.msg}); read it by hand")]
    scanner = _Scanner(set(forbidden), protected, similarity.local_names(tree))
    scanner.visit(tree)
    return sorted(set(scanner.found))


def audit_submission(student: str, assignment: str, sub_dir: Path, release_dir: Path, master_nb) -> list[Flag]:
    """Every flag for one submission folder."""
    import nbformat

    flags: list[Flag] = []
    expected = {p.name for p in release_dir.iterdir() if p.is_file()} if release_dir.exists() else set()
    expected |= ACCEPTED_FILES
    for path in sorted(sub_dir.rglob("*")):
        rel = path.relative_to(sub_dir)
        if path.is_file() and str(rel) not in expected and ".ipynb_checkpoints" not in rel.parts \
                and not _os_litter(rel):
            flags.append(Flag(student, assignment, str(rel), 0, "a file that is not part of the assignment", ""))
    forbidden = forbidden_by_exercise(master_nb) if master_nb is not None else {}
    solutions = similarity.solutions(master_nb, python_source) if master_nb is not None else {}
    release_sources, protected = set(), {}
    for nb_path in release_dir.glob("*.ipynb"):
        for c in nbformat.read(nb_path, as_version=4).cells:
            if c.cell_type == "code":
                release_sources.add(c.source)
                meta = c.metadata.get("nbgrader", {})
                if meta.get("locked") and not meta.get("grade"):
                    protected.update(bound_names(c.source))
    for nb_path in sorted(p for p in sub_dir.glob("*.ipynb") if not _os_litter(p.relative_to(sub_dir))):
        try:
            nb = nbformat.read(nb_path, as_version=4)
        except Exception as exc:
            flags.append(Flag(student, assignment, nb_path.name, 0, f"not a readable notebook ({exc})", ""))
            continue
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or cell.source in release_sources:
                continue
            meta = cell.metadata.get("nbgrader", {})
            gid = meta.get("grade_id", "")
            exercise = gid[: -len("-answer")] if gid.endswith("-answer") else None
            where = f"{nb_path.name} cell {i}" + (f" ({gid})" if gid else " (added by the student)")
            lines = cell.source.splitlines()
            found = scan_source(cell.source, forbidden.get(exercise, ()), protected)
            if similarity.is_answer(cell) and gid in solutions:
                line = similarity.matches(solutions[gid], python_source(cell.source))
                if line is not None:
                    found.append((line, MASTER_MATCH))
            for line, reason in found:
                code = lines[line - 1].strip() if 0 < line <= len(lines) else ""
                flags.append(Flag(student, assignment, where, line, reason, code[:120]))
    return flags


def _os_litter(rel: Path) -> bool:
    """Files an operating system leaves behind: .DS_Store, __MACOSX/, ._* (AppleDouble), Thumbs.db, desktop.ini."""
    return "__MACOSX" in rel.parts or rel.name.lower() in OS_LITTER or rel.name.startswith("._")


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
