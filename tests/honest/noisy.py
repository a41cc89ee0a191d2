"""Prints, a warning, a log line and a plot: output that must never cost a point."""
SET = "02-discrete"
CELL = "convolve-loops-answer"
SOURCE = r'''
import logging
import warnings

import matplotlib.pyplot as plt


def convolve_loops(a, v):
    a, v = np.asarray(a), np.asarray(v)
    if a.size == 0 or v.size == 0:
        raise ValueError(f"convolve_loops: a and v must not be empty (got lengths {a.size} and {v.size}).")
    print("convolving", a.size, "by", v.size)
    logging.getLogger("student").warning("a student's log line")
    if a.size > 1000:
        warnings.warn("long input: this will be slow", RuntimeWarning)
    y = np.zeros(len(a) + len(v) - 1, dtype=np.result_type(a, v))
    for i in range(len(a)):
        for j in range(len(v)):
            y[i + j] += a[i] * v[j]
    return y


plt.figure(figsize=(3, 2))
plt.stem(convolve_loops([1, 2, 3], [1, 1, 1]))
plt.show()
'''
