"""forbid loophole: numpy's C kernel of convolve, called from C by map(), where no profile event sees the call."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
EXERCISE = "convolve-loops"
SOURCE = r'''
import numpy as np


def convolve_loops(a, v):
    a, v = np.asarray(a), np.asarray(v)
    if len(v) > len(a):
        a, v = v, a
    return next(map(np._core.multiarray.correlate, [a], [v[::-1]], ["full"]))
'''
