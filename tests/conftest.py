"""Shared fixtures: the real feed files, a real HTTP server on 127.0.0.1, the built site, the
browser. Plain helpers live in support.py."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

from support import CHROMIUM, CHROMIUM_ARGS, SEED, FeedServer, QuietServer, browser_unavailable, run_cli

# The tests talk to 127.0.0.1 only; a proxy configured in the environment must not intercept that.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def pytest_collection_modifyitems(items) -> None:
    """A test that drives the browser is marked `browser` and `slow`, so `make test-fast` leaves it out."""
    for item in items:
        if "browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def server():
    feed_server = FeedServer()
    feed_server.thread.start()
    yield feed_server
    feed_server.httpd.shutdown()
    feed_server.httpd.server_close()


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site of the bundled archive, built once by `resilience-kb build` (strict)."""
    site_dir = tmp_path_factory.mktemp("site")
    result = run_cli("build", "--site-dir", str(site_dir))
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return site_dir


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """The built site served over HTTP on 127.0.0.1, as a reader gets it."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = QuietServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built_site)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (its own browser download is not used)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("the playwright package is not installed")
    if not Path(CHROMIUM).exists():
        browser_unavailable(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
