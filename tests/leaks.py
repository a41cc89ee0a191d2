"""What must never reach a student: the lines of solution and hidden-test blocks of a master."""

from __future__ import annotations

import re
from pathlib import Path

_BLOCK = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)\n[ \t]*### END \1", re.S)


def secret_lines(master: Path, kinds=("SOLUTION", "HIDDEN TESTS"), min_len: int = 16) -> list[str]:
    """Distinctive lines inside the master's solution and hidden-test blocks.

    A line counts when it is long enough to be distinctive and does not also
    appear outside the blocks (where students are meant to see it).
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
    outside = set(l.strip() for l in _BLOCK.sub("", text).splitlines())
    return sorted(inside - outside)
