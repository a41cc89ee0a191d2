"""The grade report: grades.csv (a row per student) and report.html (offline, one file).

``grades.csv`` has one row per student and one column per exercise
(``<assignment>/<exercise>``), a total per assignment and a grand total, plus a
status per assignment.  Its scores are the scores of record: nbgrader's, capped
by the share of hidden cases that the trusted re-check confirms
(:func:`scores_of_record`).  A submission that could not be graded has empty cells
and a status that says why, never a silent 0.  A set with a due date in
``course.toml`` (:mod:`coursekit.late`) also has its hours late and its late
penalty, which is taken from the set's total; ``report.html`` lists the late
submissions.

``report.html`` opens in a browser with no network: plots are embedded PNGs.
It shows the score distribution per exercise, the hardest exercises, the
flagged submissions with reasons (from the audit), the disagreements between
nbgrader and the independent re-check, and the submissions that could not be
graded, the gradebook records that their graded notebooks contradict
(:mod:`coursekit.integrity`), and the pairs of submissions that share code
(:mod:`coursekit.copies`, with the lines they share).  Hidden tests never appear in it: it holds
scores, flags and the re-check's one-line verdicts only.  ``integrity.json``
holds the same flags, disagreements, records and pairs for scripts.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import html
import io
import json
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote


def exercise_of(grade_id: str) -> str:
    """'box-box' for 'box-box-test-values', 'box-box-answer' or 'box-box'."""
    for sep in ("-test", "-answer", "-written"):
        if sep in grade_id:
            return grade_id.split(sep)[0] + ("-written" if sep == "-written" else "")
    return grade_id


def _source(g) -> str:
    """Where a grade cell's number comes from: 'manual' (a written answer graded by hand), 'override' (an
    autograded cell given a score by hand), 'auto', or 'pending' (waits for a human grader)."""
    if g.manual_score is not None:
        return "manual" if g.cell.cell_type == "markdown" else "override"
    if g.auto_score is None:
        return "pending"
    return "auto"


def gradebook_scores(db_url: str, subs, to_review: dict | None = None) -> tuple[dict, dict]:
    """``(scores, sources)`` of the graded submissions, from the gradebook.

    ``scores`` is ``{(student, assignment): {exercise: (score or None, max)}}``;
    ``sources`` is ``{(student, assignment): {exercise: set of 'auto',
    'manual', 'override'}}``.  A score given by hand (a written answer, or an
    override of an autograded cell) always counts: nbgrader marks it "needs
    manual grade" again at every autograde, but keeps it, and so does the
    report.  Only a cell with no score at all waits for a human grader, and
    then its exercise's score is None.

    ``to_review`` is ``{(student, set): {grade cell: old manual score}}``: cells
    graded by hand whose answer changed in a resubmission since
    (:func:`coursekit.grade.changed_since_manual`).  Until the instructor grades
    such a cell again (nbgrader's "needs manual grade" cleared), its old score
    still counts and its source reads ``to review (old score X)``.
    """
    from nbgrader.api import Gradebook, MissingEntry

    scores, sources = {}, {}
    with Gradebook(db_url) as gb:
        for student, assignment in subs:
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                continue
            per = defaultdict(lambda: [0.0, 0.0, False])
            where = defaultdict(set)
            for nb in sub.notebooks:
                for g in nb.grades:
                    ex = exercise_of(g.name)
                    per[ex][1] += g.max_score
                    source = _source(g)
                    old = (to_review or {}).get((student, assignment), {}).get(g.name)
                    if old is not None and g.manual_score is not None and g.needs_manual_grade:
                        source = f"to review (old score {old:g})"
                    if source == "pending":
                        per[ex][2] = True  # waits for a human grader
                        continue
                    where[ex].add(source)
                    per[ex][0] += (g.manual_score if g.manual_score is not None else g.auto_score) \
                        + (g.extra_credit or 0.0)
            scores[(student, assignment)] = {ex: (None if pending else s, m) for ex, (s, m, pending) in per.items()}
            sources[(student, assignment)] = {ex: where[ex] for ex in per}
    return scores, sources


def scores_from_gradebook(db_url: str, subs) -> dict:
    """{(student, assignment): {exercise: (score or None, max)}} for graded submissions (:func:`gradebook_scores`)."""
    return gradebook_scores(db_url, subs)[0]


def _trusted_share(verdict: dict, best: float) -> float:
    """The points the re-check confirms: ``best`` times the share of hidden cases that agree."""
    cases = verdict.get("cases") or 0
    if verdict.get("ok"):
        return best
    return best * (verdict.get("passed", 0) / cases) if cases else 0.0


def scores_of_record(scores: dict, verdicts: dict, sources: dict | None = None) -> dict:
    """The scores that count: nbgrader's, capped by what the trusted re-check confirms.

    nbgrader runs the tests in the student's kernel, where the student's code
    can reach them; the re-check decides outside it.  For an exercise with a
    re-check verdict, the score of record is ``min(kernel score, best *
    passed / cases)``: a submission that tampers with the in-kernel tests gains
    nothing the hidden cases do not confirm, and an honest answer that
    passes every hidden case keeps the kernel's score (its visible and error
    tests included).  Exercises without a re-check, scores that wait for a
    human grader, and exercises with a score given by hand (an override, in
    ``sources``) are nbgrader's: the instructor's decision is not capped.

    >>> scores_of_record({("ann", "s1"): {"e1": (5.0, 5.0), "e2": (2.0, 3.0), "w": (None, 3.0)}},
    ...                  {("ann", "s1"): {"e1": {"ok": False, "passed": 3, "cases": 4},
    ...                                   "e2": {"ok": True, "passed": 8, "cases": 8}}})
    {('ann', 's1'): {'e1': (3.75, 5.0), 'e2': (2.0, 3.0), 'w': (None, 3.0)}}
    """
    out = {}
    for key, per in scores.items():
        per_verdict = verdicts.get(key, {})
        out[key] = {}
        for ex, (score, best) in per.items():
            verdict = per_verdict.get(ex)
            by_hand = bool((sources or {}).get(key, {}).get(ex, set()) & {"manual", "override"})
            if score is not None and verdict is not None and not by_hand:
                score = min(score, round(_trusted_share(verdict, best), 2))
            out[key][ex] = (score, best)
    return out


def disagreements(scores: dict, verdicts: dict) -> list[dict]:
    """Where the re-check and nbgrader disagree on an exercise, at any credit level.

    The re-check judges every hidden case; ``passed`` of ``cases`` agree.
    Three kinds of rows, each with the score of record:
    ``suspicious`` (full marks in the kernel, some hidden case wrong in the
    re-check: the signature of tampering), ``credit`` (some points in the
    kernel, more than the share of hidden cases that agree: tampering with
    some tests, or an answer that the hidden cases find wronger than the
    tests did; the score of record is the re-check's share) and ``partial``
    (every hidden case right, not full marks in the kernel: usually tests the
    re-check does not cover, such as errors).

    >>> disagreements({("ann", "s1"): {"e1": (1.0, 3.0), "e2": (3.0, 3.0), "e3": (1.0, 4.0)}},
    ...               {("ann", "s1"): {"e1": {"ok": False, "detail": "case 0", "passed": 0, "cases": 2},
    ...                                "e2": {"ok": True, "detail": ""},
    ...                                "e3": {"ok": False, "detail": "case 1", "passed": 1, "cases": 2}}})
    [{'student': 'ann', 'assignment': 's1', 'exercise': 'e1', 'nbgrader': '1.0/3.0', 'recheck': 'fails: case 0', \
'kind': 'credit', 'of_record': '0.0/3.0'}]
    """
    rows = []
    for key, per_ex in verdicts.items():
        ex_scores = scores.get(key, {})
        for ex, verdict in per_ex.items():
            if ex not in ex_scores:
                continue
            score, best = ex_scores[ex]
            if score is None:
                continue  # waits for a human grader
            full = abs(score - best) < 1e-9
            trusted = round(_trusted_share(verdict, best), 2)
            if verdict["ok"] and not full:
                kind = "partial"
            elif not verdict["ok"] and full:
                kind = "suspicious"
            elif not verdict["ok"] and score > trusted + 1e-9:
                kind = "credit"
            else:
                continue
            rows.append(dict(student=key[0], assignment=key[1], exercise=ex, nbgrader=f"{score}/{best}",
                             recheck="passes" if verdict["ok"] else f"fails: {verdict['detail']}", kind=kind,
                             of_record=f"{min(score, trusted)}/{best}"))
    return rows


def _record_sources(record: dict, scores: dict, sources: dict) -> dict:
    """Per submission, 'exercise=source' for every exercise: auto, manual, override, pending, or
    'auto, capped by the re-check' where the score of record is below nbgrader's."""
    out = {}
    for key, per in record.items():
        words = []
        for ex, (val, _) in per.items():
            got = sorted(sources.get(key, {}).get(ex, set())) or ["pending"]
            word = "+".join(got)
            if val is not None and scores[key][ex][0] is not None and val < scores[key][ex][0] - 1e-9:
                word += ", capped by the re-check"
            elif val is None:
                word = "pending"
            words.append(f"{ex}={word}")
        out[key] = "; ".join(words)
    return out


def set_total(per: dict, late=None) -> tuple[float, float | None]:
    """``(total, late penalty)`` of one graded set: its exercises' scores of record, less the penalty of its
    :class:`coursekit.late.Lateness` (None: the set has no due date), never below 0.

    >>> from coursekit.late import Lateness
    >>> set_total({"e1": (3.0, 3.0), "e2": (4.0, 4.0), "w": (None, 2.0)},
    ...           Lateness(None, None, 3600, 0.2, "per_day: 1 h late, 1 started day x 0.2 of the set total", 1))
    (5.6, 1.4)
    """
    total = sum(v for v, _ in per.values() if v is not None)
    if late is None:
        return total, None
    penalty = late.penalty(total)
    return max(0.0, round(total - penalty, 2)), penalty


def write_csv(path: Path, subs, scores: dict, status: dict, sources: dict | None = None,
              lateness: dict | None = None, roster=()) -> None:
    """``grades.csv``.  A set with a due date (``lateness``: :func:`coursekit.late.submission_lateness`) also has
    ``<set>/late hours`` and ``<set>/late penalty`` columns; the penalty is taken from ``<set>/total``, and
    ``<set>/sources`` ends with ``late penalty=`` and the rule's outcome.  Every student of the ``roster`` has
    a row: a set they did not submit reads ``missing``, with an empty total (never 0), and a student who
    submitted nothing has an empty grand total too."""
    lateness = lateness or {}
    students = sorted({s for s, _ in subs} | set(roster))
    assignments = sorted({a for _, a in subs})
    late_sets = {a for _, a in lateness}
    columns: dict[str, list[str]] = {}
    for (_, a), per in scores.items():
        columns.setdefault(a, [])
        for ex in per:
            if ex not in columns[a]:
                columns[a].append(ex)
    header = ["student"]
    for a in assignments:
        header += [f"{a}/{ex}" for ex in columns.get(a, [])]
        header += [f"{a}/late hours", f"{a}/late penalty"] if a in late_sets else []
        header += [f"{a}/total", f"{a}/status", f"{a}/sources"]
    header.append("total")
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for s in students:
            row, grand = [s], 0.0
            for a in assignments:
                per = scores.get((s, a)) if status.get((s, a)) == "graded" else None
                for ex in columns.get(a, []):
                    val = per.get(ex, (None, 0))[0] if per else None
                    row.append("" if val is None else f"{val:g}")
                late = lateness.get((s, a))
                if per:
                    total, penalty = set_total(per, late)
                    if a in late_sets:
                        row += [f"{late.hours:g}", f"{penalty:g}"] if late else ["", ""]
                    grand += total
                    row.append(f"{total:g}")
                else:
                    row += ["", "", ""] if a in late_sets else [""]
                row.append(status.get((s, a), "missing"))
                where = (sources or {}).get((s, a), "") if per else ""
                if per and late:
                    where = "; ".join(filter(None, [where, f"late penalty={late.reason}"]))
                row.append(where)
            submitted_any = any((s, a) in status for a in assignments)
            row.append(f"{grand:g}" if submitted_any else "")
            w.writerow(row)


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _linked_table(headers, rows, logs: set) -> str:
    """:func:`_table` of ``(student, set, text)`` rows, with a link to the submission's log where there is one."""
    if not rows:
        return "<p><em>None.</em></p>"
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in [*headers, "log"])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in (s, a, text))
        + (f'<td><a href="logs/{quote(s)}/{quote(a)}.log">log</a></td>' if (s, a) in logs else "<td></td>")
        + "</tr>" for s, a, text in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _table(headers, rows) -> str:
    if not rows:
        return "<p><em>None.</em></p>"
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _late_section(scores: dict, status: dict, lateness: dict) -> str:
    """The report's lateness per student: every submission late or without a timestamp, with its penalty."""
    rows = []
    for (s, a), late in sorted(lateness.items()):
        if late.seconds_late == 0 and late.submitted is not None:
            continue
        graded = status.get((s, a)) == "graded" and (s, a) in scores
        penalty = set_total(scores[(s, a)], late)[1] if graded else None
        rows.append((s, a, late.submitted.isoformat() if late.submitted else "no timestamp.txt",
                     late.due.isoformat(), f"{late.hours:g}", late.reason,
                     f"{penalty:g}" if penalty is not None else "(not graded)"))
    on_time = len(lateness) - sum(1 for r in rows if r[2] != "no timestamp.txt")
    return ("<h2>Late work</h2><p>Due dates, grace period and penalty rule from course.toml; "
            f"{len(lateness)} submission(s) of sets with a due date, {on_time} on time. The penalty is "
            "taken from the set total in grades.csv (its <code>late penalty</code> column).</p>"
            + _table(["student", "assignment", "submitted", "due", "hours late", "rule", "penalty (points)"], rows))


def _pairs_section(pairs) -> str:
    """The submissions that share code, with the lines they share (escaped: a student's code is text here)."""
    rows = "".join(
        f"<tr><td>{html.escape(p.assignment)}</td><td>{html.escape(p.a)}</td><td>{html.escape(p.b)}</td>"
        f"<td>{100 * p.score:.0f}%</td><td>{p.shared}</td>"
        f"<td><pre>{html.escape(chr(10).join(p.lines_a))}</pre></td>"
        f"<td><pre>{html.escape(chr(10).join(p.lines_b))}</pre></td></tr>" for p in pairs)
    return ("<h2>Submissions that share code</h2><p>Winnowing fingerprints of the answer cells and the cells a "
            "student added, with the starter code left out (<code>coursekit.copies</code>); a pair is listed when "
            "the smaller submission shares at least 60% of its fingerprints with the other. <em>master</em> is "
            "the master's solutions. A finding never changes a score: read the code and decide.</p>"
            "<table><tr><th>assignment</th><th>student</th><th>shares with</th><th>similarity</th>"
            "<th>fingerprints</th><th>lines (student)</th><th>lines (other)</th></tr>" + rows + "</table>")


def write_html(path: Path, scores: dict, status: dict, flags, disagree, failures: dict, records=(),
               lateness: dict | None = None, pairs=(), repairs: dict | None = None, missing=()) -> None:
    """``report.html``; ``missing`` are the ``(student, set)`` of the roster with no submission."""
    from matplotlib.figure import Figure

    logs = {(p.parent.name, p.stem) for p in (path.parent / "logs").glob("*/*.log")}

    per_ex = defaultdict(list)
    for (s, a), per in scores.items():
        if status.get((s, a)) != "graded":
            continue
        for ex, (val, best) in per.items():
            if val is not None and best:
                per_ex[(a, ex)].append(val / best)
    sections = []
    if per_ex:
        keys = sorted(per_ex)
        fig = Figure(figsize=(max(6, 0.6 * len(keys)), 3.2))
        ax = fig.subplots()
        ax.boxplot([per_ex[k] for k in keys], showmeans=True)
        ax.set_xticks(range(1, len(keys) + 1), [f"{a}\n{ex}" for a, ex in keys], rotation=60, fontsize=7)
        ax.set_ylabel("fraction of points")
        ax.set_ylim(-0.05, 1.05)
        ax.set_title("Score distribution per exercise")
        alt = "Box plots of the fraction of points earned on each exercise, one box per exercise."
        sections.append(f'<h2>Score distribution per exercise</h2><img alt="{alt}" src="{_png(fig)}">')
        hardest = sorted(keys, key=lambda k: sum(per_ex[k]) / len(per_ex[k]))[:10]
        rows = [(a, ex, f"{100 * sum(per_ex[(a, ex)]) / len(per_ex[(a, ex)]):.0f}%", len(per_ex[(a, ex)]))
                for a, ex in hardest]
        sections.append("<h2>Hardest exercises</h2>" + _table(["assignment", "exercise", "mean score", "n"], rows))
    if lateness:
        sections.append(_late_section(scores, status, lateness))
    if missing:
        sections.append("<h2>Missing submissions</h2><p>Students of the roster with no submission of a set: "
                        "their score is empty in grades.csv, not 0.</p>"
                        + _table(["student", "assignment"], [[st, a] for st, a in sorted(missing)]))
    sections.append("<h2>Submissions that could not be graded</h2><p>The one-line cause; the log link opens "
                    "nbgrader's whole log of that submission (<code>logs/&lt;student&gt;/&lt;set&gt;.log</code>).</p>"
                    + _linked_table(["student", "assignment", "why"],
                                    [(s, a, p) for (s, a), p in sorted(failures.items())], logs))
    sections.append("<h2>Repaired before grading</h2><p>Pasted copies of locked or test cells dropped, copies of "
                    "an answer kept (the last one graded), edited cell metadata restored from the release; the "
                    "submission was then graded as usual (<code>coursekit.preprocessors.RepairCells</code>).</p>"
                    + _linked_table(["student", "assignment", "what was repaired"],
                                    [(s, a, "; ".join(r)) for (s, a), r in sorted((repairs or {}).items())], logs))
    sections.append("<h2>Flagged by the integrity audit</h2><p>Flags never change a score: read the code and decide.</p>"
                    + _table(["student", "assignment", "where", "line", "reason", "code"],
                             [(f.student, f.assignment, f.cell, f.line, f.reason, f.code) for f in flags]))
    sections.append(_pairs_section(pairs))
    cols = ["student", "assignment", "exercise", "nbgrader", "re-check", "of record"]
    pick = lambda kind: [(d["student"], d["assignment"], d["exercise"], d["nbgrader"], d["recheck"],  # noqa: E731
                          d["of_record"]) for d in disagree if d["kind"] == kind]
    sections.append("<h2>Re-check disagreements</h2><p>The graded function, re-run alone in a clean process on "
                    "the hidden inputs, disagrees with nbgrader's score. The score of record (in grades.csv and "
                    "above) is nbgrader's, capped by the share of hidden cases the re-check confirms; the "
                    "gradebook and the students' feedback keep nbgrader's score.</p>"
                    "<h3>Full marks in the kernel, wrong in the re-check (look for tampering)</h3>"
                    + _table(cols, pick("suspicious"))
                    + "<h3>More points in the kernel than the hidden cases confirm (tampering with some tests, or hidden "
                      "cases that find the answer wronger than the tests did)</h3>"
                    + _table(cols, pick("credit"))
                    + "<h3>Right in the re-check, partial credit in the kernel (tests the re-check does not "
                      "cover, such as error handling or dtypes)</h3>" + _table(cols, pick("partial")))
    sections.append("<h2>Gradebook records that the graded notebooks contradict</h2><p>Each score in the "
                    "gradebook is recomputed from its graded notebook's outputs; a difference means that the "
                    "gradebook (or the notebook) was changed after grading: <strong>gradebook tampered or out of "
                    "date</strong>.</p>"
                    + _table(["student", "assignment", "notebook", "cell", "problem", "what differs"],
                             [(r["student"], r["assignment"], r["notebook"], r["cell"], r["problem"], r["detail"])
                              for r in records]))
    graded = sum(1 for v in status.values() if v == "graded")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Grade report</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:.25em .5em;text-align:left}}
th{{background:#eee}}img{{max-width:100%}}</style></head>
<body><h1>Grade report</h1>
<p>{graded} of {len(status)} submission(s) graded; {len(failures)} could not be graded;
{len(flags)} audit flag(s); {len(disagree)} re-check disagreement(s); {len(pairs)} pair(s) that share code;
{len(records)} gradebook record(s) that the graded notebooks contradict.</p>
{''.join(sections)}
</body></html>
"""
    path.write_text(page)


def write_all(course_dir: Path, db_url: str, subs, failures: dict, flags, verdicts: dict,
              records=(), lateness: dict | None = None, pairs=(), repairs: dict | None = None,
              to_review: dict | None = None, roster=()) -> list[dict]:
    """``grades.csv``, ``report.html`` and ``integrity.json`` in ``course_dir``; returns the disagreements.

    The scores in ``grades.csv`` and ``report.html`` are the scores of record
    (:func:`scores_of_record`).

    ``records`` are :func:`coursekit.integrity.check_records`'s rows (the
    gradebook against the graded notebooks).  ``lateness`` is
    :func:`coursekit.late.submission_lateness`'s (the sets with a due date): their penalties are taken from
    the set totals in ``grades.csv`` and listed in ``report.html``.  ``pairs`` are
    :func:`coursekit.copies.pairs`'s findings (submissions that share code, or share it with the master);
    ``repairs`` what :class:`coursekit.preprocessors.RepairCells` repaired in each submission before grading.
    ``roster`` are the students of :mod:`coursekit.roster`: each has a row in ``grades.csv``.
    """
    status = {key: "graded" for key in subs} | {k: f"NOT GRADED: {v}" for k, v in failures.items()}
    scores, sources = gradebook_scores(db_url, subs, to_review)
    disagree = disagreements(scores, verdicts)
    record = scores_of_record(scores, verdicts, sources)
    write_csv(course_dir / "grades.csv", subs, record, status, _record_sources(record, scores, sources), lateness,
              roster)
    missing = [(st, a) for a in sorted({a for _, a in subs}) for st in sorted(set(roster)) if (st, a) not in status]
    write_html(course_dir / "report.html", record, status, flags, disagree, failures, records, lateness, pairs,
               repairs, missing)
    (course_dir / "integrity.json").write_text(json.dumps(
        {"flags": [dataclasses.asdict(f) for f in flags], "disagreements": disagree,
         "not_graded": [{"student": s, "assignment": a, "why": p} for (s, a), p in sorted(failures.items())],
         "records": list(records), "similar": [dataclasses.asdict(p) for p in pairs],
         "repairs": [{"student": s, "assignment": a, "repairs": r} for (s, a), r in sorted((repairs or {}).items())]},
        indent=1))
    return disagree
