"""Malformed inputs through the real CLI: one error line naming the file and what is wrong,
a failing exit code, and no output file (whole or partial) left behind.

The inputs are the fuzzers' regression files (Fuzz/corpus/*/regression-*) plus truncations
of good files; see Fuzz/README.md.
"""

from pathlib import Path

import pytest

from conftest import REPO, run_mpyforge

CORPUS = REPO / "Fuzz" / "corpus"
GOOD_OBJECT = CORPUS / "elf" / "seed-tiny-x64.o"
GOOD_MPY = CORPUS / "mpy" / "seed-mpy_ld_x64.mpy"


def error_lines(proc):
    return [line for line in proc.stderr.splitlines() if "error" in line.lower()]


def assert_clean_failure(proc, names, directory):
    """Failed, said so in one line naming `names`, and wrote nothing into `directory`."""
    assert proc.returncode != 0, proc.stdout
    lines = error_lines(proc)
    assert len(lines) == 1, proc.stderr
    assert names in lines[0], lines[0]
    leftovers = sorted(p.name for p in directory.iterdir())
    assert leftovers == [], f"left behind: {leftovers}"


def truncations(data):
    return [data[:n] for n in (0, 1, 4, 16, 52, 63, 64, len(data) // 2, len(data) - 1)]


@pytest.mark.parametrize("cut", range(9))
def test_link_truncated_object_leaves_no_output(tmp_path, cut):
    bad = tmp_path / "inputs" / "truncated.o"
    bad.parent.mkdir()
    bad.write_bytes(truncations(GOOD_OBJECT.read_bytes())[cut])
    out = tmp_path / "out"
    out.mkdir()
    proc = run_mpyforge("link", "--arch", "x64", "-o", out / "mod.mpy", bad, check=False)
    assert_clean_failure(proc, "truncated.o", out)


@pytest.mark.parametrize("regression", sorted(CORPUS.glob("elf/regression-*")), ids=lambda p: p.name)
def test_link_fuzz_regressions_fail_cleanly(tmp_path, regression):
    out = tmp_path / "out"
    out.mkdir()
    proc = run_mpyforge("link", "--arch", "x64", "-o", out / "mod.mpy", regression, check=False)
    assert_clean_failure(proc, regression.name, out)


def test_link_corrupt_archive_leaves_no_output(tmp_path):
    archive = tmp_path / "inputs" / "libbroken.a"
    archive.parent.mkdir()
    archive.write_bytes(b"!<arch>\n" + b"member.o/       0           0     0     644     999999    `\n" + b"\x7fELF")
    out = tmp_path / "out"
    out.mkdir()
    proc = run_mpyforge("link", "--arch", "x64", "-o", out / "mod.mpy", "-l", archive, GOOD_OBJECT, check=False)
    assert proc.returncode != 0
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("cut", [1, 3, 5, 40, -1])
def test_inspect_truncated_mpy_names_file_and_offset(tmp_path, cut):
    data = GOOD_MPY.read_bytes()
    bad = tmp_path / "cut.mpy"
    bad.write_bytes(data[:cut])
    proc = run_mpyforge("inspect", bad, check=False)
    assert proc.returncode != 0
    lines = error_lines(proc)
    assert len(lines) == 1 and "cut.mpy" in lines[0] and "offset" in lines[0], proc.stderr


def test_merge_damaged_input_leaves_no_output(tmp_path):
    bad = tmp_path / "inputs" / "damaged.mpy"
    bad.parent.mkdir()
    bad.write_bytes(GOOD_MPY.read_bytes()[:-7])
    out = tmp_path / "out"
    out.mkdir()
    proc = run_mpyforge("merge", "--output", out / "merged.mpy", CORPUS / "mpy" / "seed-tiny_bytecode.mpy", bad,
                        check=False)
    assert_clean_failure(proc, "damaged.mpy", out)


def write_module(root: Path, manifest: str, source: str = "int mpy_init(void) { return 0; }\n") -> Path:
    module = root / "hostile"
    module.mkdir(parents=True)
    (module / "module.toml").write_text(manifest)
    (module / "hostile.c").write_text(source)
    return module


def test_build_malformed_manifest_names_line_and_writes_nothing(tmp_path):
    module = write_module(tmp_path / "src", 'name = "hostile"\nsources = ["hostile.c"\ndefines = "x\n')
    dist = tmp_path / "dist"
    proc = run_mpyforge("build", module, "--arch", "x64", "--out", dist, "--work", tmp_path / "work", check=False)
    assert proc.returncode != 0
    # file:line, then what is wrong: the list opened on line 2 runs into line 3.
    assert "module.toml:3: Error while parsing array: expected comma or closing ']'" in proc.stdout + proc.stderr
    assert not dist.exists() or not list(dist.rglob("*.mpy"))


def test_build_failing_link_writes_no_mpy(tmp_path):
    # Compiles, then cannot link (an undefined symbol): the .mpy must not appear, not even partly.
    source = '#include "py/dynruntime.h"\nextern int missing(void);\n' \
             "mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {\n" \
             "    MP_DYNRUNTIME_INIT_ENTRY\n    mp_store_global(MP_QSTR_x, mp_obj_new_int(missing()));\n" \
             "    MP_DYNRUNTIME_INIT_EXIT\n}\n"
    module = write_module(tmp_path / "src", 'name = "hostile"\nsources = ["hostile.c"]\n', source)
    dist = tmp_path / "dist"
    proc = run_mpyforge("build", module, "--arch", "x64", "--out", dist, "--work", tmp_path / "work", check=False)
    assert proc.returncode != 0, proc.stdout
    assert "missing" in proc.stdout + proc.stderr
    produced = sorted(p.name for p in dist.rglob("*") if p.is_file()) if dist.exists() else []
    assert not [name for name in produced if "hostile" in name], produced


@pytest.mark.parametrize("regression", sorted(CORPUS.glob("mpy/regression-*")), ids=lambda p: p.name)
def test_inspect_fuzz_regressions(regression):
    # Each once crashed inspect; now it either reports or fails with one line naming the file.
    proc = run_mpyforge("inspect", "--disasm", regression, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    if proc.returncode:
        lines = error_lines(proc)
        assert len(lines) == 1 and regression.name in lines[0] and "offset" in lines[0], proc.stderr
