"""coursekit.findings: the course's checks in the gradebook, where the formgrader shows them.

The comment text by hand; the real gradebook of a graded class is in
tests/test_integrity.py (the cheat's notebook flagged and commented, the
honest one untouched) and tests/test_attacks.py (every attack).
"""

from __future__ import annotations

from coursekit import findings
from coursekit.audit import Flag
from coursekit.copies import Pair


def test_the_notes_follow_nbgrader_s_own_comment_and_replace_an_earlier_run_s():
    first = findings._with_notes("No response.", ["audit, line 1: writes into globals()"])
    assert first == f"No response.\n\n{findings.MARK}\n- audit, line 1: writes into globals()"
    again = findings._with_notes(first, ["re-check (suspicious): case 0 wrong"])
    assert again == f"No response.\n\n{findings.MARK}\n- re-check (suspicious): case 0 wrong"
    assert findings._with_notes(again, []) == "No response."
    assert findings._with_notes(None, []) is None
    assert findings._with_notes(None, ["x"]) == f"{findings.MARK}\n- x"


def test_each_finding_goes_to_the_cell_it_is_about():
    flags = [Flag("ann", "02", "02.ipynb cell 3 (convolve-loops-answer)", 4, "writes into globals()", "g()"),
             Flag("ann", "02", "02.ipynb", 0, "an unexpected file: x.py", "")]
    disagree = [{"student": "bob", "assignment": "02", "exercise": "circular", "kind": "credit", "recheck": "fails",
                 "nbgrader": "3.0/3.0", "of_record": "1.0/3.0"}]
    pairs = [Pair("02", "ann", "master", 1.0, 30, ("c: x",), ("c: x",)),
             Pair("02", "ann", "bob", 0.75, 20, ("c: y",), ("c: y", "c: z"))]
    notes = findings._notes(flags, disagree, pairs)
    assert notes[("ann", "02")]["convolve-loops-answer"] == ["audit, line 4: writes into globals()"]
    assert notes[("ann", "02")][None] == [
        "audit, line 0: an unexpected file: x.py",
        "shares code with the master's solutions (100% of the fingerprints; 1 line(s) listed in report.html)",
        "shares code with bob (75% of the fingerprints; 1 line(s) listed in report.html)"]
    assert notes[("bob", "02")]["circular-answer"] == ["re-check (credit): fails; nbgrader 3.0/3.0, of record 1.0/3.0"]
    assert notes[("bob", "02")][None] == ["shares code with ann (75% of the fingerprints; 2 line(s) listed in "
                                          "report.html)"]
    assert ("master", "02") not in notes
