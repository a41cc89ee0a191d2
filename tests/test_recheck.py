"""The re-check's reference answers: computed once per content, and a failure never aborts grading."""

from __future__ import annotations

import json
import shutil
import textwrap

import pytest

from conftest import ROOT
from coursekit import recheck

pytestmark = [pytest.mark.slow]

MASTER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

```{code-cell} ipython3
---
nbgrader:
  grade_id: setup
  locked: true
---
import numpy as np
SETUP
```

```{code-cell} ipython3
---
recheck:
  exercise: double
  function: double
---
CASES = [(1,), (2.5,)]
def reference(x):
    return 2 * x
def same(got, expected):
    return got == expected
```
"""


def _master(tmp_path, setup="x0 = 0"):
    path = tmp_path / "demo" / "demo.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MASTER.replace("SETUP", setup))
    return path


def test_reference_is_computed_once_per_content(tmp_path):
    master, cache = _master(tmp_path), tmp_path / "cache"
    data, why = recheck.cached_reference_results(master, cache)
    assert why is None and [recheck.decode(v["value"]) for v in data["double"]] == [2, 5.0]
    (stored,) = cache.glob("demo-*.json")
    stored.write_text(json.dumps({"double": [{"value": recheck.encode(42)}]}))
    again, _ = recheck.cached_reference_results(master, cache)
    assert recheck.decode(again["double"][0]["value"]) == 42, "the second run reads the cache"
    _master(tmp_path, setup="x0 = 1")  # a changed master is a new key: computed afresh
    fresh, _ = recheck.cached_reference_results(master, cache)
    assert [recheck.decode(v["value"]) for v in fresh["double"]] == [2, 5.0]
    assert len(list(cache.glob("demo-*.json"))) == 2


def test_a_failing_reference_is_reported_not_raised(tmp_path):
    master = _master(tmp_path, setup="raise ValueError('the set-up is broken')")
    data, why = recheck.cached_reference_results(master, tmp_path / "cache")
    assert data is None
    assert why.startswith("the re-check reference for demo.md failed: the process died")
    assert "the set-up is broken" in why
    assert not list((tmp_path / "cache").glob("*.json")), "a failure is not cached"


def test_a_real_master_has_a_reference(tmp_path):
    src = ROOT / "autograder" / "source" / "01-continuous" / "01-continuous.md"
    master = tmp_path / "01-continuous" / "01-continuous.md"
    master.parent.mkdir()
    shutil.copy2(src, master)
    data, why = recheck.cached_reference_results(master, tmp_path / "cache")
    assert why is None, why
    assert set(data) == set(recheck.master_parts(master)[1]), textwrap.shorten(str(data), 200)
