"""Set 05 by other methods than the master's: the cross-correlation from numpy's sliding windows, the flip by
numpy.flip, the output size by counting positions, the layer padded by numpy.pad (the exercise offers it) with a
tensordot per position, dilation tap by tap, the groups written into one output, and the input gradient scattered
back position by position (the chain rule as it reads)."""
SET = "05-deep-learning"
CELLS = {
    "correlate2d-answer": r'''
from numpy.lib.stride_tricks import sliding_window_view


def correlate2d(image, kernel):
    """Every kh x kw window of the image at once (a view, no copy), times the kernel, summed: no flip."""
    image, kernel = np.asarray(image), np.asarray(kernel)
    if image.ndim != 2 or kernel.ndim != 2 or image.size == 0 or kernel.size == 0:
        raise ValueError(f"correlate2d: need two non-empty 2-D arrays, got shapes {image.shape} and {kernel.shape}.")
    if kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
        raise ValueError(f"correlate2d: the kernel {kernel.shape} does not fit in the image {image.shape}.")
    dtype = np.float32 if image.dtype == np.float32 and kernel.dtype == np.float32 else np.float64
    windows = sliding_window_view(image.astype(dtype), kernel.shape)
    return np.einsum("yxij,ij->yx", windows, kernel.astype(dtype))
''',
    "convolve2d-answer": r'''
def convolve2d(image, kernel):
    """True convolution: cross-correlation with the kernel flipped along both axes."""
    kernel = np.asarray(kernel)
    if kernel.ndim != 2:
        raise ValueError(f"convolve2d: the kernel must be 2-D, got {kernel.ndim}-D.")
    return correlate2d(image, np.flip(kernel, axis=(0, 1)))
''',
    "output-size-answer": r'''
def output_size(n, kernel_size, stride=1, padding=0, dilation=1):
    """Count the positions: a window spanning d (k - 1) + 1 samples starts at 0, s, 2 s, ... while it fits."""
    span = dilation * (kernel_size - 1) + 1
    if span > n + 2 * padding:
        raise ValueError(f"output_size: a kernel spanning {span} does not fit in {n} + 2 * {padding} samples.")
    return len(range(0, n + 2 * padding - span + 1, stride))
''',
    "conv2d-answer": r'''
def conv2d(x, w, bias=None, stride=1, padding=0):
    """numpy.pad for the zeros, then at each output position one tensordot gives all K outputs."""
    x, w = np.asarray(x), np.asarray(w)
    if x.ndim != 4 or w.ndim != 4:
        raise ValueError(f"conv2d: x and w must be 4-D, got {x.ndim}-D and {w.ndim}-D.")
    N, C, H, W = x.shape
    K, Cw, kh, kw = w.shape
    if C != Cw:
        raise ValueError(f"conv2d: x has C = {C} channels, w expects {Cw}.")
    if bias is not None and np.shape(bias) != (K,):
        raise ValueError(f"conv2d: bias must have shape ({K},), got {np.shape(bias)}.")
    p, s = padding, stride
    if kh > H + 2 * p or kw > W + 2 * p:
        raise ValueError(f"conv2d: the {kh}x{kw} kernel is larger than the padded {H + 2 * p}x{W + 2 * p} input.")
    dtype = np.float32 if x.dtype == np.float32 and w.dtype == np.float32 else np.float64
    xp = np.pad(x.astype(dtype), ((0, 0), (0, 0), (p, p), (p, p)))
    w = w.astype(dtype)
    Ho, Wo = (H + 2 * p - kh) // s + 1, (W + 2 * p - kw) // s + 1
    out = np.empty((N, K, Ho, Wo), dtype=dtype)
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                out[n, :, i, j] = np.tensordot(w, xp[n, :, i * s:i * s + kh, j * s:j * s + kw], axes=3)
    if bias is not None:
        out += np.asarray(bias, dtype=dtype).reshape(1, K, 1, 1)
    return out
''',
    "dilation-answer": r'''
def dilate_kernel(w, dilation):
    """Tap (i, j) goes to (d i, d j) of a zero kernel, one tap at a time."""
    w = np.asarray(w)
    kh, kw = w.shape[-2:]
    out = np.zeros(w.shape[:-2] + (dilation * (kh - 1) + 1, dilation * (kw - 1) + 1), dtype=w.dtype)
    for i in range(kh):
        for j in range(kw):
            out[..., dilation * i, dilation * j] = w[..., i, j]
    return out
''',
    "groups-answer": r'''
def grouped_conv2d(x, w, groups):
    """Each group's block of output channels written into one preallocated output."""
    x, w = np.asarray(x), np.asarray(w)
    N, C = x.shape[:2]
    K, Cg = w.shape[:2]
    if C % groups != 0 or K % groups != 0 or Cg * groups != C:
        raise ValueError(f"grouped_conv2d: groups = {groups} does not divide C = {C} and K = {K} "
                         f"into blocks of w.shape[1] = {Cg} input channels.")
    Kg = K // groups
    out = None
    for g in range(groups):
        block = conv2d(x[:, g * Cg:(g + 1) * Cg], w[g * Kg:(g + 1) * Kg])
        if out is None:
            out = np.empty((N, K) + block.shape[2:], dtype=block.dtype)
        out[:, g * Kg:(g + 1) * Kg] = block
    return out
''',
    "input-grad-answer": r'''
def input_gradient(grad_out, w, padding=0):
    """The chain rule as it reads: output (y, x) of channel k came from the window at (y, x) of the padded input,
    through the weights w[k]; so grad_out[n, k, y, x] * w[k] flows back into that window."""
    g = np.asarray(grad_out, dtype=float)
    w = np.asarray(w, dtype=float)
    N, K, Ho, Wo = g.shape
    _, C, kh, kw = w.shape
    grad = np.zeros((N, C, Ho + kh - 1, Wo + kw - 1))
    for n in range(N):
        for y in range(Ho):
            for x in range(Wo):
                grad[n, :, y:y + kh, x:x + kw] += np.tensordot(g[n, :, y, x], w, axes=1)
    p = padding
    return grad[:, :, p:grad.shape[2] - p, p:grad.shape[3] - p]
''',
}
