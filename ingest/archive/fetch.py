"""Fetch a feed's bytes over HTTP(S) or from a local file.

The only module that talks to the network. Everything it returns is bytes plus
the few headers the archive keeps (ETag, Last-Modified); everything that goes
wrong becomes a FetchError with a one-line reason.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

from ingest import __version__
from ingest.text import is_http_url
from ingest.errors import KBError

USER_AGENT = f"resilience-kb/{__version__} (feed archiver; +https://pypi.org/project/resilience-kb/)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class FetchError(KBError):
    """A feed could not be retrieved; the message is one line, fit for a user."""


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
) -> FetchResult:
    """GET `url`, conditionally when an ETag or Last-Modified is known."""
    if not is_http_url(url):
        raise FetchError(f"{url!r} is not an http:// or https:// URL")
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    redirects = _RecordingRedirects()
    opener = urllib.request.build_opener(redirects)
    request = urllib.request.Request(url, headers=headers)
    try:
        with opener.open(request, timeout=timeout) as response:
            body = _read_body(response, timeout=timeout, max_bytes=max_bytes)
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
            return FetchResult(status=304, url=url, etag=etag, last_modified=last_modified,
                               moved_to=redirects.permanent_to)
        raise FetchError(_http_error_message(e)) from None
    except urllib.error.URLError as e:
        raise FetchError(f"cannot connect: {_reason(e.reason)}") from None
    except (TimeoutError, socket.timeout):
        raise FetchError(f"timed out after {timeout:g} s") from None
    except (ConnectionError, OSError) as e:
        raise FetchError(f"connection failed: {_reason(e)}") from None
    except ValueError as e:  # a malformed URL or header that urllib refuses
        raise FetchError(f"invalid request: {e}") from None


def read_file(path: Path, *, max_bytes: int = 10_000_000) -> FetchResult:
    """Read a feed from a local file, with the same size cap as a download."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FetchError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        body = path.read_bytes()
    except OSError as e:
        raise FetchError(f"cannot read {path}: {e.strerror or e}") from None
    return FetchResult(status=200, body=body, url=path.resolve().as_uri())


def _read_body(response, *, timeout: float, max_bytes: int) -> bytes:
    """Read the whole body within a deadline and the size cap, decompressing gzip/deflate."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"response is {int(declared):,} bytes, over the {max_bytes:,}-byte limit")
    encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    decoder = _decoder(encoding)
    # A server that trickles one byte per `timeout` never trips the socket timeout;
    # the deadline bounds the whole download.
    allowed = max(60.0, 3 * timeout)
    deadline = time.monotonic() + allowed
    parts: list[bytes] = []
    size = 0
    while chunk := response.read(CHUNK):
        if time.monotonic() > deadline:
            raise FetchError(f"download took longer than {allowed:.0f} s")
        if decoder is not None:
            chunk = decoder.decompress(chunk, max_bytes + 1 - size)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"response is over the {max_bytes:,}-byte limit")
        parts.append(chunk)
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
    message = f"HTTP {error.code} {error.reason}".strip()
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
