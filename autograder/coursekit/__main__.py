"""``python -m coursekit``: the course's command line (:mod:`coursekit.cli`)."""

from .cli import main

raise SystemExit(main())
