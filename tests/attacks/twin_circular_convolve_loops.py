"""forbid loophole: the didactic twin convbook.discrete.circular_convolve_loops under its own name (and a
worthless linear_period, so that the whole exercise deserves 0)."""
SET = "02-discrete"
CELL = "circular-answer"
EXERCISE = "circular"
SOURCE = r'''
from convbook.discrete import circular_convolve_loops


def linear_period(M, N):
    return 0
'''
