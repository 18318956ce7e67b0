"""A tiny forwarding HTTP proxy on 127.0.0.1 for the tests: it records what it is asked for and
forwards everything to one upstream on 127.0.0.1 (the tests' feed server), whatever the target.

It speaks both forms a client may use: CONNECT host:port (a tunnel, piped both ways) and a GET
with an absolute URL (urllib's form for http:// through a proxy), rewritten to the origin form.
No connection ever leaves 127.0.0.1.
"""

from __future__ import annotations

import select
import socket
import socketserver
import threading
from urllib.parse import urlsplit


class ForwardingProxy:
    def __init__(self, upstream_port: int, refuse: str | None = None) -> None:
        self.upstream_port = upstream_port
        self.refuse = refuse  # a status and reason to answer CONNECT with instead of tunnelling
        self.asked: list[str] = []  # "CONNECT 1.2.3.4:80" or "GET http://…", in order
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._handle(self.request)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "ForwardingProxy":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handle(self, client: socket.socket) -> None:
        client.settimeout(10)
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = client.recv(4096)
            if not chunk:
                return
            head += chunk
        head, _, rest = head.partition(b"\r\n\r\n")
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, version = request_line.split(" ", 2)
        self.asked.append(f"{method} {target}")
        if self.refuse and method == "CONNECT":
            client.sendall(f"HTTP/1.1 {self.refuse}\r\nContent-Length: 0\r\n\r\n".encode("latin-1"))
            return
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10)
        with upstream:
            if method == "CONNECT":
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            else:
                parts = urlsplit(target)
                path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                kept = [h for h in header_lines if not h.lower().startswith(("proxy-", "connection:"))]
                upstream.sendall("\r\n".join([f"{method} {path} {version}", *kept, "Connection: close", "", ""])
                                 .encode("latin-1"))
            if rest:
                upstream.sendall(rest)
            _pipe(client, upstream)


def _pipe(a: socket.socket, b: socket.socket) -> None:
    while True:
        ready, _, _ = select.select([a, b], [], [], 10)
        if not ready:
            return
        for sock in ready:
            data = sock.recv(65536)
            if not data:
                return
            (b if sock is a else a).sendall(data)
