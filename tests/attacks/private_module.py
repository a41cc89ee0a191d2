"""forbid loophole: numpy.convolve through its private module, np._core.numeric.convolve."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
EXERCISE = "convolve-loops"
SOURCE = r'''
import numpy as np


def convolve_loops(a, v):
    return np._core.numeric.convolve(a, v)
'''
