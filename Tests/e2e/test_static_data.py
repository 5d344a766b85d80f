"""Static and initialised writable variables, which upstream mpy_ld.py refuses
(micropython#15943): linked inside the text where MicroPython's ports load native code into
writable memory, and refused with the fix where they do not."""

import json

import pytest

from conftest import REPO, run_micropython, run_mpyforge

MODULE = REPO / "Tests" / "e2e" / "modules" / "staticdata"


def build(tmp_path, arch, check=True):
    proc = run_mpyforge("build", MODULE, "--arch", arch, "--out", tmp_path / "d", "--work", tmp_path / "w", "--json", check=check)
    return json.loads(proc.stdout)["jobs"][0]


def test_x64_keeps_state_in_static_and_initialised_variables(tmp_path):
    build(tmp_path, "x64")
    proc = run_micropython(
        "import staticdata as s\nprint(s.bump(1), s.bump(1), s.bump(6), s.count())", tmp_path / "d" / "x64_6.3")
    # table[1]: 20 + 1 = 21, then + 2 = 23; table[2]: 30 + 3 = 33; three calls.
    assert proc.stdout.split() == ["21", "23", "33", "3"]


@pytest.mark.parametrize("arch", ["armv6m", "armv7emsp"])
def test_thumb_links_them_inside_the_text(tmp_path, arch):
    assert build(tmp_path, arch)["status"] == "built"


@pytest.mark.parametrize("arch", ["rv32imc", "xtensa"])
def test_arches_without_writable_text_explain_the_fix(tmp_path, arch):
    job = build(tmp_path, arch, check=False)
    assert job["status"] == "failed"
    assert "staticdata" in job["error"] and "'.data" in job["error"]
    assert "make the variable 'const'" in job["error"]
    assert not (tmp_path / "d" / f"{arch}_6.3" / "staticdata.mpy").exists(), "no partial output"
