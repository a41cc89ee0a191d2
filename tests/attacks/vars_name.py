"""forbid loophole: numpy.convolve reached through vars(np)["con" + "volve"], a name no text search sees."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
EXERCISE = "convolve-loops"
SOURCE = r'''
import numpy as np


def convolve_loops(a, v):
    return vars(np)["con" + "volve"](a, v)
'''
