"""Builds the _core extension with the repository's CMake project.

    pip install --no-build-isolation .      (from bindings/python)

runs CMake on the repository (Release, only the library and the Python
extension), then packages the pure-Python files with the built _core. No
network access is needed when the build tools and numpy, pandas and
matplotlib are installed (Debian: scripts/setup.sh).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
SOURCE = Path(os.environ.get("MAILLAGE_SOURCE_DIR", HERE.parents[1]))


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        if not (SOURCE / "CMakeLists.txt").exists():
            raise RuntimeError(f"no CMakeLists.txt in {SOURCE}: build from a "
                               "clone of the repository, or set MAILLAGE_SOURCE_DIR")
        build = Path(self.build_temp).resolve() / "cmake"
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
        if shutil.which("ninja") and not (build / "CMakeCache.txt").exists():
            configure += ["-G", "Ninja"]
        subprocess.run(configure, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 2))
        subprocess.run(["cmake", "--build", str(build), "--target", "_core",
                        "--parallel", jobs], check=True)
        built = list((build / "bindings" / "python" / "maillage").glob("_core*.so"))
        if len(built) != 1:
            raise RuntimeError(f"expected one _core module, found {built}")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built[0], target)


setup(
    packages=["maillage"],
    package_data={"maillage": ["py.typed", "_core.pyi"]},
    ext_modules=[Extension("maillage._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
