"""The HTTP proxy the environment names (`https_proxy`, `http_proxy`, `all_proxy`, `no_proxy`), as a tunnel.

Every download through a proxy is a CONNECT tunnel to an address netguard has
already resolved and checked, never a request the proxy resolves itself: a
private or metadata target is refused before the proxy hears of it, and a name
whose DNS answer changes between two lookups cannot slip through either.
"""

from __future__ import annotations

import base64
import os
import socket
import urllib.request
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ingest.text import one_line

MAX_ANSWER = 16 * 1024  # bytes of a proxy's answer to CONNECT: a status line and a few headers


class ProxyFailed(OSError):
    """The proxy could not be used or would not connect; the message names it and where it was set."""


@dataclass(frozen=True)
class Proxy:
    """A proxy from the environment: where it is, and the variable that named it (for messages)."""

    host: str
    port: int
    variable: str
    credentials: str | None = None  # "user:password" from the proxy's URL, for Proxy-Authorization

    def __str__(self) -> str:
        return f"the proxy {self.host}:{self.port} (set by {self.variable})"


def proxy_for(scheme: str, host: str) -> Proxy | None:
    """The proxy a connection to `host` for an `scheme` URL goes through, or None (no proxy, or no_proxy)."""
    proxies = urllib.request.getproxies()
    key = scheme if proxies.get(scheme) else "all" if proxies.get("all") else None
    if key is None or urllib.request.proxy_bypass(host):
        return None
    variable = next((name for name in (f"{key}_proxy", f"{key.upper()}_PROXY") if os.environ.get(name)),
                    f"{key}_proxy")
    value = proxies[key].strip()
    parts = urlsplit(value if "://" in value else f"http://{value}")
    try:
        port = parts.port or 80
    except ValueError:
        port = None
    if key == "all" and parts.scheme.lower() != "http":
        return None  # all_proxy often names a SOCKS proxy for other tools; urllib never used it either
    if parts.scheme.lower() != "http" or not parts.hostname or port is None:
        raise ProxyFailed(f"{variable} is {one_line(value)[:200]!r}: only an http:// proxy with a host (and a "
                          f"port) can be used; fix or unset it")
    credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}" if parts.username else None
    return Proxy(parts.hostname, port, variable, credentials)


def tunnel(sock: socket.socket, proxy: Proxy, host: str, address: str, port: int) -> None:
    """Ask the proxy on `sock` to CONNECT to `address` (checked), raise ProxyFailed unless it agrees."""
    target = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
    request = f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n"
    if proxy.credentials:
        token = base64.b64encode(proxy.credentials.encode("utf-8")).decode("ascii")
        request += f"Proxy-Authorization: Basic {token}\r\n"
    sock.sendall((request + "\r\n").encode("ascii"))
    answer = _read_head(sock, proxy)
    status_line = answer.split(b"\r\n", 1)[0].decode("latin-1")
    version, _, rest = status_line.partition(" ")
    code, _, reason = rest.partition(" ")
    if not version.startswith("HTTP/") or not (code.isascii() and code.isdigit()):
        raise ProxyFailed(f"{proxy} did not answer CONNECT in HTTP ({one_line(status_line)[:80]!r})")
    if not code.startswith("2"):
        hint = " (it needs credentials: user:password@ in the variable)" if code == "407" else ""
        raise ProxyFailed(f"{proxy} refused to connect to {host} ({target}): {code} "
                          f"{one_line(reason)[:120]}{hint}")


def _read_head(sock: socket.socket, proxy: Proxy) -> bytes:
    """The proxy's answer up to its blank line, read a byte at a time: nothing of the tunnel is taken."""
    data = bytearray()
    while not data.endswith(b"\r\n\r\n") and not data.endswith(b"\n\n"):
        if len(data) > MAX_ANSWER:
            raise ProxyFailed(f"{proxy} answered CONNECT with more than {MAX_ANSWER:,} bytes of headers")
        byte = sock.recv(1)
        if not byte:
            raise ProxyFailed(f"{proxy} closed the connection instead of answering CONNECT")
        data += byte
    return bytes(data)
