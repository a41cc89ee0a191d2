"""Honest controls for tests/test_attacks.py: submissions that must keep full marks and raise no flag.

One module per control, with ``SET`` and either ``CELL`` (the answer cell replaced by ``SOURCE``) or
``CELLS`` (``{grade_id: source}``, several answers replaced); optionally ``BEFORE`` (a cell of the
student's own, added just before ``CELL``) and ``NOTEBOOK`` (a function that turns the notebook into
the state the student saved it in: outputs, execution counts, metadata).

The controls: a helper cell, a top-level call of a forbidden function, output of every kind, a
vectorised answer, a notebook saved after an out-of-order run (``out_of_order``), and every set
answered by other methods than the master's (``alternatives_0k``: the other method where an exercise
offers two, and a different honest route for the rest).
"""
