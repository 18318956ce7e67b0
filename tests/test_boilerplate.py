"""Platform boilerplate is cut from bodies and notes, by its shape (issue 22).

Real feeds of Medium, WordPress, Substack and Blogger (tests/corpus, tests/fixtures), and
entries built with the markup the platforms write where no real feed with a licence was found
(tests/corpus/PROVENANCE.md). Expected values are read from the source text.
"""

from __future__ import annotations

import pytest

from support import FIXTURES, ROOT
from ingest.archive.feeds import parse_feed
from ingest.archive.records import EntryRecord
from ingest.model.articles import parse_article
from ingest.model.html.clean import clean_html
from ingest.model.extract import extract_notes
from ingest.model.extract.vocabulary import load_vocabulary

CORPUS = ROOT / "tests" / "corpus"


def articles(path):
    parsed = parse_feed(path.read_bytes())
    return [parse_article(EntryRecord(id=f"e-{n}", key=str(n), feed="f", first_seen="2024-01-01T00:00:00Z",
                                      updated=None, content_hash="", revisions=(), entry=entry))
            for n, entry in enumerate(parsed.entries)]


def test_wordpress_footer_linking_to_the_entry_is_cut_and_the_article_stays():
    found = articles(CORPUS / "wordpress_allthis_2017.atom.xml")
    assert len(found) == 6
    for article, document in found:
        # Every entry ends "[If the formatting looks odd in your feed reader, visit the original article]".
        assert "formatting looks odd" not in article.body.html
        assert "visit the original article" not in document.text
        assert len(document.blocks) > 3
    # The first entry now ends with its last footnote, as the source text does before the footer.
    assert found[0][1].blocks[-1].text.startswith("In the original post, I said I didn’t know where the order was")


def test_substack_read_more_is_cut_and_the_teaser_stays():
    [(article, document)] = articles(CORPUS / "substack_heated_2021.rss.xml")
    assert "Read more" not in article.body.html
    assert document.text.startswith("Hello, dear paid subscriber fam!")
    assert document.text.endswith("Fortunately, I stil…")
    # The link inside the author's own text stays, though it goes to the blog's subscribe page.
    assert "Twitter’s Big Oil ad loophole</a>" in article.body.html


def test_medium_tracking_pixels_are_cut():
    found = articles(FIXTURES / "medium_ameliakusiak_polish.rss.xml")
    assert len(found) == 3
    for article, _ in found:
        assert "medium.com/_/stat" not in article.body.html
        assert 'width="1"' not in article.body.html


def test_blogger_entries_keep_their_whole_body():
    found = articles(CORPUS / "blogger_4fsodonline_2008.atom.xml")
    # Seven of the eight entries end with an embedded video (Blogger's own player); one has no body.
    ending = [a.title for a, _ in found if a.body.html.endswith(("Open the embedded content from blogger.com</a>",
                                                                 "Open the embedded content from blogger.com</a></p>"))]
    assert len(found) == 8 and len(ending) == 7


ENTRY = "https://eng.example.com/blog/2024/05/retries-with-back-off/"
ARTICLE = ("<p>When a dependency fails, we retry with exponential back-off and jitter, so that clients do not "
           "retry in lockstep and overload it again.</p>"
           "<p>Every retry has a budget: a request is retried at most three times.</p>")
TITLE = "Retries with exponential back-off"


@pytest.mark.parametrize("name, boilerplate", [
    ("WordPress syndication footer",
     f'<p>The post <a href="{ENTRY}">{TITLE}</a> appeared first on <a href="https://eng.example.com">'
     'Example Engineering</a>.</p>'),
    ("Medium publication footer",
     f'<img src="https://medium.com/_/stat?event=post.clientViewed&amp;postId=1" width="1" height="1" alt="">'
     f'<hr><p><a href="{ENTRY}">{TITLE}</a> was originally published in <a href="https://eng.example.com/blog">'
     'Example Engineering</a> on Medium, where people are continuing the conversation by highlighting and '
     'responding to this story.</p>'),
    ("footer in another language",
     f'<p>L’articolo <a href="{ENTRY}?utm_source=rss">{TITLE}</a> proviene da <a href="https://www.eng.example.com/">'
     'Example</a>.</p>'),
    ("read more",
     f'<p>\n<a href="{ENTRY}">Read more</a>\n</p>'),
    ("Substack subscribe and share buttons",
     '<p class="button-wrapper"><a class="button primary" href="https://eng.example.com/subscribe?"><span>'
     'Subscribe now</span></a></p>'
     f'<p class="button-wrapper"><a class="button primary" href="{ENTRY}?utm_source=substack&amp;'
     'utm_medium=email&amp;utm_content=share&amp;action=share"><span>Share</span></a></p>'),
    ("share links",
     '<p>Share: <a href="https://twitter.com/intent/tweet?url=x">Twitter</a> '
     '<a href="https://www.facebook.com/sharer/sharer.php?u=x">Facebook</a> '
     '<a href="https://www.linkedin.com/shareArticle?mini=true&amp;url=x">LinkedIn</a></p>'),
])
def test_platform_boilerplate_leaves_the_body_and_the_notes(name, boilerplate):
    vocabulary = load_vocabulary()
    plain = clean_html(ARTICLE, base_url=ENTRY)
    with_boilerplate = clean_html(ARTICLE + boilerplate, base_url=ENTRY)
    assert with_boilerplate.html == plain.html
    assert with_boilerplate.document.text == plain.document.text
    notes = extract_notes(with_boilerplate.document, vocabulary)
    # Hand count: the article's two paragraphs name retries (3 sentences) and back-off (1 sentence)
    # and jitter; the footer, which names them again in the title, gives none.
    assert notes == extract_notes(plain.document, vocabulary)
    assert all(TITLE not in mention.text for mention in notes.mentions)


def test_share_links_block_is_cut():
    html = clean_html(ARTICLE + '<p>Share: <a href="https://twitter.com/intent/tweet?url=x">Twitter</a> '
                      '<a href="https://www.facebook.com/sharer/sharer.php?u=x">Facebook</a></p>', base_url=ENTRY).html
    assert "Twitter" not in html and "Facebook" not in html


@pytest.mark.parametrize("content, last", [
    # The author's own closing paragraph, linking to another post of the same blog.
    ('<p>Read <a href="https://eng.example.com/blog/2024/04/timeouts/">the post on timeouts</a> next.</p>',
     "Read the post on timeouts next."),
    # A short last paragraph that links to the entry and to another site.
    (f'<p>Discuss <a href="{ENTRY}">this post</a> on <a href="https://news.example.org/item?id=1">the forum</a>.</p>',
     "Discuss this post on the forum."),
    # Originally published elsewhere: the link leads away, it is the author's note.
    ('<p>Originally published at <a href="https://author.example.net/retries">author.example.net</a>.</p>',
     "Originally published at author.example.net."),
    # A list of the blog's posts, one of them about sharing, one about subscriptions.
    ('<ul><li><a href="https://eng.example.com/blog/sharing-state/">Share state safely</a></li>'
     '<li><a href="https://eng.example.com/blog/subscriptions/">Subscribe to events</a></li></ul>',
     "Subscribe to events"),
    # A paragraph of the author's own that asks for comments, then one more line.
    (f'<p>Share your retry stories in <a href="{ENTRY}#comments">the comments</a>: we read them all.</p>'
     '<p>We will publish the best next month, with the numbers.</p>',
     "We will publish the best next month, with the numbers."),
    (f'<p>Share your retry stories in <a href="{ENTRY}#comments">the comments</a>: we read them all, and the '
     'best will be in a follow-up post about the budgets other teams use for their retries, with the numbers '
     'each team measured, the limits they set and how their clients behave when the budget is spent, which is '
     'what most of you asked about after the last post on this subject.</p>',
     "Share your retry stories in the comments: we read them all,"),
])
def test_the_authors_own_closing_lines_stay(content, last):
    clean = clean_html(ARTICLE + content, base_url=ENTRY)
    assert clean.document.blocks[-1].text.startswith(last)


def test_a_footer_in_the_middle_of_the_text_stays():
    footer = f'<p>The post <a href="{ENTRY}">{TITLE}</a> appeared first on <a href="https://eng.example.com">E</a>.</p>'
    clean = clean_html(footer + ARTICLE, base_url=ENTRY)
    assert clean.document.blocks[0].text.startswith("The post")


def test_without_the_entry_url_only_pixels_and_widgets_go():
    footer = f'<p>The post <a href="{ENTRY}">{TITLE}</a> appeared first on <a href="https://eng.example.com">E</a>.</p>'
    clean = clean_html(ARTICLE + footer + '<img src="https://t.example/p.gif" width="1" height="1">')
    assert clean.document.blocks[-1].text.startswith("The post")
    assert "t.example" not in clean.html
