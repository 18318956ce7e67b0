"""A site indexed in shards of a bounded number of pages finds what one index finds: the search box
merges the shards (Pagefind's mergeIndex) into one list. Built for real, searched in Chromium."""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import math
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support import ROOT, make_project, run_cli

pytestmark = pytest.mark.slow

SHARD_PAGES = 15  # the bundled site indexes 59 pages (no listings): several shards
QUERIES = ["bulkhead", "circuit breaker", "chaos engineering", "postmortem", "tech years like dog years",
           "MultiIPAddressPacketLossAttack", "Lambda", "operational readiness", "confirmation bias", "re:Invent"]


def build(tmp_path: Path, shard_pages: int | None) -> Path:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if shard_pages:
        config = config.replace("      stale_days: 45\n", f"      stale_days: 45\n      search_shard_pages: {shard_pages}\n")
        assert "search_shard_pages" in config
    project = make_project(tmp_path, config)
    site = tmp_path / "site"
    result = run_cli("build", "--site-dir", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    return (build(tmp_path_factory.mktemp("single"), None),
            build(tmp_path_factory.mktemp("sharded"), SHARD_PAGES))


def page_count(bundle: Path) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


def bundle_urls(bundle: Path) -> set[str]:
    """The pages a bundle indexes: each fragment is gzipped 'pagefind_dcd' and the page's JSON."""
    found = set()
    for fragment in (bundle / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        found.add(json.loads(data.removeprefix(b"pagefind_dcd"))["url"])
    return found


def test_sharded_index_holds_every_page_in_bounded_shards(sites):
    single, sharded = sites
    total = page_count(single / "pagefind")
    assert total > 3 * SHARD_PAGES  # the bundled archive makes several shards
    bundles = [sharded / "pagefind"] + sorted(sharded.glob("pagefind-*"), key=lambda p: int(p.name.split("-")[1]))
    # The article pages have shards of their own, after those of the other pages (a new article then
    # changes only the last one): 12 articles, the bundled archive's entries.
    articles = len(list((ROOT / "archive" / "entries").glob("*.json")))
    assert articles == 12
    assert len(bundles) == math.ceil((total - articles) / SHARD_PAGES) + math.ceil(articles / SHARD_PAGES)
    counts = [page_count(b) for b in bundles]
    assert sum(counts) == total and max(counts) <= SHARD_PAGES, counts
    assert counts[-1] == articles  # all the articles fit in the last shard
    assert all(url.startswith("/articles/") for url in bundle_urls(bundles[-1]))
    assert not any(url.startswith("/articles/") and url.count("/") == 3 for b in bundles[:-1]
                   for url in bundle_urls(b))
    home = BeautifulSoup((sharded / "index.html").read_text(encoding="utf-8"), "lxml")
    assert home.select_one("#rkb-search")["data-merge"].split() == [f"{b.name}/" for b in bundles[1:]]
    one = BeautifulSoup((single / "index.html").read_text(encoding="utf-8"), "lxml")
    assert not one.select_one("#rkb-search").has_attr("data-merge")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(folder: Path):
    handler = functools.partial(Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


SEARCH = """async ([queries, merge]) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.options({ baseUrl: "/" });
  for (const bundle of merge) await pagefind.mergeIndex(bundle, { baseUrl: "/" });
  const found = {};
  for (const query of queries) {
    const search = await pagefind.search(query);
    found[query] = await Promise.all(search.results.map(r => r.data().then(d => d.url)));
  }
  return found;
}"""


def results(browser, folder: Path) -> dict[str, list[str]]:
    httpd, url = serve(folder)
    try:
        page = browser.new_page()
        page.goto(url)
        merge = [f"/{p.name}/" for p in sorted(folder.glob("pagefind-*"))]
        found = page.evaluate(SEARCH, [QUERIES, merge])
        page.close()
        return found
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_sharded_index_finds_what_one_index_finds(browser, sites):
    single, sharded = sites
    one, merged = results(browser, single), results(browser, sharded)
    for query in QUERIES:
        assert one[query], query  # each query finds something in the bundled archive
        # Every page one index finds, the shards find. (A shard that lacks a query's word
        # altogether may add approximate matches of its own, and each shard ranks by its
        # own word statistics: the order can differ, see ingest/site/search.py.)
        assert set(one[query]) <= set(merged[query]), query
    for query, page in (("bulkhead", "/patterns/bulkheads/"), ("circuit breaker", "/patterns/circuit-breakers/"),
                        ("confirmation bias", "/biases/")):
        assert merged[query][0] == one[query][0] == page, query


def test_search_box_merges_the_shards(browser, sites):
    single, sharded = sites
    expected = results(browser, single)["chaos engineering"]
    httpd, url = serve(sharded)
    try:
        page = browser.new_page()
        failed = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.goto(url)
        page.locator(".pagefind-ui__search-input").fill("chaos engineering")
        link = page.locator(".pagefind-ui__result-title > a.pagefind-ui__result-link").first
        link.wait_for(timeout=15_000)
        page.wait_for_timeout(300)
        message = page.locator(".pagefind-ui__message").inner_text()
        assert message.startswith(f"{len(expected)} results"), message  # one list, from every shard
        assert link.get_attribute("href").endswith("/patterns/chaos-engineering/")
        assert not failed
        page.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
