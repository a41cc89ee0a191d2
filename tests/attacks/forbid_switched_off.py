"""Switch forbid off before any test runs: rebind convbook.grading's _add_target to a no-op through
vars(sys.modules[...]), then answer with numpy.convolve."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
EXERCISE = "convolve-loops"
B64 = False
KNOWN_HOLE = ("forbid runs in the student's process: the re-check's forbid (autograder/coursekit/_recheck_child.py, "
              "_answer) is convbook.grading's, whose module the submission's cells have already rebound")
SOURCE = r'''
import sys

import numpy as np

vars(sys.modules["convbook.grading"])["_add_target"] = lambda *args, **kwargs: None


def convolve_loops(a, v):
    return np.convolve(a, v)
'''
