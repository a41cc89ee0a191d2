"""A corpus of attacks on grading, each graded as its own submission by tests/test_attacks.py.

Each module is one attack on one exercise, in the conventions of
``tests/cheats``: the set it targets (``SET``), the answer cell it replaces
(``CELL``), the exercise whose points it is after (``EXERCISE``), the cell's
source (``SOURCE``) and, in its docstring, what it tries.  Its own answer to
the exercise is worthless (a wrong result, or a library call the exercise
forbids), so the exercise deserves 0; an attack whose answer deserves some
credit names the same answer without the trick (``BARE``), graded as a
control student, and may score no more than that control.

``B64 = True`` (the default) grades the attack a second time, built at run
time: the cell is only ``exec`` of the base64 of ``SOURCE``.  The resource
attacks (a fork bomb, memory, a file, the network) set it False.  A line that
an attack prints starting with ``ATTACK:`` is what it saw; the test puts it in
the attack table.  ``__PORT__`` in a source is replaced by the port of a
listener the test opens.
"""
