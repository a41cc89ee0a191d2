"""Kill the kernel before any test runs."""
CELL = "box-box-answer"
FOOLS = None
CAUGHT_BY = {"audit": "calls os._exit", "not graded": "the kernel died"}
SOURCE = '''
import os
os._exit(0)
'''
