"""A library convolution under another name: convbook.discrete.overlap_add (floats by FFT, its own ValueError
for empty input). Set 02's CONVOLUTION_SHORTCUTS names it, overlap_save and convbook._blocks' twins."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
EXERCISE = "convolve-loops"
B64 = False
SOURCE = r'''
from convbook.discrete import overlap_add


def convolve_loops(a, v):
    return overlap_add(a, v)
'''
