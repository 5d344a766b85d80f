"""`mpyforge serve` as the hostile review attacked it (issue 15, finding 3), through the real
binary: out-of-range ports, a log nobody reads, terminal escapes in request lines, and slow
clients next to normal ones."""

import http.client
import socket
import subprocess
import time

from conftest import mpyforge_binary, run_mpyforge
from publish_support import IndexServer, raw_request


def small_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.json").write_text('{"x": 1}')
    return site


def test_port_outside_the_tcp_range_is_refused(tmp_path):
    proc = run_mpyforge("serve", small_site(tmp_path), "--port", "70000", check=False)
    assert proc.returncode != 0
    assert "--port 70000" in proc.stderr and "65535" in proc.stderr, proc.stderr


def test_sigterm_stops_the_server_even_when_nobody_reads_its_log(tmp_path):
    # stderr is a pipe that is never read: after a few thousand log lines it is full.
    process = subprocess.Popen([mpyforge_binary(), "serve", str(small_site(tmp_path)), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = int(process.stdout.readline().rsplit(":", 1)[1].strip().rstrip("/"))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        long_target = "/" + "n" * 2000  # 404s with long request lines fill the pipe quickly
        for _ in range(3000):
            connection.request("GET", long_target)
            assert connection.getresponse().read().startswith(b"404 Not Found")
        connection.close()
        assert raw_request(port, b"GET /index.json HTTP/1.0\r\n\r\n").endswith(b'{"x": 1}')
        process.terminate()
        assert process.wait(timeout=5) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_control_characters_in_request_lines_are_escaped_in_the_log(tmp_path):
    with IndexServer(small_site(tmp_path), tmp_path / "serve.log") as server:
        raw_request(server.port, b"GET /\x1b[2J\x1b]0;pwned\x07 HTTP/1.0\r\n\r\n")
        raw_request(server.port, b"GET /a\r\x0bb HTTP/1.0\r\n\r\n")
        deadline = time.monotonic() + 5
        while "pwned" not in server.log() and time.monotonic() < deadline:
            time.sleep(0.05)
    log = server.log()
    assert "\\x1b[2J\\x1b]0;pwned\\x07" in log, log
    assert not any(ord(c) < 0x20 and c != "\n" for c in log), repr(log)


def test_slow_clients_do_not_hold_back_normal_ones(tmp_path):
    with IndexServer(small_site(tmp_path), tmp_path / "serve.log") as server:
        slow = []
        for _ in range(200):
            conn = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            conn.sendall(b"GET /index.json HTTP/1.1\r\nX-Slow: ")
            slow.append(conn)
        started = time.monotonic()
        for _ in range(20):
            assert raw_request(server.port, b"GET /index.json HTTP/1.0\r\n\r\n").endswith(b'{"x": 1}')
        assert time.monotonic() - started < 3
        for conn in slow:
            conn.close()
