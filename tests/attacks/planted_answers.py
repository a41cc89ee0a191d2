"""Planted answers: a cell reads the re-check's job (the hidden inputs) from its folder, computes the answers
with numpy.convolve while no forbid is on, writes them where the exercise's fork would, and the graded
function then ends its fork before it writes its own; in nbgrader's kernel it empties forbid's state
(as forbid_cleared_in_block) and calls numpy.convolve."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
EXERCISE = "convolve-loops"
SOURCE = r'''
import json
import os
import sys

import numpy as np


def _plant():
    try:
        with open("job.json") as fh:
            job = json.load(fh)
    except OSError:
        return False
    sys.path.insert(0, os.getcwd())
    from _recheck_child import decode, encode
    for k, exercise in enumerate(job["exercises"]):
        if exercise["exercise"] == "convolve-loops":
            answers = [{"value": encode(np.convolve(*decode(case, numpy_scalars=True)))}
                       for case in exercise["cases"]]
            with open(f"ex-{k}.json", "w") as fh:
                json.dump(answers, fh)
    return True


PLANTED = _plant()


def convolve_loops(a, v):
    if PLANTED:
        os._exit(0)
    guard = sys.getprofile()
    for cell in getattr(guard, "__closure__", None) or ():
        if isinstance(cell.cell_contents, dict) and cell.cell_contents is not sys.modules:
            cell.cell_contents.clear()
    return np.convolve(a, v)
'''
