"""Natmod Makefiles evaluated by GNU make itself (mpyforge's own py/dynruntime.mk records
what the module asks for): include, $(shell), ${VAR}, functions, ARCH conditionals,
command-line variables, MICROPY_FLOAT_IMPL, MPY_DIR checkouts, and MOD checked."""

import json
import shutil
import struct

import pytest

from conftest import REPO, run_micropython, run_mpyforge

MODULES = REPO / "Tests" / "e2e" / "modules"


def build(tmp_path, *args, check=True):
    proc = run_mpyforge("build", *args, "--out", tmp_path / "d", "--work", tmp_path / "w", "--json", check=check)
    return proc


def settings(tmp_path):
    proc = run_micropython("import makefeatures\nprint(repr(makefeatures.settings()))", tmp_path / "d" / "x64_6.3")
    return eval(proc.stdout.strip())


def test_make_features_evaluate_as_make_does(tmp_path):
    build(tmp_path, MODULES / "makefeatures", "--arch", "x64")
    # ARCH conditional, default of ?=, include common.mk, CFLAGS after the include
    # ($(words $(SRC)) = 2: main.c and the part found by $(wildcard)), the wildcard's part.
    assert settings(tmp_path) == ("x64", "plain", 7, 2, 42)
    assert (tmp_path / "d" / "x64_6.3" / "makefeatures.mpy").exists(), "MOD's _$(ARCH) suffix is dropped"


def test_command_line_variables_reach_make(tmp_path):
    build(tmp_path, MODULES / "makefeatures", "FLAVOUR=sweet", "--arch", "x64")
    assert settings(tmp_path)[1] == "sweet"


def test_arch_conditionals_are_evaluated_per_arch(tmp_path):
    build(tmp_path, MODULES / "makefeatures", "--arch", "armv6m", "--arch", "rv32imc")
    armv6m = (tmp_path / "d" / "armv6m_6.3" / "makefeatures.mpy").read_bytes()
    rv32imc = (tmp_path / "d" / "rv32imc_6.3" / "makefeatures.mpy").read_bytes()
    assert b"small-arm" in armv6m and b"other" not in armv6m
    assert b"other" in rv32imc and b"small-arm" not in rv32imc


def test_arch_is_chosen_with_the_arch_option(tmp_path):
    proc = build(tmp_path, MODULES / "makefeatures", "ARCH=armv6m", "--arch", "x64", check=False)
    assert proc.returncode != 0 and "--arch" in proc.stderr


def test_float_impl_and_link_runtime_are_honoured(tmp_path):
    # Before: rv32imc has no float type, and mp_float_t did not exist ("unknown type name").
    jobs = json.loads(build(tmp_path, MODULES / "makefloat", "--arch", "x64", "--arch", "rv32imc", "--arch", "armv6m").stdout)["jobs"]
    assert [job["status"] for job in jobs] == ["built"] * 3
    proc = run_micropython("import makefloat\nprint(makefloat.width(), repr(makefloat.scale(0.1, 3.0)))", tmp_path / "d" / "x64_6.3")
    width, value = proc.stdout.split()
    # MICROPY_FLOAT_IMPL = float on x64 too: the product is computed in single precision.
    single = struct.unpack("f", struct.pack("f", struct.unpack("f", struct.pack("f", 0.1))[0] * 3.0))[0]
    assert width == "4" and float(value) == single and float(value) != 0.1 * 3.0


def write_module(directory, makefile, source="#include \"py/dynruntime.h\"\n"):
    directory.mkdir(parents=True)
    (directory / "Makefile").write_text(makefile)
    (directory / "m.c").write_text(source + MINIMAL_INIT)


MINIMAL_INIT = """
mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    MP_DYNRUNTIME_INIT_EXIT
}
"""


@pytest.mark.parametrize("mod, expected", [
    ("../../../../elsewhere/pwned", "is not a valid module name"),
    ("$(MOD)", "references itself"),
    ("$(UNSET)", "MOD is empty"),
    ("9lives", "is not a valid module name"),
])
def test_mod_must_be_a_module_name(tmp_path, mod, expected):
    write_module(tmp_path / "src" / "m", f"MPY_DIR = ../..\nMOD = {mod}\nSRC = m.c\ninclude $(MPY_DIR)/py/dynruntime.mk\n")
    proc = build(tmp_path, tmp_path / "src" / "m", "--arch", "x64", check=False)
    assert proc.returncode != 0 and expected in proc.stderr, proc.stderr
    assert not (tmp_path / "d").exists() and not (tmp_path / "elsewhere").exists(), "nothing written"


def test_a_makefile_that_never_includes_dynruntime_is_not_a_module(tmp_path):
    write_module(tmp_path / "m", "include other.mk\nall:\n\t@true\n")
    (tmp_path / "m" / "other.mk").write_text("X = 1\n")
    proc = build(tmp_path, tmp_path / "m", "--arch", "x64", check=False)
    assert proc.returncode != 0 and "never includes $(MPY_DIR)/py/dynruntime.mk" in proc.stderr


def test_a_make_error_names_the_makefile_and_arch(tmp_path):
    write_module(tmp_path / "m", "MOD = m\nSRC = m.c\nifeq ($(ARCH),armv6m)\n$(error no armv6m here)\nendif\n"
                 "include $(MPY_DIR)/py/dynruntime.mk\n")
    proc = build(tmp_path, tmp_path / "m", "--arch", "x64", "--arch", "armv6m", check=False)
    jobs = json.loads(proc.stdout)["jobs"]
    assert {job["arch"]: job["status"] for job in jobs} == {"x64": "built", "armv6m": "failed"}
    assert "no armv6m here" in proc.stderr and "ARCH=armv6m" in proc.stderr


def fake_checkout(root):
    """A directory shaped like a MicroPython checkout (py/, extmod/, lib/), made of our SDK
    headers and files written here."""
    shutil.copytree(REPO / "CModules" / "sdk" / "py", root / "py")
    shutil.copytree(REPO / "CModules" / "sdk" / "mpyforge", root / "mpyforge")
    (root / "extmod").mkdir()
    (root / "extmod" / "modgreet.c").write_text(
        '#include "greet.h"\n'
        "static mp_obj_t greet(void) { return mp_obj_new_int(greet_number() + GREET_OFFSET); }\n"
        "static MP_DEFINE_CONST_FUN_OBJ_0(greet_obj, greet);\n")
    (root / "lib" / "greetlib").mkdir(parents=True)
    (root / "lib" / "greetlib" / "greet.h").write_text("int greet_number(void);\n")
    (root / "lib" / "greetlib" / "number.c").write_text("int greet_number(void) { return 40; }\n")
    return root


GREET_MAKEFILE = """MPY_DIR ?= {mpy_dir}
MOD = greet
SRC = m.c
SRC += $(realpath $(MPY_DIR)/lib/greetlib)/number.c
CFLAGS += -I$(MPY_DIR)/lib/greetlib -DGREET_OFFSET=2
include $(MPY_DIR)/py/dynruntime.mk
"""
GREET_SOURCE = '#include "py/dynruntime.h"\n#include "extmod/modgreet.c"\n'
GREET_INIT = MINIMAL_INIT.replace("MP_DYNRUNTIME_INIT_EXIT", "mp_store_global(MP_QSTR_greet, MP_OBJ_FROM_PTR(&greet_obj));\n    MP_DYNRUNTIME_INIT_EXIT")


def write_greet(tmp_path, mpy_dir):
    directory = tmp_path / "greet"
    directory.mkdir()
    (directory / "Makefile").write_text(GREET_MAKEFILE.format(mpy_dir=mpy_dir))
    (directory / "m.c").write_text(GREET_SOURCE + GREET_INIT)
    return directory


def test_sources_that_include_micropython_internals_use_the_makefiles_checkout(tmp_path):
    checkout = fake_checkout(tmp_path / "micropython")
    # The checkout's own dynruntime.mk is read only to learn MPY_DIR; the module is evaluated with ours.
    (checkout / "py" / "dynruntime.mk").write_text(
        "$(if $(filter mpyforge-describe,$(MAKECMDGOALS)),$(error the checkout's dynruntime.mk was used))\n")
    before = sorted((p.relative_to(checkout), p.read_bytes()) for p in checkout.rglob("*") if p.is_file())
    module = write_greet(tmp_path, "../micropython")
    build(tmp_path, module, "--arch", "x64")
    proc = run_micropython("import greet\nprint(greet.greet())", tmp_path / "d" / "x64_6.3")
    assert proc.stdout.split() == ["42"]
    after = sorted((p.relative_to(checkout), p.read_bytes()) for p in checkout.rglob("*") if p.is_file())
    assert before == after, "the checkout is not changed"


def test_a_missing_checkout_is_named_with_the_fix(tmp_path):
    module = write_greet(tmp_path, "../no-such-micropython")
    proc = build(tmp_path, module, "--arch", "x64", check=False)
    assert proc.returncode != 0
    assert 'includes "extmod/modgreet.c"' in proc.stderr and "--micropython" in proc.stderr, proc.stderr


def test_mpy_dir_on_the_command_line_is_the_checkout(tmp_path):
    fake_checkout(tmp_path / "elsewhere")
    module = write_greet(tmp_path, "../no-such-micropython")
    build(tmp_path, module, f"MPY_DIR={tmp_path / 'elsewhere'}", "--arch", "x64")
    assert run_micropython("import greet\nprint(greet.greet())", tmp_path / "d" / "x64_6.3").stdout.split() == ["42"]


def test_a_makefile_that_hangs_is_stopped(tmp_path):
    write_module(tmp_path / "m", "X := $(shell sleep 60)\nMOD = m\nSRC = m.c\ninclude $(MPY_DIR)/py/dynruntime.mk\n")
    proc = build(tmp_path, tmp_path / "m", "--arch", "x64", "--make-timeout", "1", check=False)
    assert proc.returncode != 0 and "make did not finish in 1 s" in proc.stderr, proc.stderr
