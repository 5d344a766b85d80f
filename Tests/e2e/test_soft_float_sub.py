"""mpyforge's float subtraction for RISC-V without an FPU (CModules/sdk/runtime/soft_float_sub.c).

It stands in for libgcc's __subsf3 as a + (-b), so modules that add and subtract link one
soft-float adder instead of two. The same C, compiled for this host, must give a - b bit for
bit on every kind of float (signed zeros, subnormals, infinities, NaN, rounding ties), and the
emlearn modules that subtract floats must still link for rv32imc.
"""

import ctypes
import json
import shutil
import subprocess

import numpy as np
import pytest

from conftest import REPO, run_mpyforge

SOURCE = REPO / "CModules" / "sdk" / "runtime" / "soft_float_sub.c"


@pytest.fixture(scope="module")
def host_sub(tmp_path_factory):
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.fail("no host C compiler (gcc) to build the stand-in for checking")
    library = tmp_path_factory.mktemp("sub") / "libsub.so"
    subprocess.run([cc, "-std=c99", "-Os", "-Wall", "-Werror", "-fpic", "-shared", str(SOURCE), "-o", str(library)],
                   check=True)
    function = ctypes.CDLL(str(library)).__subsf3
    function.argtypes = [ctypes.c_float, ctypes.c_float]
    function.restype = ctypes.c_float
    return function


def bits(x):
    return int(np.float32(x).view(np.uint32))


def test_matches_ieee_subtraction_bit_for_bit(host_sub):
    rng = np.random.default_rng(7)
    special = np.array([0.0, -0.0, 1.0, -1.0, 1e-45, -1e-45, 1.17549435e-38, 3.4028235e38, -3.4028235e38,
                        np.inf, -np.inf, 0.1, 1 + 2 ** -23, 2 ** 24, 0.5 + 2 ** -24], dtype=np.float32)
    randoms = rng.integers(0, 2 ** 32, size=3000, dtype=np.uint64).astype(np.uint32).view(np.float32)
    values = np.concatenate([special, randoms])
    pairs = [(a, b) for a in special for b in special] + list(zip(values[::2], values[1::2]))
    for a, b in pairs:
        with np.errstate(all="ignore"):   # inf - inf and overflows are part of the check
            want = np.float32(a) - np.float32(b)
        got = np.float32(host_sub(float(a), float(b)))
        if np.isnan(want):
            assert np.isnan(got), (a, b, got)
        else:
            assert bits(got) == bits(want), (a, b, got, want)


@pytest.mark.parametrize("module", ["emlearn_iir", "emlearn_fft", "emlearn_arrayutils"])
def test_float_modules_link_for_rv32imc(module, tmp_path):
    if shutil.which("riscv64-unknown-elf-gcc") is None:
        pytest.skip("riscv64-unknown-elf-gcc not installed")
    proc = run_mpyforge("build", REPO / "CModules" / module, "--arch", "rv32imc", "--out", tmp_path / "d",
                        "--work", tmp_path / "w", "--json")
    job = json.loads(proc.stdout)["jobs"][0]
    assert job["status"] == "built", job
