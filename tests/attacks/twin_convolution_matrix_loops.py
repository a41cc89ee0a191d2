"""forbid loophole: the didactic twin convbook.discrete.convolution_matrix_loops as conv_matrix."""
SET = "02-discrete"
CELL = "conv-matrix-answer"
EXERCISE = "conv-matrix"
SOURCE = r'''
from convbook.discrete import convolution_matrix_loops


def conv_matrix(a, n):
    return convolution_matrix_loops(a, n)
'''
