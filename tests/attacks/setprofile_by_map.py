"""Switch forbid off with sys.setprofile(None) called from C (map), where no profile event shows the call,
then call numpy.convolve."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
EXERCISE = "convolve-loops"
SOURCE = r'''
import sys

import numpy as np


def convolve_loops(a, v):
    list(map(sys.setprofile, [None]))
    return np.convolve(a, v)
'''
