"""The package's surface: every module has an __all__ naming what exists, a
star import shadows no built-in, and every public function and method
documents each of its parameters (help() is enough, no need for the
README)."""

from __future__ import annotations

import builtins
import importlib
import inspect
import re

import pytest

import maillage

MODULES = ["maillage", "maillage._compare", "maillage._display",
           "maillage._frames", "maillage._import", "maillage._network",
           "maillage._plan", "maillage._progress", "maillage.plot",
           "maillage.sweep", "maillage.vocabulary"]


@pytest.mark.parametrize("name", MODULES)
def test_every_module_has_an_all_of_existing_names(name):
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), name
    for item in module.__all__:
        assert hasattr(module, item), f"{name}.{item}"
    assert module.__doc__, name


@pytest.mark.parametrize("name", ["maillage", "maillage.plot",
                                  "maillage.vocabulary"])
def test_star_import_shadows_no_builtin(name):
    module = importlib.import_module(name)
    assert not set(module.__all__) & set(dir(builtins)), name


def public_callables():
    seen = []
    for name in ["maillage", "maillage.plot", "maillage.vocabulary",
                 "maillage.sweep"]:
        module = importlib.import_module(name)
        for item in module.__all__:
            obj = getattr(module, item)
            if inspect.isfunction(obj):
                seen.append((f"{name}.{item}", obj))
    for cls in (maillage.Network, maillage.Plan):
        for item, obj in vars(cls).items():
            if item.startswith("_"):
                continue
            if isinstance(obj, (classmethod, staticmethod)):
                obj = obj.__func__
            if inspect.isfunction(obj):
                seen.append((f"{cls.__name__}.{item}", obj))
    return seen


@pytest.mark.parametrize("name, fn", public_callables(),
                         ids=[n for n, _ in public_callables()])
def test_docstrings_name_every_parameter(name, fn):
    doc = inspect.getdoc(fn)
    assert doc, f"{name} has no docstring"
    assert "README" not in doc, f"{name} sends the reader elsewhere"
    # Each parameter has an entry: "name:" at the start of a line (several
    # names may share one: "sites, partners:"), or ``name`` in the text.
    for parameter in inspect.signature(fn).parameters:
        if parameter in ("self", "cls", "args", "kwargs"):
            continue
        entry = re.search(rf"^\s*(\w+, )*{parameter}(, \w+)*:(\s|$)", doc,
                          re.M)
        quoted = f"``{parameter}``" in doc
        assert entry or quoted, f"{name}: parameter {parameter} undocumented"


def test_help_of_allocate_lists_the_settings():
    doc = inspect.getdoc(maillage.Network.allocate)
    for words in ["reach_km", "default 30 km", "REPLACES the defaults",
                  "progress", "assumed_capacity"]:
        assert words in doc
