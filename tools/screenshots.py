"""The README's screenshots of the site, taken in headless Chromium at desktop and phone width.

    .venv/bin/python tools/screenshots.py            # builds the bundled site into a temporary folder
    .venv/bin/python tools/screenshots.py --site DIR # or uses a site already built
    .venv/bin/python tools/screenshots.py --examples # the private site of examples/mkdocs.yml: incidents

Writes examples/screenshots/<page>-<desktop|phone>.png: the home page, a pattern, search results, the
ORR checklist, and the postmortem as printed. Needs Playwright and Debian's chromium (`make test`
installs both). tests/test_browser_screenshots.py runs axe-core on the same pages and views.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "examples" / "screenshots"

# name: (path and query, media). The search page opens with ?q=, as a reader's link to a search does.
VIEWS = {
    "home": ("", "screen"),
    "pattern": ("patterns/circuit-breakers/", "screen"),
    "search": ("?q=circuit+breaker", "screen"),
    "orr": ("checklists/orr/", "screen"),
    "postmortem-print": ("checklists/postmortem/", "print"),
}
# The views of the private site (examples/mkdocs.yml: the example reviews and incidents), with --examples.
EXAMPLE_VIEWS = {
    "incidents": ("incidents/", "screen"),
    "incident": ("incidents/2026-02-27-search-scaled-out-too-late-for-the-sale/", "screen"),
    "incident-questions": ("incidents/2026-02-27-search-scaled-out-too-late-for-the-sale/#questions", "screen"),  # did a review flag it?
    "pattern-incidents": ("patterns/retries/#in-our-incidents", "screen"),  # where the team was bitten
}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def open_view(page, url: str, name: str) -> None:
    """Load one view and wait until it shows what it is for (search results, fonts)."""
    path, media = {**VIEWS, **EXAMPLE_VIEWS}[name]
    page.emulate_media(media=media)
    page.goto(url + path, wait_until="networkidle")
    if "#" in path:  # scrolled to a heading: the header swaps the site's name for the page's, animated
        page.wait_for_timeout(600)
    if path.startswith("?q="):
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
        page.wait_for_timeout(300)


def take(site: Path, out: Path, views: dict[str, tuple[str, str]] = VIEWS) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    httpd, url = serve(site)
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
            for width_name, (width, height) in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                for name in views:
                    open_view(page, url, name)
                    target = out / f"{name}-{width_name}.png"
                    page.screenshot(path=str(target), full_page=False)
                    written.append(target)
                page.close()
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the bundled one)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--examples", action="store_true", help="the views of the site of examples/mkdocs.yml")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            config = ["-f", "examples/mkdocs.yml"] if args.examples else []
            subprocess.run([sys.executable, "-m", "ingest.cli", *config, "build", "--site-dir", str(site)], cwd=ROOT,
                           check=True)
        for path in take(site, args.out, EXAMPLE_VIEWS if args.examples else VIEWS):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
