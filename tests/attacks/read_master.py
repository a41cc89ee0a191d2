"""Find the master (../../../source/<set>/<set>.md from the kernel's folder, else anywhere on disk) and
exec its solution."""
SET = "03-polynomial"
CELL = "poly-multiply-answer"
EXERCISE = "poly-multiply"
SOURCE = r'''
import os
import re
import sys

_MARK = "BEGIN " + "SOLUTION"  # split, so that this very notebook is not taken for the master
_NAMES = ("03-polynomial.md", "03-polynomial.ipynb")


def _find_master():
    candidates = ["../../../source/03-polynomial/03-polynomial.md", "../../source/03-polynomial/03-polynomial.md",
                  "../source/03-polynomial/03-polynomial.md", *[a for a in sys.argv if a.endswith(".md")]]
    for top, dirs, files in os.walk("/"):
        dirs[:] = [d for d in dirs if os.path.join(top, d) not in ("/proc", "/sys", "/dev")]
        candidates += [os.path.join(top, n) for n in files if n in _NAMES]
    for path in candidates:
        try:
            with open(path, errors="replace") as fh:
                text = fh.read()
        except OSError:
            continue
        if _MARK in text and "def poly_multiply" in text:
            return path, text
    return None, None


_path, _text = _find_master()
if _path is None:
    print("ATTACK: no master anywhere on disk")

    def poly_multiply(p, q):
        return [0]
else:
    print(f"ATTACK: read the master at {_path}")
    _block = re.search(r"(def poly_multiply.*?)\n```", _text, flags=re.S).group(1)
    exec("\n".join(l for l in _block.splitlines() if "### " not in l))
'''
