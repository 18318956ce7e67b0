"""Guards on every connection a download opens: where it may go, and how long it may last.

A feed's URL, or a redirect it answers with, may name any host. Before a
connection is made the host is resolved, every address it resolves to is
checked (loopback, private, link-local and cloud-metadata addresses are
refused unless the configuration allows them), and the socket connects to
the checked address itself, so a second DNS answer cannot slip past. An
IPv6 address that carries an IPv4 one (NAT64, 6to4, Teredo, mapped or
compatible) is judged by the IPv4 address as well.

A proxy set in the environment changes none of this: the target is resolved
and checked here, and the proxy, itself held to the policy unless
`allow_private_proxy` says otherwise, is only asked to tunnel to the checked
address (proxy.py).

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

from ingest.archive.proxy import Proxy, ProxyFailed, proxy_for, tunnel


class AddressRefused(Exception):
    """A connection would go to an address the network policy refuses; the message says which."""


NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits
LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: a site's own translator
COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated IPv4-compatible form, ::a.b.c.d


def refused_reason(address: str) -> str | None:
    """Why `address` (an IP literal) is out of bounds for a feed, or None when it is a public address.

    An IPv6 address that carries an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) is
    judged by the IPv4 address too: a translator or relay would deliver it there.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    inner = embedded_ipv4(ip)
    if inner is not None:
        reason = _reason(inner)
        if reason:
            return f"{_form(ip)} for {inner}, {reason}"
    if ip in LOCAL_NAT64:
        return "a local-use NAT64 address"
    return _reason(ip if inner is None or not ip.ipv4_mapped else inner)


def embedded_ipv4(ip) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address leads to, when it is one of the forms that carry one."""
    if ip.version == 4:
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip in COMPATIBLE and int(ip) > 1:  # :: and ::1 are the unspecified and loopback addresses
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in NAT64 or ip in LOCAL_NAT64:  # the local prefix's /96 form; it is refused whole anyway
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]  # the client's address (the server's is a relay)
    return None


def _form(ip) -> str:
    if ip.ipv4_mapped:
        return "an IPv4-mapped address"
    if ip in COMPATIBLE:
        return "an IPv4-compatible address"
    if ip in NAT64 or ip in LOCAL_NAT64:
        return "a NAT64 address"
    return "a 6to4 address" if ip.sixtofour else "a Teredo address"


def _reason(ip) -> str | None:
    # Multicast and IPv6 site-local (fec0::/10) come first: Python counts some of them as global.
    for kind, test in (("multicast", ip.is_multicast), ("site-local", ip.version == 6 and ip.is_site_local)):
        if test:
            return f"{article(kind)} {kind} address"
    if ip.is_global:
        return None
    for kind, test in (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
                       ("link-local (cloud metadata)", ip.is_link_local), ("private", ip.is_private)):
        if test:
            return f"{article(kind)} {kind} address"
    return "not a public address"


def article(word: str) -> str:
    """'a' or 'an' before `word` (by its first letter: the policy's words have no silent h or long u)."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host  # an IPv6 literal, as in a URL


def _allowed(address: str, networks) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    inner = embedded_ipv4(ip)
    return any(ip in net or (inner is not None and inner in net) for net in networks)


class Guard:
    """One download's connections: the address policy and a deadline for all of them together.

    `allow_private` is True (any address), False (public addresses only), or the networks
    (such as "127.0.0.0/8") that may be reached besides the public ones. A proxy from the
    environment (see `proxy_for`) must pass the same policy, or `allow_private_proxy`.
    """

    def __init__(self, *, allow_private: bool | tuple[str, ...], seconds: float, timeout: float,
                 allow_private_proxy: bool = False) -> None:
        self.allow_private = allow_private is True
        self.allowed_networks = () if isinstance(allow_private, bool) else tuple(
            ipaddress.ip_network(n, strict=False) for n in allow_private)
        self.allow_private_proxy = allow_private_proxy
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

    def connect(self, address: tuple[str, int], timeout: float | None = None, source_address=None, *,
                scheme: str = "http") -> socket.socket:
        """Resolve, check every address, then connect to a checked one (http.client's _create_connection).

        Through a proxy, the target is resolved and checked here all the same, and the proxy is
        asked to CONNECT to the checked address: the policy holds whatever the proxy would resolve.
        """
        host, port = address
        targets = self._checked(host, port)
        proxy = proxy_for(scheme, host)
        if proxy is None:
            return self._open(targets, host, timeout, source_address)
        infos = self._checked(proxy.host, proxy.port, proxy=proxy)
        error: OSError | None = None
        for *_, sockaddr in targets:  # the first address the proxy reaches
            try:
                sock = self._open(infos, proxy.host, timeout, source_address, proxy=proxy)
            except OSError as e:
                raise ProxyFailed(f"cannot connect to {proxy}: {e.strerror or e}") from None
            try:
                tunnel(sock, proxy, host, sockaddr[0], port)
                return sock
            except OSError as e:
                sock.close()
                error = e
                if self.expired:
                    break
        raise error or OSError(f"cannot connect to {host!r}")

    def _checked(self, host: str, port: int, proxy: Proxy | None = None) -> list:
        """`host`'s addresses, once every one of them passed the policy."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as e:
            named = f"{proxy}: " if proxy else ""
            raise OSError(f"{named}cannot resolve {host!r}: {getattr(e, 'strerror', None) or e}") from None
        if self.allow_private or (proxy is not None and self.allow_private_proxy):
            return infos
        for *_, sockaddr in infos:
            reason = refused_reason(sockaddr[0])
            if reason and not _allowed(sockaddr[0], self.allowed_networks):
                if proxy is not None:
                    raise AddressRefused(
                        f"{proxy} is at {sockaddr[0]}, {reason}: refused (a proxy on this machine or the local "
                        f"network needs 'allow_private_proxy: true' in the plugin's options in mkdocs.yml; "
                        f"or unset {proxy.variable})")
                raise AddressRefused(
                    f"{_bracketed(host)} resolves to {sockaddr[0]}, {reason}: refused (a feed on the local network "
                    f"needs 'allow_private_addresses: true', or a list of the networks to allow, in the "
                    f"plugin's options in mkdocs.yml)")
        return infos

    def _open(self, infos: list, host: str, timeout, source_address, proxy: Proxy | None = None) -> socket.socket:
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
        """urllib handlers whose connections go through this guard (urllib's own proxy handling is off:
        it would send the request to the proxy and let the proxy resolve, unchecked)."""
        guard = self

        class _HTTP(urllib.request.HTTPHandler):
            def http_open(self, req):
                return self.do_open(functools.partial(_GuardedHTTP, guard=guard), req)

        class _HTTPS(urllib.request.HTTPSHandler):
            def https_open(self, req):
                return self.do_open(functools.partial(_GuardedHTTPS, guard=guard), req, context=self._context)

        return [_HTTP(), _HTTPS(), urllib.request.ProxyHandler({})]


class _GuardedHTTP(http.client.HTTPConnection):
    def __init__(self, *args, guard: Guard, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(guard.connect, scheme="http")


class _GuardedHTTPS(http.client.HTTPSConnection):
    def __init__(self, *args, guard: Guard, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(guard.connect, scheme="https")
