"""Builds the extension `strider._strider` with CMake for `pip install .`.

The version is the CMake project's. The build is Release; it is compiled for this machine
(-march=native, as the release preset) unless STRIDER_NATIVE=0 is set, for a wheel that
runs on other x86-64 machines. STRIDER_BUILD_JOBS sets the build's parallel jobs (default:
the machine's cores).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def cmake_version():
    text = (ROOT / "CMakeLists.txt").read_text()
    return re.search(r"project\(strider VERSION ([0-9.]+)", text).group(1)


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        target = Path(self.get_ext_fullpath(ext.name)).resolve()
        build = Path(self.build_temp).resolve() / "cmake"
        native = os.environ.get("STRIDER_NATIVE", "1") != "0"
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DSTRIDER_BUILD_PYTHON=ON",
            f"-DSTRIDER_NATIVE={'ON' if native else 'OFF'}",
            f"-DPython3_EXECUTABLE={sys.executable}",
        ] + [f"-DSTRIDER_BUILD_{part}=OFF"
             for part in ("TESTS", "BENCHMARKS", "EXAMPLES", "EXPERIMENTS", "TOOLS")]
        if shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        jobs = os.environ.get("STRIDER_BUILD_JOBS", str(os.cpu_count() or 1))
        subprocess.run(configure, check=True)
        subprocess.run(["cmake", "--build", str(build), "--target", "strider_python",
                        "--parallel", jobs], check=True)
        built = next((build / "python" / "strider").glob("_strider*"))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, target)


setup(
    version=cmake_version(),
    ext_modules=[CMakeExtension("strider._strider")],
    cmdclass={"build_ext": CMakeBuild},
)
