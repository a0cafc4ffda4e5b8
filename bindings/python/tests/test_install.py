"""pip install of the package into a fresh virtual environment, from the
CMake build folder of these tests (MAILLAGE_CMAKE_BUILD_DIR), offline.

MAILLAGE_BUILD_DIR names that build folder (ctest sets it); without it the
tests are skipped. Checks: the install reuses the folder without rebuilding
anything and says so; the installed package imports from the venv and
allocates as the build tree does; a missing build folder and a build under
pip's isolation stop with a message that says what to do.
"""

from __future__ import annotations

import filecmp
import os
import pathlib
import re
import subprocess
import sys

import pytest

import maillage

PACKAGE_SOURCE = pathlib.Path(__file__).resolve().parents[1]  # bindings/python

BUILD_DIR = os.environ.get("MAILLAGE_BUILD_DIR")
pytestmark = pytest.mark.skipif(
    not BUILD_DIR,
    reason="MAILLAGE_BUILD_DIR is not set: ctest sets it to the CMake build "
           "folder whose package is installed")

ALLOCATE = """
import json, sys
import maillage
plan = maillage.generate(territory="lyon", seed=3).allocate()
plan.verify()
s = plan.summary
print(json.dumps({"file": maillage.__file__, "people": s["people"],
                  "needs": s["needs"], "needs_covered": s["needs_covered"],
                  "people_covered": s["people_covered"]}))
"""


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without what would import the build tree or change
    pip's build isolation."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "MAILLAGE_CMAKE_BUILD_DIR",
                        "PIP_NO_BUILD_ISOLATION", "PIP_BUILD_ISOLATION")}
    env.update(extra)
    return env


def read_cache(build: pathlib.Path) -> dict[str, str]:
    entries = {}
    for line in (build / "CMakeCache.txt").read_text().splitlines():
        if line and not line.startswith(("#", "//")) and "=" in line:
            key, value = line.split("=", 1)
            entries[key.split(":", 1)[0]] = value
    return entries


def run(command: list, cwd: pathlib.Path, env: dict) -> subprocess.CompletedProcess:
    env = dict(env, PWD=str(cwd))  # as a shell started there would have it
    return subprocess.run([str(c) for c in command], cwd=cwd, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def build() -> pathlib.Path:
    path = pathlib.Path(BUILD_DIR).resolve()
    assert (path / "CMakeCache.txt").exists(), f"{path} is not a CMake build folder"
    return path


@pytest.fixture(scope="module")
def built_package(build) -> pathlib.Path:
    return build / "bindings" / "python" / "maillage"


@pytest.fixture(scope="module")
def venv(build, tmp_path_factory) -> pathlib.Path:
    """A venv of the build's interpreter that sees Debian's packages."""
    python = read_cache(build).get("Python3_EXECUTABLE") or sys.executable
    path = tmp_path_factory.mktemp("install") / "venv"
    done = run([python, "-m", "venv", "--system-site-packages", path],
               path.parent, clean_env())
    assert done.returncode == 0, done.stdout
    return path


@pytest.fixture(scope="module")
def install(build, built_package, venv) -> dict:
    """pip install -v --no-build-isolation with MAILLAGE_CMAKE_BUILD_DIR, after
    bringing the build folder up to date (nothing to do under ctest): what
    pip printed and the build outputs' times before and after."""
    up_to_date = run(["cmake", "--build", build, "--target", "_core"], build,
                     clean_env())
    assert up_to_date.returncode == 0, up_to_date.stdout
    outputs = sorted(build.glob("libmaillage.*")) + sorted(built_package.glob("_core*.so"))
    assert len(outputs) >= 2, f"no library or module in {build}: {outputs}"
    before = {p: p.stat().st_mtime_ns for p in outputs}
    pip = run([venv / "bin" / "python", "-m", "pip", "install", "-v", "--no-index",
               "--no-build-isolation", PACKAGE_SOURCE], venv.parent,
              clean_env(MAILLAGE_CMAKE_BUILD_DIR=str(build)))
    after = {p: p.stat().st_mtime_ns for p in outputs}
    return {"pip": pip, "before": before, "after": after}


def site_package(venv: pathlib.Path) -> pathlib.Path:
    found = list((venv / "lib").glob("python3*/site-packages/maillage"))
    assert len(found) == 1, f"maillage not installed in {venv}: {found}"
    return found[0]


def test_install_reuses_the_build_folder_without_rebuilding(install, build):
    pip = install["pip"]
    assert pip.returncode == 0, pip.stdout
    assert f"maillage: reusing the CMake build folder {build}" in pip.stdout, pip.stdout
    assert f"running cmake --build {build} --target _core" in pip.stdout, pip.stdout
    # Nothing compiled or linked, not even a fresh build elsewhere.
    assert "building the C++ library" not in pip.stdout, pip.stdout
    assert "Building CXX object" not in pip.stdout, pip.stdout
    assert "Linking CXX" not in pip.stdout, pip.stdout
    if read_cache(build).get("CMAKE_GENERATOR") == "Ninja":
        # A no-op, or at most package files copied again (a .py file edited
        # since the build).
        steps = [line.strip() for line in pip.stdout.splitlines()
                 if re.match(r"\s*\[\d+/\d+\] ", line)]
        assert "ninja: no work to do." in pip.stdout or all(
            re.match(r"\[\d+/\d+\] Copying maillage/", s) for s in steps), pip.stdout
    assert install["after"] == install["before"], "pip rebuilt the library or the module"


def test_installed_files_are_those_of_the_build_folder(install, venv, built_package):
    assert install["pip"].returncode == 0, install["pip"].stdout
    installed = site_package(venv)
    module = sorted(built_package.glob("_core*.so"))
    assert len(module) == 1
    assert filecmp.cmp(module[0], installed / module[0].name, shallow=False)
    names = [p.name for p in sorted(built_package.iterdir())
             if p.is_file() and (p.suffix in (".py", ".pyi") or p.name == "py.typed")]
    assert "__init__.py" in names and "py.typed" in names and "_core.pyi" in names
    for name in names:
        assert filecmp.cmp(built_package / name, installed / name, shallow=False), name


def test_installed_package_imports_and_allocates(install, venv, tmp_path):
    assert install["pip"].returncode == 0, install["pip"].stdout
    done = run([venv / "bin" / "python", "-c", ALLOCATE], tmp_path, clean_env())
    assert done.returncode == 0, done.stdout
    import json
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert pathlib.Path(got.pop("file")).resolve().is_relative_to(venv.resolve())
    # The same plan as the build tree's package in this process.
    s = maillage.generate(territory="lyon", seed=3).allocate().summary
    assert got == {k: s[k] for k in got}
    assert 0 < got["needs_covered"] <= got["needs"]


def test_missing_build_folder_is_named(venv, tmp_path):
    missing = tmp_path / "no-such-build"
    pip = run([venv / "bin" / "python", "-m", "pip", "install", "--no-index",
               "--no-build-isolation", PACKAGE_SOURCE], tmp_path,
              clean_env(MAILLAGE_CMAKE_BUILD_DIR=str(missing)))
    assert pip.returncode != 0, pip.stdout
    assert f"MAILLAGE_CMAKE_BUILD_DIR={missing}: no CMake build folder there" in pip.stdout
    assert "cmake --preset release" in pip.stdout, pip.stdout


def test_build_isolation_says_what_to_do(venv, tmp_path):
    # Offline: nothing to fetch for the isolated environment (requires = []),
    # so pip reaches the backend, which cannot see the installed setuptools.
    pip = run([venv / "bin" / "python", "-m", "pip", "install", "--no-index",
               PACKAGE_SOURCE], tmp_path, clean_env())
    assert pip.returncode != 0, pip.stdout
    assert "maillage: cannot build: pip's build isolation hides the setuptools" in pip.stdout, pip.stdout
    assert f"pip install --no-build-isolation {PACKAGE_SOURCE}" in pip.stdout, pip.stdout
    # Not pip's own error about a requirement it could not download.
    assert "Could not find a version" not in pip.stdout, pip.stdout


def test_missing_setuptools_says_what_to_install(tmp_path):
    # -S: an interpreter that sees no site-packages, hence no setuptools.
    code = (f"import sys; sys.path.insert(0, {str(PACKAGE_SOURCE)!r}); "
            "import _build_backend; _build_backend.get_requires_for_build_wheel()")
    done = run([sys.executable, "-S", "-B", "-c", code], tmp_path, clean_env())
    assert done.returncode == 1, done.stdout
    assert "setuptools is not installed for" in done.stdout, done.stdout
    assert "apt-get install python3-setuptools" in done.stdout, done.stdout
    assert "pip install --no-build-isolation" in done.stdout, done.stdout
