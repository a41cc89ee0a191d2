"""The course's command line: masters -> notebooks -> release -> book, lab and grading.

Usage (the Makefile calls these; each is also fine by hand, from any folder)::

    coursekit masters          # jupytext masters -> source/<set>/<set>.ipynb
    coursekit release          # masters + nbgrader generate_assignment
    coursekit book-exercises   # release notebooks -> chapters/exercises/
    coursekit lab              # JupyterLab on workspace/ (copies of the release); --port N, --role instructor
    coursekit audit            # the integrity audit of every submission
    coursekit grade            # audit, autograde, re-check, feedback, grades.csv, report.html
    coursekit report           # grades.csv, report.html, integrity.json again, from the gradebook (runs no code)
    coursekit hub              # (root) accounts, users' environment, exchange; JupyterHub on 127.0.0.1 (--port N)
    coursekit hub-release SET  # on the hub, the instructor: release into the exchange
    coursekit hub-collect SET  # collect the latest submission per student into submitted/
    coursekit hub-feedback SET # release the feedback written by `coursekit grade`
    coursekit hub-down         # (root) remove the accounts `coursekit hub` made, and the hub's state

``python -m coursekit ...`` is the same.  The course is this repository's
``autograder/`` unless ``--course DIR`` (or ``CONVBOOK_COURSE``) names another.

One source of truth per exercise set: ``autograder/source/<set>/<set>.md``
(jupytext MyST markdown with nbgrader cell metadata) holds the solutions and
the visible and hidden tests.  Everything else is generated from it.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import exchange, grade, hub, lab, masters, release
from .paths import ENV_VAR, CourseError, current


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coursekit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course", default=None,
                        help=f"the course folder, holding nbgrader_config.py (default: {ENV_VAR}, "
                             "or this repository's autograder/)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("masters", help="build source/<set>/<set>.ipynb from the jupytext masters")
    sub.add_parser("release", help="masters, then nbgrader generate_assignment for every set")
    sub.add_parser("book-exercises", help="copy the release notebooks into chapters/exercises/")
    lab_p = sub.add_parser("lab", help="JupyterLab on the student workspace (or, for the instructor, the course)")
    lab_p.add_argument("--port", type=int, default=None,
                       help="the port on 127.0.0.1 (`make lab PORT=N`; default: the first free one from 8888)")
    lab_p.add_argument("--role", choices=lab.ROLES, default="student",
                       help="student (default: no instructor tools) or instructor (formgrader, create assignment, "
                            "course list; in the course folder)")
    audit_p = sub.add_parser("audit", help="the integrity audit of every submission")
    grade_p = sub.add_parser("grade", help="audit, autograde, re-check, feedback, grades.csv and report.html")
    grade_p.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS") or os.cpu_count() or 1),
                         help="parallel grading workers (default: JOBS or the number of cores)")
    grade_p.add_argument("--no-release", action="store_true",
                         help="use the existing release and gradebook entries (several machines sharing one "
                              "gradebook: release once, then grade each shard with --no-release)")
    sub.add_parser("report", help="rebuild grades.csv, report.html and integrity.json for the whole class from the "
                                  "gradebook and the stored verdicts, without running any student code")
    hub_p = sub.add_parser("hub", help="(as root) the roster's accounts, the users' environment, the exchange, "
                                       "then JupyterHub on 127.0.0.1")
    hub_p.add_argument("--port", type=int, default=int(os.environ["HUB_PORT"]) if os.environ.get("HUB_PORT") else None,
                       help="the hub's port on 127.0.0.1 (`make hub HUB_PORT=N`; default 8000)")
    for verb, what in (("release", "release a set into the exchange"),
                       ("collect", "collect the latest submission of a set per student into submitted/"),
                       ("feedback", "release a set's feedback (after `coursekit grade`) for students to fetch")):
        p = sub.add_parser(f"hub-{verb}", help=what)
        p.add_argument("set", nargs="?", default=os.environ.get("SET") or None, help="the set (default: SET)")
    sub.add_parser("hub-down", help="(as root) remove the accounts `coursekit hub` made and the hub's state")
    for p in (audit_p, grade_p):
        p.add_argument("--students", default=os.environ.get("STUDENTS") or None,
                       help="comma-separated student ids or globs (default: STUDENTS, or everyone)")
        p.add_argument("--shard", default=os.environ.get("SHARD") or None,
                       help="K/N: only the K-th of N slices of the class (for several machines)")
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.course:
        os.environ[ENV_VAR] = os.path.abspath(args.course)  # inherited by the grading workers
    try:
        course = current()
        if args.command == "masters":
            masters.build_all(course)
        elif args.command == "release":
            release.release(course)
        elif args.command == "book-exercises":
            release.book_exercises(course)
        elif args.command == "lab":
            return lab.lab(course, port=args.port, role=args.role)
        elif args.command == "audit":
            grade.audit_class(course, students=args.students, shard=args.shard)
        elif args.command == "report":
            return grade.report_class(course)
        elif args.command == "hub":
            return hub.serve(course, port=args.port)
        elif args.command == "hub-release":
            exchange.hub_release(course, args.set)
        elif args.command == "hub-collect":
            exchange.hub_collect(course, args.set)
        elif args.command == "hub-feedback":
            exchange.hub_feedback(course, args.set)
        elif args.command == "hub-down":
            print(f"removed the hub's state and the accounts it made: {', '.join(hub.down()) or 'none'}")
        elif args.command == "grade":
            return grade.grade_class(course, jobs=args.jobs, students=args.students, shard=args.shard,
                                     no_release=args.no_release)
        return 0
    except CourseError as exc:
        print(f"coursekit: {exc}", file=sys.stderr)
        return 2
