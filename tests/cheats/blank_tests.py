"""Register an IPython input transformer that turns the exercise's test cells into `pass`."""
CELL = "box-box-answer"
FOOLS = "box-box"
CAUGHT_BY = {"audit": "uses get_ipython().input_transformers_cleanup, an IPython internal", "recheck": "box-box"}
SOURCE = '''
def box_box(t):
    return None

def _blank(lines):
    return ["pass\\n"] if any("box_box" in line for line in lines) else lines

get_ipython().input_transformers_cleanup.append(_blank)
'''
