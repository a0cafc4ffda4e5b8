"""Shared fixtures. Paths come from the environment ctest sets
(bindings/python/CMakeLists.txt), else from this file's place in the
repository."""

from __future__ import annotations

import os
import pathlib

import pytest

import maillage

REPO = pathlib.Path(__file__).resolve().parents[3]


def env_path(name: str, default: pathlib.Path) -> pathlib.Path:
    value = os.environ.get(name)
    return pathlib.Path(value) if value else default


TESTDATA = env_path("MAILLAGE_TESTDATA", REPO / "tests" / "testdata")
WALKTHROUGH = env_path("MAILLAGE_WALKTHROUGH", REPO / "docs" / "python.md")
EXAMPLES = env_path("MAILLAGE_EXAMPLES", REPO / "bindings" / "python" / "examples")


@pytest.fixture
def testdata(monkeypatch) -> pathlib.Path:
    """Runs the test from tests/testdata, so that problems read
    ``bad/<case>/services.csv:...`` as in the expected files."""
    monkeypatch.chdir(TESTDATA)
    return TESTDATA


@pytest.fixture
def cli() -> str:
    """The maillage command-line tool of the same build."""
    path = os.environ.get("MAILLAGE_CLI")
    if not path:
        pytest.skip("MAILLAGE_CLI is not set (run through ctest)")
    return path


@pytest.fixture(scope="session")
def valid() -> maillage.Network:
    return maillage.read_folder(TESTDATA / "valid")


@pytest.fixture(scope="session")
def lyon() -> maillage.Network:
    return maillage.generate(territory="lyon", seed=3)


@pytest.fixture(scope="session")
def lyon_plan(lyon) -> maillage.Plan:
    return lyon.allocate()


def assert_same_frames(a: dict, b: dict) -> None:
    import pandas.testing as pdt
    assert sorted(a) == sorted(b)
    for key in a:
        pdt.assert_frame_equal(a[key], b[key], check_exact=True, obj=key)
