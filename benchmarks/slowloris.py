"""A slowloris client: holds many connections open, each sending a request head one header
line at a time and never finishing it. When the server closes one, it opens another.

Usage: python benchmarks/slowloris.py PORT [--connections 500] [--interval 5] [--seconds 30]
Loopback only (127.0.0.1). Used by benchmarks/serve_load.py; runs on its own too.
"""

import argparse
import random
import select
import socket
import time


class Slowloris:
    def __init__(self, port, connections=500, interval=5.0, host="127.0.0.1"):
        self.address = (host, port)
        self.target = connections
        self.interval = interval
        self.sockets = {}  # socket -> next send time
        self.started = set()  # sockets whose request line went out
        self.opened = 0
        self.closed_by_server = 0
        self.refused = 0

    def _open(self):
        conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        conn.setblocking(False)
        try:
            conn.connect(self.address)
        except BlockingIOError:
            pass
        except OSError:
            self.refused += 1
            conn.close()
            return
        self.sockets[conn] = time.monotonic()  # the request line goes out on the first send
        self.opened += 1

    def _send(self, conn):
        """True when sent; None when the socket is not ready yet (still connecting); False when closed."""
        first = conn not in self.started
        data = b"GET /slow HTTP/1.1\r\nHost: x\r\n" if first else f"X-Slow-{random.randrange(10**6)}: 1\r\n".encode()
        try:
            conn.send(data)
        except (BlockingIOError, InterruptedError):
            return None
        except OSError:
            return False
        self.started.add(conn)
        return True

    def _drop(self, conn):
        del self.sockets[conn]
        self.started.discard(conn)
        conn.close()
        self.closed_by_server += 1

    def step(self):
        """Tops up the connections, sends what is due, notices closes; returns after <= 0.1 s."""
        while len(self.sockets) < self.target:
            before = len(self.sockets)
            self._open()
            if len(self.sockets) == before:
                break
        now = time.monotonic()
        for conn, due in list(self.sockets.items()):
            if due <= now:
                sent = self._send(conn)
                if sent is False:
                    self._drop(conn)
                    continue
                self.sockets[conn] = now + (self.interval if sent else 0.05)
        readable, _, _ = select.select(list(self.sockets), [], [], 0.1) if self.sockets else ([], [], [])
        for conn in readable:
            try:
                data = conn.recv(4096)
            except OSError:
                data = b""
            if not data and conn in self.sockets:
                self._drop(conn)

    def open_count(self):
        return len(self.sockets)

    def close(self):
        for conn in self.sockets:
            conn.close()
        self.sockets.clear()
        self.started.clear()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", type=int)
    parser.add_argument("--connections", type=int, default=500)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    attack = Slowloris(args.port, args.connections, args.interval)
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        attack.step()
    print(f"open at the end: {attack.open_count()}, opened: {attack.opened}, closed by the server: {attack.closed_by_server}, refused: {attack.refused}")
    attack.close()


if __name__ == "__main__":
    main()
