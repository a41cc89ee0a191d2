"""Every Examples section in convbook's docstrings runs and gives what it says."""

import doctest
import importlib

import pytest

MODULES = ["_validation", "continuous", "discrete", "polynomial", "fourier", "nn",
           "plotting", "widgets", "grading"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"convbook.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                             verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in convbook.{name}"
    if name not in ("widgets",):
        assert result.attempted > 0, f"convbook.{name} has no runnable Examples"


def test_public_api_is_explicit():
    import convbook
    for name in MODULES[1:]:
        module = importlib.import_module(f"convbook.{name}")
        assert hasattr(module, "__all__"), name
        for public in module.__all__:
            obj = getattr(module, public)
            assert obj.__doc__ and obj.__doc__.strip(), f"convbook.{name}.{public} has no docstring"
    assert set(convbook.__all__) == set(MODULES[1:])
