"""Feed text that no output may carry as it came: characters XML forbids, direction controls in a byline,
invisible names, a 100 KB title, a date of 9999, a list of thousands of "biases", relative links with
nothing to resolve them against. One hostile feed, fetched and built like any other."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from xml.sax.saxutils import escape

import pytest

from support import make_project, run_cli
from ingest.archive.records import EntryRecord
from ingest.model.articles import parse_article
from ingest.model.extract.notes import ArticleNotes, BiasNote

# Every character XML 1.0 forbids or Unicode calls a non-character, as the feed's own text holds them.
FORBIDDEN = ["\x00", "\x01", "\x07", "\x1b", "\x1f", "\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff"]
LONG_TITLE = "Long " + "title words " * 9_000  # ~100 KB
BIASES = 700  # more than the default cap of 500 notes of one kind


def _item(guid: str, title: str, body: str, *, author: str = "Ann Author", date: str = "Mon, 01 Jan 2024 10:00:00 GMT",
          link: str | None = None, category: str = "resilience") -> str:
    link_line = f"<link>{escape(link)}</link>" if link else ""
    return (f"<item><guid isPermaLink='false'>{guid}</guid><title>{escape(title)}</title>{link_line}"
            f"<author>{escape(author)}</author><category>{escape(category)}</category>"
            f"<pubDate>{date}</pubDate><description>{escape(body)}</description></item>")


def hostile_text_feed() -> str:
    """An RSS feed whose every item carries one of the cases; written with the characters raw, as a careless feed does."""
    forbidden = "".join(FORBIDDEN)
    bias_items = "".join(f"<li><strong>Made-up {i} bias</strong> — the tendency number {i}</li>" for i in range(BIASES))
    items = [
        _item("bad-chars", f"Bad{forbidden}title", f"<p>Body{forbidden} text of the article, long enough.</p>",
              author=f"Bad{forbidden}Author", category=f"tag{forbidden}", link="https://example.com/posts/bad"),
        _item("bidi", "Bidi byline", "<p>Words.</p>", author="\u202eevil\u202c Mallory \u2067x",
              link="https://example.com/posts/bidi"),
        _item("invisible", "\u200b\u200c\u2060", "<p>Words.</p>", author="\u200b\u200d \u200b",
              link="https://example.com/posts/invisible"),
        _item("long", LONG_TITLE, "<p>Words.</p>", link="https://example.com/posts/long"),
        _item("future", "From the far future", "<p>Words.</p>", date="Fri, 31 Dec 9999 23:59:59 GMT",
              link="https://example.com/posts/future"),
        _item("biases", "Many biases", f"<p>The cognitive biases:</p><ul>{bias_items}</ul>",
              link="https://example.com/posts/biases"),
        _item("relative", "No base", "<p>See <a href='../other/page'>the other page</a> and "
              "<a href='https://example.com/abs'>an absolute one</a>.<img src='img/x.png' alt='x'></p>"),
    ]
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Hostile text</title>"
            "<link>https://example.com/</link><description>d</description>" + "".join(items) + "</channel></rss>")


@pytest.fixture(scope="module")
def text_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-text")
    project = make_project(root, with_archive=False)
    feed = root / "text.rss"
    feed.write_bytes(hostile_text_feed().encode("utf-8", "surrogatepass"))
    fetched = run_cli("fetch", "--feed", str(feed), cwd=project, timeout=120)
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    site = root / "site"
    built = run_cli("build", "--site-dir", str(site), cwd=project, timeout=300)
    assert built.returncode == 0, built.stderr
    return project, site, built.stderr


def _outputs(site):
    return [p for p in site.rglob("*") if p.suffix in (".html", ".xml", ".json") and p.is_file()
            and "pagefind" not in p.parts]


def test_the_feed_was_archived_with_its_characters(text_site):
    project, _, _ = text_site
    raw = "".join(p.read_text(encoding="utf-8") for p in (project / "archive" / "entries").glob("*.json"))
    assert len(list((project / "archive" / "entries").glob("*.json"))) == 7
    assert "\\u0000" in raw or "\x00" in raw  # the archive keeps what the feed sent; the outputs do not


def test_feed_xml_is_well_formed_and_no_output_carries_a_forbidden_character(text_site):
    _, site, _ = text_site
    ET.fromstring((site / "feed.xml").read_bytes())  # strict: raises on any character XML forbids
    json.loads((site / "feed.json").read_text(encoding="utf-8"))
    found = {}
    for path in _outputs(site):
        text = path.read_text(encoding="utf-8", errors="surrogatepass")
        bad = sorted({f"U+{ord(c):04X}" for c in FORBIDDEN if c in text} |
                     {f"U+{ord(c):04X}" for c in re.findall(r"\\u000[0-8]|\\u001[0-9a-f]", text)})
        if bad:
            found[str(path.relative_to(site))] = bad
    assert found == {}
    knowledge = json.loads((site / "knowledge.json").read_text(encoding="utf-8"))
    titles = {a["title"] for a in knowledge["articles"]}
    assert "Badtitle" in titles  # the rest of the title is kept


def test_direction_controls_never_reach_a_byline(text_site):
    _, site, _ = text_site
    controls = re.compile("[\u202a-\u202e\u2066-\u2069]")
    assert [str(p.relative_to(site)) for p in _outputs(site) if controls.search(p.read_text(encoding="utf-8"))] == []
    knowledge = json.loads((site / "knowledge.json").read_text(encoding="utf-8"))
    assert any(a.get("author") == "evil Mallory x" for a in knowledge["articles"])


def test_an_invisible_name_is_no_name(text_site):
    _, site, _ = text_site
    article = next(a for a in json.loads((site / "knowledge.json").read_text(encoding="utf-8"))["articles"]
                   if a["url"] == "https://example.com/posts/invisible")
    assert article["title"] == "Untitled entry"
    assert not article.get("author")


def test_a_huge_title_is_cut_on_the_site_and_kept_in_the_archive(text_site):
    project, site, _ = text_site
    whole = LONG_TITLE[:2000]  # the 100 KB title was copied ~50 times into 17 files
    assert [str(p.relative_to(site)) for p in _outputs(site) if whole in p.read_text(encoding="utf-8")] == []
    knowledge = json.loads((site / "knowledge.json").read_text(encoding="utf-8"))
    title = next(a["title"] for a in knowledge["articles"] if a["url"] == "https://example.com/posts/long")
    assert title.startswith("Long title words") and title.endswith("…") and len(title) <= 300
    archived = [p for p in (project / "archive" / "entries").glob("*.json") if LONG_TITLE.strip()[:40] in p.read_text()]
    assert len(archived) == 1 and LONG_TITLE.strip() in json.loads(archived[0].read_text())["entry"]["title"]


def test_a_date_far_in_the_future_is_clamped_to_when_it_was_first_seen(text_site):
    _, site, _ = text_site
    articles = json.loads((site / "knowledge.json").read_text(encoding="utf-8"))["articles"]
    future = next(a for a in articles if a["url"] == "https://example.com/posts/future")
    assert future["published"] == future["first_seen"]  # not 9999: newer articles will list above it


def test_notes_per_article_are_capped_with_a_warning(text_site):
    project, site, stderr = text_site
    knowledge = json.loads((site / "knowledge.json").read_text(encoding="utf-8"))
    made_up = [b for b in knowledge["biases"] if b["name"].startswith("Made-up")]
    assert len(made_up) == 500
    warning = [line for line in stderr.splitlines() if "700 biases" in line]
    assert len(warning) == 1 and "max_notes_per_article" in warning[0]
    page = (site / "articles").rglob("index.html")
    assert any("the tendency number 699" in p.read_text(encoding="utf-8") for p in page)  # the page keeps all


def test_a_relative_link_without_a_base_is_text(text_site):
    _, site, _ = text_site
    pages = [p.read_text(encoding="utf-8") for p in (site / "articles").glob("*/index.html")
             if "the other page" in p.read_text(encoding="utf-8")]
    assert len(pages) == 1
    assert "../other/page" not in pages[0] and "img/x.png" not in pages[0]
    assert 'href="https://example.com/abs"' in pages[0] and "the other page" in pages[0]


# The same rules, on the functions themselves, with the expected values written out by hand.

@pytest.mark.parametrize("text, expected", [
    ("a\x00b", "ab"), ("a\x0cb", "a b"), ("x\ufffey", "xy"), ("\ud83d\ude00", ""), ("tab\tline\nret\r", "tab\tline\nret\r"),
    ("plane\U0002fffe", "plane"), ("é €", "é €"), ("\x85 C1 stays", "\x85 C1 stays"),
])
def test_xml_safe(text, expected):
    from ingest.text import xml_safe

    assert xml_safe(text) == expected


@pytest.mark.parametrize("text, limit, expected", [
    ("\u202eevil\u202c name", 50, "evil name"), ("\u200b\u200d\u2060 ", 50, ""), ("short", 5, "short"),
    ("one two three four", 12, "one two…"), ("x" * 20, 10, "x" * 9 + "…"),
])
def test_inline_text(text, limit, expected):
    from ingest.text import inline_text

    assert inline_text(text, limit) == expected


def test_capped_keeps_the_first_notes_of_each_kind():
    from ingest.model.extract.notes import capped

    notes = ArticleNotes(biases=tuple(BiasNote(name=f"b{i}", definition=None) for i in range(10)))
    kept, over = capped(notes, 3)
    assert [b.name for b in kept.biases] == ["b0", "b1", "b2"] and over == ["10 biases"]
    assert capped(notes, 10) == (notes, [])


def test_future_date_uses_the_archive_not_the_clock():
    record = EntryRecord(id="f", key="f", feed="x", first_seen="2020-05-01T00:00:00Z", updated=None,
                         content_hash="sha256:0", revisions=(),
                         entry={"title": "t", "published_parsed": "2020-05-02T12:00:00Z"})
    assert parse_article(record).article.published == datetime(2020, 5, 2, 12, tzinfo=timezone.utc)  # a day ahead: kept
    later = EntryRecord(**{**record.__dict__, "entry": {"title": "t", "published_parsed": "2021-01-01T00:00:00Z"}})
    assert parse_article(later).article.published == datetime(2020, 5, 1, tzinfo=timezone.utc)


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow
