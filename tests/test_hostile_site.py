"""A hostile corpus built into a site: nothing from the feeds runs, links nowhere dangerous,
directives stay text, and ids and slugs cannot escape their folders."""

from __future__ import annotations

import re

import pytest

from hostile import MARK, PAYLOADS, TEXT_PAYLOADS, hostile_atom, hostile_rss
from sitecheck import executable_content
from support import make_project, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    project = make_project(root, with_archive=False)
    for name, text in (("hostile.rss", hostile_rss()), ("hostile.atom", hostile_atom())):
        (root / name).write_text(text, encoding="utf-8")
        result = run_cli("fetch", "--feed", str(root / name), cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    built = run_cli("build", "--site-dir", str(site), cwd=project)
    assert built.returncode == 0, built.stderr
    return project, site


def test_the_whole_corpus_was_archived(hostile_site):
    project, site = hostile_site
    entries = list((project / "archive" / "entries").glob("*.json"))
    assert len(entries) == len(PAYLOADS) + 30  # every item of both feeds, none lost to a hostile guid
    pages = [p for p in (site / "articles").glob("*/index.html") if p.parent.name not in ("by-year", "by-kind")]
    assert len(pages) == len(entries)


def test_no_page_carries_executable_content(hostile_site):
    _, site = hostile_site
    problems = {str(p.relative_to(site)): executable_content(p) for p in site.rglob("*.html")}
    assert {page: found for page, found in problems.items() if found} == {}


def test_site_feeds_and_knowledge_json_carry_no_markup(hostile_site):
    _, site = hostile_site
    import json
    import xml.etree.ElementTree as ET

    channel = ET.fromstring((site / "feed.xml").read_bytes()).find("channel")
    items = channel.findall("item")
    assert len(items) == 50
    for item in items:
        link = item.findtext("link")
        assert link is None or link.startswith(("http://", "https://")), link
        assert len(item) == len([c for c in item if c.tag in ("title", "link", "guid", "pubDate", "description")])
    assert any("</title><script>" in item.findtext("title") for item in items)  # as text, escaped in the XML
    feed = json.loads((site / "feed.json").read_text())
    assert all(i.get("url", "https://").startswith(("http://", "https://")) for i in feed["items"])
    assert all(set(i) <= {"id", "url", "title", "summary", "date_published", "authors", "tags"} for i in feed["items"])


def test_ids_and_paths_stay_inside_their_folders(hostile_site):
    project, site = hostile_site
    for path in (project / "archive" / "entries").iterdir():
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*\.json", path.name), path.name
    resolved_site = site.resolve()
    for path in site.rglob("*"):
        assert resolved_site in path.resolve().parents or path.resolve() == resolved_site
    assert not (project.parent / "etc").exists() and not list(project.parent.glob("passwd*"))


def test_directives_in_feed_text_come_out_as_text(hostile_site):
    from bs4 import BeautifulSoup

    _, site = hostile_site
    pages = [BeautifulSoup(p.read_text(), "lxml") for p in (site / "articles").glob("*/index.html")]
    titles = {" ".join(soup.select_one("article h1").get_text().split()) for soup in pages}
    for n, expected in enumerate(TEXT_PAYLOADS):
        assert f"Hostile {n}: {' '.join(expected.split())}" in titles
    bodies = " ".join(" ".join(soup.select_one("article").get_text(" ").split()) for soup in pages)
    assert "{{ config.site_name }} {% include 'README.md' %}" in bodies
    assert '--8<-- "README.md"' in bodies
    assert "[click](javascript:alert(1)) ![img](javascript:alert(2))" in bodies


def test_nothing_runs_in_a_real_browser(browser, hostile_site):
    import functools
    import http.server
    import threading

    _, site = hostile_site

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    page = browser.new_page()
    ran: list[str] = []
    page.on("dialog", lambda dialog: (ran.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("console", lambda message: ran.append(message.text) if MARK in message.text else None)
    try:
        paths = sorted(p.relative_to(site).parent.as_posix() + "/" for p in site.rglob("index.html"))
        for path in paths:
            page.goto(base + ("" if path == "./" else path))
            page.mouse.move(200, 300)  # hover handlers, had any survived
            assert page.evaluate("!!document.querySelector('[onerror],[onload],[onclick],[onmouseover]')") is False
        assert len(paths) > 100
    finally:
        page.close()
        httpd.shutdown()
    assert ran == []
