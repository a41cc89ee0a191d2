"""posix_spawn a detached process (setsid) that outlives the kernel and rewrites gradebook.db, integrity.json,
report.html and grades.csv whenever it can reach them (it looks in every folder above its own)."""
SET = "03-polynomial"
CELL = "poly-multiply-answer"
EXERCISE = "poly-multiply"
SOURCE = r'''
import os
import sys

_CHILD = """
import os, time
from pathlib import Path
MARK = 'coursekit-attack-detached'
here = Path.cwd()
end = time.time() + 900
while time.time() < end:
    done = []
    for folder in [here, *here.parents]:
        for name in ('gradebook.db', 'integrity.json', 'report.html', 'grades.csv'):
            try:
                with open(folder / name, 'r+b') as fh:
                    fh.seek(0, 2)
                    fh.write(b'ATTACK-TAMPERED')
                done.append(str(folder / name))
            except OSError:
                pass
    try:
        with open(here / 'detached-alive.txt', 'a') as fh:
            fh.write(f'{time.time():.1f} alive {done}\\n')
    except OSError:
        pass
    time.sleep(0.5)
"""
_pid = os.posix_spawn(sys.executable, [sys.executable, "-c", _CHILD], dict(os.environ), setsid=True)
print(f"ATTACK: spawned the detached process {_pid}")


def poly_multiply(p, q):
    return [0]
'''
