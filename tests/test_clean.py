"""Cleaning untrusted article HTML: what survives, what goes, and how the text is mended."""

from __future__ import annotations

import pytest

from ingest.model.html.clean import clean_html


def clean(html: str, **kwargs) -> str:
    return clean_html(html, **kwargs).html


@pytest.mark.parametrize("hostile, forbidden", [
    ('<p>a<script>alert(1)</script>b</p>', "alert"),
    ('<img src="https://x.example/i.png" onerror="alert(1)">', "onerror"),
    ('<a href="javascript:alert(1)">x</a>', "javascript"),
    ('<a href="jav&#x09;ascript:alert(1)">x</a>', "ascript"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "alert"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript"),
    ('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', "data:"),
    ('<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">', "data:"),
    ('<svg onload="alert(1)"><circle/></svg>', "svg"),
    ('<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>', "javascript"),
    ('<iframe src="javascript:alert(1)"></iframe>', "iframe"),
    ('<object data="x.swf"></object><embed src="x.swf">', "swf"),
    ('<form action="https://evil.example"><input name="q"><button formaction="javascript:alert(1)">go</button></form>', "form"),
    ('<base href="https://evil.example/">', "base"),
    ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "refresh"),
    ('<p style="background:url(javascript:alert(1))">x</p>', "style"),
    ('<div style="width: expression(alert(1))">x</div>', "expression"),
    ('<style>body{background:red}</style><p>x</p>', "background"),
    ('<p><a href="#" onclick="alert(1)">x</a></p>', "onclick"),
    ('<details open ontoggle="alert(1)"><summary>s</summary></details>', "ontoggle"),
])
def test_hostile_markup_is_removed(hostile, forbidden):
    assert forbidden.lower() not in clean(hostile).lower()


def test_ordinary_markup_survives():
    html = ('<h2>Title</h2><p>Some <strong>bold</strong>, <em>italic</em> and <code>code</code>.</p>'
            '<ul><li>one</li><li>two</li></ul><blockquote><p>quote</p></blockquote>'
            '<pre><code>x = 1\ny = 2</code></pre><table><tr><th>a</th></tr><tr><td>1</td></tr></table>')
    out = clean(html)
    for fragment in ("<strong>bold</strong>", "<em>italic</em>", "<code>code</code>", '<li id="p2">one</li>',
                     '<blockquote id="p4">', '<pre id="p6"><code>x = 1\ny = 2</code></pre>', "<th>a</th>",
                     "<td>1</td>"):
        assert fragment in out


def test_external_links_open_safely_and_relative_ones_resolve():
    out = clean('<p><a href="/about">About</a> and <a href="https://example.com/x">x</a></p>',
                base_url="https://blog.example/posts/1")
    assert '<a href="https://blog.example/about" rel="noopener noreferrer">About</a>' in out
    assert '<a href="https://example.com/x" rel="noopener noreferrer">x</a>' in out


def test_links_to_archived_articles_are_made_local():
    local = {"https://dev.to/aws/part-1": "../part-1-abc/"}
    out = clean('<p>See <a href="https://dev.to/aws/part-1">Part 1</a>.</p>',
                resolve_link=lambda url, text: local.get(url))
    assert 'href="../part-1-abc/"' in out


@pytest.mark.parametrize("glued, mended", [
    ("A lot of<a href='https://x.example'>new launches</a> have", "A lot of <a"),
    ("since I published <a href='https://x.example'>Part 1</a>of this series", "</a> of this series"),
    ("the <a href='https://x.example'>API</a>s are", "</a>s are"),  # a plural stays glued
    ("(<a href='https://x.example'>see</a>)", "(<a"),
])
def test_words_glued_to_links_get_their_space(glued, mended):
    assert mended in clean(f"<p>{glued}</p>")


def test_script_residue_is_removed_but_code_about_the_dom_is_kept():
    residue = ("<p><iframe src='https://platform.twitter.com/embed/Tweet.html?id=1'></iframe>\n"
               "  // Detect dark theme\n  var iframe = document.getElementById('tweet-1');\n"
               "  if (document.body.className.includes('dark-theme')) { iframe.src = 'x' }\n</p>"
               "<pre><code>// find it\nconst el = document.getElementById('app');</code></pre>"
               "<p>Call document.designMode to edit any page.</p>")
    result = clean_html(residue)
    assert "Detect dark theme" not in result.html
    assert "document.getElementById('app')" in result.html
    assert "Call document.designMode to edit any page." in result.text
    assert '<a href="https://twitter.com/i/web/status/1" rel="noopener noreferrer">View the embedded tweet</a>' in result.html


def test_embedded_video_becomes_a_link():
    out = clean('<p><iframe src="https://www.youtube.com/embed/oTRo90F4EpA"></iframe></p>')
    assert 'href="https://www.youtube.com/watch?v=oTRo90F4EpA"' in out


def test_repeated_title_heading_is_dropped_and_levels_fit_the_page():
    result = clean_html("<h3>My Post</h3><h4>Intro</h4><p>x</p><h3>Part</h3><h5>Detail</h5>", title="My post")
    assert [(h.level, h.text) for h in result.headings] == [(2, "Intro"), (2, "Part"), (3, "Detail")]
    assert "My Post" not in result.html
    assert '<h2 id="intro">Intro</h2>' in result.html


def test_duplicate_heading_ids_are_made_unique():
    result = clean_html("<h2>Notes</h2><h2>Notes</h2><h2>Notes</h2>", reserved_ids=frozenset({"notes"}))
    assert [h.id for h in result.headings] == ["notes-2", "notes-3", "notes-4"]


def test_image_links_to_themselves_are_unwrapped():
    out = clean('<p><a href="https://cdn.example/a.png"><img src="https://cdn.example/a.png"></a></p>')
    assert out == ('<p id="p1"><img loading="lazy" referrerpolicy="no-referrer" alt="" '
                   'src="https://cdn.example/a.png"></p>')


def test_feed_ids_are_replaced_by_ours():
    out = clean('<p id="__search">x</p><ul><li id="evil">y</li></ul><h2 id="x" name="y">T</h2>')
    assert out == '<p id="p1">x</p><ul><li id="p2">y</li></ul><h2 id="t">T</h2>'


def test_broken_and_empty_html_do_not_raise():
    assert clean_html("").html == ""
    assert clean_html("<p><b>unclosed <i>tags").text == "unclosed tags"
    assert clean_html("<<<>>>&&&").text == "<<<>>>&&&"


def test_escaped_angle_brackets_in_bare_text_stay_text():
    # A chat log as ibash.org.ru publishes it: nicknames in escaped brackets, no wrapping element.
    html = clean_html("&lt;L29Ah&gt; [[ clang++ == *g++ ]] &amp;&amp; echo yay <br />&lt;L29Ah&gt; yay").html
    assert html == "&lt;L29Ah&gt; [[ clang++ == *g++ ]] &amp;&amp; echo yay <br>&lt;L29Ah&gt; yay"


@pytest.mark.parametrize("base, href, expected", [
    ("https://blog.example/a/b/post", "https://x.example/already/absolute?q=1#f", "https://x.example/already/absolute?q=1#f"),
    ("https://blog.example/a/b/post", "http://x.example/other/scheme", "http://x.example/other/scheme"),
    ("https://blog.example/a/b/post", "../up", "https://blog.example/a/up"),
    ("https://blog.example/a/b/post", "/root", "https://blog.example/root"),
    ("https://blog.example/a/b/post", "//cdn.example/i.png", "https://cdn.example/i.png"),
    # What urllib mends in an absolute URL of the page's own scheme is mended as before:
    ("http://blog.example/post", "HTTP://x.example/a", "http://x.example/a"),  # the scheme in lower case
    ("http://blog.example/post", "http://x.example/a?", "http://x.example/a"),  # an empty query
    ("http://blog.example/post", "http://x.example/a#", "http://x.example/a"),  # an empty fragment
    ("http://blog.example/post", "http://x.example/a b\tc", "http://x.example/a bc"),  # a tab inside
    ("http://blog.example/post", "http:relative", "http://blog.example/relative"),  # the scheme alone
])
def test_links_resolve_as_urljoin_resolves_them(base, href, expected):
    from ingest.model.html.links import absolute_url

    assert absolute_url(base, href) == expected


ARTICLE = '<h2>Intro</h2><p>Words <a href="/x" title="X">link</a> and <img src="i.png" alt=" a  b "></p><p>More.</p>'


@pytest.mark.parametrize("wrapped", [
    f'<!DOCTYPE html><html><head><title>Page</title></head><body>{ARTICLE}</body></html>',
    f'<!-- generated -->{ARTICLE}',
    f'\ufeff{ARTICLE}',
    f'<html><head><meta charset="utf-8"><link rel="x" href="y"></head><body>{ARTICLE}</body></html>',
    ARTICLE.replace("<p>More.", '<p xlink:type="simple" o:x="1">More.'),  # attribute names lxml refuses
])
def test_markup_lxml_models_otherwise_is_cleaned_like_the_plain_article(wrapped):
    from ingest.model.html.clean import _body
    from ingest.model.html.depth import MAX_DEPTH
    assert _body(wrapped, MAX_DEPTH) is None  # lxml's own tree would not do: BeautifulSoup's is copied
    plain, found = (clean_html(html, base_url="https://example.com/a/") for html in (ARTICLE, wrapped))
    assert found == plain  # html, headings and text
    blocks = [[(b.kind, b.text, b.anchor, b.links) for b in result.document.blocks] for result in (found, plain)]
    assert blocks[0] == blocks[1] and [text for _, text, _, _ in blocks[0]] == ["Intro", "Words link and", "More."]
    assert found.text == "Intro Words link and More."
    assert found.headings[0].id == "intro" and 'href="https://example.com/x"' in found.html
    assert 'src="https://example.com/a/i.png"' in found.html and 'alt="a b"' in found.html


def test_a_tag_name_lxml_refuses_keeps_its_text_and_leaves_no_tag():
    # Word's <o:p> and namespaced names: lxml's tree takes no ":" in a name.
    result = clean_html('<p>Before<o:p></o:p> <svg:title>inside</svg:title> after</p>')
    assert result.html == '<p id="p1">Before inside after</p>'
    assert [block.text for block in result.document.blocks] == ["Before inside after"]


def test_a_leading_comment_does_not_keep_the_heading_that_repeats_the_title():
    # The comment is no text of the article: the heading is the first thing in it, as without the comment.
    for html in ('<!-- lead --><h1>Same title</h1><p>body</p>', '<h1>Same title</h1><p>body</p>'):
        result = clean_html(html, title="Same title")
        assert (result.html, result.headings, result.text) == ('<p id="p1">body</p>', (), "body")


def test_ruby_annotations_count_in_the_words_as_the_page_shows_them():
    result = clean_html("<ruby>漢<rt>kan</rt></ruby><p>x</p>")
    assert result.html == '漢kan<p id="p1">x</p>'  # the allow-list keeps the annotation's text, inline
    assert result.text == "漢 kan x"
