"""Set 02 by other methods than the master's: the modes sliced from the student's own full convolution, the
convolution matrix by index arithmetic, the moving average with loops (the exercise offers loops or
numpy.convolve), the edge detector with numpy.diff, the circular convolution gathered per output, and the impulse
response as the filter's answer to an impulse."""
SET = "02-discrete"
CELLS = {
    "convolve-mode-answer": r'''
def convolve_mode(a, v, mode="full"):
    """numpy's three modes, sliced from the full convolution of exercise 1 (convolve_loops)."""
    if mode not in ("full", "same", "valid"):
        raise ValueError(f"convolve_mode: mode must be 'full', 'same' or 'valid', got {mode!r}.")
    full = convolve_loops(a, v)
    n, m = max(len(a), len(v)), min(len(a), len(v))
    if mode == "same":
        return full[(m - 1) // 2:(m - 1) // 2 + n]
    if mode == "valid":
        return full[m - 1:n]
    return full
''',
    "conv-matrix-answer": r'''
def conv_matrix(a, n):
    """A[i, j] = a[i - j] where 0 <= i - j < len(a), else 0: built from index arrays, with no loop."""
    a = np.asarray(a)
    i, j = np.indices((len(a) + n - 1, n))
    inside = (i - j >= 0) & (i - j < len(a))
    return np.where(inside, a[np.clip(i - j, 0, len(a) - 1)], 0).astype(a.dtype)
''',
    "moving-average-answer": r'''
def moving_average(x, k):
    """The k-point moving average with loops: m[i] = (x[i] + ... + x[i + k - 1]) / k."""
    x = np.asarray(x, dtype=float)
    if k < 1 or k > len(x):
        raise ValueError(f"moving_average: k must be in 1..len(x) = {len(x)}, got {k}.")
    m = np.zeros(len(x) - k + 1)
    for i in range(len(m)):
        total = 0.0
        for j in range(k):
            total += x[i + j]
        m[i] = total / k
    return m
''',
    "edge-detector-answer": r'''
def edge_detector(x):
    """d[i] = x[i + 1] - x[i]: numpy.diff."""
    return np.diff(np.asarray(x))
''',
    "circular-answer": r'''
def circular_convolve_loops(a, v, n=None):
    """c[k] = sum over j of a[j] v[(k - j) mod n], both zero-padded to n: one output at a time."""
    a, v = np.asarray(a), np.asarray(v)
    longest = max(len(a), len(v))
    n = longest if n is None else n
    if n < longest:
        raise ValueError(f"circular_convolve_loops: n must be at least max(len(a), len(v)) = {longest}, got {n}.")
    dtype = np.result_type(a, v)
    ap, vp = np.zeros(n, dtype=dtype), np.zeros(n, dtype=dtype)
    ap[:len(a)], vp[:len(v)] = a, v
    c = np.zeros(n, dtype=dtype)
    for k in range(n):
        for j in range(n):
            c[k] += ap[j] * vp[(k - j) % n]
    return c


def linear_period(M, N):
    """The full convolution has M + N - 1 outputs: a period that long wraps nothing around."""
    return M + N - 1
''',
    "recursive-answer": r'''
def recursive_filter(x, a):
    """y[n] = a y[n - 1] + x[n], y[-1] = 0."""
    y = np.zeros(len(x))
    for n in range(len(x)):
        y[n] = (a * y[n - 1] if n else 0.0) + float(x[n])
    return y


def impulse_response(a, length):
    """The filter's output for a unit impulse (an LTI system is its impulse response)."""
    impulse = np.zeros(length)
    if length:
        impulse[0] = 1.0
    return recursive_filter(impulse, a)
''',
}
