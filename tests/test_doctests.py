"""Every Examples section in convbook's docstrings runs and gives what it says.

The chapter modules are listed; the figure and explorer packages
(``convbook.plotting``, ``convbook.widgets``) are walked, so that a module
added under them is checked without being listed here.
"""

import doctest
import importlib
import pkgutil
import types

import pytest

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

MODULES = ["_validation", "continuous", "discrete", "polynomial", "fourier", "nn", "grading"]
PACKAGES = ["plotting", "widgets"]


def walk(package: types.ModuleType) -> list[types.ModuleType]:
    """``package`` and every module and subpackage under it, imported."""
    return [package] + [importlib.import_module(info.name)
                        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]


def run_doctests(*modules: types.ModuleType) -> doctest.TestResults:
    """The doctests of ``modules`` and, for a package, of every module under it, summed."""
    failed = attempted = 0
    for each in [m for module in modules for m in (walk(module) if hasattr(module, "__path__") else [module])]:
        result = doctest.testmod(each, optionflags=FLAGS)
        failed, attempted = failed + result.failed, attempted + result.attempted
    return doctest.TestResults(failed, attempted)


PACKAGE_MODULES = [m.__name__ for p in PACKAGES for m in walk(importlib.import_module(f"convbook.{p}"))]


def is_public(name: str) -> bool:
    return not any(part.startswith("_") for part in name.split("."))


def own_names(module) -> list[str]:
    """The names of ``module.__all__`` that ``module`` defines itself (not re-exports, not modules)."""
    return [n for n in getattr(module, "__all__", [])
            if not isinstance(getattr(module, n), types.ModuleType)
            and getattr(getattr(module, n), "__module__", None) == module.__name__]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"convbook.{name}")
    result = doctest.testmod(module, optionflags=FLAGS, verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in convbook.{name}"
    assert result.attempted > 0, f"convbook.{name} has no runnable Examples"


@pytest.mark.parametrize("name", PACKAGE_MODULES)
def test_package_docstring_examples(name):
    """Each module of convbook.plotting and convbook.widgets runs its Examples.

    Every docstring of the module with an Examples section holds examples that
    doctest finds and runs, and a module that defines public functions shows
    how to call them.
    """
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder().find(module)
    silent = [t.name for t in tests if "Examples\n" in (t.docstring or "") and not t.examples]
    assert not silent, f"Examples sections that doctest does not run: {silent}"
    result = doctest.testmod(module, optionflags=FLAGS, verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
    if own_names(module):
        assert result.attempted > 0, f"{name} has no runnable Examples"


def test_the_walk_sees_every_chapter():
    for package in PACKAGES:
        for chapter in ("continuous", "discrete", "polynomial", "fourier", "nn"):
            assert f"convbook.{package}.{chapter}" in PACKAGE_MODULES
    assert len(PACKAGE_MODULES) > 20, PACKAGE_MODULES


def test_public_api_is_explicit():
    import convbook
    assert set(convbook.__all__) == set(MODULES[1:] + PACKAGES)
    public = [f"convbook.{n}" for n in MODULES[1:]] + [n for n in PACKAGE_MODULES if is_public(n)]
    for name in public:
        module = importlib.import_module(name)
        assert module.__doc__ and module.__doc__.strip(), f"{name} has no module docstring"
        assert hasattr(module, "__all__"), name
        for public_name in module.__all__:
            obj = getattr(module, public_name)
            assert obj.__doc__ and obj.__doc__.strip(), f"{name}.{public_name} has no docstring"


@pytest.mark.parametrize("name", [n for n in PACKAGE_MODULES if is_public(n)
                                  and hasattr(importlib.import_module(n), "__path__")])
def test_packages_only_reexport(name):
    """A package's ``__init__`` defines nothing: it re-exports its public modules' names, or the modules."""
    package = importlib.import_module(name)
    assert not own_names(package), f"{name} defines {own_names(package)} instead of re-exporting them"
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        sub = importlib.import_module(f"{name}.{info.name}")
        if info.name in package.__all__:
            assert getattr(package, info.name) is sub
            continue
        for public_name in sub.__all__:
            assert public_name in package.__all__, f"{name} does not re-export {info.name}.{public_name}"
            assert getattr(package, public_name) is getattr(sub, public_name), f"{name}.{public_name}"
