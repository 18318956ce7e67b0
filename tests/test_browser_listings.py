"""The listings at many sources, in real Chromium: tags merged and compact, a listing per source,
What's new by day and source, a patterns index and a Sources page that fit a phone and a desktop,
and a build with another archive that keeps the project's checklists and Start here.

The site is tests/manysources.py's: the bundled archive and 13 real feeds of other platforms.
Expected counts and titles are read from the feed files here, not from the code under test."""

from __future__ import annotations

import functools
import http.server
import re
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from manysources import FEEDS, TESTS, build_many_sources_site
from support import SEED, QuietServer, make_project, node_tool, run_cli

pytestmark = pytest.mark.slow

ATOM = "{http://www.w3.org/2005/Atom}"
PAGES = ("tags/", "articles/", "whats-new/", "patterns/", "sources/")


def feed_facts(path: Path) -> tuple[str, int]:
    """(the feed's title, its number of entries), read from the file with the standard library's XML parser."""
    root = ET.fromstring(path.read_bytes().lstrip())  # one corpus feed has blank lines before its XML declaration
    if root.tag == f"{ATOM}feed":
        return root.findtext(f"{ATOM}title"), len(root.findall(f"{ATOM}entry"))
    channel = root.find("channel")
    return channel.findtext("title"), len(channel.findall("item"))


EXPECTED = dict([feed_facts(SEED)] + [feed_facts(TESTS / feed) for feed in FEEDS])


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_many_sources_site(tmp_path_factory.mktemp("many"))


@pytest.fixture(scope="module")
def url(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = QuietServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")


def words(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def test_tags_are_merged_by_case_spacing_and_plural(site):
    index = soup(site, "tags")
    names = Counter(a.get_text() for a in index.select("article .rkb-tag-cloud a"))
    assert all(n == 1 for n in names.values()), names
    # Hand-labelled from the feeds: "introduction" (yakubin) and "introductions" (DEV) are one tag,
    # "iOS 10" and "iOS10" (Natasha The Robot) one, and "ios" another.
    assert "introductions" not in names and "iOS 10" not in names
    assert {"introduction", "iOS10", "ios", "passkit", "passkit pass", "Technology", "Technology Web"} <= set(names)
    counts = {a.get_text(): a.find_next_sibling(class_="rkb-count").get_text() for a in index.select(".rkb-tag-cloud a")}
    assert counts["introduction"] == "2" and counts["iOS10"] == "2"
    tag_page = soup(site, "tags/introduction")
    assert len(tag_page.select("article ul li")) == 2
    assert not (site / "tags" / "introductions").exists()


def test_an_articles_tags_link_to_the_merged_tag(site):
    linked = set()
    for page in (site / "articles").glob("*/index.html"):
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").select(".rkb-tags a"):
            if a.get_text().casefold() in ("introduction", "introductions"):
                linked.add(a["href"].rstrip("/").rsplit("/", 1)[-1])
    assert linked == {"introduction"}


@pytest.mark.parametrize("width, screens", [(1280, 3), (390, 4)])
def test_the_tags_page_fits_a_few_screens(browser, url, width, screens):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url + "tags/")
    assert page.evaluate("document.documentElement.scrollHeight") <= screens * 900
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The tags used once are there, folded.
    summary = page.locator("details.rkb-tags-once summary")
    assert re.fullmatch(r"\d+ more tags used once", summary.inner_text().strip())
    page.close()


def test_each_source_has_a_listing_with_all_its_articles(site):
    found = {}
    for listing in (site / "sources").glob("*/index.html"):
        page = BeautifulSoup(listing.read_text(encoding="utf-8"), "lxml")
        title = page.select_one("article h1").get_text().removesuffix("¶")
        found[title] = len(page.select("article ul li"))
    assert found == EXPECTED
    sources = soup(site, "sources")
    linked = {a.get_text(): a["href"] for a in sources.select("table.rkb-sources td:first-child > a")}
    assert set(linked) == set(EXPECTED)
    assert all((site / "sources" / href / "index.html").exists() for href in linked.values())


def test_an_articles_byline_links_to_its_source(site):
    href = soup(site, "articles/by-date/newest").find("a", string="Thoughts about Prolog")["href"]
    page = (site / "articles" / "by-date" / "newest" / href / "index.html").resolve()
    byline = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").select_one(".rkb-byline")
    link = byline.find("a", string="yakubin’s notes")
    assert link is not None and (page.parent / link["href"] / "index.html").resolve().parent.parent.name == "sources"


def test_the_articles_index_links_to_every_article_and_shows_no_kind_that_holds_most(site):
    index = soup(site, "articles")
    total = sum(EXPECTED.values())
    more = index.find("a", string=re.compile(r"^All [\d,]+ articles"))
    assert more is not None and more.get_text().startswith(f"All {total} articles")
    assert len(soup(site, "articles/by-date/newest").select("article ul li")) == total
    by_source = index.find(id="by-source").find_next("ul")
    assert len(by_source.select("li")) == len(EXPECTED)
    by_kind = index.find(id="by-kind")
    if by_kind is not None:
        counts = [int(re.search(r"\((\d+)\)$", words(li)).group(1)) for li in by_kind.find_next("ul").select("li")]
        assert max(counts) <= total / 2


def test_whats_new_groups_a_day_by_source_and_folds_the_rest(site):
    page = soup(site, "whats-new")
    days = page.select("article h2")
    assert len(days) >= 2
    day = days[0]  # the day every feed of the many-source site was fetched
    groups = {}
    for heading in day.find_all_next("h3"):
        if heading.find_previous("h2") is not day:
            break
        title, n = re.fullmatch(r"(.+) \((\d+)\)", words(heading).removesuffix(" ¶")).groups()
        shown = heading.find_next_sibling("ul")
        folded = shown.find_next_sibling()
        hidden = folded.select("ul > li") if folded is not None and folded.name == "details" else []
        assert len(shown.select(":scope > li")) == min(int(n), 5)
        assert len(hidden) == int(n) - min(int(n), 5)
        groups[title] = int(n)
    fetched = {title: n for title, n in EXPECTED.items() if title != feed_facts(SEED)[0]}
    assert groups == fetched
    assert list(groups.values()) == sorted(groups.values(), reverse=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_sources_table_fits_and_breaks_names_only_between_words(browser, url, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url + "sources/")
    assert page.locator(".md-content__inner table tbody tr").count() == len(EXPECTED)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    overflowing = page.evaluate("""() => {
        const column = document.querySelector('.md-content__inner').getBoundingClientRect();
        return [...document.querySelectorAll('.md-content__inner table td, .md-content__inner table th')]
            .filter(cell => cell.getBoundingClientRect().right > column.right + 1 || cell.scrollWidth > cell.clientWidth + 1)
            .map(cell => cell.textContent.trim().slice(0, 40));
    }""")
    assert overflowing == []
    broken = page.evaluate("""() => {
        const broken = [];
        for (const element of document.querySelectorAll('.md-content__inner table td:first-child > a, .md-content__inner table td:first-child code')) {
            const text = element.firstChild;
            if (!text || text.nodeType !== Node.TEXT_NODE) continue;
            const value = text.textContent;
            for (const match of value.matchAll(/[^\\s-]+/g)) {
                const range = document.createRange();
                range.setStart(text, match.index);
                range.setEnd(text, match.index + match[0].length);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (tops.size > 1) broken.push(match[0]);
            }
        }
        return broken;
    }""")
    assert broken == []
    page.close()


def test_the_sources_page_says_when_each_feed_was_fetched_published_and_what_was_wrong(site):
    page = soup(site, "sources")
    rows = {words(r.select_one("td a")): r for r in page.select("table.rkb-sources tbody tr")}
    assert set(rows) == set(EXPECTED)
    fetched = [title for title in EXPECTED if title != feed_facts(SEED)[0]]
    for title in fetched:  # each fetched in its own run: every one has its time, not only the last
        cell = words(rows[title].select_one('td[data-label="Latest fetch"]'))
        assert re.match(r"\d+ \w+ \d{4}, \d\d:\d\d UTC: file, \d+ new", cell), (title, cell)
    # The typepad feed has blank lines before its XML declaration: feedparser reads it and flags it.
    warning = words(rows["Amazon Web Services Blog"].select_one(".rkb-warning"))
    assert warning.startswith("⚠ malformed feed, read anyway:")
    # ongoing's newest entry is of March 2006 (the file says so): silent, whenever it was fetched.
    assert words(rows["ongoing"].select_one('td[data-label="Newest article"]')) == "7 March 2006"
    assert words(rows["ongoing"].select_one('td[data-label="State"]')) == "silent"
    assert "when its newest article was published more than" in words(page.select_one("article"))


def test_the_patterns_index_reads_on_a_phone(browser, url):
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(url + "patterns/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    wide = page.evaluate("""() => [...document.querySelectorAll('.md-content__inner *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 30))""")
    assert wide == []
    lines = page.evaluate("""() => [...document.querySelectorAll('.md-content__inner dd, .md-content__inner td:nth-child(2)')]
        .map(e => {
            const height = parseFloat(getComputedStyle(e).lineHeight);
            return [e.textContent.trim().split(/\\s+/).length, Math.round(e.getBoundingClientRect().height / height)];
        })""")
    assert len(lines) >= 30
    thin = [(n, rows) for n, rows in lines if n / max(rows, 1) < 4]  # a phone line holds 5 to 8 of these words
    assert thin == []
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_accessibility_violations(browser, url, scheme, width):
    axe = node_tool("axe-core/axe.min.js").read_text()
    page = browser.new_page(color_scheme=scheme, viewport={"width": width, "height": 900}, bypass_csp=True)
    found = []
    for path in (*PAGES, "sources/qemu/"):
        page.goto(url + path)
        page.add_script_tag(content=axe)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found += [f"{path}: {v['id']} ({v['impact']}, {v['nodes'][0]['target']})"
                  for v in result["violations"] if v["impact"] in ("serious", "critical")]
    page.close()
    assert found == []


def test_a_build_with_another_archive_keeps_the_checklists_and_start_here(tmp_path):
    project = make_project(tmp_path)
    other, site = tmp_path / "other", tmp_path / "site"
    fetched = run_cli("--archive", str(other), "fetch", "--feed", str(TESTS / FEEDS[0]), cwd=project)
    assert fetched.returncode == 0, fetched.stderr
    built = run_cli("--archive", str(other), "build", "--site-dir", str(site), cwd=project)
    assert built.returncode == 0, built.stderr
    assert "init-checklists" not in built.stderr
    ids = sorted(p.stem for p in (project / "checklists").glob("*.yml"))
    assert ids and all((site / "checklists" / i / "index.html").exists() for i in ids)
    assert "init-checklists" not in (site / "checklists" / "index.html").read_text()
    start = soup(site, "start-here")
    assert len(start.select(".rkb-stop")) == 6  # as onboarding.yml has them
    missing = start.select(".rkb-missing")
    assert missing and all(m.get_text() == "(not in this archive)" for m in missing)
