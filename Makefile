# Convolution, from Integrals to Deep Learning -- the two commands are `make book` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
# the grading side's command line (autograder/coursekit, installed editable by requirements.txt)
COURSEKIT := $(BIN)/coursekit
# nbgrader calls `alembic` by name: the venv's bin must be on PATH.
export PATH := $(BIN):$(PATH)
export PYTHONHASHSEED ?= 0
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: help sysdeps venv book pdf serve test test-fast bench bench-grade release lab grade report audit masters clean hub hub-release hub-collect hub-feedback hub-down

help:
	@echo "make book     set up the venv, generate the student versions, build the site into _build/html"
	@echo "make test     set up, build the book, run every test (package, notebooks, nbgrader, browser)"
	@echo "make pdf      the book as one PDF, _build/pdf/convbook.pdf (printed by Debian's Chromium; linked from the site)"
	@echo "make bench    benchmarks of convbook against numpy and Python's int (ratios, one run)"
	@echo "make release  nbgrader generate_assignment for every assignment -> autograder/release/"
	@echo "make lab      JupyterLab on a student workspace (copies of the release notebooks)"
	@echo "make grade    audit, autograde, re-check, feedback, grades.csv and report.html (JOBS=N STUDENTS=a,b SHARD=k/n)"
	@echo "make report   grades.csv, report.html, integrity.json again for the whole class (runs no student code)"
	@echo "make audit    the integrity audit of every submission"
	@echo "make bench-grade  submissions per minute, serially and with 2 jobs"
	@echo "make serve    serve _build/html on http://127.0.0.1:8000"
	@echo "make hub      (root) JupyterHub on 127.0.0.1 with nbgrader's exchange, for the roster (HUB_PORT=N)"
	@echo "make hub-release SET=s / hub-collect SET=s / hub-feedback SET=s   the round trip, in the instructor's hub terminal"
	@echo "make hub-down (root) remove the accounts make hub made, and the hub's state"

# Debian packages the tests need (chromium, postgresql, bubblewrap, poppler-utils): installed when run as root
# with apt, else one `apt-get install` line and a stop -- never a skipped test.
sysdeps:
	@bash tools/debian-packages.sh

venv: $(STAMP)
$(STAMP): requirements.txt pyproject.toml autograder/pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

masters: $(STAMP)
	$(COURSEKIT) masters

release: $(STAMP)
	$(COURSEKIT) release

book: $(STAMP)
	$(COURSEKIT) release
	$(COURSEKIT) book-exercises
	@# The student's convbook: a wheel built from a clean copy of the package (so no build/ lands in the tree),
	@# shipped with the licences through html_extra_path as downloads/convbook-<version>-py3-none-any.whl.
	rm -rf _build/site-extra _build/wheel-src _build/html/downloads
	mkdir -p _build/site-extra/downloads _build/wheel-src/src
	cp pyproject.toml README.md LICENSE _build/wheel-src/ && cp -r src/convbook _build/wheel-src/src/ && cp -r jupyter-config _build/wheel-src/
	$(PY) -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir _build/site-extra/downloads ./_build/wheel-src
	cp LICENSE _build/site-extra/LICENSE.txt && cp LICENSE-content _build/site-extra/LICENSE-content.txt
	$(BIN)/jupyter-book build . --builder html -n -W --keep-going
	@# The PDF edition, which the site's first page links to: the whole book as one page (jupyter-book
	@# --builder singlehtml, reusing the lessons the html build executed), printed by Debian's Chromium once
	@# MathJax is done, and copied into _build/html (tools/pdf.py; about 2 minutes).
	$(PY) tools/pdf.py
	@echo "The book: $(abspath _build/html/index.html)"

# `make book` makes the PDF too (the site links to it); `make pdf` is the same build.
pdf: book

serve:
	@test -f _build/html/index.html || { echo "no site yet: run 'make book' first"; exit 1; }
	$(PY) -m http.server --bind 127.0.0.1 --directory _build/html 8000

# --dist loadfile: each test file runs on one worker, so a module's expensive fixture (a graded class,
# a JupyterLab server, a PostgreSQL server) is built once.  (xdist_group marks are not honoured by
# pytest-xdist 3.8 under pytest 9: their node ids never get the @group suffix.)
test: sysdeps book
	$(PY) -m pytest -n $(JOBS) --dist loadfile

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow" -n $(JOBS)

bench: $(STAMP)
	$(PY) bench/run.py

bench-grade: $(STAMP)
	$(PY) bench/bench_grade.py

audit: $(STAMP)
	$(COURSEKIT) audit $(if $(STUDENTS),--students='$(STUDENTS)') $(if $(SHARD),--shard='$(SHARD)')

lab: $(STAMP)
	$(COURSEKIT) lab $(if $(PORT),--port '$(PORT)') $(if $(ROLE),--role '$(ROLE)')

grade: $(STAMP)
	$(COURSEKIT) grade --jobs $(JOBS) $(if $(STUDENTS),--students='$(STUDENTS)') $(if $(SHARD),--shard='$(SHARD)')

report: $(STAMP)
	$(COURSEKIT) report

# The classroom: JupyterHub with nbgrader's exchange (autograder/coursekit/hub.py).  `make hub` runs as root;
# the hub-* targets run in the instructor's hub terminal, in their copy of the course (~/convbook).
hub: sysdeps $(STAMP)
	$(if $(ROSTER),CONVBOOK_ROSTER='$(abspath $(ROSTER))') $(COURSEKIT) hub $(if $(HUB_PORT),--port '$(HUB_PORT)')

hub-release hub-collect hub-feedback: $(STAMP)
	$(COURSEKIT) $@ '$(SET)'

hub-down: $(STAMP)
	$(COURSEKIT) hub-down

clean:
	rm -rf _build autograder/release autograder/autograded autograder/feedback autograder/logs autograder/gradebook.db
