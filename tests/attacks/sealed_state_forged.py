"""Misuse the re-check guard's own functions: call its refusing function with a forged copy of its state, whose
re-arming trace function is the student's (a trace function runs where no profile function sees it), and
compute there; in nbgrader's kernel, empty forbid's state instead (as forbid_cleared_in_block)."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
EXERCISE = "convolve-loops"
SOURCE = r'''
import sys

import numpy as np


def convolve_loops(a, v):
    guard = sys.getprofile()
    state = getattr(guard, "__self__", None)
    if isinstance(state, tuple) and len(state) > 17:
        out = []

        def trace(P, frame, event, arg):
            if not out:
                out.append(np.convolve(a, v))

        forged = state[:14] + (trace,) + state[15:]
        try:
            state[4](forged, sys._getframe(), "nothing")
        except BaseException:
            pass
        (lambda: None)()  # a call event, for the trace function
        if out:
            return out[0]
    for cell in getattr(guard, "__closure__", None) or ():
        if isinstance(cell.cell_contents, dict) and cell.cell_contents is not sys.modules:
            cell.cell_contents.clear()
    return np.convolve(a, v)
'''
