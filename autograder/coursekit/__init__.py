"""coursekit: the grading side of the course, as a small library.

Imports point one way, from the command line down to the course's paths:

- :mod:`coursekit.cli` -- the command line (``coursekit`` / ``python -m coursekit``);
- commands: :mod:`~coursekit.release` (student versions, the book's copies),
  :mod:`~coursekit.workspace` (the student's JupyterLab), :mod:`~coursekit.grade`
  (workers, shards, the whole grading run);
- what the commands use: :mod:`~coursekit.masters` (the jupytext masters),
  :mod:`~coursekit.audit` (static reading of submissions), :mod:`~coursekit.recheck`
  (graded functions re-run in clean processes), :mod:`~coursekit.report`
  (grades.csv, report.html, integrity.json), :mod:`~coursekit.preprocessors`
  (nbconvert preprocessors named in ``nbgrader_config.py``);
- at the bottom: :mod:`~coursekit.config` (nbgrader's configuration and command line)
  and :mod:`~coursekit.paths` (where a course's files live).

nbgrader's own files stay where it expects them: ``autograder/nbgrader_config.py``
and ``autograder/source/``.
"""
