"""How long `mpyforge toolchain install` takes for an archive the size of Espressif's
xtensa-esp-elf (176.6 MB), served from loopback, against the same work done by hand
(curl + sha256sum + tar). Measures mpyforge's own overhead (hashing while downloading,
the unpack and rename), not the network.

    .venv/bin/python benchmarks/toolchain_install.py [path/to/mpyforge]   (default: release build)
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
from toolchain_server import ArchiveServer  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SIZE = 176_559_292  # bytes of xtensa-esp-elf-14.2.0_20260121-x86_64-linux-gnu.tar.xz


def archive_of_size(size: int) -> bytes:
    """An uncompressed tar of incompressible data, close to `size` bytes."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        script = b"#!/bin/sh\necho fake 1.0\n"
        info = tarfile.TarInfo("xtensa-esp-elf/bin/xtensa-esp32-elf-gcc")
        info.size, info.mode = len(script), 0o755
        tar.addfile(info, io.BytesIO(script))
        for index in range(size // (16 << 20) + 1):
            chunk = os.urandom(min(16 << 20, size - index * (16 << 20)))
            if not chunk:
                break
            info = tarfile.TarInfo(f"xtensa-esp-elf/share/blob{index}")
            info.size = len(chunk)
            tar.addfile(info, io.BytesIO(chunk))
    return buffer.getvalue()


def timed(args, env):
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    mpyforge = sys.argv[1] if len(sys.argv) > 1 else str(REPO / ".build" / "release" / "mpyforge")
    body = archive_of_size(SIZE)
    digest = hashlib.sha256(body).hexdigest()
    with tempfile.TemporaryDirectory() as tmp, ArchiveServer() as server:
        tmp = Path(tmp)
        url = server.serve("fake-xtensa-esp-elf.tar", body)
        table = tmp / "table.json"
        table.write_text(json.dumps({"toolchains": [{
            "name": "xtensa-esp-elf", "version": "bench", "vendor": "bench", "source": "benchmarks/toolchain_install.py",
            "arches": ["xtensawin"], "compilers": {"xtensawin": "bin/xtensa-esp32-elf-gcc"},
            "downloads": {h: {"url": url, "sha256": digest, "size": len(body)}
                          for h in ("linux-amd64", "linux-arm64", "macos-arm64", "macos-x86_64")},
            "alternative": "-"}]}))
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env.update(XDG_CACHE_HOME=str(tmp / "cache"), MPYFORGE_TOOLCHAIN_TABLE=str(table))

        install = [mpyforge, "toolchain", "install", "xtensawin"]
        first = timed(install, env)
        again = timed(install, env)
        subprocess.run([mpyforge, "toolchain", "remove", "xtensawin"], env=env, check=True, stdout=subprocess.DEVNULL)

        by_hand = tmp / "by-hand"
        by_hand.mkdir()
        start = time.perf_counter()
        subprocess.run(["curl", "-sS", "-o", str(tmp / "a.tar"), url], check=True, env=env)
        subprocess.run(["sha256sum", str(tmp / "a.tar")], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["tar", "-xf", str(tmp / "a.tar"), "-C", str(by_hand)], check=True)
        manual = time.perf_counter() - start

    megabytes = len(body) / 1e6
    print(f"archive: {megabytes:.1f} MB, loopback HTTP, load average {os.getloadavg()[0]:.1f}")
    print("| what | seconds | MB/s |")
    print("| --- | ---: | ---: |")
    print(f"| mpyforge toolchain install (download, SHA-256, unpack, rename) | {first:.2f} | {megabytes / first:.0f} |")
    print(f"| curl, then sha256sum, then tar -xf (by hand) | {manual:.2f} | {megabytes / manual:.0f} |")
    print(f"| mpyforge toolchain install again (already installed) | {again:.3f} | - |")


if __name__ == "__main__":
    main()
