"""From archived entries to Articles: metadata, bodies, and which links count as local."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ingest.archive.records import EntryRecord
from ingest.model.analysis import analyse
from ingest.model.articles import LinkIndex, parse_article, slug_stem
from ingest.model.knowledge import build_knowledge
from ingest.model.extract.vocabulary import load_vocabulary


def record(entry: dict, id: str = "post-0000000000", key: str | None = None) -> EntryRecord:
    return EntryRecord(id=id, key=key or entry.get("link", id), feed="f", first_seen="2026-01-01T00:00:00Z",
                       updated=None, content_hash="sha256:0", revisions=(), entry=entry)


def test_metadata_comes_from_the_feed():
    article, document = parse_article(record({
        "title": "  Retries,\u00a0and   back-off ", "link": "https://blog.example/retries",
        "published_parsed": "2021-01-07T12:22:56Z", "author": "Ada <b>Lovelace</b>",
        "tags": [{"term": "SRE"}, {"term": "sre"}, {"term": "<script>x</script>"}, {"term": "c++"}],
        "summary": "<p>" + "word " * 450 + "</p>",
    }))
    assert article.title == "Retries, and back-off"
    assert article.published == datetime(2021, 1, 7, 12, 22, 56, tzinfo=timezone.utc)
    assert article.author == "Ada Lovelace"
    assert article.tags == ("SRE", "script x script", "c++")
    assert article.reading_minutes == 3  # 450 words at 200 a minute
    assert article.url == "https://blog.example/retries"


def test_full_content_is_preferred_to_the_summary():
    article, document = parse_article(record({
        "title": "t", "summary": "<p>Short teaser.</p>",
        "content": [{"type": "text/html", "value": "<p>The whole article.</p>"}],
    }))
    assert [block.text for block in document.blocks] == ["The whole article."]


def test_plain_text_bodies_are_escaped_into_paragraphs():
    article, document = parse_article(record({
        "title": "t", "summary": "Use <b> for bold.\n\nSecond paragraph.",
        "summary_detail": {"type": "text/plain"},
    }))
    assert article.body.html == '<p id="p1">Use &lt;b&gt; for bold.</p><p id="p2">Second paragraph.</p>'


def test_html_titles_become_text_and_missing_ones_are_named():
    assert parse_article(record({"title": "A <em>bold</em> claim", "title_detail": {"type": "text/html"}})).article.title \
        == "A bold claim"
    assert parse_article(record({"summary": "<p>x</p>"})).article.title == "Untitled entry"


def test_non_http_links_are_not_offered_as_the_original():
    assert parse_article(record({"title": "t", "link": "javascript:alert(1)"})).article.url is None


def test_undated_entries_have_no_date():
    assert parse_article(record({"title": "t"})).article.published is None


@pytest.mark.parametrize("url, stem", [
    ("https://dev.to/aws/incident-postmortem-template-18m7", "incident-postmortem-template"),
    ("https://adhorn.medium.com/incident-postmortem-template-7b0e0a04f7a8", "incident-postmortem-template"),
    ("https://example.com/aws-re-invent-2020/", "aws-re-invent-2020"),  # a year is not an id
    ("https://example.com/chaos-engineering-q-a-part-1-4ffp", "chaos-engineering-q-a-part-1"),
    ("https://example.com/", ""),
])
def test_slug_stem_drops_only_platform_ids(url, stem):
    assert slug_stem(url) == stem


def test_link_index_matches_only_specific_unambiguous_targets():
    records = [
        record({"title": "Incident Postmortem Template", "link": "https://dev.to/a/incident-postmortem-template-18m7"},
               id="pm"),
        record({"title": "Part 1", "link": "https://dev.to/a/intro-part-1-aaa1"}, id="p1a"),
        record({"title": "Part 1", "link": "https://dev.to/b/intro-part-1-bbb2"}, id="p1b"),
        record({"title": "Chaos", "link": "https://dev.to/a/chaos-ab12"}, id="chaos"),
    ]
    index = LinkIndex(records)
    assert index.find("https://dev.to/a/incident-postmortem-template-18m7/") == "pm"
    assert index.find("https://medium.com/@a/incident-postmortem-template-7b0e0a04f7a8") == "pm"
    assert index.find("https://elsewhere.example/x", "Incident Postmortem Template") == "pm"
    assert index.find("https://medium.com/@a/intro-part-1-ccc3", "Part 1") is None  # two candidates
    assert index.find("https://medium.com/@a/chaos-9f9f", "Chaos") is None  # too short to be sure
    assert index.find("javascript:alert(1)", "Incident Postmortem Template") is None


def analysed(records, local_url=None):
    """The records through the production path: analysis (links, cleaning, notes), then the knowledge base."""
    vocabulary = load_vocabulary()
    articles, notes = analyse(records, lambda record: record, vocabulary, local_url)
    return build_knowledge(articles, vocabulary, [], notes)


def test_analysis_makes_links_local_but_never_to_itself():
    records = [
        record({"title": "One article here", "link": "https://dev.to/a/one-article-here-1a2b",
                "summary": '<p><a href="https://dev.to/a/two-more-words-3c4d">next</a> '
                           '<a href="https://origin.example/one-article-here">original</a></p>'}, id="one"),
        record({"title": "Two more words", "link": "https://dev.to/a/two-more-words-3c4d"}, id="two"),
    ]
    one = analysed(records, lambda article_id: f"../{article_id}/").article("one")
    assert 'href="../two/"' in one.body.html
    assert 'href="https://origin.example/one-article-here"' in one.body.html


def test_a_body_that_cannot_be_processed_still_gives_an_article():
    article, document = parse_article(record({"title": "Damaged by hand", "summary": 12345}))
    assert article.title == "Damaged by hand"
    assert article.body.html == ""
    assert article.problem.startswith("AttributeError")
    assert document.blocks == ()


def test_tags_and_biases_that_slug_alike_keep_pages_and_anchors_of_their_own():
    records = [
        record({"title": "One", "tags": [{"term": "C"}, {"term": "Кэш"}],
                "summary": "<p>Watch for these biases:</p><ul><li>偏见 bias: one</li><li>バイアス bias: two</li></ul>"},
               id="one"),
        record({"title": "Two", "tags": [{"term": "C#"}, {"term": "Сбой"}, {"term": "c"}]}, id="two"),
    ]
    knowledge = analysed(records)
    slugs = knowledge.tag_slugs
    assert set(slugs) == {"c", "c#", "кэш", "сбой"}
    assert len(set(slugs.values())) == 4  # "c" and "c#" both slug to "c"; the Cyrillic tags to nothing
    assert slugs["c"] == "c" and slugs["c#"].startswith("c-")
    assert len({b.id for b in knowledge.biases}) == len(knowledge.biases) == 2


FULL = "<p>" + " ".join(["The whole article explains how the queue drains after a failover."] * 20) + "</p>"


@pytest.mark.parametrize("entry", [
    {"title": "t", "content": [{"type": "text/html", "value": "<p>Read the whole post on our blog.</p>"}],
     "summary": FULL, "summary_detail": {"type": "text/html"}},  # teaser in content, article in description
    {"title": "t", "content": [{"type": "text/html", "value": FULL}], "summary": "<p>A teaser.</p>"},
    {"title": "t", "content": [{"type": "text/plain", "value": "Short."}, {"type": "text/html", "value": FULL}]},
])
def test_the_page_shows_the_richest_body_wherever_the_feed_put_it(entry):
    assert parse_article(record(entry)).document.text.count("queue drains") == 20


@pytest.mark.parametrize(("author", "authors", "shown"), [
    ("noreply@blogger.com (pate)", None, "pate"),
    ("Jane Doe <jane@example.org>", None, "Jane Doe"),
    ("Jane Doe (jane@example.org)", None, "Jane Doe"),
    ("jane@example.org", None, None),
    (None, [{"email": "jane@example.org"}, {"name": "Jane Doe"}], "Jane Doe"),
])
def test_authors_are_names_never_addresses(author, authors, shown):
    entry = {"title": "t", **({"author": author} if author else {}), **({"authors": authors} if authors else {})}
    assert parse_article(record(entry)).article.author == shown


@pytest.mark.parametrize(("entry", "language", "direction"), [
    ({"title": "یہ سروس کی ناکامی کے بارے میں ہے", "summary": "<p>ایک سادہ مضمون جس میں کئی جملے ہیں۔</p>"}, "ur", "rtl"),
    ({"title": "پروژه‌ی هاروارد", "summary": "<p>اگر یادتان باشد چند وقت پیش نوشتم</p>",
      "summary_detail": {"type": "text/html", "language": "en-us"}}, "fa", "rtl"),  # the script wins over en-us
    ({"title": "שלום עולם", "summary": "<p>מאמר קצר בעברית</p>"}, "he", "rtl"),
    ({"title": "Hello", "summary": "<p>An English post.</p>", "summary_detail": {"type": "text/html",
                                                                                "language": "en_GB"}}, "en-GB", "ltr"),
    ({"title": "Hello", "summary": "<p>An English post.</p>"}, None, "ltr"),  # nothing declared, Latin script
])
def test_each_article_knows_its_language_and_direction(entry, language, direction):
    article = parse_article(record(entry)).article
    assert (article.language, article.direction) == (language, direction)


# Reading time of scripts written without spaces (issue 22). Expected values by hand from the
# documented rates: 200 words, 400 Chinese characters or kana, 1,000 Thai letters a minute.
CHINESE_SENTENCE = "系统在故障时应当自动切换到备用节点，并在恢复后重新同步数据。"  # 28 ideographs and 2 punctuation marks


@pytest.mark.parametrize("body, minutes", [
    (f"<p>{CHINESE_SENTENCE * 70}</p>", 5),  # 2,100 characters, 1,960 of them ideographs: 4.9 min
    ("<p>" + "word " * 600 + "中文" * 200 + "</p>", 4),  # 600 words (3 min) + 400 characters (1 min)
    ("<p>" + "ระบบสำรอง" * 250 + "</p>", 3),  # 2,250 Thai letters: 2.25 min
    ("<p>" + "word " * 450 + "</p>", 3),  # words only, as before
])
def test_reading_time_counts_characters_of_scripts_without_spaces(body, minutes):
    article, _ = parse_article(record({"title": "t", "summary": body}))
    assert article.reading_minutes == minutes
