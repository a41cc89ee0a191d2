"""nbgrader configuration for the course, hardened against nbgrader's defaults.

Every nbgrader command is run from this folder (autograder/), by
``coursekit`` (``make release``, ``make grade``) or by hand.  The course's own
preprocessors live in the ``coursekit`` package, installed in the course venv.
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "convolution"
c.CourseDirectory.root = HERE
# The gradebook is any SQLAlchemy URL; SQLite next to this file by default.
c.CourseDirectory.db_url = os.environ.get(
    "CONVBOOK_GRADEBOOK_URL", "sqlite:///" + os.path.join(HERE, "gradebook.db") + "?timeout=60")
c.CourseDirectory.submitted_directory = "submitted"

# What is copied from source/ to release/ and from submitted/ to autograded/:
# notebooks and data only.  Never the jupytext masters (*.md, which hold the
# solutions), and never Python files or packages a student submits that could
# shadow convbook or numpy (convbook is pip-installed, never copied).
c.CourseDirectory.include = ["*.ipynb", "*.csv", "*.txt", "*.npy", "*.npz", "*.png", "*.json"]
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
    "*.md", "*.py", "*.pth", "*.so", "*.pyd", "*.egg-link",
    "convbook*", "numpy*", "sympy*", "scipy*", "matplotlib*",
    "sitecustomize*", "usercustomize*",
]

# A student who deletes or edits a test cell gets it back from the gradebook.
c.OverwriteCells.add_missing_cells = True

# Student code runs only in the grading sandbox (coursekit.sandbox: bubblewrap, no network, no view of
# the masters, the gradebook or other submissions, an unprivileged user, limits).  An infinite loop
# costs seconds of CPU, not minutes: a cell that uses more than CONVBOOK_CELL_CPU seconds (20) of CPU
# time is stopped, scores 0, and the rest of the notebook still runs.  CPU time, not wall time, so a
# busy machine never changes a grade; nbgrader's wall-clock timeout stays as a backstop (10x) for a
# cell that blocks.
from coursekit import sandbox  # noqa: E402

sandbox.configure(c)
c.Execute.startup_timeout = 120

# nbgrader scores any stderr output in a test cell as a failure.  Output on stderr (a warning,
# a logging message, print(..., file=sys.stderr)) is not a failure; an exception is.
# Validate = grading: the same rule and the same per-cell CPU budget (CONVBOOK_CELL_CPU, 20 s) hold
# wherever a notebook runs, because each set-up cell calls convbook.grading.grade_like_the_grader():
# in the kernel, stderr is written to stdout, and a cell that uses more than the budget of CPU time
# stops with a TimeoutError (the grading sandbox's kernel has that budget already; it is not set
# twice).  So a student's Validate (their own JupyterLab, no sandbox, often no course config) and
# autograding give the same verdicts.  Here, as a backstop for what bypasses sys.stderr (a C library
# writing to file descriptor 2), the course's StderrIsOutput takes the place of nbgrader's
# IgnorePattern in autograding: stderr becomes stdout, kept for the feedback, and error outputs
# still fail.  (nbgrader's Validator runs a fixed list of preprocessors: it has no such hook.)
from nbgrader.converters.autograde import Autograde  # noqa: E402
from nbgrader.preprocessors import IgnorePattern  # noqa: E402

# Copy and paste in JupyterLab copies a cell's nbgrader metadata, and nbgrader then refuses the whole
# notebook (a duplicated grade_id); so does an edited cell flag.  RepairCells, first, drops pasted copies
# of locked and test cells, keeps every copy of an answer (the last one graded), restores edited
# metadata from the release and logs each repair (shown in the report and the formgrader).
c.Autograde.sanitize_preprocessors = ["coursekit.preprocessors.RepairCells",
                                      *Autograde.class_traits()["sanitize_preprocessors"].default()]
c.Autograde.autograde_preprocessors = [
    "coursekit.preprocessors.StderrIsOutput" if p is IgnorePattern else p
    for p in Autograde.class_traits()["autograde_preprocessors"].default()]

# Feedback: hidden tests never reach the student.  Their source lines are
# cleared, and tracebacks are cut to the exception's last line so that no
# hidden-test line is echoed through an error; an output that quotes a hidden test
# (an answer that prints `_ih`, say) is withheld.
c.GenerateFeedback.preprocessors = [
    "coursekit.preprocessors.WithholdHiddenTestEchoes",
    "coursekit.preprocessors.MinimalTracebacks",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
