"""The Python surface refuses what the library refuses, with ValueError:
options out of range, booleans where numbers are expected; and the package
imports its parts in any order."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import pandas as pd
import pytest

import maillage


@pytest.mark.parametrize("radius", [math.nan, math.inf, 0.0, -3.0])
def test_explain_radius_is_checked(valid, radius):
    with pytest.raises(ValueError, match="explain_radius_km"):
        valid.allocate(explain_radius_km=radius)


@pytest.mark.parametrize("options", [{"candidate_limit": -1},
                                     {"score_scale": 0},
                                     {"score_scale": 2**31}])
def test_allocate_options_are_checked(valid, options):
    with pytest.raises(ValueError):
        valid.allocate(**options)


def test_booleans_are_not_numbers(valid):
    frames = valid.to_frames()
    services = frames["services"].astype({"capacity_available": object})
    services.loc[0, "capacity_available"] = True
    frames["services"] = services
    persons = frames["persons"].astype({"age": object})
    persons.loc[0, "age"] = False
    frames["persons"] = persons
    with pytest.raises(maillage.InvalidDataError) as e:
        maillage.Network.from_frames(**frames)
    problems = e.value.problems
    reasons = set(problems["reason"])
    assert "a boolean is not a number" in reasons
    assert set(problems.loc[problems["reason"] == "a boolean is not a number",
                            "field"]) == {"capacity_available", "age"}


def test_scenario_errors_name_the_change(valid):
    service = valid.to_frames()["services"]["service_id"][0]
    with pytest.raises(ValueError) as e:
        valid.with_capacity({service: 2**40})
    assert f"SetPlaces '{service}'" in str(e.value)
    assert ".csv" not in str(e.value)


@pytest.mark.parametrize("code", [
    "import maillage; maillage.plot.plot_map",
    "from maillage import plot; plot.coverage",
    "import maillage.plot; import maillage; maillage.plot.plot_map",
])
def test_plot_imports_in_a_fresh_interpreter(code):
    env = dict(os.environ, MPLBACKEND="Agg")
    run = subprocess.run([sys.executable, "-c", code], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
