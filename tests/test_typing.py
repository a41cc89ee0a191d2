"""The public API is fully annotated, the annotations resolve, and they say what the docstrings say.

For every function in the ``__all__`` of the chapter modules: every parameter
(``*args`` and ``**kwargs`` included) and the return carry an annotation; the
module has ``from __future__ import annotations`` (so annotations stay strings
and are never evaluated at import); ``typing.get_type_hints`` evaluates them
all; each default is a value its own hint allows; and the hints agree with the
numpydoc sections (a ``{'a', 'b'}`` choice is exactly that ``Literal``, a
quoted string in a documented type is a ``Literal`` value of the hint, an
``array_like`` parameter is ``ArrayLike``, a ``numpy.ndarray`` return is
``np.ndarray``, an optional parameter defaulting to ``None`` admits ``None``).
"""

from __future__ import annotations

import __future__
import ast
import collections.abc
import importlib
import inspect
import re
import types
import typing

import numpy as np
import pytest
import sympy
from numpydoc.docscrape import FunctionDoc

MODULES = ["continuous", "discrete", "polynomial", "fourier", "nn", "grading"]

#: names a module imports only under ``TYPE_CHECKING`` (grading imports sympy when check_sympy runs)
TYPE_CHECKING_ONLY = {"grading": {"sp": sympy}}


def public_functions() -> list[tuple[str, str]]:
    out = []
    for m in MODULES:
        module = importlib.import_module(f"convbook.{m}")
        out += [(m, name) for name in module.__all__ if inspect.isfunction(getattr(module, name))]
    return out


FUNCTIONS = public_functions()
IDS = [f"{m}.{name}" for m, name in FUNCTIONS]


def _function(m: str, name: str) -> types.FunctionType:
    return getattr(importlib.import_module(f"convbook.{m}"), name)


def _hints(m: str, name: str) -> dict[str, object]:
    return typing.get_type_hints(_function(m, name), localns=TYPE_CHECKING_ONLY.get(m))


def _accepts(hint: object, value: object) -> bool:
    """Whether ``value`` is of type ``hint`` (unions, Literal, None, classes, parametrised builtins)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_accepts(h, value) for h in typing.get_args(hint))
    if origin is typing.Literal:
        return value in typing.get_args(hint)
    if hint is None or hint is type(None):
        return value is None
    if hint is float:  # the numeric tower of PEP 484
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is complex:
        return isinstance(value, (int, float, complex)) and not isinstance(value, bool)
    if origin is tuple:
        args = typing.get_args(hint)
        return (isinstance(value, tuple) and len(value) == len(args)
                and all(_accepts(h, v) for h, v in zip(args, value)))
    if isinstance(origin, type):
        return isinstance(value, origin)
    assert isinstance(hint, type), f"_accepts does not know the hint {hint!r}"
    return isinstance(value, hint)


def test_the_list_is_the_api():
    # the 58 functions of issue 14, the two of grading that were annotated already, and
    # grading.wall_backstop_seconds (Validate's wall-clock backstop = grading's)
    assert len(FUNCTIONS) == 63, IDS
    assert {m for m, _ in FUNCTIONS} == set(MODULES)


def check_postponed(module: types.ModuleType) -> None:
    """The module's first statement after its docstring is ``from __future__ import annotations``."""
    assert module.annotations is __future__.annotations
    tree = ast.parse(inspect.getsource(module))
    first = tree.body[1] if isinstance(tree.body[0], ast.Expr) else tree.body[0]  # after the docstring
    assert isinstance(first, ast.ImportFrom) and first.module == "__future__", ast.dump(first)


@pytest.mark.parametrize("m", MODULES)
def test_module_postpones_annotations(m):
    check_postponed(importlib.import_module(f"convbook.{m}"))


@pytest.mark.parametrize("m", MODULES)
def test_classes_and_constants_in_all(m):
    """What is public and not a function is a class: its annotations (a NamedTuple's fields) resolve."""
    module = importlib.import_module(f"convbook.{m}")
    for name in module.__all__:
        obj = getattr(module, name)
        if not inspect.isfunction(obj):
            assert isinstance(obj, type), f"{m}.{name} is a {type(obj).__name__}"
            typing.get_type_hints(obj)


def check_annotated(fn: types.FunctionType, label: str) -> None:
    """Every parameter and the return carry an annotation, kept as source text (never evaluated at import)."""
    signature = inspect.signature(fn)
    missing = [p.name for p in signature.parameters.values() if p.annotation is inspect.Parameter.empty]
    assert not missing, f"{label}: parameters without an annotation: {missing}"
    assert signature.return_annotation is not inspect.Signature.empty, f"{label}: no return annotation"
    assert all(isinstance(a, str) for a in fn.__annotations__.values()), fn.__annotations__


def check_defaults_fit(fn: types.FunctionType, hints: dict[str, object], label: str, fits=_accepts) -> None:
    """The hints cover every parameter and the return, and each default is a value ``fits`` its hint."""
    signature = inspect.signature(fn)
    assert set(hints) == {*signature.parameters, "return"}
    for p in signature.parameters.values():
        if p.default is not inspect.Parameter.empty:
            assert fits(hints[p.name], p.default), f"{label}: {p.name}={p.default!r} vs {hints[p.name]}"


@pytest.mark.parametrize(("m", "name"), FUNCTIONS, ids=IDS)
def test_every_parameter_and_the_return_annotated(m, name):
    check_annotated(_function(m, name), f"{m}.{name}")


@pytest.mark.parametrize(("m", "name"), FUNCTIONS, ids=IDS)
def test_hints_resolve_and_defaults_fit(m, name):
    check_defaults_fit(_function(m, name), _hints(m, name), f"{m}.{name}")


def _documented(fn: types.FunctionType) -> dict[str, str]:
    """{parameter: its numpydoc type}, a shared entry (``a, b : int``) split."""
    out = {}
    for entry in FunctionDoc(fn)["Parameters"]:
        for each in entry.name.split(","):
            out[each.strip().lstrip("*")] = entry.type
    return out


@pytest.mark.parametrize(("m", "name"), FUNCTIONS, ids=IDS)
def test_hints_match_the_docstring(m, name):
    check_hints_match_the_docstring(_function(m, name), _hints(m, name), f"{m}.{name}")


def check_hints_match_the_docstring(fn: types.FunctionType, hints: dict[str, object], label: str) -> None:
    """The hints say what the numpydoc Parameters and Returns sections say."""
    signature = inspect.signature(fn)
    documented = _documented(fn)
    for p in signature.parameters.values():
        doc = documented.get(p.name, "")
        if not doc:  # "x, w, stride : as conv2d" entries carry no type of their own
            continue
        hint = hints[p.name]
        if doc.startswith("{"):
            choices = set(ast.literal_eval(doc[:doc.index("}") + 1]))
            members = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
            literals = [h for h in members if typing.get_origin(h) is typing.Literal]
            assert literals and set(typing.get_args(literals[0])) == choices, f"{label}: {p.name}: {hint}"
        quoted = set(re.findall(r"'([^']*)'", doc))
        if quoted:  # "int, tuple of 2 ints, 'valid' or 'same'": the strings are Literal values of the hint
            members = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
            allowed = {v for h in members if typing.get_origin(h) is typing.Literal for v in typing.get_args(h)}
            assert quoted <= allowed, f"{label}: {p.name}: {hint} lacks {quoted - allowed}"
        if "array_like" in doc:
            assert "ArrayLike" in fn.__annotations__[p.name], f"{label}: {p.name}: {hint}"
        if "optional" in doc and p.default is None:
            assert _accepts(hint, None), f"{label}: {p.name}: {hint}"
        scalar = re.match(r"(int|float|str|bool)\b", doc)
        if scalar:  # a documented scalar type is one the hint admits
            assert _accepts(hint, {"int": 1, "float": 1.5, "str": "s", "bool": True}[scalar[1]]), \
                f"{label}: {p.name}: {hint}"
    returns = FunctionDoc(fn)["Returns"]
    if returns and all(r.type.startswith("numpy.ndarray") for r in returns):
        expected = np.ndarray if len(returns) == 1 else tuple[(np.ndarray,) * len(returns)]
        if len(returns) == 1 and returns[0].name and "," in returns[0].name:  # "grad_x, grad_w, grad_b : ..."
            expected = tuple[(np.ndarray,) * len(returns[0].name.split(","))]
        assert hints["return"] == expected, f"{label}: returns {hints['return']}"
    if returns and returns[0].type == "callable":
        assert typing.get_origin(hints["return"]) is collections.abc.Callable
