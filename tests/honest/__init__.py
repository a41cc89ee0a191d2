"""Honest controls for tests/test_attacks.py: submissions that must keep full marks and raise no flag.

One module per control: ``SET``, ``CELL`` (the answer cell replaced by ``SOURCE``) and, optionally,
``BEFORE`` (a cell of the student's own, added just before it).
"""
