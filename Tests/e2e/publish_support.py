"""Helpers for the publish/serve tests: a running `mpyforge serve`, clean environments for
the real clients, and raw HTTP requests that no client library would normalise."""

import os
import select
import socket
import subprocess
import time
from pathlib import Path

from conftest import MICROPYTHON, REPO, mpyforge_binary, run_mpyforge

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def client_env(home: Path) -> dict:
    """A fresh HOME, no MICROPYPATH and no proxies: mip and mpremote talk to loopback only."""
    env = {k: v for k, v in os.environ.items() if k != "MICROPYPATH" and k.lower() not in PROXY_VARIABLES}
    env["HOME"] = str(home)
    home.mkdir(parents=True, exist_ok=True)
    return env


class IndexServer:
    """`mpyforge serve <index> --port 0`, on loopback, always stopped (and killed if stubborn)."""

    def __init__(self, index: Path, log: Path):
        self.index = index
        self.log_path = log
        self.process = None
        self.url = None

    def start(self, timeout=20):
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [mpyforge_binary(), "serve", str(self.index), "--port", "0"],
            stdout=subprocess.PIPE, stderr=self._log, text=True,
        )
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line.startswith("serving "):
            self.stop()
            raise AssertionError(f"mpyforge serve did not start: {line!r}\n{self.log()}")
        self.url = line.split(" at ", 1)[1].strip().rstrip("/")
        return self

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self._log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def raw_request(port: int, request: bytes, timeout=10) -> bytes:
    """Sends bytes exactly as given and reads until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(request)
        chunks = []
        while True:
            data = conn.recv(65536)
            if not data:
                return b"".join(chunks)
            chunks.append(data)


def run_device_script(script: str, home: Path, timeout=120) -> subprocess.CompletedProcess:
    """The unix port with a fresh HOME and a clean environment; the caller judges the output."""
    return subprocess.run([MICROPYTHON, "-c", script], capture_output=True, text=True,
                          timeout=timeout, env=client_env(home))


def wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def publish_example(root: Path, builds, versions=("1.0.0",)) -> Path:
    """mpyforge_example built for each (arch, abi) in `builds` and published as each version
    in turn into root/site; returns the index directory."""
    for arch, abi in builds:
        run_mpyforge("build", REPO / "CModules" / "mpyforge_example", "--arch", arch, "--abi", abi,
                     "--out", root / "dist", "--work", root / "work")
    site = root / "site"
    for version in versions:
        run_mpyforge("publish", root / "dist", site, "--version", version)
    return site
