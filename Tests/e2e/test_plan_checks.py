"""Checks made before anything is built (issue 15, finding 8): one name, one module. Two
modules named alike in different directories used to give one .mpy (the last won) and share
a work directory; a variant named like its base was dropped."""

from conftest import run_mpyforge

SOURCE = '#include "py/dynruntime.h"\nmp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {\n' \
         '    MP_DYNRUNTIME_INIT_ENTRY\n    MP_DYNRUNTIME_INIT_EXIT\n}\n'


def module(directory, manifest):
    directory.mkdir(parents=True)
    (directory / "module.toml").write_text(manifest)
    (directory / "m.c").write_text(SOURCE)
    return directory


def build(tmp_path, *directories):
    return run_mpyforge("build", *directories, "--arch", "x64", "--out", tmp_path / "d", "--work", tmp_path / "w", check=False)


def test_two_modules_with_one_name_are_an_error(tmp_path):
    a = module(tmp_path / "a" / "dup", 'name = "dup"\nsources = ["m.c"]\n')
    b = module(tmp_path / "b" / "dup", 'name = "dup"\nsources = ["m.c"]\n')
    proc = build(tmp_path, a, b)
    assert proc.returncode != 0
    assert f"two modules are named 'dup': {a}/module.toml and {b}/module.toml" in proc.stderr, proc.stderr
    assert not (tmp_path / "d").exists(), "nothing built"


def test_a_makefile_module_and_a_toml_module_may_not_share_a_name(tmp_path):
    a = module(tmp_path / "a", 'name = "dup"\nsources = ["m.c"]\n')
    b = tmp_path / "b"
    b.mkdir()
    (b / "Makefile").write_text("MOD = dup\nSRC = m.c\ninclude $(MPY_DIR)/py/dynruntime.mk\n")
    (b / "m.c").write_text(SOURCE)
    proc = build(tmp_path, a, b)
    assert proc.returncode != 0 and "two modules are named 'dup'" in proc.stderr and f"{b}/Makefile" in proc.stderr


def test_a_variant_named_like_its_base_is_an_error(tmp_path):
    a = module(tmp_path / "a", 'name = "base"\nsources = ["m.c"]\n[variants.x]\nname = "base"\n[variants.y]\n')
    proc = build(tmp_path, a)
    assert proc.returncode != 0 and "a variant is named 'base', like the module itself" in proc.stderr, proc.stderr


def test_two_variants_with_one_name_are_an_error(tmp_path):
    a = module(tmp_path / "a", 'name = "base"\nsources = ["m.c"]\n[variants.x]\nname = "v"\n[variants.y]\nname = "v"\n')
    proc = build(tmp_path, a)
    assert proc.returncode != 0 and "two modules are named 'v'" in proc.stderr, proc.stderr
