"""module.toml features end to end: literal and multi-line strings, include, libraries,
per-arch sources/defines/cflags/float, top-level float, and -D/-I on the command line."""

import json
import shutil
import subprocess

import pytest

from conftest import REPO, run_micropython, run_mpyforge

MODULE = REPO / "Tests" / "e2e" / "modules" / "tomlfeatures"


@pytest.fixture
def module(tmp_path):
    """A copy of the module with lib/libtally.a built for x64 (with the host's gcc)."""
    copy = tmp_path / "tomlfeatures"
    shutil.copytree(MODULE, copy)
    subprocess.run(["gcc", "-O2", "-fpic", "-c", "lib/tally.c", "-o", "lib/tally.o"], cwd=copy, check=True)
    subprocess.run(["ar", "rcs", "lib/libtally.a", "lib/tally.o"], cwd=copy, check=True)
    (tmp_path / "cli").mkdir()
    (tmp_path / "cli" / "cli.h").write_text("#define CLI_HEADER_VALUE 300\n")
    return copy


def build(tmp_path, module, *args, check=True):
    return run_mpyforge("build", module, "--arch", "x64", "-DCLI_VALUE=1000", "-I", tmp_path / "cli",
                        "--out", tmp_path / "d", "--work", tmp_path / "w", *args, check=check)


def run(tmp_path, expression):
    return run_micropython(f"import tomlfeatures as t\nprint({expression})", tmp_path / "d" / "x64_6.3").stdout.strip()


def test_every_feature_reaches_the_x64_build(tmp_path, module):
    build(tmp_path, module)
    # BASE (multi-line string), ARCH_BONUS ([arch.x64] defines), LOCAL_VALUE (include),
    # -D + -I, tally(4) = 1+2+3+4 from the library, arch_part() from [arch.x64] sources.
    assert run(tmp_path, "t.parts()") == str((40, 2, 5, 1300, 10, 64))
    # float = false at the top, "double" for x64.
    assert run(tmp_path, "t.has_float()") == "True"


def test_top_level_float_false_applies_where_no_arch_overrides(tmp_path, module):
    text = (module / "module.toml").read_text().replace('float = "double"', "")
    (module / "module.toml").write_text(text)
    build(tmp_path, module)
    assert run(tmp_path, "t.has_float()") == "False"


def test_command_line_defines_and_includes_are_needed(tmp_path, module):
    proc = run_mpyforge("build", module, "--arch", "x64", "--out", tmp_path / "d", "--work", tmp_path / "w", check=False)
    assert proc.returncode != 0 and "cli.h" in proc.stdout + proc.stderr


@pytest.mark.parametrize("arch", ["armv6m", "rv32imc"])
def test_other_arches_take_their_own_sources(tmp_path, module, arch):
    # The library is x64 code, so these arches build without it.
    text = (module / "module.toml").read_text().replace('libraries = ["lib/libtally.a"]', "")
    (module / "module.toml").write_text(text)
    (module / "main.c").write_text((module / "main.c").read_text().replace("tally(4)", "4"))
    proc = run_mpyforge("build", module, "--arch", arch, "-DCLI_VALUE=1000", "-I", tmp_path / "cli",
                        "--out", tmp_path / "d", "--work", tmp_path / "w", "--json")
    assert json.loads(proc.stdout)["jobs"][0]["status"] == "built"


def test_a_typo_is_named_with_its_line_and_the_likely_key(tmp_path, module):
    text = (module / "module.toml").read_text().replace('defines = ["ARCH_BONUS=2"]', 'defnies = ["ARCH_BONUS=2"]')
    (module / "module.toml").write_text(text)
    proc = build(tmp_path, module, check=False)
    line = text.splitlines().index('defnies = ["ARCH_BONUS=2"]') + 1
    assert f"module.toml:{line}: unknown key 'arch.x64.defnies': did you mean 'defines'?" in proc.stderr, proc.stderr


def test_a_wrong_type_is_named_with_its_line(tmp_path, module):
    text = (module / "module.toml").read_text().replace('libraries = ["lib/libtally.a"]', 'libraries = "lib/libtally.a"')
    (module / "module.toml").write_text(text)
    proc = build(tmp_path, module, check=False)
    assert "module.toml:6: 'libraries' must be a list of strings, not a string" in proc.stderr, proc.stderr
