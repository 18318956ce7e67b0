"""Fetch a feed's bytes over HTTP(S) or from a local file.

The only module that talks to the network. Everything it returns is bytes plus
the few headers the archive keeps (ETag, Last-Modified); everything that goes
wrong becomes a FetchError with a one-line reason.
"""

from __future__ import annotations

import http.client
import os
import select
import socket
import stat
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from ingest import __version__
from ingest.archive.netguard import AddressRefused, Guard
from ingest.archive.proxy import ProxyFailed
from ingest.text import is_http_url, one_line
from ingest.errors import KBError

USER_AGENT = f"resilience-kb/{__version__} (feed archiver; +https://pypi.org/project/resilience-kb/)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
DEADLINE = 120.0  # seconds for a whole download, whatever the server's pace
# Characters left as they are in a URL's path and query; anything else (a space, a non-ASCII
# letter) is percent-encoded as a browser does, instead of making http.client fail.
PATH_SAFE = "/%!$&'()*+,;=:@-._~"
QUERY_SAFE = PATH_SAFE + "?"


class FetchError(KBError):
    """A feed could not be retrieved; the message is one line, fit for a user."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status when the server answered with an error


@dataclass(frozen=True)
class FetchResult:
    """What a fetch brought back: a 200 with a body, or a 304 with none."""

    status: int
    body: bytes = b""
    url: str = ""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    moved_to: str | None = None  # the new URL after a permanent redirect (301/308)


class _RecordingRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects (http/https only, at most MAX_REDIRECTS) and remembers permanent ones."""

    max_redirections = MAX_REDIRECTS

    def __init__(self) -> None:
        super().__init__()
        self.permanent_to: str | None = None

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not is_http_url(newurl):
            raise FetchError(f"redirected to {newurl!r}, which is not an http(s) URL")
        newurl = safe_url(newurl)
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if code in (301, 308):
            self.permanent_to = newurl
        return new


def fetch_url(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = 20,
    max_bytes: int = 10_000_000,
    deadline: float = DEADLINE,
    allow_private: bool | tuple[str, ...] = False,
    allow_private_proxy: bool = False,
    accept: str = ACCEPT,
) -> FetchResult:
    """GET `url`, conditionally when an ETag or Last-Modified is known.

    `timeout` bounds each wait for the server, `deadline` the whole download;
    no connection goes to a loopback, private or link-local address (a
    redirect included) unless `allow_private` is True or lists its network;
    a proxy from the environment is held to the same policy (netguard.py).
    """
    if not is_http_url(url):
        raise FetchError(f"{url!r} is not an http:// or https:// URL")
    url = safe_url(url)
    headers = {"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    redirects = _RecordingRedirects()
    with Guard(allow_private=allow_private, seconds=deadline, timeout=timeout,
               allow_private_proxy=allow_private_proxy) as guard:
        opener = urllib.request.build_opener(redirects, *guard.handlers())
        try:
            return _get(opener, urllib.request.Request(url, headers=headers), redirects, guard, max_bytes,
                        etag=etag, last_modified=last_modified)
        except FetchError:
            raise
        except (AddressRefused, ProxyFailed) as e:
            raise FetchError(str(e)) from None
        except Exception as e:
            if guard.expired:
                raise FetchError(f"the download took longer than {deadline:g} s; stopped") from None
            raise FetchError(_transport_message(e, timeout)) from None


def _get(opener, request, redirects, guard: Guard, max_bytes: int, *, etag, last_modified) -> FetchResult:
    try:
        with opener.open(request, timeout=guard.timeout) as response:
            body = _read_body(response, guard=guard, max_bytes=max_bytes)
            return FetchResult(
                status=response.status,
                body=body,
                url=response.url,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                content_type=response.headers.get("Content-Type"),
                moved_to=redirects.permanent_to,
            )
    except urllib.error.HTTPError as e:
        e.close()
        if e.code == 304:
            return FetchResult(status=304, url=request.full_url, etag=etag, last_modified=last_modified,
                               moved_to=redirects.permanent_to)
        raise FetchError(_http_error_message(e), status=e.code) from None


def _transport_message(error: Exception, timeout: float) -> str:
    """One line for anything that went wrong below HTTP's status codes."""
    if isinstance(error, urllib.error.URLError):
        if isinstance(error.reason, (AddressRefused, ProxyFailed)):
            return str(error.reason)
        return f"cannot connect: {_reason(error.reason)}"
    if isinstance(error, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout:g} s"
    if isinstance(error, http.client.IncompleteRead):
        return (f"the response ended early ({len(error.partial):,} bytes, then the connection was cut): "
                f"nothing was stored; the next run will try again")
    if isinstance(error, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(error, http.client.LineTooLong):
        return f"the server sent an over-long line ({error}); not a usable HTTP response"
    if isinstance(error, http.client.BadStatusLine):
        return f"the server's answer is not HTTP (status line {str(error)[:60]!r})"
    if isinstance(error, http.client.HTTPException):
        return f"malformed HTTP response ({' '.join(str(error).split())[:120] or type(error).__name__})"
    if isinstance(error, (ConnectionError, OSError)):
        return f"connection failed: {_reason(error)}"
    if isinstance(error, ValueError):  # a malformed URL or header that urllib refuses
        return f"invalid request: {error}"
    return f"unexpected {type(error).__name__}: {error}"


def safe_url(url: str) -> str:
    """`url` as ASCII: the host IDNA-encoded, the path and query percent-encoded where needed."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise FetchError(f"{url!r}: {host!r} is not a valid host name") from None
    if ":" in ascii_host:  # an IPv6 literal
        ascii_host = f"[{ascii_host}]"
    netloc = ascii_host + (f":{parts.port}" if _port(parts, url) else "")
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=PATH_SAFE) or "/",
                       quote(parts.query, safe=QUERY_SAFE), ""))


def _port(parts, url: str) -> int | None:
    try:
        return parts.port
    except ValueError:
        raise FetchError(f"{url!r}: the port is not a number from 0 to 65535") from None


def read_file(path: Path, *, max_bytes: int = 10_000_000, deadline: float = DEADLINE) -> FetchResult:
    """Read a feed from a local file, with the same size cap and deadline as a download.

    The cap holds whatever `stat` says: a FIFO, a device or a file that grows
    is read up to the cap and no further.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise FetchError(f"cannot read {path}: {e.strerror or e}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FetchError(f"{path} is a folder; give a feed file")
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise FetchError(f"file is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit")
        body = _read_capped(fd, path, max_bytes, deadline)
    except OSError as e:
        raise FetchError(f"cannot read {path}: {e.strerror or e}") from None
    finally:
        os.close(fd)
    return FetchResult(status=200, body=body, url=path.resolve().as_uri())


def _read_capped(fd: int, path: Path, max_bytes: int, deadline: float) -> bytes:
    ends = time.monotonic() + deadline
    parts: list[bytes] = []
    size = 0
    while True:
        left = ends - time.monotonic()
        if left <= 0:
            raise FetchError(f"reading {path} took longer than {deadline:g} s; stopped")
        try:
            chunk = os.read(fd, min(CHUNK, max_bytes + 1 - size))
        except BlockingIOError:  # a FIFO or device with a writer that has sent nothing yet
            select.select([fd], [], [], left)
            continue
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{path} is over the {max_bytes:,}-byte limit; stopped reading")
        parts.append(chunk)


def _read_body(response, *, guard: Guard, max_bytes: int) -> bytes:
    """Read the whole body within the size cap, decompressing gzip/deflate; a short body is an error."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"response is {int(declared):,} bytes, over the {max_bytes:,}-byte limit")
    encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    decoder = _decoder(encoding)
    parts: list[bytes] = []
    size = received = 0
    # read1 returns what has arrived, so the deadline is looked at between pieces too.
    while chunk := response.read1(CHUNK):
        received += len(chunk)
        if decoder is not None:
            chunk = decoder.decompress(chunk, max_bytes + 1 - size)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"response is over the {max_bytes:,}-byte limit")
        parts.append(chunk)
    if guard.expired:
        raise FetchError(f"the download took longer than {guard.seconds:g} s; stopped")
    if response.length:  # http.client counts down the declared length; what is left never came
        raise FetchError(f"the response ended early ({received:,} of {declared} bytes, then the connection "
                         f"was cut): nothing was stored; the next run will try again")
    if decoder is not None:
        if not decoder.eof:
            raise FetchError(f"{encoding} response is truncated or corrupt")
    return b"".join(parts)


def _decoder(encoding: str):
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    if encoding in ("identity", ""):
        return None
    raise FetchError(f"unsupported Content-Encoding {encoding!r}")


def _http_error_message(error: urllib.error.HTTPError) -> str:
    reason = error.reason if isinstance(error.reason, str) else ""
    location = one_line((error.headers or {}).get("Location") or "")[:200]
    if reason.startswith(urllib.request.HTTPRedirectHandler.inf_msg):  # urllib's three lines, the server's last
        return (f"more than {MAX_REDIRECTS} redirects, or a redirect loop (the last: HTTP {error.code} to "
                f"{location!r}); fix the feed URL in mkdocs.yml")
    if 300 <= error.code < 400 and location and not is_http_url(location):
        return f"redirected to {location!r}, which is not an http(s) URL: not followed"
    reason = one_line(reason)
    message = f"HTTP {error.code} {reason[:200]}".strip()
    if error.code == 404:
        message += " (check the feed URL)"
    elif error.code == 410:
        message += " (the feed is gone for good: remove it from mkdocs.yml)"
    elif error.code == 429 or error.code >= 500:
        message += " (a server-side problem: the next run will try again)"
    return message


def _reason(reason: object) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__
