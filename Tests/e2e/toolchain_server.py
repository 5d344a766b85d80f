"""A loopback HTTP server for the `mpyforge toolchain` tests: serves archives the tests made,
counts requests, and can cut a response off in the middle of its body, as a dropped
connection does."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ArchiveServer:
    def __init__(self):
        self.files = {}  # path -> bytes
        self.cut_first = {}  # path -> how many more responses to cut off mid-body
        self.stall_first = {}  # path -> how many more responses to stop sending mid-body
        self.stalled = threading.Event()  # set once a response has stalled
        self.release = threading.Event()  # set to let stalled responses end
        self.requests = {}  # path -> count
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with server.lock:
                    server.requests[self.path] = server.requests.get(self.path, 0) + 1
                    body = server.files.get(self.path)
                    cut = server.cut_first.get(self.path, 0) > 0
                    if cut:
                        server.cut_first[self.path] -= 1
                    stall = not cut and server.stall_first.get(self.path, 0) > 0
                    if stall:
                        server.stall_first[self.path] -= 1
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if cut:
                    # Half the promised body, then the connection drops.
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if stall:
                    # Half the body, then nothing until the test is done: a download in progress.
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    server.stalled.set()
                    server.release.wait(timeout=60)
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def serve(self, name: str, body: bytes) -> str:
        self.files[f"/{name}"] = body
        return f"{self.base}/{name}"

    def count(self, name: str) -> int:
        return self.requests.get(f"/{name}", 0)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
