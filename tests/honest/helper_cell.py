"""A helper function in a cell the student added above the answer, used by the answer."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
BEFORE = r'''
def _check_not_empty(a, v):
    if len(a) == 0 or len(v) == 0:
        raise ValueError(f"convolve_loops: a and v must not be empty (got lengths {len(a)} and {len(v)}).")
'''
SOURCE = r'''
def convolve_loops(a, v):
    a, v = np.asarray(a), np.asarray(v)
    _check_not_empty(a, v)
    y = np.zeros(len(a) + len(v) - 1, dtype=np.result_type(a, v))
    for i in range(len(a)):
        for j in range(len(v)):
            y[i + j] += a[i] * v[j]
    return y
'''
