# nbgrader's configuration for a student's own install of convbook.
#
# The convbook wheel installs this file into {sys.prefix}/etc/jupyter/, where nbgrader (its Validate
# button in JupyterLab, and `nbgrader validate`) looks for it.  It makes Validate judge as grading does:
# a cell's limit is CONVBOOK_CELL_CPU seconds of CPU time (20), which each exercise's set-up cell installs
# in the kernel (convbook.grading.grade_like_the_grader), and the wall clock is only a backstop for a
# blocked cell, 10 x that + 30 s, as in grading -- not nbgrader's default of 30 s of wall time, which a
# correct answer can overrun on a busy machine.  A course's own nbgrader_config.py (in the folder where
# JupyterLab starts) still takes precedence.
from convbook.grading import wall_backstop_seconds

c = get_config()  # noqa: F821 - traitlets provides get_config() to configuration files
c.Execute.timeout = wall_backstop_seconds()
