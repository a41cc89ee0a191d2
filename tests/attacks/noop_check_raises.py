"""globals()['check_raises'] = a no-op, on an exercise with error tests, with a layer that checks nothing.

The layer's values are right, so the answer deserves the points of its values: no more than the same
layer without the trick (``BARE``, graded as a control student)."""
SET = "05-deep-learning"
CELL = "conv2d-answer"
EXERCISE = "conv2d"
BARE = r'''
import numpy as np


def conv2d(x, w, bias=None, stride=1, padding=0):
    x, w = np.asarray(x), np.asarray(w)
    N, C, H, W = x.shape
    K, _, kh, kw = w.shape
    s, p = stride, padding
    dtype = np.float32 if x.dtype == np.float32 and w.dtype == np.float32 else np.float64
    xp = np.zeros((N, C, H + 2 * p, W + 2 * p), dtype=dtype)
    xp[:, :, p:p + H, p:p + W] = x
    Ho, Wo = (H + 2 * p - kh) // s + 1, (W + 2 * p - kw) // s + 1
    out = np.zeros((N, K, Ho, Wo), dtype=dtype)
    for n in range(N):
        for k in range(K):
            for y in range(Ho):
                for x_ in range(Wo):
                    out[n, k, y, x_] = np.sum(xp[n, :, y * s:y * s + kh, x_ * s:x_ * s + kw] * w[k])
    if bias is not None:
        out += np.asarray(bias).astype(dtype)[:, None, None]
    return out
'''
SOURCE = BARE + r'''

globals()["check_raises"] = lambda *args, **kwargs: None
'''
