"""Set 04 by other methods than the master's: the DFT matrix by broadcasting, the inverse FFT by reversing the
indices, the power of two by doubling, the FFT convolution padded by hand with rfft for real inputs, and the
aliased indices from numpy.convolve (which the exercise allows) and the folded sum."""
SET = "04-fft"
CELLS = {
    "dft-matrix-answer": r'''
def dft_matrix(n):
    """W[j, k] = w^(j k) with w = exp(-2 pi i / n): powers of one root of unity, by broadcasting."""
    w = np.exp(-2j * np.pi / n)
    j = np.arange(n)
    return w ** ((j[:, None] * j[None, :]) % n)


def dft_by_matrix(x):
    return dft_matrix(len(x)) @ np.asarray(x, dtype=complex)


def idft_by_matrix(X):
    n = len(X)
    return np.linalg.solve(dft_matrix(n), np.asarray(X, dtype=complex)) if n else np.zeros(0, complex)
''',
    "fft-recursive-answer": r'''
def fft_radix2(x):
    """The recursive radix-2 FFT, the two halves written out as one list comprehension each."""
    x = np.asarray(x, dtype=complex)
    n = len(x)
    if n == 0 or (n & (n - 1)) != 0:
        raise ValueError(f"fft_radix2: the length must be a power of two, got {n}.")
    if n == 1:
        return x.copy()
    even, odd = fft_radix2(x[0::2]), fft_radix2(x[1::2])
    half = n // 2
    top = [even[k] + np.exp(-2j * np.pi * k / n) * odd[k] for k in range(half)]
    bottom = [even[k] - np.exp(-2j * np.pi * k / n) * odd[k] for k in range(half)]
    return np.array(top + bottom, dtype=complex)


def ifft_radix2(X):
    """The inverse DFT is the DFT of X with its indices reversed (k -> -k mod n), divided by n."""
    X = np.asarray(X, dtype=complex)
    n = len(X)
    return fft_radix2(X[(-np.arange(n)) % n]) / n
''',
    "padding-answer": r'''
def safe_length(m, n):
    if m < 1 or n < 1:
        raise ValueError(f"safe_length: both lengths must be >= 1, got {m} and {n}.")
    return m + n - 1


def safe_length_pow2(m, n):
    length, L = safe_length(m, n), 1
    while L < length:
        L *= 2
    return L
''',
    "convolve-fft-answer": r'''
def convolve_fft(a, v):
    """Pad by hand to a power of two, rfft for real inputs (fft for complex ones), multiply, invert."""
    a, v = np.asarray(a), np.asarray(v)
    k = len(a) + len(v) - 1
    L = safe_length_pow2(len(a), len(v))
    ap = np.concatenate([a, np.zeros(L - len(a), dtype=a.dtype)])
    vp = np.concatenate([v, np.zeros(L - len(v), dtype=v.dtype)])
    if np.iscomplexobj(a) or np.iscomplexobj(v):
        return np.fft.ifft(np.fft.fft(ap) * np.fft.fft(vp))[:k]
    return np.fft.irfft(np.fft.rfft(ap) * np.fft.rfft(vp), L)[:k]
''',
    "aliasing-answer": r'''
def aliased_indices(a, v, n):
    """Fold the linear convolution (numpy.convolve, allowed here) onto one period and compare, exactly."""
    if n < max(len(a), len(v)):
        raise ValueError(f"aliased_indices: n = {n} < max(len(a), len(v)) = {max(len(a), len(v))}.")
    # Python ints in object arrays: exact for integers of any size
    y = list(np.convolve(np.array([int(t) for t in a], dtype=object), np.array([int(t) for t in v], dtype=object)))
    c = [0] * n
    for k, value in enumerate(y):
        c[k % n] += value
    linear = (y + [0] * n)[:n]
    return [k for k in range(n) if c[k] != linear[k]]
''',
}
