"""Pattern and bias pages on the many-source site, as an engineer reads them (issue 21).

A pattern page quotes a few passages per article, none a heading or a near-duplicate, and
lists the articles in the order of the passage groups; the hand labels of
tests/expectations/pattern_passages.yml say which passages come first and which must never
appear. "In context" lands on the passage, marked, in real Chromium. Every bias has a
definition and each article naming it appears once.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from manysources import build_many_sources_site
from support import QuietServer, node_tool

pytestmark = pytest.mark.slow

LABELS = yaml.safe_load((Path(__file__).parent / "expectations" / "pattern_passages.yml").read_text(encoding="utf-8"))
MAX_PER_ARTICLE = 3
NEAR_DUPLICATE = 0.8
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@pytest.fixture(scope="module")
def many_site(tmp_path_factory) -> Path:
    return build_many_sources_site(tmp_path_factory.mktemp("many"))


@pytest.fixture(scope="module")
def many_url(many_site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = QuietServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(many_site)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def words(text: str) -> frozenset[str]:
    """A passage's words, lower case, leading numbering ("(1)", "2 —") and punctuation left out."""
    text = re.sub(r"^\W*\(?\d{1,3}\s*[.):—–-]+\s*", "", text.strip())
    return frozenset(re.findall(r"[^\W_]+", text.casefold()))


def flat(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def content(path: Path) -> BeautifulSoup:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("article.md-content__inner") or soup


def article_of(href: str) -> str:
    """The article id a link from a pattern page leads to."""
    return unquote(urlsplit(href).path).rstrip("/").rsplit("/", 1)[-1]


def read_pattern_page(site: Path, slug: str) -> dict:
    """The page's list of articles, and its passage groups: (article, [(passage, href)]) in page order."""
    page = content(site / "patterns" / slug / "index.html")
    listed, groups = [], []
    heading = page.find(lambda t: t.name == "h2" and t.get_text().startswith("Articles that discuss it most"))
    if heading is not None:
        listed = [article_of(li.find("a")["href"]) for li in heading.find_next_sibling("ol").find_all("li")]
    for item in page.find_all("li"):
        link = item.find("a", string="in context")
        if link is None:
            continue
        passage = item.get_text().rsplit("(in context)", 1)[0].strip().strip("“”")
        article = article_of(link["href"])
        if not groups or groups[-1][0] != article:
            groups.append((article, []))
        groups[-1][1].append((passage, link["href"]))
    return {"listed": listed, "groups": groups}


def pattern_slugs(site: Path) -> list[str]:
    return sorted(p.parent.name for p in (site / "patterns").glob("*/index.html"))


def test_a_pattern_page_quotes_a_few_passages_per_article(many_site):
    crowded = {(slug, article): len(passages) for slug in pattern_slugs(many_site)
               for article, passages in read_pattern_page(many_site, slug)["groups"]
               if len(passages) > MAX_PER_ARTICLE}
    assert crowded == {}
    # an article's passages are together: it has one group
    split = []
    for slug in pattern_slugs(many_site):
        articles = [article for article, _ in read_pattern_page(many_site, slug)["groups"]]
        if len(set(articles)) != len(articles):
            split.append(slug)
    assert split == []


def test_no_two_passages_on_a_pattern_page_are_near_duplicates(many_site):
    found = []
    for slug in pattern_slugs(many_site):
        passages = [p for _, group in read_pattern_page(many_site, slug)["groups"] for p, _ in group]
        found += [(slug, a, b) for i, a in enumerate(passages) for b in passages[:i]
                  if overlap(words(a), words(b)) >= NEAR_DUPLICATE]
    assert found == []


def test_no_passage_is_a_heading(many_site):
    """Not a heading of its article, nor a heading's text elsewhere (numbering aside), nor in a heading."""
    found = []
    pages: dict[Path, BeautifulSoup] = {}
    for slug in pattern_slugs(many_site):
        base = many_site / "patterns" / slug
        for _, group in read_pattern_page(many_site, slug)["groups"]:
            for passage, href in group:
                parts = urlsplit(href)
                target = (base / unquote(parts.path)).resolve() / "index.html"
                if target not in pages:
                    pages[target] = content(target)
                article = pages[target]
                titles = {flat(re.sub(r"^\W*\(?\d{1,3}\s*[.):—–-]+\s*", "", h.get_text().removesuffix("¶")))
                          for h in article.find_all(HEADINGS)}
                element = article.find(id=parts.fragment.split(":~:")[0]) if parts.fragment else None
                if (element is not None and element.name in HEADINGS) or flat(
                        re.sub(r"^\W*\(?\d{1,3}\s*[.):—–-]+\s*", "", passage)) in titles:
                    found.append((slug, passage))
    assert found == []


def test_the_list_of_articles_and_the_passage_groups_agree(many_site):
    disagree = {}
    for slug in pattern_slugs(many_site):
        page = read_pattern_page(many_site, slug)
        if page["groups"] and page["listed"] != [article for article, _ in page["groups"]]:
            disagree[slug] = (page["listed"], [article for article, _ in page["groups"]])
    assert disagree == {}


@pytest.mark.parametrize("slug", sorted(LABELS["patterns"]))
def test_pattern_pages_meet_the_hand_labels(many_site, slug):
    labels = LABELS["patterns"][slug]
    page = read_pattern_page(many_site, slug)
    groups = dict(page["groups"])
    order = [article for article, _ in page["groups"]]
    if "first" in labels:
        assert order[:1] == [labels["first"]], order
    for article in labels.get("not_first", ()):
        assert order[:1] != [article], order
    for article, expected in labels.get("articles", {}).items():
        quoted = [flat(p) for p, _ in groups.get(article, ())]
        # a bad text is quoted whole, inside a passage, or as most of a passage
        bad = [text for text in expected.get("bad", ())
               if any(flat(text) in p or (p in flat(text) and len(p) > 0.8 * len(flat(text))) for p in quoted)]
        assert bad == [], f"{slug}: quoted from {article}: {bad}"
        if expected.get("good"):
            assert article in groups, f"{slug}: {article} is not quoted"
            top = flat(groups[article][0][0])
            assert any(flat(text) in top for text in expected["good"]), f"{slug}: {article} opens with {top!r}"


def _landing(page) -> dict:
    return page.evaluate("""() => {
        const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        if (!target) return null;
        const box = target.getBoundingClientRect();
        const neighbour = target.previousElementSibling || target.nextElementSibling;
        return {top: box.top, bottom: box.bottom, height: innerHeight, header: document.querySelector('.md-header').getBoundingClientRect().bottom,
                background: getComputedStyle(target).backgroundColor,
                neighbour: getComputedStyle(neighbour).backgroundColor};
    }""")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("slug", ["canary-deployment", "postmortems", "caching"])
def test_in_context_lands_on_the_passage_marked(browser, many_url, slug, scheme):
    page = browser.new_page(color_scheme=scheme, viewport={"width": 1280, "height": 800})
    try:
        page.goto(f"{many_url}patterns/{slug}/")
        links = page.get_by_role("link", name="in context")
        for n in range(min(links.count(), 3)):
            page.goto(f"{many_url}patterns/{slug}/")
            page.get_by_role("link", name="in context").nth(n).click()
            page.wait_for_load_state("load")
            page.wait_for_timeout(200)  # the scroll to the fragment
            landing = _landing(page)
            assert landing is not None, page.url
            # in view, below the sticky header
            assert landing["top"] >= landing["header"] - 1 and landing["top"] < landing["height"], landing
            assert landing["background"] not in ("rgba(0, 0, 0, 0)", "transparent"), landing
            assert landing["background"] != landing["neighbour"], landing
    finally:
        page.close()


def _bias_sections(site: Path) -> dict[str, list]:
    page = content(site / "biases" / "index.html")
    sections: dict[str, list] = {}
    for heading in page.find_all("h2"):
        parts = []
        for sibling in heading.find_next_siblings():
            if sibling.name == "h2":
                break
            parts.append(sibling)
        sections[heading.get_text().removesuffix("¶")] = parts
    return sections


def test_every_bias_has_a_definition(many_site):
    sections = _bias_sections(many_site)
    assert len(sections) >= 11
    undefined = [name for name, parts in sections.items()
                 if not parts or parts[0].name != "p" or parts[0].get_text().startswith(("Named in", "Also named in"))
                 or len(parts[0].get_text().split()) < 8]
    assert undefined == []


def test_each_article_naming_a_bias_appears_once(many_site):
    repeated = {}
    for name, parts in _bias_sections(many_site).items():
        articles = [urlsplit(a["href"]).path for part in parts for a in part.find_all("a") if "/articles/" in a["href"]]
        if len(articles) != len(set(articles)):
            repeated[name] = articles
    assert repeated == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pattern_and_bias_pages_pass_axe(browser, many_url, scheme):
    axe = node_tool("axe-core/axe.min.js").read_text()
    found = []
    for width in (1280, 390):
        page = browser.new_page(color_scheme=scheme, viewport={"width": width, "height": 900}, bypass_csp=True)
        for path in ("patterns/canary-deployment/", "patterns/chaos-engineering/", "biases/",
                     "articles/chaos-engineering-q-a-how-to-safely-inject-380a3e777b/#p19"):
            page.goto(many_url + path)
            page.add_script_tag(content=axe)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            found += [f"{path} {width}: {v['id']} ({v['impact']}: {v['nodes'][0]['target']})"
                      for v in result["violations"] if v["impact"] in ("serious", "critical")]
        page.close()
    assert found == []
