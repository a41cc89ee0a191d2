"""The public API of ``convbook.plotting`` and ``convbook.widgets`` is fully annotated, and the annotations resolve.

For every function in the ``__all__`` of a module under ``convbook.plotting``
or ``convbook.widgets`` (and defined in that module, so re-exports in the
packages' ``__init__`` are counted once): every parameter (``*args`` and
``**kwargs`` included) and the return carry an annotation; the module has
``from __future__ import annotations`` (the annotations stay strings, so the
matplotlib and ipywidgets types imported only under ``TYPE_CHECKING`` are never
needed at import); ``typing.get_type_hints`` evaluates them all; and each
default is a value its own hint allows; and the hints say what the numpydoc
sections say (test_typing's check, run on these functions).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
import typing

import ipywidgets
import numpy as np
import numpy.typing as npt
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from test_typing import _accepts, check_annotated, check_defaults_fit, check_hints_match_the_docstring, check_postponed

PACKAGES = ["convbook.plotting", "convbook.widgets"]

#: names the modules import only under ``TYPE_CHECKING``
TYPE_CHECKING_ONLY = {"Axes": Axes, "Figure": Figure, "ipywidgets": ipywidgets}


def _modules() -> list[types.ModuleType]:
    out = []
    for name in PACKAGES:
        package = importlib.import_module(name)
        out.append(package)
        out += [importlib.import_module(info.name)
                for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    return out


def public_functions() -> list[tuple[str, str]]:
    out = []
    for module in _modules():
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isfunction(obj) and obj.__module__ == module.__name__:
                out.append((module.__name__, name))
    return out


FUNCTIONS = public_functions()
IDS = [f"{m.removeprefix('convbook.')}.{name}" for m, name in FUNCTIONS]
MODULES = sorted({m for m, _ in FUNCTIONS})


def _function(m: str, name: str) -> types.FunctionType:
    return getattr(importlib.import_module(m), name)


def _is_array_like(hint: object) -> bool:
    return hint == npt.ArrayLike or (typing.get_origin(hint) in (typing.Union, types.UnionType)
                                     and all(h in typing.get_args(hint) for h in typing.get_args(npt.ArrayLike)))


def _default_fits(hint: object, value: object) -> bool:
    """test_typing's ``_accepts``, and for an ``ArrayLike`` hint: numpy makes a numeric array of the value.

    (``ArrayLike``'s members are protocols that ``isinstance`` cannot check a tuple against.)
    """
    if _accepts(hint, value):
        return True
    if _is_array_like(hint) and value is not None:
        return np.asarray(value).dtype.kind in "biufc"
    return False


def test_the_list_is_the_api():
    # 55 functions when issue 14's annotation of plotting and widgets began
    assert len(FUNCTIONS) >= 55, IDS
    assert {m.split(".")[1] for m in MODULES} == {"plotting", "widgets"}
    assert "plotting.nn.gallery.gallery_figure" in IDS and "widgets.nn.conv2d_explorer" in IDS


@pytest.mark.parametrize("m", MODULES)
def test_module_postpones_annotations(m):
    check_postponed(importlib.import_module(m))


def _hints(m: str, name: str) -> dict[str, object]:
    return typing.get_type_hints(_function(m, name), localns=TYPE_CHECKING_ONLY)


@pytest.mark.parametrize(("m", "name"), FUNCTIONS, ids=IDS)
def test_every_parameter_and_the_return_annotated(m, name):
    check_annotated(_function(m, name), f"{m}.{name}")


@pytest.mark.parametrize(("m", "name"), FUNCTIONS, ids=IDS)
def test_hints_resolve_and_defaults_fit(m, name):
    check_defaults_fit(_function(m, name), _hints(m, name), f"{m}.{name}", fits=_default_fits)


@pytest.mark.parametrize(("m", "name"), FUNCTIONS, ids=IDS)
def test_hints_match_the_docstring(m, name):
    """test_typing's check of the hints against the numpydoc sections."""
    check_hints_match_the_docstring(_function(m, name), _hints(m, name), f"{m}.{name}")
