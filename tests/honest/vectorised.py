"""A vectorised answer with no forbidden function: each product a[i] v[j] added into y[i + j] by np.add.at."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
SOURCE = r'''
def convolve_loops(a, v):
    a, v = np.asarray(a), np.asarray(v)
    if a.size == 0 or v.size == 0:
        raise ValueError(f"convolve_loops: a and v must not be empty (got lengths {a.size} and {v.size}).")
    y = np.zeros(a.size + v.size - 1, dtype=np.result_type(a, v))
    i, j = np.meshgrid(np.arange(a.size), np.arange(v.size), indexing="ij")
    np.add.at(y, (i + j).ravel(), np.multiply.outer(a, v).ravel())
    return y
'''
