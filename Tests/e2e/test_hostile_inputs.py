"""Malformed inputs through the real CLI: one error line naming the file and what is wrong,
a failing exit code, and no output file (whole or partial) left behind.

The inputs are the fuzzers' regression files (Fuzz/corpus/*/regression-*) plus truncations
of good files; see Fuzz/README.md.
"""

import os
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, run_micropython, run_mpyforge

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


def special_outputs(tmp_path):
    """Output paths that are not regular files: a FIFO, a character device (as root), a directory."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    paths = {"fifo": (fifo, "a FIFO"), "directory": (tmp_path, "a directory")}
    if os.geteuid() == 0:
        device = tmp_path / "full"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # what /dev/full is
        paths["device"] = (device, "a device")
    return paths


TINY_SOURCE = """#include "py/dynruntime.h"
mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR_answer, mp_obj_new_int(42));
    mp_store_global(MP_QSTR_run, mp_obj_new_int(7));
    MP_DYNRUNTIME_INIT_EXIT
}
"""


@pytest.fixture(scope="module")
def tiny_object(tmp_path_factory):
    """(object, config header) of a small module built by mpyforge: qstrs 'answer' and 'run'."""
    root = tmp_path_factory.mktemp("tiny")
    module = root / "src" / "tiny"
    module.mkdir(parents=True)
    (module / "module.toml").write_text('name = "tiny"\nsources = ["tiny.c"]\n')
    (module / "tiny.c").write_text(TINY_SOURCE)
    run_mpyforge("build", module, "--arch", "x64", "--out", root / "dist", "--work", root / "work")
    job = root / "work" / "tiny" / "x64_6.3"
    return job / "tiny.o", job / "tiny.config.h"


@pytest.fixture
def output_commands(tiny_object):
    obj, header = tiny_object
    return lambda output: {
        "link": ("link", "--arch", "x64", "--qstrs", header, "-o", output, obj),
        "merge": ("merge", "-o", output, CORPUS / "mpy" / "seed-tiny_bytecode.mpy"),
    }


@pytest.mark.parametrize("command", ["link", "merge"])
@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_output_that_is_not_a_regular_file_is_refused_and_kept(tmp_path, output_commands, command, kind):
    paths = special_outputs(tmp_path)
    if kind not in paths:
        pytest.skip("creating a device node needs root")
    output, described = paths[kind]
    mode_before = os.lstat(output).st_mode
    proc = run_mpyforge(*output_commands(output)[command], check=False)
    assert proc.returncode != 0
    lines = error_lines(proc)
    assert len(lines) == 1 and str(output) in lines[0] and described in lines[0], proc.stderr
    assert os.lstat(output).st_mode == mode_before, "the special file was replaced"
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


@pytest.mark.parametrize("command", ["link", "merge"])
def test_output_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path, output_commands, command):
    real = tmp_path / "real" / "out.mpy"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "link.mpy"
    link.symlink_to(real)
    run_mpyforge(*output_commands(link)[command])
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes()[:1] == b"M"
    assert sorted(p.name for p in real.parent.iterdir()) == ["out.mpy"]


def test_output_through_a_dangling_symlink_is_refused(tmp_path, output_commands):
    link = tmp_path / "link.mpy"
    link.symlink_to(tmp_path / "nowhere" / "out.mpy")
    proc = run_mpyforge(*output_commands(link)["link"], check=False)
    assert proc.returncode != 0
    assert "symbolic link" in proc.stderr and "link.mpy" in proc.stderr, proc.stderr
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()


def test_link_refuses_a_qstr_table_without_a_name_the_object_uses(tmp_path, tiny_object):
    obj, header = tiny_object
    without_run = tmp_path / "without_run.h"
    without_run.write_text("".join(line for line in header.read_text().splitlines(True) if "MP_QSTR_run " not in line))
    proc = run_mpyforge("link", "--arch", "x64", "--qstrs", without_run, "-o", tmp_path / "tiny.mpy", obj, check=False)
    assert proc.returncode != 0
    lines = error_lines(proc)
    assert len(lines) == 1 and "MP_QSTR_run" in lines[0] and "tiny.o" in lines[0], proc.stderr
    assert not (tmp_path / "tiny.mpy").exists()


def test_link_refuses_a_reordered_qstr_table(tmp_path, tiny_object):
    obj, header = tiny_object
    swapped = tmp_path / "swapped.h"
    swapped.write_text(header.read_text().replace("MP_QSTR_answer ", "MP_QSTR_tmp ").replace("MP_QSTR_run ", "MP_QSTR_answer ")
                       .replace("MP_QSTR_tmp ", "MP_QSTR_run "))
    proc = run_mpyforge("link", "--arch", "x64", "--qstrs", swapped, "-o", tmp_path / "tiny.mpy", obj, check=False)
    assert proc.returncode != 0
    assert "MP_QSTR_answer" in proc.stderr and "has 'run' there" in proc.stderr, proc.stderr


def test_build_refuses_a_qstr_longer_than_micropython_accepts(tmp_path):
    long_name = "q" * 100_000
    source = TINY_SOURCE.replace("MP_QSTR_run", f"MP_QSTR_{long_name}")
    module = write_module(tmp_path / "src", 'name = "hostile"\nsources = ["hostile.c"]\n', source)
    dist = tmp_path / "dist"
    proc = run_mpyforge("build", module, "--arch", "x64", "--out", dist, "--work", tmp_path / "work", check=False)
    assert proc.returncode != 0
    output = proc.stdout + proc.stderr
    assert "100000 bytes" in output and "255" in output, output[:2000]
    assert not dist.exists() or not list(dist.rglob("*.mpy"))


def test_linked_qstrs_reach_micropython(tmp_path, tiny_object):
    # The check must not refuse the matching table: the module still loads and sees both names.
    obj, header = tiny_object
    run_mpyforge("link", "--arch", "x64", "--qstrs", header, "-o", tmp_path / "tiny.mpy", obj)
    proc = run_micropython("import tiny; print(tiny.answer, tiny.run)", tmp_path)
    assert proc.stdout.split() == ["42", "7"]


def failed_build(module, tmp_path):
    """Builds `module` for x64 into tmp_path, expects failure, returns everything it printed."""
    proc = run_mpyforge("build", module, "--arch", "x64", "--out", tmp_path / "dist", "--work", tmp_path / "work", check=False)
    assert proc.returncode != 0, proc.stdout
    return proc.stdout + proc.stderr


@pytest.mark.parametrize("source", ["../../etc/passwd", "/etc/passwd", "sub/../../outside.c"])
def test_build_refuses_a_source_outside_the_module(tmp_path, source):
    (tmp_path / "src" / "outside.c").parent.mkdir(parents=True)
    (tmp_path / "src" / "outside.c").write_text("int mpy_init(void) { return 0; }\n")
    module = write_module(tmp_path / "src", f'name = "hostile"\nsources = ["{source}"]\n')
    (module / "sub").mkdir()
    output = failed_build(module, tmp_path)
    assert f"source '{source}' is outside the module directory" in output and "module.toml" in output, output
    assert not (tmp_path / "dist").exists() and not (tmp_path / "work").exists()


def test_build_refuses_a_source_symlinked_out_of_the_module(tmp_path):
    module = write_module(tmp_path / "src", 'name = "hostile"\nsources = ["escape.c"]\n')
    (module / "escape.c").symlink_to("/etc/passwd")
    assert "source 'escape.c' is outside the module directory" in failed_build(module, tmp_path)


def test_build_refuses_a_source_of_unknown_kind(tmp_path):
    module = write_module(tmp_path / "src", 'name = "hostile"\nsources = ["hostile.c", "notes.txt"]\n')
    (module / "notes.txt").write_text("x")
    assert "source 'notes.txt' is neither C" in failed_build(module, tmp_path)


def test_build_with_a_define_longer_than_exec_allows_names_the_limit(tmp_path):
    module = write_module(tmp_path / "src", f'name = "hostile"\nsources = ["hostile.c"]\ndefines = ["HUGE={"x" * 200_000}"]\n')
    output = failed_build(module, tmp_path)
    assert "NSCocoaErrorDomain" not in output and "(null)" not in output, output[:3000]
    assert "-DHUGE=xxx" in output and "200007 bytes" in output and "131071" in output, output[:3000]


@pytest.mark.parametrize("name, problem", [
    ("class", "Python keyword"),
    ("None", "Python keyword"),
    ("m" * 300, "at most 64"),
    ("2fast", "not starting with a digit"),
    ("a-b", "letters, digits and _"),
])
def test_new_refuses_names_python_cannot_import(tmp_path, name, problem):
    proc = run_mpyforge("new", name, "--into", tmp_path, check=False)
    assert proc.returncode != 0
    assert problem in proc.stderr and "NSCocoaErrorDomain" not in proc.stderr, proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_new_into_an_unwritable_place_says_why(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    proc = run_mpyforge("new", "fine", "--into", blocker, check=False)
    assert proc.returncode != 0
    assert "cannot create the module directory" in proc.stderr and "Not a directory" in proc.stderr, proc.stderr
    assert "NSCocoaErrorDomain" not in proc.stderr


def test_manifest_with_a_keyword_name_is_refused(tmp_path):
    module = write_module(tmp_path / "src", 'name = "class"\nsources = ["hostile.c"]\n')
    assert "'class' is not a valid module name: 'class' is a Python keyword" in failed_build(module, tmp_path)


def test_rerun_hint_pasted_into_a_shell_reproduces_the_error_and_creates_nothing(tmp_path):
    # The hint once carried -DMP_CONFIGFILE=<...> unquoted: sh read `<` and `>` as
    # redirections and left an empty file named "-DMPYFORGE_ABI_SUBVERSION=3" behind.
    module = write_module(tmp_path / "src", 'name = "hostile"\nsources = ["hostile.c"]\n', "this is not C;\n")
    before = sorted(p.name for p in module.iterdir())
    proc = run_mpyforge("build", module, "--arch", "x64", "--out", tmp_path / "dist", "--work", tmp_path / "work", check=False)
    assert proc.returncode != 0
    rerun = next(line for line in (proc.stdout + proc.stderr).splitlines() if line.lstrip().startswith("rerun: "))
    again = subprocess.run(["sh", "-c", rerun.split("rerun: ", 1)[1]], capture_output=True, text=True, timeout=60)
    assert again.returncode != 0 and "error" in again.stderr, again.stderr
    assert sorted(p.name for p in module.iterdir()) == before


def test_no_file_in_the_repository_is_named_like_a_flag():
    listed = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.splitlines()
    assert [path for path in listed if Path(path).name.startswith("-")] == []


SDK_MODULE = """#include "py/dynruntime.h"
mp_obj_t mpy_init(mp_obj_fun_bc_t *self, size_t n_args, size_t n_kw, mp_obj_t *args) {
    MP_DYNRUNTIME_INIT_ENTRY
    mp_store_global(MP_QSTR___name__, MP_OBJ_NEW_QSTR(MP_QSTR_hostile));
    MP_DYNRUNTIME_INIT_EXIT
}
"""


def test_work_path_through_directories_named_like_macros_builds(tmp_path):
    # The generated config header reaches the compiler as -DMP_CONFIGFILE=...: as <path> the
    # preprocessor expanded each word, so with -std=gnu99 (which defines `linux` and `unix` as 1)
    # .../linux/unix/... became .../1/1/... and the include failed; a string literal is not expanded.
    module = write_module(tmp_path / "src", 'name = "hostile"\nsources = ["hostile.c"]\ncflags = ["-std=gnu99"]\n',
                          SDK_MODULE)
    dist = tmp_path / "dist"
    run_mpyforge("build", module, "--arch", "x64", "--out", dist, "--work", tmp_path / "linux" / "unix" / "work")
    assert run_micropython("import hostile; print(hostile.__name__)", dist / "x64_6.3").stdout.strip() == "hostile"


def test_work_path_with_a_double_quote_is_refused_with_the_fix(tmp_path):
    module = write_module(tmp_path / "src", 'name = "hostile"\nsources = ["hostile.c"]\n', SDK_MODULE)
    proc = run_mpyforge("build", module, "--arch", "x64", "--out", tmp_path / "dist", "--work", tmp_path / 'my"work',
                        check=False)
    assert proc.returncode != 0
    assert "double quote" in proc.stdout + proc.stderr and "--work" in proc.stdout + proc.stderr
    assert not (tmp_path / "dist" / "x64_6.3" / "hostile.mpy").exists()
