"""A hostile HTTP server on 127.0.0.1: each path answers with one kind of broken response.

http.server cannot send a broken response, so this one writes raw bytes to the
socket. Every behaviour is what a misbehaving or malicious server on the
Internet can send; the fetcher must turn each into one line, and store nothing.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Callable

Send = Callable[[socket.socket], None]


def _head(status: str = "200 OK", headers: tuple[str, ...] = (), length: int | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status}", "Content-Type: application/rss+xml", "Connection: close", *headers]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def behaviours(feed: bytes) -> dict[str, Send]:
    """Path -> what the server does there; `feed` is a real, complete feed to cut up."""
    half = feed[: len(feed) // 2]

    def chunked(body: bytes, *, ending: bytes) -> bytes:
        return b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 4000]), body[i:i + 4000])
                        for i in range(0, len(body), 4000)) + ending

    def trickle(sock: socket.socket) -> None:
        sock.sendall(_head(length=len(feed)))
        for byte in feed:  # one byte a second: each read succeeds, the download never ends
            sock.sendall(bytes([byte]))
            time.sleep(1)

    return {
        "/too-many-headers": lambda s: s.sendall(_head(headers=tuple(f"X-H{i}: v" for i in range(150)))),
        "/long-header": lambda s: s.sendall(_head(headers=("X-Long: " + "a" * 70_000,))),
        "/junk-status": lambda s: s.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\r\n"),
        "/no-answer": lambda s: None,
        "/short-length": lambda s: s.sendall(_head(length=len(feed)) + half),
        "/chunked-truncated": lambda s: s.sendall(
            _head(headers=("Transfer-Encoding: chunked",)) + chunked(half, ending=b"")),
        "/chunked-malformed": lambda s: s.sendall(
            _head(headers=("Transfer-Encoding: chunked",)) + b"zz\r\n" + feed[:100] + b"\r\n0\r\n\r\n"),
        "/trickle": trickle,
    }


class HostileServer:
    """Serves `behaviours` on 127.0.0.1 from a thread; the request line picks the behaviour."""

    def __init__(self, feed: bytes) -> None:
        self.routes = behaviours(feed)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self._stop.set()
        self.thread.join(5)
        self.listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                request = b""
                while b"\r\n\r\n" not in request and len(request) < 65536:
                    data = conn.recv(4096)
                    if not data:
                        return
                    request += data
                path = request.split(b" ", 2)[1].decode("latin-1")
                self.routes.get(path, lambda s: s.sendall(_head("404 Not Found", length=0)))(conn)
            except OSError:
                pass  # the client hung up, as it should on a broken response
