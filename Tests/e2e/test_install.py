"""`mpyforge install`: from a published index to a working module, with the real clients.

The board is the unix port on a pseudo-terminal (pty_device.py), asked through mpremote;
the index is served by `mpyforge serve` on a random loopback port. Each install is judged by
importing the module on the device (or in the unix port) and calling it."""

import subprocess

import pytest

from conftest import REPO, run_mpyforge
from publish_support import IndexServer, client_env, publish_example, raw_request, run_device_script
from pty_device import PtyDevice


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """mpyforge_example for x64 and armv6m (ABI 6.3), published twice: 1.0.0 then 2.0.0."""
    return publish_example(tmp_path_factory.mktemp("install-index"), [("x64", "6.3"), ("armv6m", "6.3")], ("1.0.0", "2.0.0"))


@pytest.fixture(scope="module")
def unfit_index(tmp_path_factory):
    """An index the unix port (x64, ABI 6.3) cannot use: armv6m at 6.3 and x64 at 6.2 only."""
    return publish_example(tmp_path_factory.mktemp("unfit-index"), [("armv6m", "6.3"), ("x64", "6.2")])


@pytest.fixture(scope="module")
def server(index, tmp_path_factory):
    with IndexServer(index, tmp_path_factory.mktemp("install-serve") / "serve.log") as running:
        yield running


def install(*args, home):
    """mpyforge install with no proxies and a fresh HOME (mpremote's mip runs on this side)."""
    return run_mpyforge("install", *args, check=False, env=client_env(home))


def test_install_asks_the_pty_board_and_installs_its_build(server, tmp_path):
    device_home = tmp_path / "device-home"
    with PtyDevice(cwd=tmp_path, home=device_home) as device:
        proc = install("mpyforge_example", "--index", server.url, "--device", device.port, home=tmp_path / "pc")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "target: x64 code, .mpy ABI 6.3 (MicroPython " in proc.stdout
        assert f"mpyforge_example 2.0.0: x64_6.3 ({server.url}/x64_6.3)" in proc.stdout
        assert f"mip install --index {server.url}/x64_6.3 mpyforge_example" in proc.stdout
        assert "Done" in proc.stdout
        check = device.mpremote("exec", "import mpyforge_example; print('sum', mpyforge_example.add_ints(20, 22))")
        assert "sum 42" in check.stdout, check.stdout + check.stderr
    installed = device_home / ".micropython" / "lib" / "mpyforge_example.mpy"
    assert installed.read_bytes() == (server.index / "x64_6.3" / "mpyforge_example.mpy").read_bytes()
    assert '"GET /x64_6.3/package/6/mpyforge_example/latest.json HTTP/1.1" 200' in server.log()
    assert "armv6m_6.3/package" not in server.log()


def test_install_a_version_from_a_build_address_on_the_pty_board(server, tmp_path):
    """A build directory given as --index goes back to the root, and the board still chooses."""
    with PtyDevice(cwd=tmp_path, home=tmp_path / "device-home") as device:
        proc = install("mpyforge_example@1.0.0", "--index", server.url + "/armv6m_6.3/", "--device", device.port,
                       home=tmp_path / "pc")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "--index names the build directory armv6m_6.3" in proc.stderr
        assert f"mip install --index {server.url}/x64_6.3 mpyforge_example@1.0.0" in proc.stdout
        check = device.mpremote("exec", "import mpyforge_example; print('sum', mpyforge_example.add_ints(1, 2))")
        assert "sum 3" in check.stdout, check.stdout + check.stderr
    assert '"GET /x64_6.3/package/6/mpyforge_example/1.0.0.json HTTP/1.1" 200' in server.log()


def test_no_fitting_build_says_why_per_build(unfit_index, tmp_path):
    with IndexServer(unfit_index, tmp_path / "serve.log") as server, \
            PtyDevice(cwd=tmp_path, home=tmp_path / "device-home") as device:
        proc = install("mpyforge_example", "--index", server.url, "--device", device.port, home=tmp_path / "pc")
        listing = device.mpremote("exec", "import os; print(os.listdir())").stdout
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("mpyforge: error: no build of mpyforge_example fits: the target runs x64 code, .mpy ABI 6.3 (MicroPython 1."), proc.stderr
    assert "  armv6m_6.3: armv6m code, which a target running x64 code cannot load" in lines
    assert "  x64_6.2: ABI 6.2 is for MicroPython 1.22; the target needs ABI 6.3 (MicroPython 1.23 and later)" in lines
    assert "fix: the maintainer can add it: mpyforge build --arch x64 --abi 6.3, then mpyforge publish" in lines
    assert "mpremote" not in proc.stdout and "mpyforge_example" not in listing
    assert "/package/" not in server.log()  # nothing was fetched for an install that cannot work


def test_target_installs_into_a_folder_that_the_unix_port_loads(server, tmp_path):
    lib = tmp_path / "lib"
    proc = install("mpyforge_example", "--index", server.url, "--target", "x64_6.3", "--dest", lib, home=tmp_path / "pc")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"installed {lib}/mpyforge_example.mpy" in proc.stdout
    run = run_device_script(f"import sys\nsys.path.insert(0, {str(lib)!r})\nimport mpyforge_example\nprint(mpyforge_example.add_ints(40, 2))",
                            tmp_path / "home")
    assert run.stdout.strip() == "42", run.stdout + run.stderr


def test_target_picks_the_older_thumb_build_a_newer_core_runs(index, tmp_path):
    """armv7emsp loads armv6m code: with only armv6m published, that is what it gets.
    The index is read from its directory here, with no server."""
    lib = tmp_path / "lib"
    proc = install("mpyforge_example@1.0.0", "--index", index, "--target", "armv7emsp_6.3", "--dest", lib, home=tmp_path / "pc")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "mpyforge_example 1.0.0: armv6m_6.3" in proc.stdout
    assert (lib / "mpyforge_example.mpy").read_bytes() == (index / "armv6m_6.3" / "mpyforge_example.mpy").read_bytes()
    check = run_mpyforge("check", lib / "mpyforge_example.mpy", "--target", "armv7emsp_6.3", check=False)
    assert check.returncode == 0, check.stdout


def test_unknown_package_version_and_address_are_explained(server, tmp_path):
    home = tmp_path / "pc"
    proc = install("no_such_module", "--index", server.url, "--target", "x64_6.3", "--dest", tmp_path / "lib", home=home)
    assert proc.returncode == 1 and f"{server.url} has no package no_such_module; it has: mpyforge_example" in proc.stderr, proc.stderr
    proc = install("mpyforge_example@9.9", "--index", server.url, "--target", "x64_6.3", "--dest", tmp_path / "lib", home=home)
    assert proc.returncode == 1 and "mpyforge_example has no version 9.9; published versions: 1.0.0, 2.0.0" in proc.stderr, proc.stderr
    proc = install("mpyforge_example", "--index", server.url + "/nowhere", "--target", "x64_6.3", "--dest", tmp_path / "lib", home=home)
    assert proc.returncode == 1 and "is not the root of an mpyforge index" in proc.stderr, proc.stderr
    assert not (tmp_path / "lib").exists()


def test_damaged_index_installs_nothing(index, tmp_path):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(index, site)
    for content in (site / "x64_6.3" / "file").rglob("*"):
        if content.is_file():
            content.write_bytes(content.read_bytes()[:-1] + b"\0")
    proc = install("mpyforge_example", "--index", site, "--target", "x64_6.3", "--dest", tmp_path / "lib", home=tmp_path / "pc")
    assert proc.returncode == 1 and "is not the published" in proc.stderr and "mpyforge verify" in proc.stderr, proc.stderr
    assert not (tmp_path / "lib").exists()


def test_mip_at_the_root_gets_a_404_that_names_the_builds(server, tmp_path):
    """Stock mip given the root says only "Package not found"; the URL it names explains."""
    proc = run_device_script(f"import mip\nmip.install('mpyforge_example', index={server.url!r}, target={str(tmp_path / 'lib')!r})",
                             tmp_path / "home")
    assert f"Package not found: {server.url}/package/6/mpyforge_example/latest.json" in proc.stdout, proc.stdout
    response = raw_request(server.port, b"GET /package/6/mpyforge_example/latest.json HTTP/1.0\r\n\r\n").decode()
    head, body = response.split("\r\n\r\n", 1)
    assert head.startswith("HTTP/1.1 404 ")
    assert "This is the root of an mpyforge index" in body
    assert "mpremote mip install --index <this server>/x64_6.3 mpyforge_example" in body
    assert "mpremote mip install --index <this server>/armv6m_6.3 mpyforge_example" in body
    assert "mpyforge install mpyforge_example --index <this server>" in body
    assert "Builds here (each a mip index): armv6m_6.3, x64_6.3" in body
    missing = raw_request(server.port, b"GET /x64_6.3/package/6/mpyforge_example/9.json HTTP/1.0\r\n\r\n").decode()
    assert "mpyforge_example has no version 9 for x64_6.3; published: 1.0.0, 2.0.0" in missing
    # Static hosts that serve 404.html for every missing path (GitHub Pages) say the same.
    page = (server.index / "404.html").read_text()
    assert "mpremote mip install --index &lt;this site&gt;/x64_6.3 NAME" in page
    assert "mpyforge install NAME --index &lt;this site&gt;" in page and "armv6m_6.3, x64_6.3" in page


def test_documented_board_less_tryout_with_socat(server, tmp_path):
    """docs/publishing.md's try-out without a board: socat gives the unix port a serial-like
    device, and `mpyforge install --device` treats it as a board."""
    import os
    import shutil
    import signal
    import time

    from conftest import MICROPYTHON

    socat = shutil.which("socat")
    assert socat, "socat is needed for this test: run ./scripts/setup (Debian package socat)"
    link = tmp_path / "upy"
    env = client_env(tmp_path / "device-home")
    relay = subprocess.Popen([socat, f"PTY,link={link},rawer", f"EXEC:{MICROPYTHON},pty,rawer,stderr"],
                             env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not link.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert link.exists(), "socat did not create the device"
        proc = install("mpyforge_example", "--index", server.url, "--device", link, home=tmp_path / "pc")
        assert proc.returncode == 0 and "Done" in proc.stdout, proc.stdout + proc.stderr
        mpremote = REPO / ".venv" / "bin" / "mpremote"
        check = subprocess.run([str(mpremote), "connect", str(link), "resume", "exec",
                                "import mpyforge_example; print(mpyforge_example.add_ints(2, 3))"],
                               capture_output=True, text=True, timeout=30, env=client_env(tmp_path / "pc"))
        assert check.stdout.strip() == "5", check.stdout + check.stderr
    finally:
        os.killpg(relay.pid, signal.SIGTERM)
        relay.wait(timeout=10)
    assert (tmp_path / "device-home" / ".micropython" / "lib" / "mpyforge_example.mpy").is_file()
