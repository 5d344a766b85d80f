"""`mpyforge build` as a maintainer runs it: the matrix, the cache, failures, reproducibility."""

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_micropython, run_mpyforge

ARCHES = ["--arch", "x64", "--arch", "armv7emsp"]


@pytest.fixture
def modules(tmp_path):
    """Two real modules copied to a scratch tree that the tests may edit."""
    root = tmp_path / "modules"
    for name in ("mpyforge_example", "emlearn_arrayutils"):
        shutil.copytree(REPO / "CModules" / name, root / name)
    return root


def build(modules, out, work, *extra, check=True):
    proc = run_mpyforge("build", modules, *ARCHES, "--out", out, "--work", work, "--json", *extra, check=check)
    return proc, json.loads(proc.stdout)


def statuses(report):
    return {(job["output"], job["arch"]): job["status"] for job in report["jobs"]}


def test_matrix_then_noop_then_exactly_the_touched_jobs(modules, tmp_path):
    out, work = tmp_path / "dist", tmp_path / "work"
    _, first = build(modules, out, work)
    assert set(statuses(first).values()) == {"built"} and len(first["jobs"]) == 4
    for job in first["jobs"]:
        assert Path(job["path"]) == out / f"{job['arch']}_6.3" / f"{job['output']}.mpy"
        assert job["size"] == Path(job["path"]).stat().st_size

    _, second = build(modules, out, work)
    assert set(statuses(second).values()) == {"cached"}, "a second run must do no work"

    source = modules / "emlearn_arrayutils" / "arrayutils.c"
    source.write_text(source.read_text() + "\n/* a change */\n")
    _, third = build(modules, out, work)
    rebuilt = {key for key, status in statuses(third).items() if status == "built"}
    assert rebuilt == {("emlearn_arrayutils", "x64"), ("emlearn_arrayutils", "armv7emsp")}


def test_two_clean_builds_are_byte_identical(modules, tmp_path):
    build(modules, tmp_path / "a", tmp_path / "wa")
    build(modules, tmp_path / "b", tmp_path / "wb")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.mpy"))
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.mpy"))
    assert files_a == files_b and len(files_a) == 4
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_broken_source_fails_only_its_own_jobs_with_the_compiler_error(modules, tmp_path):
    broken = modules / "emlearn_arrayutils" / "arrayutils.c"
    broken.write_text(broken.read_text() + "\nthis is not C;\n")
    proc, report = build(modules, tmp_path / "dist", tmp_path / "work", check=False)
    assert proc.returncode != 0
    status = statuses(report)
    assert status[("emlearn_arrayutils", "x64")] == "failed"
    assert status[("emlearn_arrayutils", "armv7emsp")] == "failed"
    assert status[("mpyforge_example", "x64")] == "built"
    assert status[("mpyforge_example", "armv7emsp")] == "built"
    error = next(j["error"] for j in report["jobs"] if j["status"] == "failed")
    assert "arrayutils.c" in error and "error" in error and "rerun: cd " in error
    assert "FAILED" in proc.stderr and "this is not C" in proc.stderr


def test_upstream_style_makefile_natmod_builds_and_runs(tmp_path):
    module = tmp_path / "natmod"
    module.mkdir()
    (module / "Makefile").write_text(
        "MPY_DIR = ../../micropython\n"
        "MOD_BASE = twice\n"
        "MOD = $(MOD_BASE)_$(ARCH)\n"
        "SRC = twice.c \\\n"
        "      helper.py\n"
        "ARCH = x64\n"
        "include $(MPY_DIR)/py/dynruntime.mk\n"
    )
    (module / "twice.c").write_text(
        '#include "py/dynruntime.h"\n'
        "static mp_obj_t twice(mp_obj_t x) { return mp_obj_new_int(2 * mp_obj_get_int(x)); }\n"
        "static MP_DEFINE_CONST_FUN_OBJ_1(twice_obj, twice);\n"
        "mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {\n"
        "    MP_DYNRUNTIME_INIT_ENTRY\n"
        "    mp_store_global(MP_QSTR_twice, MP_OBJ_FROM_PTR(&twice_obj));\n"
        "    MP_DYNRUNTIME_INIT_EXIT\n"
        "}\n"
    )
    (module / "helper.py").write_text("def four_times(x):\n    return twice(twice(x))\n")
    run_mpyforge("build", module, "--arch", "x64", "--out", tmp_path / "dist", "--work", tmp_path / "work")
    mpy = tmp_path / "dist" / "x64_6.3" / "twice.mpy"
    assert mpy.exists(), "MOD = $(MOD_BASE)_$(ARCH) names the module after MOD_BASE"
    proc = run_micropython("import twice; print(twice.twice(21), twice.four_times(5))", mpy.parent)
    assert proc.stdout.split() == ["42", "20"]


def test_missing_compiler_is_an_error_when_asked_and_a_reported_skip_otherwise(modules, tmp_path):
    proc = run_mpyforge("build", modules / "mpyforge_example", "--arch", "armv7emsp", "--cc", "armv7emsp=/nonexistent/gcc",
                        "--out", tmp_path / "d", "--work", tmp_path / "w", check=False)
    assert proc.returncode != 0
    assert "/nonexistent/gcc" in proc.stderr + proc.stdout
    # No --arch: every arch is tried; arches without a compiler are listed with the install hint.
    proc = run_mpyforge("build", modules / "mpyforge_example", "--out", tmp_path / "d2", "--work", tmp_path / "w2",
                        env={**__import__("os").environ, "PATH": "/usr/bin:/bin"}, check=False)
    assert "skipped xtensawin: no C compiler for xtensawin" in proc.stdout
    assert "ESP-IDF" in proc.stdout
    assert (tmp_path / "d2" / "x64_6.3" / "mpyforge_example.mpy").exists()


def test_bring_your_own_micropython_headers(modules, tmp_path):
    # Any directory with py/dynruntime.h works; our own SDK is one, and needs no checkout in CI.
    # armv6m also needs mpyforge's own runtime support object, which must not be looked for
    # among the given headers.
    headers = tmp_path / "headers"
    shutil.copytree(REPO / "CModules" / "sdk", headers, ignore=shutil.ignore_patterns("runtime"))
    run_mpyforge("build", modules / "emlearn_arrayutils", "--arch", "x64", "--arch", "armv6m", "--micropython", headers,
                 "--out", tmp_path / "d", "--work", tmp_path / "w")
    assert (tmp_path / "d" / "armv6m_6.3" / "emlearn_arrayutils.mpy").exists()
    proc = run_mpyforge("build", modules / "emlearn_arrayutils", "--arch", "x64", "--micropython", tmp_path,
                        "--out", tmp_path / "d", "--work", tmp_path / "w", check=False)
    assert proc.returncode != 0 and "no py/dynruntime.h" in proc.stderr


def test_abi_6_2_sets_the_sub_version_and_uses_the_1_22_bytecode_compiler(modules, tmp_path):
    _, report = build(modules / "mpyforge_example", tmp_path / "d", tmp_path / "w", "--abi", "6.2")
    assert {job["abi"] for job in report["jobs"]} == {"6.2"}
    data = (tmp_path / "d" / "x64_6.2" / "mpyforge_example.mpy").read_bytes()
    assert data[0:2] == b"M\x06" and data[2] & 3 == 2 and data[2] >> 2 & 0xF == 2
