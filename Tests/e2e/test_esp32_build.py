"""Building for ESP32 (xtensawin) with a real ESP32 compiler, where one is installed.

CI machines have no ESP32 compiler (no registry ships one), so there the xtensawin linker is
covered by the committed objects of Tests/LinkerTests/Fixtures/esp32 and golden/xtensawin, and
these tests are skipped with that reason. On a machine with ESP-IDF's compiler on PATH, one
installed by `mpyforge toolchain install xtensawin`, or one named by ESP32_CC, they build every
module for xtensawin and check what a board would check before running it.
"""

import json
import os
import shutil

import pytest

from conftest import REPO, run_mpyforge

ESP32_CC = os.environ.get("ESP32_CC") or shutil.which("xtensa-esp32-elf-gcc")
pytestmark = pytest.mark.skipif(
    not ESP32_CC,
    reason="no ESP32 compiler (set ESP32_CC, put xtensa-esp32-elf-gcc on PATH, or run mpyforge toolchain install xtensawin)",
)


def build(tmp_path, *modules):
    proc = run_mpyforge("build", *modules, "--arch", "xtensawin", "--cc", f"xtensawin={ESP32_CC}",
                        "--out", tmp_path / "dist", "--work", tmp_path / "work", "--json")
    return json.loads(proc.stdout)["jobs"], tmp_path / "dist" / "xtensawin_6.3"


def test_every_module_builds_and_is_an_xtensawin_mpy(tmp_path):
    jobs, _ = build(tmp_path)
    assert jobs and all(job["status"] == "built" for job in jobs), jobs
    assert {job["output"] for job in jobs} >= {"emlearn_trees", "emlearn_iir", "emlearn_fft", "emlearn_neighbors",
                                               "emlearn_arrayutils", "emlearn_cnn_fp32", "emlearn_cnn_int8"}
    for job in jobs:
        run_mpyforge("check", job["path"], "--target", "xtensawin_6.3")


def test_float_maths_links_against_newlib(tmp_path):
    jobs, dist = build(tmp_path, REPO / "Tests" / "e2e" / "modules" / "floatmath")
    assert [job["status"] for job in jobs] == ["built"], jobs
    data = (dist / "floatmath.mpy").read_bytes()
    assert data[:2] == b"M\x06" and data[2] >> 2 == 10, "an xtensawin .mpy"
