"""Rebind the checkers to no-ops through vars(sys.modules[...]), in the notebook's namespace and in convbook.grading."""
SET = "03-polynomial"
CELL = "poly-multiply-answer"
EXERCISE = "poly-multiply"
SOURCE = r'''
import sys

_noop = lambda *args, **kwargs: None
for _module in ("__main__", "convbook.grading"):
    for _name in ("check_equal", "check_array", "check_close", "check_raises"):
        vars(sys.modules[_module])[_name] = _noop


def poly_multiply(p, q):
    return [0]
'''
