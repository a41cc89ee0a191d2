"""Switch forbid off from inside the block: the graded function empties the blocked sets held in the closure
of the active profile function (sys.getprofile()), then calls numpy.convolve."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
EXERCISE = "convolve-loops"
SOURCE = r'''
import sys

import numpy as np


def convolve_loops(a, v):
    guard = sys.getprofile()
    for cell in getattr(guard, "__closure__", None) or ():
        if isinstance(cell.cell_contents, dict) and cell.cell_contents is not sys.modules:
            cell.cell_contents.clear()
    return np.convolve(a, v)
'''
