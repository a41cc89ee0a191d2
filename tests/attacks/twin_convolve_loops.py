"""forbid loophole: the package's didactic twin convbook.discrete.convolve_loops, the exercise's answer
under its own name."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
EXERCISE = "convolve-loops"
SOURCE = r'''
from convbook.discrete import convolve_loops
'''
