"""What must never reach a student: the lines of solution and hidden-test blocks of a master."""

from __future__ import annotations

import re
from pathlib import Path

_BLOCK = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)\n[ \t]*### END \1", re.S)


def public_lines(masters) -> set[str]:
    """Every line that some master shows students (outside its solution and hidden-test blocks)."""
    out = set()
    for m in masters:
        out |= set(l.strip() for l in _BLOCK.sub("", Path(m).read_text()).splitlines())
    return out


def secret_lines(master: Path, kinds=("SOLUTION", "HIDDEN TESTS"), min_len: int = 16) -> list[str]:
    """Distinctive lines inside the master's solution and hidden-test blocks.

    A line counts when it is long enough to be distinctive and does not also
    appear outside the blocks of any master (where students are meant to see
    it: one set's visible set-up may hold a line another set's solution uses).
    """
    text = Path(master).read_text()
    inside = set()
    for m in _BLOCK.finditer(text):
        if m.group(1) not in kinds:
            continue
        for line in m.group(2).splitlines():
            s = line.strip()
            if len(s) >= min_len and not s.startswith("#"):
                inside.add(s)
    public = "\n".join(public_lines(Path(master).resolve().parent.parent.glob("*/*.md")))
    return sorted(s for s in inside if s not in public)
