"""The build backend of the maillage package (PEP 517): setuptools, the one
installed on the machine, never a downloaded one.

pyproject.toml declares no build requirement (``requires = []``), so pip
never tries to fetch setuptools from a package index. Every hook is handed
to ``setuptools.build_meta``, which runs setup.py. When setuptools cannot be
imported (pip's build isolation hides the installed packages unless
``--no-build-isolation`` is given, or python3-setuptools is missing) the
build stops at its first step with what to do, instead of pip's download
error::

    pip install --no-build-isolation ./bindings/python
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from typing import Any

MINIMUM_SETUPTOOLS = (61, 0)  # reads the [project] table of pyproject.toml


def _source_argument() -> str:
    """This folder as the user would give it to pip: relative to the
    directory pip runs from ($PWD; pip runs the hooks from here)."""
    here = os.path.dirname(os.path.abspath(__file__))
    relative = os.path.relpath(here, os.environ.get("PWD") or here)
    if relative == ".":
        return "."
    if relative.startswith(".."):
        return here
    return "./" + relative


def _installed_outside_isolation(module: str) -> bool:
    """Whether this interpreter imports `module` without pip's isolation
    (its PYTHONPATH overlay and PYTHONNOUSERSITE)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONNOUSERSITE", "PYTHONHOME")}
    try:
        return subprocess.run([sys.executable, "-c", f"import {module}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def missing_message(module: str = "setuptools", debian: str = "python3-setuptools",
                    found: str = "") -> str:
    """What to do when `module` cannot be imported by the build: the text the
    build stops with. `found` names a version that is too old."""
    install = f"pip install --no-build-isolation {_source_argument()}"
    isolated = "pip-build-env" in os.environ.get("PYTHONPATH", "")
    if found:
        state = f"{module} {found} is too old for this build"
        steps = [f"as root: apt-get install {debian} (Debian 12 has a recent enough one)",
                 install]
    elif isolated and _installed_outside_isolation(module):
        state = (f"pip's build isolation hides the {module} installed for "
                 f"{sys.executable}, and pip cannot download one here (no "
                 "package index is reachable, or it is not wanted)")
        steps = [f"{module} is installed ({debian}): nothing to add", install]
    else:
        state = f"{module} is not installed for {sys.executable}"
        steps = [f"as root: apt-get install {debian} (a virtual environment sees "
                 "it when made with /usr/bin/python3 -m venv --system-site-packages)",
                 install]
    lines = [f"maillage: cannot build: {state}.",
             "maillage builds with the setuptools and wheel of the machine, "
             "never downloaded ones. What to do:"]
    lines += [f"  {i}. {step}" for i, step in enumerate(steps, 1)]
    lines.append("(docs/python.md, \"Install with pip\"; pip install -v shows "
                 "the build steps)")
    return "\n".join(lines)


def _setuptools() -> Any:
    """setuptools.build_meta, or SystemExit with what to do."""
    try:
        import setuptools
        from setuptools import build_meta
    except ImportError:
        raise SystemExit(missing_message()) from None
    version = tuple(int(p) for p in setuptools.__version__.split(".")[:2]
                    if p.isdigit())
    if version < MINIMUM_SETUPTOOLS:
        raise SystemExit(missing_message(found=setuptools.__version__))
    return build_meta


def _wheel_package() -> None:
    """setuptools builds wheels with the `wheel` package: checked here, since
    asking pip for it would mean a download."""
    if importlib.util.find_spec("wheel") is None:
        raise SystemExit(missing_message("wheel", "python3-wheel"))


def _hook(name: str) -> Any:
    hook = getattr(_setuptools(), name, None)
    if hook is None:
        raise SystemExit(f"maillage: cannot build: this setuptools has no {name} "
                         "(editable installs need setuptools 64 or later); "
                         f"install without -e: pip install --no-build-isolation "
                         f"{_source_argument()}")
    return hook


# --- PEP 517 hooks ----------------------------------------------------------

# The first hook pip calls: where a missing setuptools is reported. setup.py
# has no setup_requires and setuptools' own request (`wheel`) is checked here:
# pip is never asked to fetch anything.

def get_requires_for_build_wheel(config_settings=None):
    _setuptools()
    _wheel_package()
    return []


def get_requires_for_build_sdist(config_settings=None):
    _setuptools()
    return []


def get_requires_for_build_editable(config_settings=None):
    _hook("get_requires_for_build_editable")
    _wheel_package()
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    return _hook("prepare_metadata_for_build_wheel")(metadata_directory,
                                                     config_settings)


def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    return _hook("prepare_metadata_for_build_editable")(metadata_directory,
                                                        config_settings)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _hook("build_wheel")(wheel_directory, config_settings, metadata_directory)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _hook("build_editable")(wheel_directory, config_settings,
                                   metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    return _hook("build_sdist")(sdist_directory, config_settings)
