"""HTML that is deep or wide beyond reason: the pipeline stays linear, the text stays, a warning says so.

No timing is asserted (that is for bench/); every call is bounded by a subprocess timeout instead, far
below what the quadratic pipeline took (88 s for 30,000 nested <div>s).
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from support import make_project, run_cli
from ingest.model.html.clean import clean_html
from ingest.model.html.depth import MAX_DEPTH, limit_depth

DEEP = "<div>" * 30_000 + "<p>the deepest sentence <img src='https://example.com/a.png' alt='a'></p>" + \
    "</div>" * 30_000 + "<p>the sentence after</p>"


class _Depth(HTMLParser):
    """Counts the nesting of a well-formed fragment (the sanitiser's output is), void elements aside."""

    VOID = {"br", "img", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag not in self.VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag) -> None:
        if tag not in self.VOID:
            self.depth -= 1


def nesting(html: str) -> int:
    parser = _Depth()
    parser.feed(html)
    return parser.deepest


@pytest.mark.parametrize("html, words", [
    (DEEP, ("the deepest sentence", "the sentence after")),
    ("<span>" * 30_000 + "inside spans", ("inside spans",)),
    ("<blockquote>" * 30_000 + "<p>quoted</p>", ("quoted",)),
    ("<ul><li>" * 20_000 + "listed", ("listed",)),
])
def test_deep_html_is_cut_to_the_limit_and_keeps_its_text(html, words):
    code = ("import sys; from ingest.model.html.clean import clean_html; "
            "r = clean_html(sys.stdin.read(), base_url='https://example.com/a'); "
            "print(r.flattened_from); print(r.text); print(r.html)")
    result = subprocess.run([sys.executable, "-c", code], input=html, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    flattened, text, cleaned = result.stdout.split("\n", 2)
    assert int(flattened) >= 20_000
    assert all(w in text for w in words)
    assert nesting(cleaned) <= MAX_DEPTH


@pytest.mark.parametrize("divs, flattened", [
    (MAX_DEPTH - 3, None),  # the divs and the paragraph, in <html> and <body>: a tree exactly MAX_DEPTH deep
    (MAX_DEPTH - 1, None),  # a deeper tree, but its tags nest MAX_DEPTH deep: cut nothing
    (MAX_DEPTH, MAX_DEPTH + 1),
    (MAX_DEPTH + 10, MAX_DEPTH + 11),
])
def test_markup_is_cut_only_when_it_nests_deeper_than_the_limit(divs, flattened):
    cleaned = clean_html("<div>" * divs + "<p>the words</p>" + "</div>" * divs)
    assert cleaned.flattened_from == flattened
    assert cleaned.text == "the words"
    assert nesting(cleaned.html) == min(divs + 1, MAX_DEPTH)


def test_an_ordinary_article_is_left_as_it_was():
    html = "".join(f"<p>paragraph {i} <b>bold</b><br>line</p><ul><li>a<li>b</ul>" for i in range(200))
    assert limit_depth(html) == (html, None)


def test_unclosed_paragraphs_do_not_count_as_depth():
    html = "<p>one" * 500
    assert limit_depth(html) == (html, None)


def test_thousands_of_empty_siblings_are_dropped_in_one_pass():
    code = ("from ingest.model.html.clean import clean_html; "
            "print(clean_html('<p></p><div><span> </span></div>' * 30000 + '<p>kept</p>').html)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.fullmatch(r'<p id="[^"]+">kept</p>', result.stdout.strip())


@pytest.mark.slow
def test_a_feed_with_30000_nested_divs_builds_with_a_warning(tmp_path):
    project = make_project(tmp_path, with_archive=False)
    feed = tmp_path / "deep.xml"
    body = DEEP.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    feed.write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Deep</title>
<link>https://deep.example/</link><description>d</description>
<item><title>Deep article</title><link>https://deep.example/a</link><guid>https://deep.example/a</guid>
<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate><description>{body}</description></item></channel></rss>""")
    assert run_cli("fetch", "--feed", str(feed), cwd=project, timeout=120).returncode == 0
    site = tmp_path / "site"
    result = run_cli("build", "--site-dir", str(site), cwd=project, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"WARNING .* article .* \(Deep article\): its HTML is nested 300\d\d levels deep; the elements "
                     r"below level 64 were unwrapped", result.stderr)
    [page] = [p.read_text() for p in (site / "articles").glob("*/index.html") if "Deep article" in p.read_text()]
    assert "the deepest sentence" in page and "the sentence after" in page


def test_feed_images_send_no_referrer_and_load_lazily():
    from ingest.model.html.clean import clean_html

    cleaned = clean_html('<p>x <img src="https://tracker.example/p.png" alt="p" referrerpolicy="unsafe-url" '
                         'loading="eager"></p>').html
    [image] = re.findall(r"<img [^>]*>", cleaned)
    assert 'referrerpolicy="no-referrer"' in image and 'loading="lazy"' in image
    assert "unsafe-url" not in image and "eager" not in image
