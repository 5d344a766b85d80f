"""`mpyforge toolchain install/list/remove` against a loopback HTTP server.

The archives are fake toolchains the tests make (a `bin/xtensa-esp32-elf-gcc` shell script,
an ARM one that forwards to the real arm-none-eabi-gcc), served from 127.0.0.1; the table is
pointed at them with MPYFORGE_TOOLCHAIN_TABLE. Everything else is the real mpyforge: real
curl, real tar, real SHA-256 check, real cache on disk, real doctor and build.
"""

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import tarfile
from pathlib import Path

import pytest

from conftest import REPO, run_mpyforge
from toolchain_server import ArchiveServer

HOSTS = ("linux-amd64", "linux-arm64", "macos-arm64", "macos-x86_64")
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")

FAKE_ESP32_GCC = """#!/bin/sh
case "$1" in
  --version) echo "xtensa-esp32-elf-gcc (crosstool-NG esp-14.2.0_20260121) 14.2.0 [mpyforge test fake]"; exit 0 ;;
  -dumpmachine) echo "xtensa-esp-elf"; exit 0 ;;
esac
echo "fake compiler: $*" >&2
exit 1
"""


def make_archive(top: str, files: dict, padding: int = 1 << 20) -> bytes:
    """A .tar.gz holding `top/<path>` for each file (str content, executable), plus incompressible
    padding so that a download is long enough to be cut off in the middle."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path, text in {**files, "share/padding.bin": os.urandom(padding)}.items():
            data = text.encode() if isinstance(text, str) else text
            info = tarfile.TarInfo(f"{top}/{path}")
            info.size = len(data)
            info.mode = 0o755 if path.startswith("bin/") else 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def table_entry(name, version, arches, compilers, url, body, sha256=None):
    download = {"url": url, "sha256": sha256 or hashlib.sha256(body).hexdigest(), "size": len(body)}
    return {
        "name": name, "version": version, "vendor": "Test", "source": "made by test_toolchain_install.py",
        "arches": arches, "compilers": compilers, "downloads": {host: download for host in HOSTS},
        "alternative": "the test's alternative (--cc)",
    }


class Env:
    """A clean environment: its own cache, the test table, no proxies (curl talks to loopback)."""

    def __init__(self, tmp: Path):
        self.cache = tmp / "cache"
        self.table = tmp / "table.json"
        self.vars = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES}
        self.vars["XDG_CACHE_HOME"] = str(self.cache)
        self.vars["MPYFORGE_TOOLCHAIN_TABLE"] = str(self.table)
        self.vars.pop("MPYFORGE_TOOLCHAIN_MIRROR", None)

    @property
    def toolchains(self) -> Path:
        return self.cache / "mpyforge" / "toolchains"

    def write_table(self, *entries):
        self.table.write_text(json.dumps({"toolchains": list(entries)}))

    def run(self, *args, check=True):
        return run_mpyforge(*args, env=self.vars, check=check)

    def leftovers(self):
        return sorted(p.name for p in self.toolchains.iterdir()) if self.toolchains.exists() else []


@pytest.fixture
def server():
    with ArchiveServer() as running:
        yield running


@pytest.fixture
def env(tmp_path):
    return Env(tmp_path)


def esp32_archive(server, env, corrupt=False):
    """Serves a fake xtensa-esp-elf archive and points the table at it; with `corrupt`, the
    server's copy has one byte flipped. Returns the URL and the table's archive."""
    archive = make_archive("xtensa-esp-elf", {"bin/xtensa-esp32-elf-gcc": FAKE_ESP32_GCC})
    served = bytearray(archive)
    if corrupt:
        served[len(served) // 2] ^= 0xFF
    url = server.serve("xtensa-esp-elf-test-x86_64-linux-gnu.tar.gz", bytes(served))
    env.write_table(table_entry("xtensa-esp-elf", "test", ["xtensawin"], {"xtensawin": "bin/xtensa-esp32-elf-gcc"},
                                url, archive))
    return url, archive


def test_install_list_doctor_second_install_remove(server, env):
    url, _ = esp32_archive(server, env)
    installed = env.run("toolchain", "install", "xtensawin")
    target = env.toolchains / "xtensa-esp-elf-test"
    assert f"installed xtensa-esp-elf test (xtensawin) in {target}" in installed.stdout
    assert url in installed.stderr  # progress names what it downloads
    assert os.access(target / "bin" / "xtensa-esp32-elf-gcc", os.X_OK)
    receipt = json.loads((target / ".mpyforge-toolchain.json").read_text())
    assert receipt["url"] == url and receipt["compilers"] == {"xtensawin": "bin/xtensa-esp32-elf-gcc"}
    assert env.leftovers() == ["xtensa-esp-elf-test"], "no temporary files stay behind"

    listing = env.run("toolchain", "list").stdout
    assert "xtensa-esp-elf test" in listing and f"installed  {target}" in listing

    doctor = env.run("doctor").stdout
    xtensawin = next(line for line in doctor.splitlines() if line.startswith("xtensawin"))
    assert f"found    {target}/bin/xtensa-esp32-elf-gcc" in xtensawin, doctor

    # A second install downloads nothing.
    before = server.count("xtensa-esp-elf-test-x86_64-linux-gnu.tar.gz")
    again = env.run("toolchain", "install", "xtensawin")
    assert "already installed" in again.stdout
    assert server.count("xtensa-esp-elf-test-x86_64-linux-gnu.tar.gz") == before == 1

    removed = env.run("toolchain", "remove", "xtensawin")
    assert f"removed xtensa-esp-elf test ({target})" in removed.stdout
    assert not target.exists() and env.leftovers() == []
    assert "available" in env.run("toolchain", "list").stdout
    failed = env.run("toolchain", "remove", "xtensawin", check=False)
    assert failed.returncode != 0 and "no installed toolchain matches xtensawin" in failed.stderr


def test_corrupt_download_is_refused_and_nothing_installed(server, env):
    url, archive = esp32_archive(server, env, corrupt=True)
    corrupt = bytearray(archive)
    corrupt[len(corrupt) // 2] ^= 0xFF
    proc = env.run("toolchain", "install", "xtensawin", check=False)
    assert proc.returncode != 0
    assert "mpyforge: error:" in proc.stderr and url in proc.stderr
    assert f"the table says {hashlib.sha256(archive).hexdigest()}" in proc.stderr
    assert hashlib.sha256(bytes(corrupt)).hexdigest() in proc.stderr
    assert "nothing was installed" in proc.stderr
    assert env.leftovers() == []
    assert "xtensa-esp-elf" not in env.run("doctor").stdout


def test_interrupted_download_is_retried(server, env):
    esp32_archive(server, env)
    server.cut_first["/xtensa-esp-elf-test-x86_64-linux-gnu.tar.gz"] = 1
    proc = env.run("toolchain", "install", "xtensawin")
    assert "interrupted" in proc.stderr and "attempt 2 of 3" in proc.stderr
    assert server.count("xtensa-esp-elf-test-x86_64-linux-gnu.tar.gz") == 2
    assert env.leftovers() == ["xtensa-esp-elf-test"]


def test_download_that_keeps_breaking_fails_clearly_with_nothing_installed(server, env):
    url, _ = esp32_archive(server, env)
    server.cut_first["/xtensa-esp-elf-test-x86_64-linux-gnu.tar.gz"] = 100
    proc = env.run("toolchain", "install", "xtensawin", check=False)
    assert proc.returncode != 0
    assert f"downloading {url} failed 3 times" in proc.stderr, proc.stderr
    assert "--cc" in proc.stderr
    assert env.leftovers() == []


def test_killed_install_leaves_nothing_visible_and_next_install_cleans_up(server, env):
    """mpyforge killed in the middle of a download: doctor sees no toolchain, only a dot-named
    partial file exists, and the next install sweeps it and installs."""
    from conftest import mpyforge_binary
    esp32_archive(server, env)
    name = "/xtensa-esp-elf-test-x86_64-linux-gnu.tar.gz"
    server.stall_first[name] = 1
    proc = subprocess.Popen([mpyforge_binary(), "toolchain", "install", "xtensawin"], env=env.vars,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert server.stalled.wait(timeout=60), "the download never started"
        leftovers = env.leftovers()
        assert leftovers and all(entry.startswith(".partial-") for entry in leftovers), leftovers
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # mpyforge and its curl
        proc.wait(timeout=30)
    assert "xtensa-esp-elf" not in env.run("doctor").stdout
    assert env.run("toolchain", "list").stdout.count("available") == 1

    server.release.set()
    env.run("toolchain", "install", "xtensawin")
    assert env.leftovers() == ["xtensa-esp-elf-test"], "the killed run's partial download was swept"


def test_missing_file_on_mirror_is_not_retried(server, env):
    esp32_archive(server, env)
    proc = env.run("toolchain", "install", "xtensawin", "--mirror", f"{server.base}/elsewhere", check=False)
    assert proc.returncode != 0
    assert f"{server.base}/elsewhere/xtensa-esp-elf-test-x86_64-linux-gnu.tar.gz answered HTTP 404" in proc.stderr
    assert server.count("elsewhere/xtensa-esp-elf-test-x86_64-linux-gnu.tar.gz") == 1
    assert env.leftovers() == []


def test_mirror_directory_installs_without_network(tmp_path, env):
    """The offline route the error message offers: the archive in a directory, --mirror file://DIR."""
    archive = make_archive("xtensa-esp-elf", {"bin/xtensa-esp32-elf-gcc": FAKE_ESP32_GCC}, padding=1000)
    name = "xtensa-esp-elf-test-x86_64-linux-gnu.tar.gz"
    env.write_table(table_entry("xtensa-esp-elf", "test", ["xtensawin"], {"xtensawin": "bin/xtensa-esp32-elf-gcc"},
                                f"https://vendor.invalid/{name}", archive))
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / name).write_bytes(archive)
    proc = env.run("toolchain", "install", "xtensawin", "--mirror", f"file://{mirror}")
    assert "installed xtensa-esp-elf test" in proc.stdout


def test_offline_error_names_url_and_alternatives(tmp_path):
    """With the built-in table: a host that cannot be resolved is reported as offline, once,
    with the URL and the ways to get a compiler without downloading."""
    env = Env(tmp_path)
    env.vars.pop("MPYFORGE_TOOLCHAIN_TABLE")
    proc = env.run("toolchain", "install", "xtensawin", "--mirror", "https://mpyforge-test.invalid/tools", check=False)
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith("mpyforge: error:")]
    assert len(errors) == 1, proc.stderr
    assert "https://mpyforge-test.invalid/tools/xtensa-esp-elf-" in errors[0] and "offline" in errors[0]
    assert "ESP-IDF" in errors[0] and "--cc xtensawin=" in errors[0] and "--mirror file://" in errors[0]
    assert "attempt" not in proc.stderr, "offline is not retried"
    assert not env.toolchains.exists() or env.leftovers() == []


def test_arch_without_vendor_toolchain_says_how_to_get_one(env):
    env.write_table()
    proc = env.run("toolchain", "install", "x64", check=False)
    assert proc.returncode != 0 and "no vendor toolchain to install for x64" in proc.stderr and "apt-get install gcc" in proc.stderr
    proc = env.run("toolchain", "install", "z80", check=False)
    assert proc.returncode != 0 and "no toolchain or arch called z80" in proc.stderr


def test_build_uses_installed_toolchain(server, env, tmp_path):
    """An installed ARM toolchain is what `build` compiles with, without --cc. The fake's
    compiler logs each call and forwards to the real arm-none-eabi-gcc."""
    real = shutil.which("arm-none-eabi-gcc")
    if real is None:
        pytest.skip("needs arm-none-eabi-gcc (scripts/setup installs it)")
    log = tmp_path / "calls.log"
    wrapper = f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n'
    archive = make_archive("arm-gnu-toolchain-test", {"bin/arm-none-eabi-gcc": wrapper}, padding=1000)
    url = server.serve("arm-gnu-toolchain-test.tar.gz", archive)
    arches = ["armv6m", "armv7m", "armv7emsp", "armv7emdp"]
    env.write_table(table_entry("arm-gnu-toolchain", "test", arches, {a: "bin/arm-none-eabi-gcc" for a in arches}, url, archive))
    env.run("toolchain", "install", "armv7m")

    compiler = env.toolchains / "arm-gnu-toolchain-test" / "bin" / "arm-none-eabi-gcc"
    doctor = env.run("doctor").stdout
    assert any(line.startswith("armv7m") and f"found    {compiler}" in line for line in doctor.splitlines()), doctor

    dist = tmp_path / "dist"
    env.run("build", REPO / "Tests" / "e2e" / "modules" / "floatmath", "--arch", "armv7m",
            "--out", dist, "--work", tmp_path / "work")
    assert (dist / "armv7m_6.3" / "floatmath.mpy").stat().st_size > 0
    assert "floatmath.c" in log.read_text(), "build compiled with the installed toolchain"


@pytest.mark.skipif(not shutil.which("ldd"), reason="ldd lists shared libraries on Linux only")
def test_binary_does_not_load_networking_libraries():
    """Downloads go through curl(1): mpyforge itself links neither FoundationNetworking nor
    libcurl, so `link` and every other command start without them."""
    from conftest import mpyforge_binary
    libraries = subprocess.run(["ldd", mpyforge_binary()], capture_output=True, text=True).stdout
    assert "FoundationNetworking" not in libraries and "libcurl" not in libraries, libraries
