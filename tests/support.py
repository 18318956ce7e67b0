"""Helpers the tests share: project paths, a real HTTP server on 127.0.0.1, the CLI run as a user
runs it, a project copy in tmp_path. The fixtures that use them are in conftest.py."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "adhorn-devto-feed.xml"
BUNDLED_ARCHIVE = ROOT / "archive"

CHROMIUM = os.environ.get("RESILIENCE_KB_CHROMIUM", "/usr/bin/chromium")
NODE_MODULES = ROOT / "node_modules"
# CI sets this so that a missing browser or Node tool fails the run instead of skipping those tests.
REQUIRE_BROWSER = os.environ.get("RESILIENCE_KB_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


@dataclass
class Response:
    """What the test server answers on one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    handler: Callable[[BaseHTTPRequestHandler], None] | None = None  # full control, when needed


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a client that hangs up mid-response (size cap, timeout tests) is expected here


class FeedServer:
    """A real HTTP server on 127.0.0.1 with a route table the test fills in."""

    def __init__(self) -> None:
        self.routes: dict[str, Response] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.handler:
                    route.handler(self)
                    return
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, *args) -> None:
                pass  # keep test output clean; requests are recorded above

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def feed(self, path: str, body: bytes, **headers: str) -> str:
        """Serve `body` as an RSS feed at `path`; return its URL."""
        headers = {"Content-Type": "application/rss+xml; charset=utf-8", **headers}
        self.routes[path] = Response(body=body, headers=headers)
        return self.url(path)

    def conditional_feed(self, path: str, body: bytes, *, etag: str | None = None,
                         last_modified: str | None = None) -> str:
        """Serve `body`, answering 304 when the client sends back the validator."""

        def handle(request: BaseHTTPRequestHandler) -> None:
            fresh = (etag and request.headers.get("If-None-Match") == etag) or (
                last_modified and request.headers.get("If-Modified-Since") == last_modified)
            request.send_response(304 if fresh else 200)
            if etag:
                request.send_header("ETag", etag)
            if last_modified:
                request.send_header("Last-Modified", last_modified)
            request.send_header("Content-Type", "application/rss+xml")
            request.send_header("Content-Length", "0" if fresh else str(len(body)))
            request.end_headers()
            if not fresh:
                request.wfile.write(body)

        self.routes[path] = Response(handler=handle)
        return self.url(path)


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `resilience-kb` as a user would, in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "ingest.cli", *args],
        cwd=cwd or ROOT, capture_output=True, text=True, timeout=timeout,
    )


def make_project(tmp_path: Path, mkdocs_yml: str | None = None, with_archive: bool = True,
                 allow_private: bool = True, images: str = "remote") -> Path:
    """A copy of the project's site sources in tmp_path: mkdocs.yml, docs, overrides, and unless
    `with_archive` is false, the bundled archive with its curated checklists and onboarding path.

    With `allow_private` (the default), its feeds may be on 127.0.0.1, where the tests' servers are.
    `images` is the plugin's option: "remote" unless a test asks for "local", because the tests' feeds
    name images on the internet, which a fetch in local mode would download (no test uses the network).
    """
    project = tmp_path / "project"
    project.mkdir()
    config = mkdocs_yml or (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\n      images: [^\n]*", "", config)  # one value, this one, whatever the file says
    config = config.replace("  - resilience-kb:\n", f"  - resilience-kb:\n      images: {images}\n", 1)
    if allow_private:
        config = config.replace("  - resilience-kb:\n", "  - resilience-kb:\n      allow_private_addresses: true\n", 1)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copy(ROOT / ".gitignore", project / ".gitignore")
    if with_archive:
        # The curated files name articles of the bundled archive; without it they do not apply.
        shutil.copytree(ROOT / "checklists", project / "checklists")
        shutil.copy(ROOT / "onboarding.yml", project / "onboarding.yml")
        shutil.copytree(BUNDLED_ARCHIVE, project / "archive", ignore=shutil.ignore_patterns(".lock", ".*.tmp", ".cache"))
    return project


BUNDLED_FEED_URL = "url: https://dev.to/feed/adhorn"


def point_feed(project: Path, url_and_more: str) -> None:
    """Give the project's adhorn feed the URL `url_and_more` instead of dev.to's (what follows the
    URL, further YAML lines such as another feed or an option, is written as it is)."""
    path = project / "mkdocs.yml"
    config = path.read_text(encoding="utf-8")
    assert BUNDLED_FEED_URL in config, "mkdocs.yml no longer names the feed this helper points elsewhere"
    path.write_text(config.replace(BUNDLED_FEED_URL, f"url: {url_and_more}"), encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to prove a run changed nothing.

    The lock, the fetch report and the analysis cache are left out: git ignores them, they are
    not the archive (a build writes the cache when the source tree has none, or an older one).
    """
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in (".lock", ".fetch-report.json")
            and ".cache" not in p.relative_to(folder).parts}


def browser_unavailable(reason: str) -> None:
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (RESILIENCE_KB_REQUIRE_BROWSER=1 makes these tests mandatory)")
    pytest.skip(reason)


def node_tool(relative: str) -> Path:
    """A file of an npm package the tests use (`make test` installs them with npm ci)."""
    path = NODE_MODULES / relative
    if shutil.which("node") is None:
        browser_unavailable("node is not installed")
    if not path.exists():
        browser_unavailable(f"{path} is missing: run `npm ci`")
    return path


def png_image(width: int, height: int, rgb: tuple[int, int, int] = (40, 120, 200), noise: bytes = b"") -> bytes:
    """A real PNG of `width` x `height` pixels, one colour (or `noise` bytes repeated over the pixels)."""
    row = bytes(rgb) * width
    rows = []
    for y in range(height):
        if noise:
            start = (y * width * 3) % len(noise)
            row = (noise[start:] + noise * (width * 3 // len(noise) + 1))[:width * 3]
        rows.append(b"\0" + row)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows)))
            + chunk(b"IEND", b""))
