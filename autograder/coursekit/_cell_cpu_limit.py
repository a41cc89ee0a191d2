"""The sandboxed grading kernel's launcher: an IPython kernel with a CPU-time budget per cell.

Mounted read-only into the sandbox (see :mod:`coursekit.sandbox`) and run as
``python /opt/coursekit/_cell_cpu_limit.py -f CONNECTION_FILE``: it starts the
kernel as ``ipykernel_launcher`` does, with the budget installed before the
first cell, so that no kernel ever grades without it.  Before each cell, a profiling timer
(``ITIMER_PROF``, which counts the CPU seconds of the whole process) is set to
``CONVBOOK_CELL_CPU`` seconds; when it fires, the cell stops with a
``TimeoutError`` and the next cell runs.  A cell that waits (``sleep``, a
blocked read) uses no CPU and is left to nbgrader's wall-clock backstop.
This file imports nothing from coursekit: it runs inside the sandbox.
"""

import os
import signal

LIMIT = float(os.environ.get("CONVBOOK_CELL_CPU", "20"))


class CellCPUTimeExceeded(TimeoutError):
    """A cell used more CPU time than grading allows."""


def _stop(signum, frame):
    signal.setitimer(signal.ITIMER_PROF, 0)
    raise CellCPUTimeExceeded(f"this cell used more than {LIMIT:g} s of CPU time and was stopped "
                              "(an infinite loop, or far more work than the exercise needs)")


def _start(*_):
    signal.setitimer(signal.ITIMER_PROF, LIMIT)


def _end(*_):
    signal.setitimer(signal.ITIMER_PROF, 0)


def load_ipython_extension(ip):
    signal.signal(signal.SIGPROF, _stop)
    ip.events.register("pre_run_cell", _start)
    ip.events.register("post_run_cell", _end)


if __name__ == "__main__":
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize()
    load_ipython_extension(app.shell)
    app.start()
