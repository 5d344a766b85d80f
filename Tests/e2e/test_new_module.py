"""`mpyforge new`: the template (Templates/natmod) is a module with a function and a class
(methods, print, the buffer protocol) that builds for every arch, imports and runs, and
whose README says what it does."""

import json
import re

import pytest

from conftest import run_micropython, run_mpyforge

CROSS_ARCHES = ["armv6m", "armv7m", "armv7emsp", "armv7emdp", "rv32imc", "x86", "xtensa"]


@pytest.fixture(scope="module")
def created(tmp_path_factory):
    root = tmp_path_factory.mktemp("new")
    run_mpyforge("new", "demo_mod", "--into", root)
    module = root / "demo_mod"
    run_mpyforge("build", module, "--arch", "x64", "--out", root / "d", "--work", root / "w")
    return module, root / "d" / "x64_6.3"


def test_function_and_class_run(created):
    _, libdir = created
    script = """
import demo_mod as m
s = m.Samples(6)
s.fill(9)
mv = memoryview(s)
mv[1] = 200
print(m.add(40, 2), s, s.total(), bytes(s).hex(), len(mv), type(s).__name__)
try:
    s.fill(256)
except ValueError as e:
    print('ValueError', e)
"""
    lines = run_micropython(script, libdir).stdout.splitlines()
    data = bytes([9, 200, 9, 9, 9, 9])
    assert lines[0].split() == ["42", "Samples(6)", str(sum(data)), data.hex(), "6", "Samples"]
    assert lines[1] == "ValueError value must be 0..255"


def test_readme_example_prints_what_it_says(created):
    module, libdir = created
    readme = (module / "README.md").read_text()
    assert "demo_mod" in readme and "{{name}}" not in readme
    block = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    expected = [line.split("# ", 1)[1].split(" (")[0] for line in block.splitlines() if line.startswith("print(s") and "# " in line]
    output = run_micropython(block, libdir).stdout.splitlines()
    assert output[-1] == expected[0]


@pytest.mark.parametrize("arch", CROSS_ARCHES)
def test_builds_for_every_arch(created, tmp_path, arch):
    module, _ = created
    proc = run_mpyforge("build", module, "--arch", arch, "--out", tmp_path / "d", "--work", tmp_path / "w", "--json")
    assert json.loads(proc.stdout)["jobs"][0]["status"] == "built"


def test_new_refuses_a_name_that_is_not_an_identifier(tmp_path):
    proc = run_mpyforge("new", "my-filter", "--into", tmp_path, check=False)
    assert proc.returncode != 0 and "not a valid module name" in proc.stderr
    assert not any(tmp_path.iterdir())
