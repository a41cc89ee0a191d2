"""A corpus of crafted submissions that try to pass the 01-continuous tests without solving.

Each module names the answer cell it replaces (``CELL``), its source
(``SOURCE``), the exercise whose in-kernel tests it fools (``FOOLS``, or None
when it only tries to), and how the grading pipeline must catch it
(``CAUGHT_BY``: an audit reason, a re-check disagreement on an exercise, or
``"not graded"``).  tests/test_autograder.py grades them with the real
pipeline.
"""
