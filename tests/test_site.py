"""A real strict MkDocs build of the bundled archive, and what its pages say."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support import BUNDLED_ARCHIVE, ROOT, make_project, run_cli

DIGEST_2 = "aws-re-invent-2020-digest-part-2-27pn-46c2c96548"
DIGEST_1 = "aws-re-invent-2020-digest-part-1-31li-afa801ab6a"
ORR = "operational-readiness-review-template-1dha-d5b27f59d0"
MONKEY = "creating-your-own-chaos-monkey-with-aws-systems-e52e210ecb"
LESSONS = "ten-lessons-from-twelve-years-of-aws-59b2-1be02dbe72"


@pytest.fixture
def site(built_site) -> Path:
    return built_site


def article(site: Path, article_id: str) -> BeautifulSoup:
    html = (site / "articles" / article_id / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "lxml")


def body_text(soup: BeautifulSoup) -> str:
    return " ".join(soup.select_one("article").get_text(" ").split())


def test_every_archived_entry_has_a_page(site):
    pages = sorted(p.parent.name for p in (site / "articles").glob("*/index.html") if p.parent.name != "by-year")
    archived = sorted(p.stem for p in (BUNDLED_ARCHIVE / "entries").glob("*.json"))
    assert len(archived) == 12
    assert pages == archived


def test_home_page_says_what_is_in_the_archive(site):
    text = " ".join(BeautifulSoup((site / "index.html").read_text(), "lxml").get_text(" ").split())
    assert "The archive holds 12 articles from 1 source (DEV Community: Adrian Hornsby; see Sources" in text
    assert "published 29 April 2020 to 7 January 2021" in text
    assert "AWS re:Invent 2020 digest — Part 2" in text  # the latest article is listed


def test_digest_page_has_metadata_and_clean_text(site):
    soup = article(site, DIGEST_2)
    assert soup.title.get_text() == "AWS re:Invent 2020 digest — Part 2 - Resilience KB"
    assert soup.select_one("article h1").get_text() == "AWS re:Invent 2020 digest — Part 2"
    byline = " ".join(soup.select_one(".rkb-byline").get_text(" ").split())
    assert byline.startswith("Published 7 January 2021 · by Adrian Hornsby ·")
    assert soup.select_one(".rkb-byline time")["datetime"] == "2021-01-07"
    original = soup.select_one(".rkb-byline a[rel]")
    assert original["href"] == "https://dev.to/aws/aws-re-invent-2020-digest-part-2-27pn"
    assert soup.select_one(".rkb-byline a:not([rel])")["href"] == "../../sources/adhorn/"
    assert "noopener" in original["rel"]
    tags = [a.get_text() for a in soup.select(".rkb-tags a") if "/tags/" in a["href"]]
    assert tags == ["aws", "computerscience", "architecture", "cloudskills"]
    assert soup.select_one(".rkb-tags a")["href"] == "../by-kind/digest/"
    text = body_text(soup)
    # The feed glues words to links: "A lot of<a>new launches</a> ... <a>Part 1</a>of this series".
    assert "A lot of new launches have happened since I published Part 1 of this series." in text
    assert "AWS Fault Injection Simulator is a fully managed chaos engineering service" in text


def test_tweet_embeds_become_links_and_their_script_text_is_gone(site):
    soup = article(site, DIGEST_1)
    text = body_text(soup)
    assert "Detect dark theme" not in text
    assert "getElementById" not in text
    assert "Amazon S3 now delivers strong read-after-write consistency automatically for all applications" in text
    assert not soup.select("article iframe")
    tweets = [a["href"] for a in soup.select("article a") if a.get_text() == "View the embedded tweet"]
    assert "https://twitter.com/i/web/status/1333929339541352448" in tweets


def test_links_between_archived_articles_point_to_local_pages(site):
    soup = article(site, DIGEST_2)
    part_1 = soup.find("a", string="Part 1")
    assert part_1["href"] == f"../{DIGEST_1}/"
    assert (site / "articles" / DIGEST_1 / "index.html").exists()


def test_collection_links_to_cross_posted_copies_become_local(site):
    # The collection links to the Medium copies (…/incident-postmortem-template-7b0e0a04f7a8);
    # the archive holds the DEV copies (…/incident-postmortem-template-18m7).
    soup = article(site, "the-operational-excellence-collection-1ppm-9784f03775")
    assert soup.find("a", string="Incident Postmortem Template")["href"] == "../incident-postmortem-template-18m7-dd266f544a/"
    assert soup.find("a", string="Operational Readiness Review Template")["href"] == f"../{ORR}/"
    assert soup.find("a", string="Part 1")["href"] == "https://medium.com/@adhorn/towards-operational-excellence-35ba6298b12f"


def test_a_link_to_another_copy_of_the_same_article_stays_external(site):
    soup = article(site, "building-resilient-services-at-prime-video-with-c92b766799")
    original = soup.find("a", string="https://aws.amazon.com")
    assert original["href"].startswith("https://aws.amazon.com/")


def test_orr_page_keeps_its_questions_and_outline(site):
    soup = article(site, ORR)
    text = body_text(soup)
    assert "An ORR is a rigorous, evidence-based assessment that evaluates a particular service’s operational state" in text
    assert "What are the business scaling drivers correlated with your services?" in text
    sections = [h.get_text(" ", strip=True) for h in soup.select("article h2")]
    assert "Operational Readiness Review Template" in sections
    assert "How to use this ORR template?" in [h.get_text(" ", strip=True) for h in soup.select("article h3")]
    levels = [int(h.name[1]) for h in soup.select("article h2, article h3, article h4, article h5, article h6")]
    assert levels[0] == 2 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))


def test_code_blocks_stay_code(site):
    soup = article(site, MONKEY)
    code = [c.get_text() for c in soup.select("article pre code")]
    assert any("aws ssm start-automation-execution --document-name" in c for c in code)
    assert any('"Effect": "Allow"' in c for c in code)


def test_images_are_kept_with_an_alt_attribute(site):
    soup = article(site, LESSONS)
    images = soup.select("article img")
    assert len(images) == 5  # the five images of the original article
    assert all(img.has_attr("alt") for img in images)
    assert all(img["src"].startswith("https://media2.dev.to/") for img in images)
    assert not [a for a in soup.select("article a") if not a.get_text(strip=True) and not a.find("img")]


def test_no_feed_content_brings_scripts_or_frames(site):
    for page in (site / "articles").glob("*/index.html"):
        soup = BeautifulSoup(page.read_text(), "lxml")
        inner = soup.select_one(".md-content__inner")
        assert not inner.find_all(["script", "iframe", "object", "embed", "form", "style"]), page
        assert not [a for tag in inner.find_all(True) for a in tag.attrs if a.startswith("on")], page


def test_search_index_covers_pages_but_not_listings(site):
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    # 12 articles, 40-odd patterns, the checklists, notes and biases; no listing (search_marks.py)
    assert entry["languages"]["en"]["page_count"] >= 55
    for listing in ("index.html", "whats-new/index.html", "tags/index.html", "articles/index.html", "start-here/index.html"):
        assert "data-pagefind-body" not in (site / listing).read_text(), listing
    article_page = (site / "articles" / MONKEY / "index.html").read_text()
    assert "data-pagefind-body" in article_page
    assert "data-pagefind-body" not in (site / "articles" / "by-year" / "2020" / "index.html").read_text()
    # The search UI loads when search is opened (search.js), not with every page.
    assert "pagefind-ui" not in article_page and 'src="../../assets/search.js"' in article_page


def test_listings_by_year_and_tag(site):
    listing = BeautifulSoup((site / "articles" / "index.html").read_text(), "lxml")
    text = " ".join(listing.get_text(" ").split())
    assert "12 articles from 1 source." in text
    assert "2021 (1)" in text and "2020 (11)" in text
    year = BeautifulSoup((site / "articles" / "by-year" / "2020" / "index.html").read_text(), "lxml")
    assert len(year.select("article li a")) == 11
    tag = BeautifulSoup((site / "tags" / "sre" / "index.html").read_text(), "lxml")
    titles = [a.get_text() for a in tag.select("article li a")]
    assert "Incident Postmortem Template" in titles
    assert "AWS re:Invent 2020 digest — Part 2" not in titles


def test_navigation_does_not_list_every_article(site):
    home = (site / "index.html").read_text()
    assert home.count("/articles/") < 30  # the index pages and the home summary, not all 12 in each nav


@pytest.mark.slow
def test_plain_mkdocs_build_works_too(tmp_path):
    """The plugin needs no wrapper: `mkdocs build --strict` builds the same pages."""
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "resilience-kb: 12 articles" in result.stderr
    assert (tmp_path / "site" / "articles" / ORR / "index.html").exists()


@pytest.mark.slow
def test_hostile_feed_text_comes_out_as_text(tmp_path):
    """Titles, authors and tags are raw in feedparser's output; every page must escape them."""
    evil = "</title><script>alert(1)</script><img src=x onerror=alert(2)>"
    feed = f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Evil</title><link>https://evil.example/</link>
<item><title>{_xml(evil)} {{{{ config }}}} [x](javascript:alert(3))</title>
<link>https://evil.example/post</link><guid>https://evil.example/post</guid>
<author>{_xml(evil)}</author><category>{_xml('<b onmouseover=alert(4)>tag</b>')}</category>
<pubDate>Mon, 02 Mar 2026 10:00:00 +0000</pubDate>
<description>{_xml('<p onclick="alert(5)">Body <a href="javascript:alert(6)">link</a></p><script>alert(7)</script>')}</description>
</item></channel></rss>"""
    site = build_site_of_feed(tmp_path, feed)
    for page in site.rglob("*.html"):
        html = page.read_text()
        soup = BeautifulSoup(html, "lxml")
        scripts = " ".join(s.get_text() for s in soup.find_all("script"))
        assert "alert(" not in scripts, page
        assert not soup.find_all(attrs={"onerror": True}) and not soup.find_all(attrs={"onclick": True}), page
        assert not soup.find_all(attrs={"onmouseover": True}), page
        assert not re.search(r'href="\s*javascript:', html, re.IGNORECASE), page
    [page] = [p for p in (site / "articles").glob("*/index.html") if p.parent.name != "by-year"]
    soup = BeautifulSoup(page.read_text(), "lxml")
    assert soup.select_one("article h1").get_text() == f"{evil} {{{{ config }}}} [x](javascript:alert(3))"
    assert evil in soup.title.get_text()


def build_site_of_feed(tmp_path: Path, feed: str) -> Path:
    """Fetch `feed` into an empty archive of a project copy and build its site; return the site."""
    path = tmp_path / "feed.xml"
    path.write_text(feed)
    project = make_project(tmp_path, with_archive=False)
    assert run_cli("fetch", "--feed", str(path), cwd=project).returncode == 0
    site = tmp_path / "site"
    result = run_cli("build", "--site-dir", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    return site


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_note_pages_exist_are_in_the_navigation_and_link_both_ways(site):
    # With navigation.prune a page carries only its own branch of the navigation in full.
    biases_page = BeautifulSoup((site / "biases" / "index.html").read_text(), "lxml")
    nav = " ".join(a.get_text(" ", strip=True) for a in biases_page.select("nav a"))
    for label in ("Patterns", "Launches", "Biases", "Lessons", "Failure injections"):
        assert label in nav
    pattern = BeautifulSoup((site / "patterns" / "bulkheads" / "index.html").read_text(), "lxml")
    # The ORR only lists bulkheads among other names: the page names it in passing, linked to the passage.
    passages = [a["href"] for a in pattern.select("article a") if "#" in a["href"]]
    [to_orr] = [href for href in passages if ORR in href]
    anchor = to_orr.split("#")[1]
    target = article(site, ORR).find(id=anchor)
    assert "(discuss bulkheads, cells, shards, etc.)" in target.get_text()
    orr = article(site, ORR)
    notes = orr.select_one("details.abstract")
    assert notes is not None and "Patterns mentioned" in notes.get_text()
    assert notes.find("a", string="Bulkheads")["href"] == "../../patterns/bulkheads/"


def test_launch_pages_list_headline_and_other_launches(site):
    page = BeautifulSoup((site / "launches" / DIGEST_2 / "index.html").read_text(), "lxml")
    headings = [h.get_text(" ", strip=True).removesuffix(" ¶") for h in page.select("article h3")]
    assert "AWS Global Accelerator launches custom routing" in headings
    also = [li.get_text(" ", strip=True) for li in page.select("article ul li")]
    assert any(t.startswith("Introducing AWS CloudShell") for t in also)
    index = BeautifulSoup((site / "launches" / "index.html").read_text(), "lxml")
    assert "21 launches from 2 digests." in index.get_text(" ")


def test_biases_lessons_and_injections_pages(site):
    biases = BeautifulSoup((site / "biases" / "index.html").read_text(), "lxml")
    confirmation = biases.find(id="confirmation-bias")
    assert confirmation.get_text(" ", strip=True).startswith("Confirmation bias")
    lessons = " ".join(BeautifulSoup((site / "lessons" / "index.html").read_text(), "lxml").get_text(" ").split())
    assert "#3 — Invest in people skills" in lessons
    injections = " ".join(BeautifulSoup((site / "failure-injections" / "index.html").read_text(), "lxml")
                          .get_text(" ").split())
    assert "MultiIPAddressPacketLossAttack Drops packets from all calls to a list of IPAddress." in injections
    assert "Hypothesis: The timeout for Service → ElastiCache call is set as 40 milliseconds." in injections


def test_published_knowledge_json_is_the_export(site, tmp_path):
    exported = tmp_path / "knowledge.json"
    result = run_cli("export", "-o", str(exported))
    assert result.returncode == 0, result.stderr
    assert (site / "knowledge.json").read_bytes() == exported.read_bytes()
    data = json.loads(exported.read_text())
    assert {"articles", "launches", "patterns", "biases", "lessons", "failure_injections", "checklists"} <= set(data)
    assert data["articles"][0]["published"] == "2021-01-07T12:22:56Z"


@pytest.mark.slow
def test_broken_and_empty_articles_still_get_pages(tmp_path):
    feed = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Odd</title><link>https://odd.example/</link>
<item><title>Empty</title><link>https://odd.example/empty</link><description></description></item>
<item><title>Broken</title><link>https://odd.example/broken</link>
<description>&lt;div&gt;&lt;p&gt;Unclosed &lt;b&gt;bold &lt;table&gt;&lt;tr&gt;&lt;td&gt;cell</description></item>
</channel></rss>"""
    site = build_site_of_feed(tmp_path, feed)
    titles = sorted(BeautifulSoup(p.read_text(), "lxml").select_one("article h1").get_text()
                    for p in (site / "articles").glob("*/index.html") if p.parent.name not in ("by-year", "by-kind"))
    assert titles == ["Broken", "Empty"]
    broken = next(p for p in (site / "articles").glob("broken-*/index.html"))
    assert "Unclosed bold cell" in " ".join(BeautifulSoup(broken.read_text(), "lxml").get_text(" ").split())


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow
