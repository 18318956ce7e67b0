"""What the search box finds, measured in real Chromium on a built site, and what a first view weighs.

The queries and the first result each should bring are hand-labelled in
tests/expectations/search_queries.yml. Each runs through Pagefind's own JS API in
the page (the engine the search box uses, with the site's ranking and merged
shards), so the numbers are the reader's. Run as a script to print them:

    .venv/bin/python tests/searchquality.py /tmp/many/site     # a site built by tests/manysources.py
"""

from __future__ import annotations

import functools
import gzip
import http.server
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import yaml

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

from support import CHROMIUM, CHROMIUM_ARGS, QuietServer  # noqa: E402

QUERIES = TESTS / "expectations" / "search_queries.yml"
TOP = 5
# The article page whose first view is weighed (bundled: on every site the tests build).
ARTICLE = "articles/incident-postmortem-template-18m7-dd266f544a/"

# The engine the site's search box uses (search.js exposes it), or, on a site without that, Pagefind's
# bundle merged with the site's other shards as the box did: the first results' URLs and labels.
SEARCH = """async ([query, top]) => {
  let engine;
  if (window.rkbSearch) {
    engine = await window.rkbSearch.engine();
  } else {
    const host = document.getElementById('rkb-search');
    engine = await import(new URL(host.dataset.bundle + 'pagefind.js', location.href).href);
    await engine.options({ baseUrl: '/' });
    for (const path of (host.dataset.merge || '').split(' ').filter(Boolean)) {
      await engine.mergeIndex(new URL(path, location.href).pathname, { baseUrl: '/' });
    }
  }
  const found = await engine.search(query);
  const data = await Promise.all(found.results.slice(0, top).map(r => r.data()));
  return data.map(d => ({ url: d.url, title: d.meta.title || '', kind: d.meta.kind || '',
                          source: d.meta.source || '', date: d.meta.date || '' }));
}"""


def expectations() -> list[dict]:
    """The hand-labelled queries: each a dict with query, first (a path in the site) and why."""
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"]


@contextmanager
def served(site: Path):
    """The site served over HTTP on 127.0.0.1; yields its address."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = QuietServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def search_results(page, site_url: str, queries: list[str]) -> dict[str, list[dict]]:
    """Each query's first TOP results (url relative to the site, title, kind, source, date), searched from
    the home page."""
    page.goto(site_url, wait_until="load")
    found = {}
    for query in queries:
        results = page.evaluate(SEARCH, [query, TOP])
        found[query] = [dict(r, url=r["url"].lstrip("/")) for r in results]
    return found


def score(found: dict[str, list[dict]], labelled: list[dict]) -> tuple[int, int, list[str]]:
    """(first results right, expected ones in the top 3, a line per query that missed)."""
    first = top3 = 0
    misses = []
    for item in labelled:
        urls = [r["url"] for r in found[item["query"]]]
        first += bool(urls) and urls[0] == item["first"]
        top3 += item["first"] in urls[:3]
        if not urls or urls[0] != item["first"]:
            misses.append(f"{item['query']!r}: expected {item['first']}, got {urls[:3]}")
    return first, top3, misses


def first_view(browser, url: str) -> dict:
    """Every request of a first view of `url` until load and network idle: count, bytes as served and
    gzipped (what a server that compresses sends), and the URLs."""
    context = browser.new_context()
    page = context.new_page()
    bodies: list[tuple[str, bytes]] = []
    page.on("requestfinished", lambda request: bodies.append((request.url, _body(request))))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    context.close()
    return {"requests": len(bodies), "bytes": sum(len(b) for _, b in bodies),
            "gzip": sum(len(gzip.compress(b, 6)) for _, b in bodies), "urls": [u for u, _ in bodies]}


def _body(request) -> bytes:
    response = request.response()
    try:
        return response.body() if response else b""
    except Exception:  # noqa: BLE001 (a redirect or a request the page cancelled has no body)
        return b""


def main(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    labelled = expectations()
    with served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        found = search_results(page, url, [item["query"] for item in labelled])
        for item in labelled:
            print(f"{item['query']!r}:")
            for r in found[item["query"]][:3]:
                mark = "*" if r["url"] == item["first"] else " "
                print(f"   {mark} {r['url']}  [{r['kind']}] {r['title'][:60]}")
        first, top3, misses = score(found, labelled)
        print(f"first result right: {first}/{len(labelled)}; expected one in the top 3: {top3}/{len(labelled)}")
        for name, path in (("home", ""), ("article", ARTICLE)):
            weight = first_view(browser, url + path)
            pagefind = [u for u in weight["urls"] if "pagefind" in u]
            print(f"first view of {name} ({path or '/'}): {weight['requests']} requests, {weight['bytes']:,} bytes, "
                  f"{weight['gzip']:,} gzipped; pagefind files: {len(pagefind)}")
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
