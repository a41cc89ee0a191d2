"""Replace convbook.grading in sys.modules and overwrite a builtin (too late to fool the tests, but flagged)."""
CELL = "box-box-answer"
FOOLS = None
CAUGHT_BY = {"audit": "writes into sys.modules"}
SOURCE = '''
import sys
import types
import builtins

fake = types.ModuleType("convbook.grading")
sys.modules["convbook.grading"] = fake
builtins.input = lambda *args: ""

def box_box(t):
    return t
'''
