"""Allocate 8 GiB (a bytearray, then numpy's ones)."""
SET = "03-polynomial"
CELL = "poly-multiply-answer"
EXERCISE = "poly-multiply"
B64 = False
SOURCE = r'''
import numpy as np

for _what, _make in (("bytearray", lambda: bytearray(8 * 2**30)), ("numpy.ones", lambda: np.ones(2**30))):
    try:
        _block = _make()
        print(f"ATTACK: allocated 8 GiB with {_what}")
        del _block
    except MemoryError as exc:
        print(f"ATTACK: no 8 GiB with {_what} (MemoryError {exc})")


def poly_multiply(p, q):
    return [0]
'''
