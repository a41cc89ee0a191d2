"""forbid loophole: numpy.convolve captured as a default argument before the test's forbid block starts."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
EXERCISE = "convolve-loops"
SOURCE = r'''
import numpy as np


def convolve_loops(a, v, _impl=np.convolve):
    return _impl(a, v)
'''
