"""forbid loophole: torch.convolution, the C function under torch.nn.functional.conv2d, for the multi-channel layer."""
SET = "05-deep-learning"
CELL = "conv2d-answer"
EXERCISE = "conv2d"
SOURCE = r'''
import numpy as np


def conv2d(x, w, bias=None, stride=1, padding=0):
    import torch

    x, w = np.asarray(x), np.asarray(w)
    dtype = np.float32 if x.dtype == np.float32 and w.dtype == np.float32 else np.float64
    t = lambda a: torch.from_numpy(np.ascontiguousarray(a, dtype=dtype))
    b = None if bias is None else t(np.asarray(bias))
    return torch.convolution(t(x), t(w), b, [stride, stride], [padding, padding], [1, 1], False, [0, 0], 1).numpy()
'''
