"""The wheel users install: `pip install mpyforge-....whl` into a fresh virtualenv, then
mpyforge from there (on PATH, outside any checkout) shows its version, finds its compilers
and its own SDK, and builds a module that loads in the real MicroPython unix port.

The wheel is built once per test session by scripts/wheel (a release build: minutes when
nothing is cached); scripts/test builds it before pytest and passes it in $MPYFORGE_WHEEL.
"""

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, run_micropython

VERSION = re.search(r'current = "([^"]+)"', (REPO / "Sources/BuildSystem/MPYForgeVersion.swift").read_text()).group(1)
SYSTEM_LIBRARIES = {
    "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libutil.so.1",
    "libgcc_s.so.1", "libstdc++.so.6", "ld-linux-x86-64.so.2",
}


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    given = os.environ.get("MPYFORGE_WHEEL")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([str(REPO / "scripts" / "wheel"), "--out", str(out)], capture_output=True, text=True, timeout=1800)
    assert built.returncode == 0, f"scripts/wheel failed:\n{built.stdout}\n{built.stderr}"
    return Path(built.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh virtualenv with only the wheel installed (no index: nothing else comes along)."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=300)
    installed = subprocess.run([str(root / "bin" / "pip"), "install", "--no-index", "--disable-pip-version-check", str(wheel)],
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, f"pip install failed:\n{installed.stdout}\n{installed.stderr}"
    return root


def run_installed(venv: Path, *args, cwd, env_extra=None):
    """Runs `mpyforge` by name, found on PATH in the virtualenv's bin, from outside the checkout."""
    env = dict(os.environ)
    for variable in ("MPYFORGE_SDK", "MPYFORGE_TEMPLATES", "MPY_CROSS", "MPYFORGE_PYTHON"):
        env.pop(variable, None)
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}"
    env.update(env_extra or {})
    proc = subprocess.run(["mpyforge", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    return proc


def test_wheel_is_named_for_the_glibc_its_binary_needs(wheel):
    tag = re.fullmatch(rf"mpyforge-{re.escape(VERSION)}-py3-none-manylinux_2_(\d+)_x86_64\.whl", wheel.name)
    assert tag, wheel.name
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert f"mpyforge-{VERSION}.data/scripts/mpyforge" in names
        assert f"mpyforge-{VERSION}.data/data/share/mpyforge/CModules/sdk/py/dynruntime.h" in names
        assert f"mpyforge-{VERSION}.data/data/share/mpyforge/Templates/natmod/module.toml" in names
        assert f"mpyforge-{VERSION}.dist-info/RECORD" in names
        binary = archive.read(f"mpyforge-{VERSION}.data/scripts/mpyforge")
    extracted = wheel.parent / "mpyforge.check"
    extracted.write_bytes(binary)
    symbols = subprocess.run(["objdump", "-T", str(extracted)], capture_output=True, text=True, check=True).stdout
    newest = max(int(minor) for minor in re.findall(r"\bGLIBC_2\.(\d+)\b", symbols))
    assert int(tag.group(1)) == newest
    headers = subprocess.run(["objdump", "-p", str(extracted)], capture_output=True, text=True, check=True).stdout
    needed = set(re.findall(r"^\s*NEEDED\s+(\S+)", headers, re.M))
    # The Swift runtime, Foundation, libelf and libopcodes are not among them.
    assert needed <= SYSTEM_LIBRARIES, needed - SYSTEM_LIBRARIES
    extracted.unlink()


def test_version(venv, tmp_path):
    proc = run_installed(venv, "--version", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == VERSION


def test_doctor_finds_the_installed_sdk(venv, tmp_path):
    proc = run_installed(venv, "doctor", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    sdk = re.search(r"^sdk\s+found\s+(\S+)", proc.stdout, re.M)
    assert sdk, proc.stdout
    assert Path(sdk.group(1)).resolve() == (venv / "share" / "mpyforge" / "CModules" / "sdk").resolve()
    assert re.search(r"^x64\s+found", proc.stdout, re.M), proc.stdout
    assert proc.stdout.split()[:3] == ["mpyforge", VERSION, str((venv / "bin" / "mpyforge").resolve())]


def test_new_module_builds_and_loads_in_micropython(venv, tmp_path):
    created = run_installed(venv, "new", "wheeltest", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    module = next(tmp_path.rglob("wheeltest/module.toml")).parent
    built = run_installed(venv, "build", module, "--arch", "x64", "--out", tmp_path / "dist", "--work", tmp_path / "work", "--json", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    report = json.loads(built.stdout)
    assert report["mpyforge"] == VERSION
    assert [job["status"] for job in report["jobs"]] == ["built"]
    proc = run_micropython("import wheeltest\nprint(wheeltest.add(40, 2), wheeltest.VERSION)", tmp_path / "dist" / "x64_6.3")
    assert proc.stdout.split() == ["42", "0.1.0"]


def test_publish_uses_the_installed_installer_template(venv, tmp_path):
    created = run_installed(venv, "new", "pubtest", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    module = next(tmp_path.rglob("pubtest/module.toml")).parent
    assert run_installed(venv, "build", module, "--arch", "x64", "--out", tmp_path / "dist", "--work", tmp_path / "work", cwd=tmp_path).returncode == 0
    published = run_installed(venv, "publish", tmp_path / "dist", tmp_path / "site", "--version", "1.0.0", cwd=tmp_path)
    assert published.returncode == 0, published.stderr
    catalog = json.loads((tmp_path / "site" / "index.json").read_text())
    assert catalog["generator_version"] == VERSION
    assert "def install(" in (tmp_path / "site" / "mpyforge_install.py").read_text()


def test_disassembly_loads_libopcodes_only_when_asked(venv, tmp_path):
    fixture = REPO / "Tests" / "InspectorTests" / "Fixtures" / "emitters_x64.mpy"
    plain = run_installed(venv, "inspect", fixture, cwd=tmp_path, env_extra={"MPYFORGE_LIBOPCODES": "/nonexistent/libopcodes.so"})
    assert plain.returncode == 0 and "cannot load" not in plain.stdout + plain.stderr
    missing = run_installed(venv, "inspect", "--disasm", fixture, cwd=tmp_path, env_extra={"MPYFORGE_LIBOPCODES": "/nonexistent/libopcodes.so"})
    text = missing.stdout + missing.stderr
    assert "cannot load /nonexistent/libopcodes.so" in text and "apt-get install binutils-multiarch" in text, text
    present = run_installed(venv, "inspect", "--disasm", fixture, cwd=tmp_path)
    assert present.returncode == 0, present.stderr
    assert re.search(r"\bpush\s+%rbp", present.stdout), present.stdout
