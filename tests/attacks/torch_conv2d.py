"""forbid loophole: torch.conv2d (a C function) for the loop-based cross-correlation."""
SET = "05-deep-learning"
CELL = "correlate2d-answer"
EXERCISE = "correlate2d"
SOURCE = r'''
import numpy as np


def correlate2d(image, kernel):
    import torch

    image, kernel = np.asarray(image), np.asarray(kernel)
    dtype = np.float32 if image.dtype == np.float32 and kernel.dtype == np.float32 else np.float64
    t = lambda a: torch.from_numpy(np.ascontiguousarray(a, dtype=dtype))
    return torch.conv2d(t(image)[None, None], t(kernel)[None, None])[0, 0].numpy()
'''
