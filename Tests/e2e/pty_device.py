"""A MicroPython unix port that mpremote can talk to as if it were a board on a serial port.

mpremote cannot share the pseudo-terminal that micropython itself runs on, so there are two:
micropython runs on pty A, mpremote opens the slave of pty B, and a relay thread copies bytes
between the two masters. B's slave stays open here too, so B's master never reads EIO while
mpremote reconnects. ONLCR is off on pty A because the unix port writes "\\r\\n" itself.

Use `mpremote connect <device.port> resume ...`: without `resume` mpremote soft-resets with
Ctrl-D, and the unix port exits on that.

    with PtyDevice(micropython="/path/to/micropython", cwd=tmp_path) as device:
        device.mpremote("exec", "print(1)")
"""

import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import termios
import threading
import tty
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


class PtyDevice:
    def __init__(self, micropython=None, cwd=None, home=None, mpremote=None, heap="4m"):
        self.micropython = micropython or os.environ.get("MICROPYTHON", str(VENV_BIN / "micropython"))
        self.mpremote_path = mpremote or shutil.which("mpremote", path=str(VENV_BIN)) or "mpremote"
        self.cwd = Path(cwd) if cwd else None
        self.home = home
        self.heap = heap
        self.process = None
        self._fds = []
        self._stop = threading.Event()
        self._relay = None
        self._own_home = None

    # --- lifecycle -------------------------------------------------------------------

    def start(self):
        self.device_master, device_slave = pty.openpty()
        attrs = termios.tcgetattr(device_slave)
        attrs[1] &= ~termios.ONLCR  # oflag
        termios.tcsetattr(device_slave, termios.TCSANOW, attrs)

        self.host_master, self.host_slave = pty.openpty()
        tty.setraw(self.host_slave)
        self.port = os.ttyname(self.host_slave)
        self._fds = [self.device_master, self.host_master, self.host_slave]

        if self.home is None:
            self._own_home = tempfile.mkdtemp(prefix="pty-device-home-")
            self.home = self._own_home
        self.process = subprocess.Popen(
            [self.micropython, "-X", f"heapsize={self.heap}"],
            stdin=device_slave, stdout=device_slave, stderr=device_slave,
            cwd=self.cwd, env=self.environment(), start_new_session=True, close_fds=True,
        )
        os.close(device_slave)
        self._relay = threading.Thread(target=self._copy_bytes, daemon=True)
        self._relay.start()
        return self

    def environment(self):
        env = {k: v for k, v in os.environ.items() if k != "MICROPYPATH"}
        env["HOME"] = str(self.home)
        return env

    def stop(self):
        self._stop.set()
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._relay:
            self._relay.join(timeout=2)
        for fd in self._fds:
            try:
                os.close(fd)
            except OSError:
                pass
        self._fds = []
        if self._own_home:
            shutil.rmtree(self._own_home, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- the relay -------------------------------------------------------------------

    def _copy_bytes(self):
        route = {self.device_master: self.host_master, self.host_master: self.device_master}
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select(list(route), [], [], 0.1)
            except (OSError, ValueError):
                return
            for source in ready:
                try:
                    data = os.read(source, 4096)
                except OSError:
                    # The device master reads EIO once micropython exits; nothing more will come.
                    if source == self.device_master:
                        return
                    continue
                if data:
                    os.write(route[source], data)

    # --- helpers ---------------------------------------------------------------------

    def mpremote(self, *args, timeout=30, check=True):
        """Runs `mpremote connect <port> resume <args...>` against this device."""
        proc = subprocess.run(
            [self.mpremote_path, "connect", self.port, "resume", *map(str, args)],
            capture_output=True, text=True, timeout=timeout, env=self.environment(),
        )
        if check:
            assert proc.returncode == 0, f"mpremote {' '.join(map(str, args))} failed:\n{proc.stdout}\n{proc.stderr}"
        return proc
