"""Builds the maillage package: the _core extension with the repository's
CMake project, and the pure-Python files next to it.

    pip install --no-build-isolation ./bindings/python
    MAILLAGE_CMAKE_BUILD_DIR=build/release pip install --no-build-isolation ./bindings/python

Without MAILLAGE_CMAKE_BUILD_DIR, CMake configures and builds the library and
the extension only (Release) in bindings/python/build/cmake-<python>, a folder
kept so that the next install rebuilds only what changed; the first build
takes minutes. With MAILLAGE_CMAKE_BUILD_DIR set to a CMake build folder of
the repository that builds the Python package (build/release after
`cmake --build --preset release`), it runs `cmake --build DIR --target _core`,
which does nothing when DIR is up to date, and packages the module and the
package files of DIR/bindings/python/maillage. A relative DIR is taken from
the directory pip is run from.

Each step is printed to stderr as a `maillage:` line followed by CMake's
output; pip shows them with `pip install -v`, or when the build fails. No
network access is needed when the build tools and numpy, pandas and
matplotlib are installed (Debian: scripts/setup.sh). setuptools' own
intermediate files go to a temporary folder, so an install never packages a
file left over by an earlier one.
"""

from __future__ import annotations

import atexit
import importlib.machinery
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NoReturn, Optional

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SOURCE = Path(os.environ.get("MAILLAGE_SOURCE_DIR") or HERE.parents[1]).resolve()
BUILD_DIR_VARIABLE = "MAILLAGE_CMAKE_BUILD_DIR"


def say(message: str) -> None:
    """One progress line, on stderr, before any output of the next command."""
    sys.stdout.flush()
    print(f"maillage: {message}", file=sys.stderr, flush=True)


def fail(message: str) -> NoReturn:
    raise SystemExit(f"maillage: error: {message}")


def run(command: list[str]) -> None:
    """Runs a command with its output streamed to pip's (shown by -v)."""
    say("running " + shlex.join(command))
    sys.stdout.flush()
    sys.stderr.flush()
    result = subprocess.run(command)
    if result.returncode != 0:
        fail(f"command failed with exit status {result.returncode}: "
             f"{shlex.join(command)} (pip install -v shows its output)")


def read_cache(build: Path) -> dict[str, str]:
    """The entries NAME:TYPE=VALUE of build/CMakeCache.txt, by name."""
    entries = {}
    for line in (build / "CMakeCache.txt").read_text(errors="replace").splitlines():
        if not line or line.startswith(("#", "//")) or "=" not in line:
            continue
        key, value = line.split("=", 1)
        entries[key.split(":", 1)[0]] = value
    return entries


def given_build_dir() -> Optional[Path]:
    """The CMake build folder named by MAILLAGE_CMAKE_BUILD_DIR, resolved, or
    None. A relative path is taken from the directory pip is run from ($PWD:
    pip runs this script from bindings/python), else from the repository."""
    value = os.environ.get(BUILD_DIR_VARIABLE, "").strip()
    if not value:
        return None
    path = Path(value).expanduser()
    bases = [Path("/")] if path.is_absolute() else [
        Path(b) for b in (os.environ.get("PWD"), SOURCE) if b]
    tried = []
    for base in bases:
        candidate = (base / path).resolve()
        tried.append(str(candidate))
        if (candidate / "CMakeCache.txt").exists():
            return candidate
    fail(f"{BUILD_DIR_VARIABLE}={value}: no CMake build folder there (no "
         f"CMakeCache.txt in {' or '.join(dict.fromkeys(tried))}). Configure "
         "and build it first (cmake --preset release && cmake --build --preset "
         f"release), or unset {BUILD_DIR_VARIABLE} to build from scratch")


class GivenBuild:
    """An existing CMake build folder of the repository that builds the Python
    package, checked once: its source, its Python option, its interpreter."""

    def __init__(self, path: Path) -> None:
        self.path = path
        cache = read_cache(path)
        home = Path(cache.get("CMAKE_HOME_DIRECTORY", "")).resolve()
        if home != SOURCE:
            fail(f"{path} is a build folder of {home}, not of {SOURCE}: give a "
                 "build folder of this repository")
        if cache.get("MAILLAGE_BUILD_PYTHON", "").upper() not in ("ON", "TRUE", "1", "YES"):
            fail(f"{path} does not build the Python package "
                 "(MAILLAGE_BUILD_PYTHON is OFF, or pybind11 or the Python "
                 f"headers were not found): reconfigure it with "
                 f"cmake -S {SOURCE} -B {path} -DMAILLAGE_BUILD_PYTHON=ON")
        self.build_type = cache.get("CMAKE_BUILD_TYPE") or "no build type"
        self.generator = cache.get("CMAKE_GENERATOR", "")
        self.python = cache.get("Python3_EXECUTABLE", "")
        self.package = path / "bindings" / "python" / "maillage"
        self._built = False

    def build(self) -> Path:
        """Brings the _core target up to date (nothing to do when it is) and
        returns the module."""
        if not self._built:
            say(f"reusing the CMake build folder {self.path} ({BUILD_DIR_VARIABLE}; "
                f"{self.build_type}, {self.generator or 'unknown generator'}, "
                f"module built for {self.python or 'an unknown interpreter'})")
            if self.build_type not in ("Release", "RelWithDebInfo", "MinSizeRel"):
                say(f"note: {self.path} is a {self.build_type} build: the "
                    "installed module is not optimised (build/release is)")
            start = time.monotonic()
            run(["cmake", "--build", str(self.path), "--target", "_core"])
            say(f"{self.path} up to date for _core after "
                f"{time.monotonic() - start:.1f} s")
            self._built = True
        modules = sorted(self.package.glob("_core*.so"))
        if len(modules) != 1:
            fail(f"expected one _core module in {self.package}, found "
                 f"{[m.name for m in modules]}")
        module = modules[0]
        suffixes = importlib.machinery.EXTENSION_SUFFIXES
        if not any(module.name == "_core" + s for s in suffixes):
            fail(f"{module.name} in {self.package} was built for "
                 f"{self.python}, which {sys.executable} cannot import (it "
                 f"imports _core{suffixes[0]}): reconfigure the build folder "
                 f"with -DPython3_EXECUTABLE={sys.executable}, or unset "
                 f"{BUILD_DIR_VARIABLE}")
        return module


GIVEN = None
if "egg_info" not in sys.argv and "dist_info" not in sys.argv:
    # Metadata steps need no build folder; every other one checks it first.
    _path = given_build_dir()
    GIVEN = GivenBuild(_path) if _path else None


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        if GIVEN is not None:
            module = GIVEN.build()
            say(f"copying {module} to the package")
        else:
            module = self.build_from_scratch()
        shutil.copy2(module, target)

    def build_from_scratch(self) -> Path:
        if not (SOURCE / "CMakeLists.txt").exists():
            fail(f"no CMakeLists.txt in {SOURCE}: build from a clone of the "
                 "repository, or set MAILLAGE_SOURCE_DIR")
        build = HERE / "build" / f"cmake-{sys.implementation.cache_tag}"
        again = (build / "CMakeCache.txt").exists()
        say(f"building the C++ library and the _core module (Release) in {build}"
            + (", kept from an earlier install: only what changed is rebuilt"
               if again else ": several minutes the first time; the folder is "
               "kept for the next install"))
        say(f"to reuse an existing build instead: {BUILD_DIR_VARIABLE}=build/release "
            "pip install --no-build-isolation ./bindings/python; pip -v shows "
            "the build output")
        configure = [
            "cmake", "-S", str(SOURCE), "-B", str(build),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DMAILLAGE_BUILD_PYTHON=ON",
            "-DMAILLAGE_BUILD_TESTS=OFF",
            "-DMAILLAGE_BUILD_BENCH=OFF",
            "-DMAILLAGE_BUILD_CLI=OFF",
            "-DMAILLAGE_INSTALL=OFF",
            # The interpreter running pip (a venv's included) gets the module.
            f"-DPython3_EXECUTABLE={sys.executable}",
        ]
        if shutil.which("ninja") and not again:
            configure += ["-G", "Ninja"]
        start = time.monotonic()
        run(configure)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 2))
        run(["cmake", "--build", str(build), "--target", "_core", "--parallel", jobs])
        say(f"built _core in {time.monotonic() - start:.0f} s")
        built = list((build / "bindings" / "python" / "maillage").glob("_core*.so"))
        if len(built) != 1:
            fail(f"expected one _core module in {build}, found {built}")
        return built[0]


def is_package_file(path: Path) -> bool:
    return path.is_file() and (path.suffix in (".py", ".pyi") or path.name == "py.typed")


class PackageFiles(build_py):
    """The pure-Python files: from the source tree, or, when a build folder is
    given, from its copy of the package (the files its tests ran on)."""

    def run(self) -> None:
        super().run()
        if GIVEN is None:
            return
        GIVEN.build()  # before build_ext: the folder's copies are refreshed
        target = Path(self.build_lib) / "maillage"
        copied = []
        for f in sorted(GIVEN.package.iterdir()):
            if is_package_file(f):
                shutil.copy2(f, target / f.name)
                copied.append(f.name)
        missing = sorted(p.name for p in (HERE / "maillage").iterdir()
                         if is_package_file(p) and p.name not in copied)
        say(f"package files from {GIVEN.package}: {', '.join(copied)}")
        if missing:
            say(f"warning: not in the build folder, taken from the source: "
                f"{', '.join(missing)} (is bindings/python/CMakeLists.txt's "
                "package_files list up to date?)")


# setuptools' intermediate files (build/lib..., the egg-info) in a folder of
# this run only.
_scratch = tempfile.mkdtemp(prefix="maillage-setuptools-")
atexit.register(shutil.rmtree, _scratch, ignore_errors=True)

setup(
    packages=["maillage"],
    package_data={"maillage": ["py.typed", "_core.pyi"]},
    ext_modules=[Extension("maillage._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild, "build_py": PackageFiles},
    options={"build": {"build_base": os.path.join(_scratch, "build")},
             "egg_info": {"egg_base": _scratch}},
    zip_safe=False,
)
