"""Print IPython's input history from inside the answer: the running test cell's source, hidden tests included.

The feedback must not carry it (coursekit.preprocessors.WithholdHiddenTestEchoes withholds the outputs that
quote a hidden test; test_feedback_exists_and_leaks_no_solution_or_hidden_test reads every feedback page).
"""
CELL = "box-box-answer"
FOOLS = None
CAUGHT_BY = {"audit": "reads IPython's input history (_ih), which holds the test cells' source",
             "feedback": "withheld"}
SOURCE = '''
def box_box(t):
    print(_ih[-1])            # the test cell that is calling this function, as typed
    print(repr(_ih[-1]))      # ... and escaped, as repr() writes it
    return None
'''
