"""Guards on every connection a download opens: where it may go, and how long it may last.

A feed's URL, or a redirect it answers with, may name any host. Before a
connection is made the host is resolved, every address it resolves to is
checked (loopback, private, link-local and cloud-metadata addresses are
refused unless the configuration allows them), and the socket connects to
the checked address itself, so a second DNS answer cannot slip past.

The socket timeout bounds each read; a server that trickles a byte at a time
never trips it. A watchdog closes the download's sockets at its deadline, so
the whole download, headers included, is bounded in time.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import threading
import time
import urllib.request


class AddressRefused(Exception):
    """A connection would go to an address the network policy refuses; the message says which."""


def refused_reason(address: str) -> str | None:
    """Why `address` (an IP literal) is out of bounds for a feed, or None when it is a public address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    if ip.is_global:
        return None
    for kind, test in (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
                       ("link-local (cloud metadata)", ip.is_link_local), ("private", ip.is_private),
                       ("multicast", ip.is_multicast)):
        if test:
            return f"a {kind} address"
    return "not a public address"


def _unmapped(address: str):
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return getattr(ip, "ipv4_mapped", None) or ip


class Guard:
    """One download's connections: the address policy and a deadline for all of them together.

    `allow_private` is True (any address), False (public addresses only), or the networks
    (such as "127.0.0.0/8") that may be reached besides the public ones.
    """

    def __init__(self, *, allow_private: bool | tuple[str, ...], seconds: float, timeout: float) -> None:
        self.allow_private = allow_private is True
        self.allowed_networks = () if isinstance(allow_private, bool) else tuple(
            ipaddress.ip_network(n, strict=False) for n in allow_private)
        self.seconds = seconds
        self.timeout = timeout
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._started = time.monotonic()

    def __enter__(self) -> "Guard":
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return self.seconds - (time.monotonic() - self._started)

    def connect(self, address: tuple[str, int], timeout: float | None = None, source_address=None) -> socket.socket:
        """Resolve, check every address, then connect to a checked one (http.client's _create_connection)."""
        host, port = address
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as e:
            raise OSError(f"cannot resolve {host!r}: {getattr(e, 'strerror', None) or e}") from None
        if not self.allow_private:
            for *_, sockaddr in infos:
                reason = refused_reason(sockaddr[0])
                if reason and not any(_unmapped(sockaddr[0]) in net for net in self.allowed_networks):
                    raise AddressRefused(
                        f"{host} resolves to {sockaddr[0]}, {reason}: refused (a feed on the local network "
                        f"needs 'allow_private_addresses: true', or a list of the networks to allow, in the "
                        f"plugin's options in mkdocs.yml)")
        error: OSError | None = None
        for family, kind, proto, _, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(min(timeout or self.timeout, max(self.remaining(), 0.01)))
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
            except OSError as e:
                sock.close()
                error = e
                if self.expired:
                    break
                continue
            with self._lock:
                if self.expired:
                    sock.close()
                    raise TimeoutError("deadline reached")
                self._sockets.append(sock)
            return sock
        raise error or OSError(f"cannot connect to {host!r}")

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed by the client: nothing to stop

    def handlers(self) -> list[urllib.request.BaseHandler]:
        """urllib handlers whose connections go through this guard."""
        guard = self

        class _HTTP(urllib.request.HTTPHandler):
            def http_open(self, req):
                return self.do_open(functools.partial(_GuardedHTTP, guard=guard), req)

        class _HTTPS(urllib.request.HTTPSHandler):
            def https_open(self, req):
                return self.do_open(functools.partial(_GuardedHTTPS, guard=guard), req, context=self._context)

        return [_HTTP(), _HTTPS()]


class _GuardedHTTP(http.client.HTTPConnection):
    def __init__(self, *args, guard: Guard, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = guard.connect


class _GuardedHTTPS(http.client.HTTPSConnection):
    def __init__(self, *args, guard: Guard, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = guard.connect
