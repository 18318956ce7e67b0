"""Which image URLs a published page may ask a reader's browser to load by itself.

An image in an article loads as soon as the page is read, from the reader's
machine: a feed that names `http://192.168.1.1/cgi-bin/reboot.cgi` as an image
makes every reader's browser send that request into their own network. So an
image is kept only when its URL is http(s) and its host is a public name or a
public address literal; anything else is refused at build time (the caller
keeps the image's alt text). No DNS is asked: a name is judged by its form.

The URL is read as a browser reads it (the WHATWG URL standard), not as
urllib does, since the browser decides where the request goes: tabs and
newlines are ignored, backslashes count as slashes, any number of slashes may
follow the scheme, the host is percent-decoded and mapped to ASCII (full-width
digits and ideographic full stops included), and a host whose last label is a
number is an IPv4 address in decimal, octal or hex, in one to four parts
(`3232235777`, `0xC0A80101`, `0300.0250.1.1`, `192.168.257`). A kept URL is
written back in one plain form, `https://host[:port]/…`, so that what the
browser reads is the host judged here. http is upgraded to https, as browsers
do on an https page (the site's policy loads images over https only).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote_to_bytes

from ingest.archive.netguard import refused_reason

IGNORED = re.compile(r"[\t\n\r]")  # removed from anywhere in a URL by browsers
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
AUTHORITY_END = re.compile(r"[/\\?#]")
NAME = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")
# Names that never lead to the public internet: special-use (RFC 6761, 6762, 8375, ICANN's .internal)
# and the suffixes local networks use by custom.
LOCAL_SUFFIXES = ("localhost", "local", "internal", "home.arpa", "invalid", "test", "onion", "alt",
                  "lan", "home", "corp", "localdomain", "intranet", "private")
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def public_image_url(url: str) -> str | None:
    """The URL as the page should name it, when it is http(s) to a public host; else None."""
    return judge_image_url(url)[0]


def judge_image_url(url: str) -> tuple[str | None, str]:
    """(the URL in its plain https form, "") when a page may load it, else (None, why not)."""
    url = IGNORED.sub("", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13"
                                     "\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    scheme = SCHEME.match(url)
    if scheme is None or scheme.group(1).lower() not in ("http", "https"):
        return None, "not an absolute http(s) URL"
    rest = url[scheme.end():].lstrip("/\\")
    end = AUTHORITY_END.search(rest)
    authority, path = (rest[:end.start()], rest[end.start():]) if end else (rest, "")
    if "@" in authority:
        return None, "a user name or password in the URL"
    split = _host_and_port(authority)
    if split is None:
        return None, "a malformed host or port"
    host, port = split
    default = port is None or port == 443 or (port == 80 and scheme.group(1).lower() == "http")
    port_text = "" if default else f":{port}"
    judged = _judge_host(host)
    if isinstance(judged, tuple):
        return None, judged[1]
    path = _plain_path(path)
    return f"https://{judged}{port_text}{path}", ""


def _host_and_port(authority: str) -> tuple[str, int | None] | None:
    if authority.startswith("["):
        close = authority.find("]")
        if close < 0:
            return None
        host, after = authority[:close + 1], authority[close + 1:]
        if after and not after.startswith(":"):
            return None
        port = after[1:] if after else ""
    else:
        host, _, port = authority.partition(":")
    if port and not (port.isascii() and port.isdigit() and int(port) <= 65535):
        return None
    return (host, int(port) if port else None) if host else None


def _judge_host(host: str) -> str | tuple[None, str]:
    """The host in ASCII, as a browser would send it, or (None, why it is refused)."""
    if host.startswith("["):
        try:
            address = ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return None, "a malformed IPv6 address"
        if address.scope_id:
            return None, "an IPv6 address with a zone"
        reason = address_refused(address)
        return (None, reason) if reason else f"[{address.compressed}]"
    try:
        name = unquote_to_bytes(host).decode("utf-8")
        name = name.lower() if name.isascii() else name.encode("idna").decode("ascii").lower()
    except (UnicodeError, ValueError):
        return None, "a host name that does not map to ASCII"
    labels = name.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()  # one trailing dot: the same host
    if labels and _is_number(labels[-1]):
        number = _ipv4_number(labels)
        if number is None:
            return None, "a malformed IPv4 address"
        address = ipaddress.IPv4Address(number)
        reason = address_refused(address)
        return (None, reason) if reason else str(address)
    name = ".".join(labels)
    if not NAME.fullmatch(name):
        return None, "a malformed host name"
    if any(name == s or name.endswith("." + s) for s in LOCAL_SUFFIXES):
        return None, "a name reserved for local networks"
    if len(labels) < 2:
        return None, "a name without a domain (a machine on the local network)"
    return name


def address_refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why a page may not load from this address, or None for a public one (IPv4 inside IPv6 judged too)."""
    inner = _embedded_ipv4(address)
    if inner is not None:
        reason = address_refused(inner)
        if reason:
            return f"{reason} inside {address.compressed}"
    reason = refused_reason(str(address))
    if reason is None and (address.is_multicast or address.is_reserved
                           or getattr(address, "is_site_local", False) or not address.is_global):
        reason = "not a public address"
    return reason


def _embedded_ipv4(address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries: mapped, compatible (::a.b.c.d), 6to4 or NAT64."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in NAT64) or 1 < int(address) < 2 ** 32:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _is_number(label: str) -> bool:
    """A label that makes the host an IPv4 address (WHATWG's "ends in a number")."""
    if label.isascii() and label.isdigit():
        return True
    return _parse_part(label) is not None


def _parse_part(part: str) -> int | None:
    """One part of an IPv4 address: decimal, octal with a leading 0, or hex with 0x; None if it is not."""
    if not part:
        return None
    base = 10
    if part[:2].lower() == "0x":
        part, base = part[2:], 16
        if not part:
            return 0
    elif len(part) > 1 and part[0] == "0":
        part, base = part[1:], 8
    digits = {10: "0123456789", 8: "01234567", 16: "0123456789abcdef"}[base]
    if not all(c in digits for c in part):
        return None
    return int(part, base)


def _ipv4_number(labels: list[str]) -> int | None:
    """The 32-bit address of an IPv4 host in 1–4 parts, as a browser parses it; None if it is malformed."""
    if len(labels) > 4:
        return None
    parts = [_parse_part(label) for label in labels]
    if any(p is None for p in parts) or any(p > 255 for p in parts[:-1]):
        return None
    if parts[-1] >= 256 ** (5 - len(parts)):
        return None
    number = parts[-1]
    for index, part in enumerate(parts[:-1]):
        number += part << (8 * (3 - index))
    return number


def _plain_path(path: str) -> str:
    """The path, query and fragment as the URL will carry them: backslashes in the path are slashes."""
    if not path:
        return "/"
    cut = min((i for i in (path.find("?"), path.find("#")) if i >= 0), default=len(path))
    return path[:cut].replace("\\", "/") + path[cut:]
