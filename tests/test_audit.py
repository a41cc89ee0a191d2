"""The integrity audit read statically: each construct it flags, by hand and built at run time, and honest code.

Every new construct has a hand-written case that must give its exact reason,
and the same code hidden behind ``exec(base64.b64decode(...))`` must at least be
flagged for the ``exec``.  A list of honest snippets must give no flag at all,
and so must the course's own solutions.  Submission folders (timestamp.txt,
operating-system litter, an added helper cell) and the comparison with the
master's solutions run through ``audit_submission`` on small notebooks.
"""

from __future__ import annotations

import base64
import functools
import importlib
import re

import nbformat
import pytest

from conftest import ROOT
from coursekit import audit, similarity
from coursekit.forbidden import forbidden_by_exercise

EXEC = "uses exec, which runs code the audit cannot read"
EVAL = "uses eval, which runs code the audit cannot read"
COMPILE = "uses compile, which runs code the audit cannot read"
MODULE_OBJECT = "changes a module taken from sys.modules"
IMPORT_BY_NAME = "uses __import__, which imports modules by name at run time"
MASTER_MATCH = "matches the instructor's solution (after renaming)"


def frames(what):
    return f"reaches interpreter frames ({what})"


def spawns(fn):
    return f"calls {fn}, which starts another process"


def outside(fn, path):
    return f"accesses a path outside the working directory ({fn}: {path!r})"


def computed(fn):
    return f"accesses a computed path ({fn}), which may lie outside the working directory"


def history(name):
    return f"reads IPython's input history ({name}), which holds the test cells' source"


# (id, source, the reason it must give)
NEW_CONSTRUCTS = [
    # exec / eval / compile, however reached
    ("exec", "exec('x = 1')", EXEC),
    ("eval", "y = eval('1 + 1')", EVAL),
    ("compile", "code = compile('x = 1', '<cell>', 'exec')", COMPILE),
    ("builtins.exec", "import builtins\nbuiltins.exec('x = 1')", EXEC),
    ("__builtins__.exec", "__builtins__.exec('x = 1')", EXEC),
    ("getattr(builtins, 'exec')", "import builtins\ngetattr(builtins, 'exec')('x = 1')", EXEC),
    ("getattr(__builtins__, 'eval')", "run = getattr(__builtins__, 'eval')", EVAL),
    ("from builtins import exec", "from builtins import exec as run\nrun('x = 1')", EXEC),
    ("builtins.__dict__['eval']", "import builtins\nbuiltins.__dict__['eval']('1')", EVAL),
    ("vars(builtins)['exec']", "import builtins\nvars(builtins)['exec']('x = 1')", EXEC),
    ("exec passed around", "run = exec\nrun('x = 1')", EXEC),
    ("exec inside a function", "def f(src):\n    return eval(src)", EVAL),
    # __import__ and computed attribute names
    ("__import__", "m = __import__('math')", IMPORT_BY_NAME),
    ("builtins.__import__", "import builtins\nm = builtins.__import__('math')", IMPORT_BY_NAME),
    ("__import__ of a dangerous module", "__import__('subprocess').run(['ls'])",
     "imports subprocess, which runs other programs"),
    ("__import__ reaching a killer", "__import__('os')._exit(0)", "calls os._exit"),
    ("import_module of a dangerous module", "import importlib\nimportlib.import_module('socket')",
     "imports socket, which opens network connections"),
    ("getattr computed", "import numpy as np\nname = 'all' + 'close'\nf = getattr(np, name)",
     "getattr() with a computed attribute name"),
    ("getattr computed with default", "f = getattr(obj, names[0], None)", "getattr() with a computed attribute name"),
    ("setattr computed", "for k, v in patch.items():\n    setattr(target, k, v)", "setattr() with a computed attribute name"),
    ("delattr computed", "delattr(target, 'check' + '_sympy')", "delattr() with a computed attribute name"),
    ("getattr of a module's killer", "import os\ngetattr(os, '_exit')(0)", "calls os._exit"),
    # globals() / vars() / locals() and modules taken from sys.modules
    ("globals()[...] =", "globals()['check_sympy'] = print", "writes into globals()"),
    ("globals().update", "globals().update(check_sympy=print)", "writes into globals()"),
    ("globals().setdefault", "globals().setdefault('x', 1)", "writes into globals()"),
    ("globals().__setitem__", "globals().__setitem__('check_sympy', print)", "writes into globals()"),
    ("del globals()[...]", "del globals()['check_sympy']", "writes into globals()"),
    ("globals() bound to a name", "g = globals()\ng['check_sympy'] = print", "writes into globals()"),
    ("locals()[...] =", "locals()['x'] = 1", "writes into locals()"),
    ("vars()[...] =", "vars()['check_sympy'] = print", "writes into vars()"),
    ("vars(mod)[...] =", "import convbook\nvars(convbook)['grading'] = None", "writes into vars()"),
    ("vars(sys.modules[...]).update", "import sys\nvars(sys.modules['convbook.grading']).update(check=print)",
     "writes into vars()"),
    ("setattr on sys.modules[...]", "import sys\nsetattr(sys.modules['numpy'], 'allclose', print)", MODULE_OBJECT),
    ("delattr on sys.modules[...]", "import sys\ndelattr(sys.modules[__name__], 'check_sympy')", MODULE_OBJECT),
    ("attribute of sys.modules[...]", "import sys\nsys.modules['numpy'].allclose = print", MODULE_OBJECT),
    ("attribute of sys.modules.get(...)", "import sys\nsys.modules.get('numpy').allclose = print", MODULE_OBJECT),
    ("sys.modules[...] bound to a name", "import sys\nm = sys.modules['numpy']\nm.allclose = print", MODULE_OBJECT),
    ("sys.modules[...].__dict__[...] =", "import sys\nsys.modules['numpy'].__dict__['allclose'] = print",
     MODULE_OBJECT),
    ("sys.modules[...].__dict__.update", "import sys\nsys.modules['numpy'].__dict__.update(allclose=print)",
     MODULE_OBJECT),
    # frames
    ("sys._getframe", "import sys\nframe = sys._getframe(1)", frames("sys._getframe")),
    ("from sys import _getframe", "from sys import _getframe\nframe = _getframe(1)", frames("sys._getframe")),
    ("sys._getframe not called", "import sys\nget = sys._getframe", frames("sys._getframe")),
    ("sys._current_frames", "import sys\nall_frames = sys._current_frames()", frames("sys._current_frames")),
    ("f_back", "caller = frame.f_back", frames(".f_back")),
    ("f_locals", "names = frame.f_locals", frames(".f_locals")),
    ("f_globals", "frame.f_globals['check_sympy'] = print", frames(".f_globals")),
    ("tb_frame", "import sys\nf = sys.exc_info()[2].tb_frame", frames(".tb_frame")),
    ("gi_frame", "f = (x for x in []).gi_frame", frames(".gi_frame")),
    ("cr_frame", "f = coroutine.cr_frame", frames(".cr_frame")),
    # processes
    ("os.popen", "import os\nout = os.popen('ls').read()", spawns("os.popen")),
    ("os.posix_spawn", "import os\nos.posix_spawn('/bin/ls', ['ls'], {})", spawns("os.posix_spawn")),
    ("os.posix_spawnp", "import os\nos.posix_spawnp('ls', ['ls'], {})", spawns("os.posix_spawnp")),
    ("os.spawnl", "import os\nos.spawnl(os.P_WAIT, '/bin/ls', 'ls')", spawns("os.spawnl")),
    ("os.spawnlp", "from os import spawnlp\nspawnlp(0, 'ls', 'ls')", spawns("os.spawnlp")),
    ("os.spawnve", "import os\nos.spawnve(os.P_WAIT, '/bin/ls', ['ls'], {})", spawns("os.spawnve")),
    ("os.spawnvpe", "import os\nos.spawnvpe(os.P_WAIT, 'ls', ['ls'], {})", spawns("os.spawnvpe")),
    ("os.execve", "import os\nos.execve('/bin/ls', ['ls'], {})", spawns("os.execve")),
    ("os.execvp", "import os as o\no.execvp('ls', ['ls'])", spawns("os.execvp")),
    ("os.execlp", "import os\nos.execlp('ls', 'ls')", spawns("os.execlp")),
    ("os.execle", "import os\nos.execle('/bin/ls', 'ls', {})", spawns("os.execle")),
    ("os.execvpe", "import os\nos.execvpe('ls', ['ls'], {})", spawns("os.execvpe")),
    ("os.execlpe", "import os\nos.execlpe('ls', 'ls', {})", spawns("os.execlpe")),
    ("os.execv (an older killer)", "import os\nos.execv('/bin/ls', ['ls'])", "calls os.execv"),
    ("os.fork (an older killer)", "import os\npid = os.fork()", "calls os.fork"),
    ("os.forkpty", "import os\npid, fd = os.forkpty()", spawns("os.forkpty")),
    ("pty", "import pty\npty.spawn('/bin/sh')", "imports pty, which runs other programs in a pseudo-terminal"),
    ("sqlite3", "import sqlite3\ndb = sqlite3.connect('../gradebook.db')",
     "imports sqlite3, which opens SQLite databases (the gradebook is one)"),
    ("from sqlite3 import connect", "from sqlite3 import connect",
     "imports sqlite3, which opens SQLite databases (the gradebook is one)"),
    ("socket", "import socket\ns = socket.create_connection(('example.org', 80))",
     "imports socket, which opens network connections"),
    ("from socket import socket", "from socket import socket", "imports socket, which opens network connections"),
    # files outside the working directory
    ("open absolute", "text = open('/etc/passwd').read()", outside("open", "/etc/passwd")),
    ("open ..", "text = open('../source/01-continuous/01-continuous.md').read()",
     outside("open", "../source/01-continuous/01-continuous.md")),
    ("open ~", "text = open('~/notes.txt').read()", outside("open", "~/notes.txt")),
    ("open computed", "def load(name):\n    return open(name).read()", computed("open")),
    ("open an f-string", "text = open(f'{root}/x.md').read()", computed("open")),
    ("open by keyword", "text = open(file='/etc/hosts').read()", outside("open", "/etc/hosts")),
    ("open for writing outside", "open('/tmp/x', 'w').write('1')", outside("open", "/tmp/x")),
    ("builtins.open", "import builtins\nbuiltins.open('/etc/passwd')", outside("builtins.open", "/etc/passwd")),
    ("io.open", "import io\nio.open('/etc/passwd')", outside("io.open", "/etc/passwd")),
    ("io.FileIO", "import io\nio.FileIO('../gradebook.db')", outside("io.FileIO", "../gradebook.db")),
    ("io.FileIO computed", "import io\nio.FileIO(path)", computed("io.FileIO")),
    ("Path.open", "from pathlib import Path\nPath('/etc/passwd').open()", outside("Path.open", "/etc/passwd")),
    ("Path.read_text", "import pathlib\npathlib.Path('..', 'gradebook.db').read_text()",
     outside("Path.read_text", "../gradebook.db")),
    ("Path.read_bytes with /", "from pathlib import Path\n(Path('..') / 'gradebook.db').read_bytes()",
     outside("Path.read_bytes", "../gradebook.db")),
    ("Path.home()", "from pathlib import Path\n(Path.home() / '.ssh' / 'id_rsa').read_text()",
     computed("Path.read_text")),
    ("Path with ~", "from pathlib import Path\nPath('~/.ssh/id_rsa').expanduser().read_text()",
     computed("Path.read_text")),
    ("Path ~ opened", "from pathlib import Path\nPath('~', '.ssh').open()", outside("Path.open", "~/.ssh")),
    ("Path bound to a name", "from pathlib import Path\np = Path('/srv/nbgrader')\ntext = p.read_text()",
     outside("Path.read_text", "/srv/nbgrader")),
    ("Path.parent climbs out", "from pathlib import Path\nPath('data.csv').parent.parent.read_text()",
     computed("Path.read_text")),
    ("read_text of a computed path", "text = somewhere.read_text()", computed("Path.read_text")),
    ("write_text outside", "from pathlib import Path\nPath('/tmp/x').write_text('1')", outside("Path.write_text", "/tmp/x")),
    ("shutil.copy outside", "import shutil\nshutil.copy('answers.py', '/tmp/answers.py')",
     outside("shutil.copy", "/tmp/answers.py")),
    ("os.remove computed", "import os\nos.remove(target)", computed("os.remove")),
    ("os.listdir outside", "import os\nnames = os.listdir('/')", outside("os.listdir", "/")),
    ("os.scandir ..", "import os\nentries = list(os.scandir('..'))", outside("os.scandir", "..")),
    ("os.walk outside", "import os\nfor top, dirs, files in os.walk('/work'):\n    pass", outside("os.walk", "/work")),
    ("os.walk computed", "import os\nfor top, dirs, files in os.walk(os.getcwd() + '/..'):\n    pass",
     computed("os.walk")),
    ("glob.glob outside", "import glob\nfiles = glob.glob('/work/**/*.ipynb', recursive=True)",
     outside("glob.glob", "/work/**/*.ipynb")),
    ("glob.glob ..", "from glob import glob\nfiles = glob('../*/*.ipynb')", outside("glob.glob", "../*/*.ipynb")),
    ("glob.glob computed", "import glob\nfiles = glob.glob(pattern)", computed("glob.glob")),
    ("reading what an outside glob found", "import glob\nfor name in glob.glob('/srv/*'):\n    open(name)",
     computed("open")),
    ("reading what an outside iterdir found", "from pathlib import Path\nfor p in Path('..').iterdir():\n"
     "    p.read_bytes()", computed("Path.read_bytes")),
    ("os.chdir ..", "import os\nos.chdir('..')", outside("os.chdir", "..")),
    # IPython's input history
    ("_ih", "source = _ih[-1]", history("_ih")),
    ("In", "source = In[-1]", history("In")),
    ("_oh", "results = _oh", history("_oh")),
    ("Out", "results = Out", history("Out")),
    ("_i", "last = _i", history("_i")),
    ("_ii", "before = _ii", history("_ii")),
    ("_iii", "before = _iii", history("_iii")),
    ("_i<N>", "cell = _i12", history("_i12")),
    ("history inside a function", "def peek():\n    return In[-1]", history("In")),
    ("history through globals()", "source = globals()['_ih'][-1]", history("_ih")),
    ("history through __main__", "import __main__\nsource = __main__.In[-1]", history("In")),
    ("history imported from __main__", "from __main__ import _ih\nsource = _ih[-1]", history("_ih")),
    ("history_manager", "h = get_ipython().history_manager", "uses get_ipython().history_manager, an IPython internal"),
]
IDS = [c[0] for c in NEW_CONSTRUCTS]


def reasons(src: str, **kwargs) -> list[str]:
    return [reason for _, reason in audit.scan_source(src, **kwargs)]


def built_at_run_time(src: str) -> str:
    """The same code, hidden from a reader: decoded and executed when the cell runs."""
    return f"import base64\nexec(base64.b64decode({base64.b64encode(src.encode()).decode()!r}))"


@pytest.mark.parametrize(("src", "reason"), [c[1:] for c in NEW_CONSTRUCTS], ids=IDS)
def test_each_new_construct_is_flagged_with_its_reason(src, reason):
    assert reason in reasons(src), audit.scan_source(src)


@pytest.mark.parametrize("src", [c[1] for c in NEW_CONSTRUCTS], ids=IDS)
def test_the_same_construct_built_at_run_time_is_flagged_for_exec(src):
    hidden = built_at_run_time(src)
    assert EXEC in reasons(hidden), audit.scan_source(hidden)


def test_a_flag_names_the_line():
    src = "import numpy as np\n\n\ndef f(x):\n    return np.sum(x)\n\nsource = In[-1]\nexec(source)\n"
    assert audit.scan_source(src) == [(7, history("In")), (8, EXEC)]


def test_the_older_reasons_still_come_out():
    assert reasons("import numpy as np\nnp.allclose = lambda *a, **k: True") == [
        "assigns to numpy.allclose, an attribute of an imported module"]
    assert reasons("import sys\nsys.modules['convbook.grading'] = None") == ["writes into sys.modules"]
    assert reasons("import os\nos._exit(0)") == ["calls os._exit"]
    assert reasons("open('out.txt', 'w')") == ["opens a file for writing (mode 'w')"]
    assert reasons("import numpy\nsetattr(numpy, 'allclose', print)") == ["setattr() on numpy, an imported module"]
    # reached through getattr/__import__, an old reason fires where it did not before
    assert reasons("import numpy as np\ngetattr(np, 'linalg').norm = abs") == [
        "assigns to numpy.linalg.norm, an attribute of an imported module"]


@pytest.mark.parametrize("path", sorted((ROOT / "tests" / "cheats").glob("[!_]*.py")), ids=lambda p: p.stem)
def test_the_cheat_corpus_keeps_its_audit_reasons(path):
    """The reasons tests/test_autograder.py expects, read here without running the pipeline."""
    cheat = importlib.import_module(f"cheats.{path.stem}")
    master = _course_masters()["01-continuous"]
    forbidden = forbidden_by_exercise(master).get(cheat.CELL[: -len("-answer")], ())
    protected = {}
    for cell in master.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "setup":
            protected.update(audit.bound_names(cell.source))
    got = reasons(cheat.SOURCE, forbidden=forbidden, protected=protected)
    if "audit" in cheat.CAUGHT_BY:
        assert cheat.CAUGHT_BY["audit"] in got, got


HONEST = {
    "print": "print('hello', 1 + 2, sep=', ')",
    "numpy": "import numpy as np\nx = np.linspace(0, 1, 11)\ny = np.convolve(x, x, mode='same')\nz = np.fft.fft(y)",
    "sympy": "import sympy as sp\nt, x = sp.symbols('t x', real=True)\n"
             "area = sp.integrate(sp.exp(-x**2), (x, -sp.oo, sp.oo))\nf = sp.lambdify(t, sp.sin(t))",
    "math": "import math\nv = math.floor(2.5) + math.comb(5, 2) + math.factorial(3)",
    "matplotlib": "%matplotlib inline\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
                  "ax.plot([1, 2, 3])\nax.set_title('a plot')\nplt.show()",
    "helper function and class": "def helper(a, b=2):\n    '''Add.'''\n    return a + b\n\n\nclass Box:\n"
                                 "    def __init__(self, width):\n        self.width = width\n\n"
                                 "    def area(self):\n        return self.width ** 2\n",
    "logging": "import logging\nlogging.warning('a student log line')\nlog = logging.getLogger(__name__)\nlog.info('x')",
    "warnings": "import warnings\nwarnings.warn('careful', RuntimeWarning)",
    "stderr": "import sys\nprint('debugging', file=sys.stderr)\nlimit = sys.getrecursionlimit()",
    "open a relative constant": "with open('data.csv') as f:\n    rows = f.read().splitlines()",
    "open in a subfolder": "rows = open('data/rows.csv', encoding='utf-8').read()",
    "open a name bound to a constant": "name = 'data.csv'\nwith open(name) as f:\n    text = f.read()",
    "pathlib relative": "from pathlib import Path\ntext = Path('data.csv').read_text()\n"
                        "p = Path('data') / 'rows.csv'\nraw = p.read_bytes()\nwith p.open() as f:\n    f.readline()",
    "listing the working directory": "import os, glob\nnames = os.listdir()\nhere = os.listdir('.')\n"
                                     "csvs = glob.glob('*.csv')\nsub = sorted(os.scandir('data'), key=str)\n"
                                     "p = os.path.join('data', 'rows.csv')\nrows = open(p).read()",
    "reading what a relative glob found": "import glob, os\nfor name in sorted(glob.glob('data/*.csv')):\n"
                                          "    rows = open(name).read()\nfor n in os.listdir():\n    print(n)\n"
                                          "from pathlib import Path\nfor p in Path('data').glob('*.csv'):\n"
                                          "    text = p.read_text()",
    "getattr with a constant": "shape = getattr(arr, 'shape')\nsize = getattr(arr, 'size', None)\n"
                               "ok = hasattr(arr, name)",
    "setattr on an own object": "class C:\n    pass\n\nc = C()\nsetattr(c, 'x', 1)",
    "dict": "d = dict(a=1, b=2)\nd['c'] = 3\nd.update(e=5)\nd.pop('a')",
    "item assignment": "xs = [0] * 3\nxs[0] = 1\ngrid = [[0] * 3 for _ in range(3)]\ngrid[1][2] = 5\ndel xs[0]",
    "default_rng": "import numpy as np\nrng = np.random.default_rng(0)\nnoise = rng.normal(size=10)",
    "closure": "def make_adder(n):\n    def add(x):\n        return x + n\n    return add\n\nadd3 = make_adder(3)",
    "comprehensions": "sq = [i * i for i in range(5)]\nev = {i for i in sq if i % 2 == 0}\n"
                      "m = {k: v for k, v in zip('ab', sq)}\ng = sum(i for i in sq)",
    "recursion": "def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\n\nprint(fact(5))",
    "lru_cache": "import functools\n\n@functools.lru_cache(maxsize=None)\ndef fib(n):\n"
                 "    return n if n < 2 else fib(n - 1) + fib(n - 2)",
    "itertools": "import itertools\npairs = list(itertools.product(range(2), repeat=2))\n"
                 "acc = list(itertools.accumulate([1, 2, 3]))",
    "reading namespaces": "print(sorted(vars(obj)))\nprint(locals())\nknown = 'helper' in globals()",
    "methods called eval and compile": "import re\npattern = re.compile(r'\\d+')\nmodel.eval()\nmodel.compile('adam')",
    "parameters called In and Out": "def conv_layer(In, Out, k):\n    return In * k + Out\n\n"
                                    "for _i in range(3):\n    print(_i)",
    "exceptions": "try:\n    v = 1 / 0\nexcept ZeroDivisionError as e:\n    print('caught', e)",
    "dataclass": "import dataclasses\n\n@dataclasses.dataclass\nclass P:\n    x: float\n    y: float = 0.0",
    "generator": "def chunks(xs, n):\n    for i in range(0, len(xs), n):\n        yield xs[i:i + n]",
    "a string that names exec": "label = 'exec, eval and _ih are only words here'\nprint(label)",
    "collections and time": "import collections, time\nc = collections.Counter('abca')\nt0 = time.perf_counter()",
    "errstate and assert": "import numpy as np\nwith np.errstate(divide='ignore'):\n    r = np.log(np.array([0.0, 1.0]))\n"
                           "assert r[1] == 0",
    "sorted with a key": "rows = sorted([(1, 'b'), (0, 'a')], key=lambda r: r[1])",
    "a dict with frame-like keys": "d = {'f_back': 1, 'In': 2}\nprint(d['In'])",
}


@pytest.mark.parametrize("src", list(HONEST.values()), ids=list(HONEST))
def test_honest_code_is_not_flagged(src):
    assert audit.scan_source(src) == []


@functools.lru_cache(maxsize=None)
def _course_masters():
    import jupytext

    return {p.stem: jupytext.read(p) for p in sorted((ROOT / "autograder" / "source").glob("*/*.md"))
            if p.stem == p.parent.name}


def _strip_markers(src: str) -> str:
    return "\n".join(l for l in src.splitlines() if l.strip() not in (similarity.BEGIN, similarity.END))


@pytest.mark.parametrize("name", sorted(_course_masters()))
def test_the_course_solutions_are_not_flagged(name):
    """The instructor's own answers read as honest code (nothing but the comparison with themselves)."""
    master = _course_masters()[name]
    forbidden = forbidden_by_exercise(master)
    answers = [c for c in master.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
    assert answers
    for cell in answers:
        gid = cell.metadata["nbgrader"]["grade_id"]
        exercise = gid[: -len("-answer")] if gid.endswith("-answer") else None
        assert audit.scan_source(_strip_markers(cell.source), forbidden.get(exercise, ())) == [], gid


# -- whole submissions


MASTER_ANSWER = '''\
def smooth(x, k):
    """Return the moving average of x over windows of length k."""
    ### BEGIN SOLUTION
    out = []
    for i in range(len(x) - k + 1):
        window = x[i:i + k]
        out.append(sum(window) / k)  # the mean of the window
    return out
    ### END SOLUTION
'''
RELEASE_ANSWER = '''\
def smooth(x, k):
    """Return the moving average of x over windows of length k."""
    # YOUR CODE HERE
    raise NotImplementedError()
'''
MASTER_ONE_LINER = '''\
def double(x):
    """Return 2 x."""
    ### BEGIN SOLUTION
    return 2 * x
    ### END SOLUTION
'''
SETUP = "import numpy as np\n\ndef check(a, b):\n    assert a == b\n"
TEST = "assert smooth([1, 2, 3], 2) == [1.5, 2.5]"


def _cell(source, **nbgrader):
    cell = nbformat.v4.new_code_cell(source)
    if nbgrader:
        cell.metadata["nbgrader"] = nbgrader
    return cell


def _notebook(answer, one_liner, extra=()):
    nb = nbformat.v4.new_notebook()
    nb.cells = [_cell(SETUP, grade_id="setup", locked=True),
                _cell(answer, grade_id="smooth-answer", solution=True),
                _cell(TEST, grade_id="smooth-test", grade=True, points=1, locked=True),
                _cell(one_liner, grade_id="double-answer", solution=True), *extra]
    return nb


def _audit(tmp_path, answer=RELEASE_ANSWER, one_liner="def double(x):\n    raise NotImplementedError()\n",
           extra=(), files=()):
    release, sub = tmp_path / "release" / "a", tmp_path / "submitted" / "s" / "a"
    release.mkdir(parents=True)
    sub.mkdir(parents=True)
    nbformat.write(_notebook(RELEASE_ANSWER, "def double(x):\n    raise NotImplementedError()\n"), release / "a.ipynb")
    nbformat.write(_notebook(answer, one_liner, extra), sub / "a.ipynb")
    for name in files:
        (sub / name).parent.mkdir(parents=True, exist_ok=True)
        (sub / name).write_text("x\n")
    return audit.audit_submission("s", "a", sub, release, _notebook(MASTER_ANSWER, MASTER_ONE_LINER))


def test_an_untouched_submission_has_no_flag(tmp_path):
    assert _audit(tmp_path) == []


def test_an_added_helper_cell_is_not_flagged(tmp_path):
    helper = _cell("def moving_sum(x, k):\n    return [sum(x[i:i + k]) for i in range(len(x) - k + 1)]\n")
    answer = RELEASE_ANSWER.replace("    # YOUR CODE HERE\n    raise NotImplementedError()\n",
                                    "    return [s / k for s in moving_sum(x, k)]\n")
    assert _audit(tmp_path, answer=answer, extra=[helper]) == []


def test_an_added_cell_that_cheats_is_flagged(tmp_path):
    flags = _audit(tmp_path, extra=[_cell("source = In[-1]\n")])
    assert [(f.cell, f.line, f.reason, f.code) for f in flags] == [
        ("a.ipynb cell 4 (added by the student)", 1, history("In"), "source = In[-1]")]


@pytest.mark.parametrize("name", ["timestamp.txt", ".DS_Store", "__MACOSX/x", "__MACOSX/._a.ipynb", "._a.ipynb",
                                  "Thumbs.db", "desktop.ini", "sub/.DS_Store", ".ipynb_checkpoints/a-checkpoint.ipynb"])
def test_nbgrader_files_and_os_litter_are_not_flagged(tmp_path, name):
    assert _audit(tmp_path, files=[name]) == []


@pytest.mark.parametrize("name", ["notes.py", "convbook.py", "numpy/__init__.py", "sub/timestamp.txt"])
def test_other_files_still_are(tmp_path, name):
    flags = _audit(tmp_path, files=[name, "timestamp.txt", ".DS_Store"])
    assert [(f.cell, f.reason) for f in flags] == [(name, "a file that is not part of the assignment")]


COPIES = {
    "verbatim": _strip_markers(MASTER_ANSWER),
    "renamed, comments and docstring changed": '''\
def smooth(x, k):
    """My own moving average."""
    # loop over the windows
    result = []
    for j in range(len(x) - k + 1):
        w = x[j:j + k]
        result.append(sum(w) / k)
    return result
''',
    "parameters renamed too": "def smooth(values, n):\n    out = []\n    for i in range(len(values) - n + 1):\n"
                              "        window = values[i:i + n]\n        out.append(sum(window) / n)\n    return out\n",
    "with an import and a helper around it": "import math\n\n\ndef unused():\n    return 0\n\n\n"
                                              + _strip_markers(MASTER_ANSWER),
    "with an IPython magic": "%matplotlib inline\n" + _strip_markers(MASTER_ANSWER),
}


@pytest.mark.parametrize("answer", list(COPIES.values()), ids=list(COPIES))
def test_an_answer_that_repeats_the_master_is_flagged(tmp_path, answer):
    flags = _audit(tmp_path, answer=answer)
    assert [f.reason for f in flags] == [MASTER_MATCH]
    assert flags[0].cell == "a.ipynb cell 1 (smooth-answer)"
    assert flags[0].code == "def smooth(x, k):" or flags[0].code.startswith("def smooth(")


OWN_ANSWERS = {
    "a different solution": "def smooth(x, k):\n    return [sum(x[i:i + k]) / k for i in range(len(x) - k + 1)]\n",
    "the same loop in another order": "def smooth(x, k):\n    out = []\n    for i in range(len(x) - k + 1):\n"
                                      "        out.append(sum(x[i:i + k]) / k)\n    return out\n",
    "blank": "",
    "a stub that is not the release's": "def smooth(x, k):\n    pass\n",
    "NotImplementedError": "def smooth(x, k):\n    '''Doc.'''\n\n    raise NotImplementedError('todo')\n",
    "does not parse": "def smooth(x, k):\n    return [\n",
}


@pytest.mark.parametrize("answer", list(OWN_ANSWERS.values()), ids=list(OWN_ANSWERS))
def test_an_own_answer_does_not_match(tmp_path, answer):
    assert MASTER_MATCH not in [f.reason for f in _audit(tmp_path, answer=answer)]


def test_a_one_statement_solution_is_not_compared(tmp_path):
    """``return 2 * x`` is what every honest student writes: no flag (similarity.MIN_STATEMENTS)."""
    assert _audit(tmp_path, one_liner=_strip_markers(MASTER_ONE_LINER)) == []
    ref = similarity.reference(MASTER_ONE_LINER)
    assert similarity.matches(ref, _strip_markers(MASTER_ONE_LINER)) is None
    assert similarity.matches(ref, _strip_markers(MASTER_ONE_LINER), min_statements=1) == 1


def test_a_solution_cell_without_an_answer_grade_id_is_compared(tmp_path):
    master = _notebook(MASTER_ANSWER, MASTER_ONE_LINER)
    master.cells[1].metadata["nbgrader"]["grade_id"] = "smooth-code"
    release, sub = tmp_path / "release", tmp_path / "sub"
    release.mkdir()
    sub.mkdir()
    nbformat.write(_notebook(RELEASE_ANSWER, "def double(x):\n    raise NotImplementedError()\n"), release / "a.ipynb")
    nbformat.write(master, sub / "a.ipynb")
    flags = audit.audit_submission("s", "a", sub, release, master)
    assert [(f.cell, f.reason) for f in flags] == [("a.ipynb cell 1 (smooth-code)", MASTER_MATCH)]


def test_the_course_solutions_match_themselves_and_not_their_stubs():
    for name, master in _course_masters().items():
        refs = similarity.solutions(master)
        for cell in master.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid not in refs:
                continue
            marker = re.search(r"^([ \t]*)### BEGIN SOLUTION", cell.source, flags=re.M)
            stub = cell.source[: marker.start()] + marker.group(1) + "raise NotImplementedError()\n"
            assert similarity.matches(refs[gid], stub) is None, (name, gid)
            if refs[gid].statements >= similarity.MIN_STATEMENTS:
                assert similarity.matches(refs[gid], _strip_markers(cell.source)) is not None, (name, gid)


# -- what each exercise forbids, as the audit and the re-check read it from the master


@pytest.mark.parametrize("name", ["01-continuous", "02-discrete", "03-polynomial", "04-fft", "05-deep-learning"])
def test_every_exercise_that_forbids_something_is_read_with_its_names(name):
    """Each test cell that calls forbid/not_allowed gives its exercise a non-empty set of forbidden names."""
    master = _course_masters()[name]
    forbidden = forbidden_by_exercise(master)
    for cell in master.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and ("forbid(" in cell.source or "not_allowed(" in cell.source):
            exercise = meta["grade_id"].split("-test")[0]
            assert forbidden.get(exercise), f"{name}: {meta['grade_id']} forbids names the audit does not read"


def test_a_tuple_built_from_another_is_read_whole():
    """Set 04's MULTIPLICATION_SHORTCUTS = CONVOLUTION_SHORTCUTS + (...): both parts are forbidden."""
    forbidden = forbidden_by_exercise(_course_masters()["04-fft"])["fft-multiply"]
    assert {"numpy.convolve", "scipy.signal.oaconvolve", "convbook.fourier.multiply",
            "convbook.polynomial.carry"} <= forbidden, sorted(forbidden)


@pytest.mark.parametrize("exercise", ["convolve-loops", "convolve-mode", "circular"])
def test_set_02_forbids_every_route_to_a_library_convolution(exercise):
    """Overlap-add/save (public and their private twins), oaconvolve and polymul are closed in set 02, and blocked."""
    import numpy as np

    from convbook import _blocks, discrete
    from convbook.grading import ForbiddenFunctionError, forbid

    names = forbidden_by_exercise(_course_masters()["02-discrete"])[exercise]
    assert {"convbook.discrete.overlap_add", "convbook.discrete.overlap_save", "convbook._blocks",
            "scipy.signal.oaconvolve", "numpy.polymul"} <= names, sorted(names)
    x, h = np.arange(20.0), np.ones(3)
    for route in (lambda: discrete.overlap_add(x, h), lambda: discrete.overlap_save(x, h),
                  lambda: _blocks.overlap_add_float(x, h, 8), lambda: np.polymul(x, h)):
        with forbid(*sorted(names)), pytest.raises(ForbiddenFunctionError, match="not allowed"):
            route()
