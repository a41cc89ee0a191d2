"""Attacks on grading, each its own submission, graded once through the real ``coursekit grade``.

The corpus is ``tests/attacks/`` (one module per attack; see its docstring):
reading the master, detached processes that try to rewrite the records after
grading, the loopholes of ``forbid`` (captured defaults, ``vars(np)``, private
modules, torch's C functions, the package's didactic twins), partial-credit
cheats (no-op checkers, frame-walking oracles, ``vars(sys.modules[...])``
rebinding, a no-op ``check_raises``), each also built at run time from a
base64 string, and the resource attacks (a fork bomb, 8 GiB of memory, a
2 GiB file, a TCP connection to a listener this test opens).  A scratch
course with honest control students is released, then graded once with
``coursekit grade --no-release --jobs 2`` (``make grade`` without its
release step, which this test has just done).

For every attack: its score of record (``grades.csv``) on the attacked
exercise is no more than its answer deserves (0, or the score of the same
answer without the trick, graded as a control); the honest controls
(``tests/honest/``: helper cells, output, vectorised code, an out-of-order
run, every set answered by other methods) keep full marks and no flag; nothing the attacks started outlives grading, and
``gradebook.db``, ``integrity.json``, ``report.html`` and ``grades.csv`` do
not change after the run.  The attack table (attack, kernel score, score of
record, what stopped it) is printed (``-s``), and written to the path in
``CONVBOOK_ATTACK_TABLE`` when it is set.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import importlib
import json
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, coursekit

from coursekit import audit, copies, paths, report

pytestmark = [pytest.mark.slow]

# CONVBOOK_TEST_ATTACKS=name,... narrows a run while an attack is being written (the controls always run).
ATTACKS = {p.stem: importlib.import_module(f"attacks.{p.stem}")
           for p in sorted((ROOT / "tests" / "attacks").glob("*.py")) if p.stem != "__init__"
           and p.stem in os.environ.get("CONVBOOK_TEST_ATTACKS", p.stem).split(",")}
#: honest controls (tests/honest/): each must keep full marks, with no flag and no disagreement
CONTROLS = {p.stem: importlib.import_module(f"honest.{p.stem}")
            for p in sorted((ROOT / "tests" / "honest").glob("*.py")) if p.stem != "__init__"}
SETS = sorted({m.SET for m in ATTACKS.values()} | {m.SET for m in CONTROLS.values()})
#: (student id, attack name, variant)
VARIANTS = [(f"atk-{name}", name, "plain") for name in ATTACKS] + \
           [(f"atk-{name}-b64", name, "base64") for name, m in ATTACKS.items() if getattr(m, "B64", True)]
BARES = {f"bare-{name}": name for name, m in ATTACKS.items() if getattr(m, "BARE", None)}
HONEST = "honest"  # the master's solutions in every set
MARKER = b"coursekit-attack-detached"  # in the command line of the detached processes
RECORDS = ("gradebook.db", "integrity.json", "report.html", "grades.csv")
FILE_MB = 64  # CONVBOOK_SANDBOX_FILE_MB here: the 2 GiB file stops there (the default, 512, works the same)


def _strip_markers(src: str) -> str:
    return "\n".join(l for l in src.splitlines() if l.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))


def _notebook(release_nb, master_nb, replace: dict[str, str] | None = None):
    """The release notebook with every answer cell filled in from the master, and ``replace``'s cells replaced."""
    nb = nbformat.from_dict(release_nb)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in master_nb.cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            gid = meta["grade_id"]
            cell.source = (replace or {}).get(gid, _strip_markers(answers[gid]))
    return nb


def _source(attack, variant: str, port: int) -> str:
    src = attack.SOURCE.strip().replace("__PORT__", str(port)) + "\n"
    if variant == "base64":
        blob = base64.b64encode(src.encode()).decode()
        src = f"import base64\nexec(base64.b64decode({blob!r}).decode())\n"
    return src


def _hashes(ag: Path) -> dict:
    return {name: hashlib.sha256((ag / name).read_bytes()).hexdigest() if (ag / name).exists() else None
            for name in RECORDS}


def _marked_processes() -> dict[int, str]:
    """Processes on this machine whose command line carries the detached attacks' marker."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if MARKER in cmdline:
            found[int(proc.name)] = cmdline.replace(b"\0", b" ")[:120].decode(errors="replace")
    return found


def _alive_files(ag: Path) -> dict[str, str]:
    return {str(p.relative_to(ag)): p.read_text(errors="replace")
            for p in sorted((ag / "autograded").glob("*/*/detached-alive.txt"))}


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """Release a scratch course, submit every attack and the controls, grade once; return what it produced."""
    top = tmp_path_factory.mktemp("attacks")
    ag = paths.scratch_course(top, SETS)
    env = dict(os.environ, CONVBOOK_CELL_CPU="15", CONVBOOK_RECHECK_SECONDS="15",
               CONVBOOK_SANDBOX_FILE_MB=str(FILE_MB))
    subprocess.run(coursekit(ag, "release"), cwd=top, env=env, check=True, capture_output=True, text=True)

    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    port = listener.getsockname()[1]
    release = {a: nbformat.read(ag / "release" / a / f"{a}.ipynb", as_version=4) for a in SETS}
    master = {a: nbformat.read(ag / "source" / a / f"{a}.ipynb", as_version=4) for a in SETS}

    def submit(student, a, replace=None, before=None, saved=None):
        d = ag / "submitted" / student / a
        d.mkdir(parents=True)
        nb = _notebook(release[a], master[a], replace)
        for gid, src in (before or {}).items():  # a cell of the student's own, just above that answer
            at = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == gid)
            nb.cells.insert(at, nbformat.v4.new_code_cell(src.strip() + "\n"))
        if saved:  # the state the student saved it in (outputs, execution counts, metadata)
            nb = saved(nb)
        nbformat.write(nb, d / f"{a}.ipynb")

    for a in SETS:
        submit(HONEST, a)
    for student, name, variant in VARIANTS:
        attack = ATTACKS[name]
        submit(student, attack.SET, {attack.CELL: _source(attack, variant, port)})
    for student, name in BARES.items():
        attack = ATTACKS[name]
        submit(student, attack.SET, {attack.CELL: attack.BARE.strip() + "\n"})
    for name, control in CONTROLS.items():
        before = {control.CELL: control.BEFORE} if getattr(control, "BEFORE", None) else None
        cells = getattr(control, "CELLS", None)
        cells = {control.CELL: control.SOURCE} if cells is None else cells
        submit(f"hon-{name}", control.SET, {gid: src.strip() + "\n" for gid, src in cells.items()}, before,
               getattr(control, "NOTEBOOK", None))

    t0, cpu0 = time.perf_counter(), os.times()
    result = subprocess.run(coursekit(ag, "grade", "--no-release", "--jobs", "2"), cwd=top, env=env,
                            capture_output=True, text=True)
    elapsed, cpu1 = time.perf_counter() - t0, os.times()
    cpu = (cpu1.children_user + cpu1.children_system) - (cpu0.children_user + cpu0.children_system)
    n_subs = len(SETS) + len(VARIANTS) + len(BARES) + len(CONTROLS)

    # what the attacks left behind, before anything here opens a record
    before, alive_before = _hashes(ag), _alive_files(ag)
    time.sleep(6)  # a detached process that survived writes every 0.5 s
    after, alive_after, survivors = _hashes(ag), _alive_files(ag), _marked_processes()
    for pid in survivors:  # a survivor is a failure below; it must not go on running
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        connection = listener.accept()[0]
        connection.close()
        reached = True
    except BlockingIOError:
        reached = False
    listener.close()

    # `coursekit report` alone (no student code) rebuilds the class files of this run, byte for byte
    written = {name: (ag / name).read_bytes() for name in RECORDS[1:]}
    t1 = time.perf_counter()
    reported = subprocess.run(coursekit(ag, "report"), cwd=top, env=env, capture_output=True, text=True)
    report_seconds = time.perf_counter() - t1
    rewritten = {name: (ag / name).read_bytes() for name in RECORDS[1:]}
    print(f"\ncoursekit report: {report_seconds:.1f} s for the class of {n_subs} submissions "
          f"(coursekit grade: {elapsed:.1f} s)")

    with (ag / "grades.csv").open(newline="") as fh:
        rows = {r["student"]: r for r in csv.DictReader(fh)}
    integrity = json.loads((ag / "integrity.json").read_text())
    subs = [(p.parent.name, p.name) for p in sorted((ag / "submitted").glob("*/*"))]
    kernel, _ = report.gradebook_scores(f"sqlite:///{ag / 'gradebook.db'}", subs)
    print(f"\ncoursekit grade: {n_subs} submissions in {elapsed:.1f} s, {cpu:.1f} CPU s "
          f"({cpu / n_subs:.1f} CPU s each), exit code {result.returncode}")
    data = dict(ag=ag, result=result, rows=rows, integrity=integrity, kernel=kernel, before=before, after=after,
                alive_before=alive_before, alive_after=alive_after, survivors=survivors, reached=reached,
                elapsed=elapsed, cpu=cpu, n_subs=n_subs, reported=reported, written=written, rewritten=rewritten)
    data["table"] = _table(data)
    print(data["table"])
    if os.environ.get("CONVBOOK_ATTACK_TABLE"):
        Path(os.environ["CONVBOOK_ATTACK_TABLE"]).write_text(data["table"])
    return data


def _record(data, student, a, exercise) -> float:
    """The score of record of ``student`` on ``a/exercise`` in grades.csv (an ungraded submission has none: 0)."""
    value = data["rows"].get(student, {}).get(f"{a}/{exercise}", "")
    return float(value) if value not in ("", None) else 0.0


def _kernel(data, student, a, exercise):
    score, best = data["kernel"].get((student, a), {}).get(exercise, (None, None))
    return score, best


def _evidence(data, student, a, cell_id) -> list[str]:
    path = data["ag"] / "autograded" / student / a / f"{a}.ipynb"
    if not path.exists():
        return []
    nb = nbformat.read(path, as_version=4)
    lines = []
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == cell_id:
            for out in cell.get("outputs", []):
                lines += [l for l in out.get("text", "").splitlines() if l.startswith("ATTACK:")]
                if out.get("output_type") == "error":
                    lines.append(f"error {out.get('ename')}: {out.get('evalue', '')[:80]}")
    return lines


def _forbidden_in_tests(data, student, a, exercise) -> bool:
    path = data["ag"] / "autograded" / student / a / f"{a}.ipynb"
    if not path.exists():
        return False
    nb = nbformat.read(path, as_version=4)
    return any(out.get("ename") == "ForbiddenFunctionError"
               for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith(exercise + "-test")
               for out in c.get("outputs", []) if out.get("output_type") == "error")


def _deserved(data, name) -> float:
    attack = ATTACKS[name]
    if getattr(attack, "BARE", None):
        return _record(data, f"bare-{name}", attack.SET, attack.EXERCISE)
    return 0.0


def _table(data) -> str:
    lines = ["| attack | variant | set / exercise | kernel (nbgrader) | of record | deserved | stopped by "
             "| what it saw |", "|---|---|---|---|---|---|---|---|"]
    flags = data["integrity"].get("flags", [])
    disagreements = data["integrity"].get("disagreements", [])
    not_graded = {n["student"]: n["why"] for n in data["integrity"].get("not_graded", [])}
    for student, name, variant in VARIANTS:
        attack = ATTACKS[name]
        a, ex = attack.SET, attack.EXERCISE
        score, best = _kernel(data, student, a, ex)
        stopped = []
        if _forbidden_in_tests(data, student, a, ex):
            stopped.append("forbid")
        rows = [d for d in disagreements if d["student"] == student and d["assignment"] == a and d["exercise"] == ex]
        if rows:
            stopped.append(f"re-check ({rows[0]['kind']}: {rows[0]['recheck'][:60]})")
        reasons = sorted({f["reason"] for f in flags if f["student"] == student and f["reason"] != audit.MASTER_MATCH})
        if reasons:
            more = ", ..." if len(reasons) > 3 else ""
            stopped.append("audit flag (" + "; ".join(r[:60] for r in reasons[:3]) + more + ")")
        if student in not_graded:
            stopped.append(f"not graded ({not_graded[student][:60]})")
        if getattr(attack, "KNOWN_HOLE", None):
            stopped.append("**KNOWN HOLE**: " + attack.KNOWN_HOLE)
        saw = "; ".join(_evidence(data, student, a, attack.CELL))[:200] or "-"
        kernel = "not graded" if score is None else f"{score:g}/{best:g}"
        lines.append(f"| {name} | {variant} | {a} / {ex} | {kernel} | {_record(data, student, a, ex):g} | "
                     f"{_deserved(data, name):g} | {', '.join(stopped) or '-'} | {saw.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def _known_hole(name):
    """An attack that still gains points, and why (``KNOWN_HOLE``): strict xfail, so that its fix shows."""
    hole = getattr(ATTACKS[name], "KNOWN_HOLE", None)
    return [pytest.mark.xfail(strict=True, reason=f"known hole: {hole}")] if hole else []


@pytest.mark.parametrize("student, name, variant",
                         [pytest.param(s, n, v, id=s, marks=_known_hole(n)) for s, n, v in VARIANTS])
def test_an_attack_gains_no_point(student, name, variant, attacked):
    attack = ATTACKS[name]
    got = _record(attacked, student, attack.SET, attack.EXERCISE)
    deserved = _deserved(attacked, name)
    assert got <= deserved + 1e-9, (f"{student} scored {got} on {attack.SET}/{attack.EXERCISE} where its answer "
                                    f"deserves {deserved}: {attacked['rows'].get(student)}")


def test_the_bare_answers_deserve_less_than_full_marks(attacked):
    # the controls of BARE are wrong somewhere (else "no more than the bare answer" would say nothing)
    assert BARES
    for student, name in BARES.items():
        attack = ATTACKS[name]
        _, best = _kernel(attacked, student, attack.SET, attack.EXERCISE)
        assert best and _record(attacked, student, attack.SET, attack.EXERCISE) < best


def _full_marks_and_no_flag(attacked, student, sets) -> None:
    """Every autograded exercise of ``sets`` at full marks, no flag (the audit's note that an answer is the
    master's solution aside) and no re-check disagreement."""
    row = attacked["rows"][student]
    for a in sets:
        assert row[f"{a}/status"] == "graded", row
        for ex, (_, best) in attacked["kernel"][(student, a)].items():
            value = row[f"{a}/{ex}"]
            if value:  # written answers wait for a human grader
                assert float(value) == best, (a, ex, row)
    flags = [f for f in attacked["integrity"]["flags"] if f["student"] == student and f["reason"] != audit.MASTER_MATCH]
    assert not flags, flags
    assert not [d for d in attacked["integrity"]["disagreements"] if d["student"] == student]


def test_the_honest_controls_keep_full_marks_and_no_flag(attacked):
    _full_marks_and_no_flag(attacked, HONEST, SETS)


@pytest.mark.parametrize("name", sorted(CONTROLS))
def test_an_honest_control_keeps_full_marks_and_no_flag(name, attacked):
    # the control's other answer cells are the master's solutions, as HONEST's are
    _full_marks_and_no_flag(attacked, f"hon-{name}", [CONTROLS[name].SET])


def test_the_rest_of_the_class_is_graded(attacked):
    out = attacked["result"].stdout + attacked["result"].stderr
    assert "Traceback" not in attacked["result"].stdout, out[-3000:]
    statuses = {s: {a: r[f"{a}/status"] for a in SETS if r.get(f"{a}/status") != "missing"}
                for s, r in attacked["rows"].items()}
    assert len(statuses) == 1 + len(VARIANTS) + len(BARES) + len(CONTROLS), statuses
    ungraded = {s: st for s, st in statuses.items() if any(v != "graded" for v in st.values())}
    # an attack may cost its own submission its grade (an empty score, never points); nobody else's
    assert all(s.startswith("atk-") for s in ungraded), ungraded


def test_nothing_the_attacks_started_outlives_grading(attacked):
    assert not attacked["survivors"], f"still running after grading: {attacked['survivors']}"
    assert attacked["alive_before"] == attacked["alive_after"], "a detached process went on writing after grading"
    # while the kernel lived, a detached process ran (each line: a time, "alive", what it could rewrite): nothing
    lines = [l for text in attacked["alive_after"].values() for l in text.splitlines()]
    assert all(l.endswith("alive []") for l in lines), [l for l in lines if not l.endswith("alive []")][:5]


def test_the_records_do_not_change_after_the_run(attacked):
    assert all(attacked["before"].values()), attacked["before"]
    assert attacked["before"] == attacked["after"]
    for name in RECORDS[1:]:
        assert b"ATTACK-TAMPERED" not in (attacked["ag"] / name).read_bytes()
    assert attacked["integrity"]["records"] == [], attacked["integrity"]["records"]


def test_no_connection_reaches_a_listener_on_localhost(attacked):
    assert not attacked["reached"]
    said = _evidence(attacked, "atk-tcp_localhost", ATTACKS["tcp_localhost"].SET, ATTACKS["tcp_localhost"].CELL)
    assert said and all("no connection" in s for s in said if s.startswith("ATTACK:")), said


def test_the_resource_attacks_hit_the_limits(attacked):
    fork = " ".join(_evidence(attacked, "atk-fork_bomb", ATTACKS["fork_bomb"].SET, ATTACKS["fork_bomb"].CELL))
    m = re.search(r"stopped after (\d+) processes", fork)
    assert m and int(m.group(1)) <= int(os.environ.get("CONVBOOK_SANDBOX_PROCS", "512")), fork
    memory = _evidence(attacked, "atk-memory_8g", ATTACKS["memory_8g"].SET, ATTACKS["memory_8g"].CELL)
    assert len(memory) == 2 and all("no 8 GiB" in s for s in memory), memory
    big = attacked["ag"] / "autograded" / "atk-file_2g" / ATTACKS["file_2g"].SET / "big.bin"
    assert big.exists() and big.stat().st_size <= FILE_MB * 2**20, big
    written = " ".join(_evidence(attacked, "atk-file_2g", ATTACKS["file_2g"].SET, ATTACKS["file_2g"].CELL))
    assert "stopped at" in written, written


def test_the_master_is_nowhere_in_reach(attacked):
    for student in ("atk-read_master", "atk-read_master-b64"):
        said = _evidence(attacked, student, ATTACKS["read_master"].SET, ATTACKS["read_master"].CELL)
        assert said and "no master anywhere on disk" in said[0], said


def test_copies_are_reported_with_the_lines_they_share(attacked):
    """The master's solutions (HONEST) pair with the master in every set; two controls that differ in one answer
    pair with each other; report.html lists them with their lines, and the formgrader flags and comments them."""
    from nbgrader.api import Gradebook

    pairs = {(p["assignment"], p["a"], p["b"]): p for p in attacked["integrity"]["similar"]}
    for a in SETS:
        p = pairs[(a, HONEST, copies.MASTER)]
        assert p["score"] == 1.0 and p["lines_a"] and p["lines_a"] == p["lines_b"], p
    near = pairs[("02-discrete", "hon-helper_cell", "hon-noisy")]
    assert copies.THRESHOLD <= near["score"] < 1.0, near
    page = (attacked["ag"] / "report.html").read_text()
    assert "Submissions that share code" in page and "hon-helper_cell" in page
    with Gradebook(f"sqlite:///{attacked['ag'] / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook("03-polynomial", "03-polynomial", "atk-noop_checkers")
        comment = {c.name: c.auto_comment or "" for c in nb.comments}["poly-multiply-answer"]
        assert nb.flagged and "re-check (suspicious)" in comment and "audit, line" in comment, comment


def test_report_alone_rebuilds_the_class_files_of_the_run(attacked):
    assert attacked["reported"].returncode == 0, attacked["reported"].stdout[-2000:] + attacked["reported"].stderr
    for name, data in attacked["written"].items():
        assert attacked["rewritten"][name] == data, name
