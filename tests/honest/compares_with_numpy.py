"""The answer cell checks itself against numpy.convolve at top level, after the definition (outside any test),
as students do: the forbidden function is called, but not by the graded one."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
SOURCE = r'''
def convolve_loops(a, v):
    a, v = np.asarray(a), np.asarray(v)
    if a.size == 0 or v.size == 0:
        raise ValueError(f"convolve_loops: a and v must not be empty (got lengths {a.size} and {v.size}).")
    y = np.zeros(len(a) + len(v) - 1, dtype=np.result_type(a, v))
    for i in range(len(a)):
        for j in range(len(v)):
            y[i + j] += a[i] * v[j]
    return y


print(convolve_loops([1, 2, 3], [1, 1]), np.convolve([1, 2, 3], [1, 1]))
assert (convolve_loops([1, 2, 3], [1, 1]) == np.convolve([1, 2, 3], [1, 1])).all()
'''
