"""A tiny threaded HTTP server for tests: serve bytes, redirect, fail, or stall.

    with LocalHttpServer() as server:
        server.add("/page.png", body=png_bytes, content_type="image/png")
        server.add("/moved", status=302, headers={"Location": "/page.png"})
        server.add("/boom", status=500)
        server.add("/slow", body=png_bytes, delay=2.0)
        url = server.url("/page.png")

It listens on 127.0.0.1 (a loopback address, refused by the default fetch policy). Every request
is recorded in ``server.requests`` as ``(method, path, headers)``.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "application/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    chunk_delay: float = 0.0  # seconds between 64 KiB chunks of the body
    send_length: bool = True  # False: no Content-Length, close the connection to end the body


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.server.owner.requests.append(("GET", self.path, dict(self.headers.items())))
        route = self.server.owner.routes.get(self.path.split("?", 1)[0])
        if route is None:
            route = Route(status=404, body=b"not found", content_type="text/plain")
        time.sleep(route.delay)
        # The client may give up (size limits, timeouts): that is what tests check.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer(route)

    def _answer(self, route: Route) -> None:
        self.send_response(route.status)
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.send_length:
            self.send_header("Content-Length", str(len(route.body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        for start in range(0, len(route.body), 65536):
            self.wfile.write(route.body[start : start + 65536])
            self.wfile.flush()
            time.sleep(route.chunk_delay)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LocalHttpServer


class LocalHttpServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self._server = _Server((host, 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    def url(self, path: str, *, host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"

    def add(self, path: str, **route: Any) -> Route:
        """Serve ``path`` as described by ``Route``'s fields (status, body, headers, delay...)."""
        self.routes[path] = Route(**route)
        return self.routes[path]

    def __enter__(self) -> LocalHttpServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
