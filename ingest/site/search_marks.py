"""What of each page the search index reads, and what a search result says about the page.

Pagefind indexes what the theme override marks with data-pagefind-body
(overrides/main.html). This module, run on each finished page before the
article's body is spliced in (so nothing of a feed's text is touched),
decides the rest:

- Which pages are indexed at all: articles, patterns, checklists, the notes
  of an article, the biases and hand-written pages. Listings (the home page,
  Start here, tags, years, kinds, sources, What's new, the indexes of
  patterns, checklists and notes) only repeat titles and summaries of the
  pages they list, so a search that lands on one has to search again: they
  are left out.
- What of an indexed page is not its content: the "¶" after each heading,
  cross-reference lines ("Related patterns:", "Also written as:", "Named in:",
  the tag line, the notes taken from an article) and the checklist's buttons
  and form. They would make every page that names a topic a result for it.
- How much a part counts: a page's title counts most; on a pattern page what
  follows the definition quotes articles (passages, the articles that discuss
  it), so it counts less than the articles it quotes.
- The result's label: the page's title without the "¶", its kind, and for an
  article (or its notes) the source and the date, as Pagefind metadata. The
  kind is indexed as a word of the page too, so "ORR checklist" finds the
  checklist whose text never says "checklist".
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from html import escape, unescape

from ingest.archive.records import FeedState
from ingest.model.knowledge import Knowledge
from ingest.site import urls
from ingest.site.markdown import date

BODY = "<div data-pagefind-body>"
BODY_END = "<!-- rkb-search-body-end -->"  # where the indexed content ends (overrides/main.html)
TITLE_WEIGHT = "10"  # Pagefind's most: an h1 counts 7 by default, a word of the text 1
QUOTED_WEIGHT = "0.5"  # what a pattern page quotes from articles, after its definition
IGNORE = "data-pagefind-ignore"

# The labels of cross-reference lines the site's generators write as "<p><strong>Label:</strong> …".
CROSS_REFERENCES = ("Related patterns", "Also written as", "Patterns mentioned", "Biases", "Checklist",
                    "Checklists", "Launches", "Lessons", "Failure injections", "Tags", "See", "See also")
CROSS_REFERENCE_LINE = re.compile(r"<(p|li)>(?=\s*<strong>(?:%s):</strong>|\s*Named in:)"
                                  % "|".join(map(re.escape, CROSS_REFERENCES)))
# Parts of a page that are not its content, by their class: the tag line, the notes taken from an
# article, a checklist's toolbar, form and print-only fields.
NOT_CONTENT = re.compile(r'<(\w+) class="(abstract|rkb-tags|rkb-toolbar|rkb-review|rkb-print-fields)"')
HEADERLINK = re.compile(r'<a class="headerlink"')
TITLE = re.compile(r"<h1\b")
SECTION = re.compile(r"<h2\b")
HEADING = re.compile(r"<(h[2-6])\b")


@dataclass(frozen=True)
class SearchLabel:
    """What a search result says about an indexed page."""

    kind: str  # Article, Pattern, Checklist, Note, Page
    source: str = ""  # the feed's title, for an article and its notes
    date: str = ""  # the article's date, as the site writes dates ("26 June 2020")


PAGE = SearchLabel("Page")  # a hand-written page
# Pages that route a reader to others, hand-written or not: their text is the titles and summaries of
# the pages they link to, so they are listings too.
ROUTES = (urls.HOME, urls.START_HERE)


@dataclass(frozen=True)
class SearchLabels:
    """The labels of the site's indexed generated pages (search_labels), and which pages are generated."""

    labels: Mapping[str, SearchLabel] = field(default_factory=dict)
    generated: Container[str] = frozenset()

    def of(self, src_uri: str) -> SearchLabel | None:
        """The page's label if it is indexed; None for a listing (generated and unlabelled, or a route)."""
        if src_uri in ROUTES:
            return None
        return self.labels.get(src_uri) if src_uri in self.generated else PAGE


def search_labels(knowledge: Knowledge, feeds: Mapping[str, FeedState], generated: set[str]) -> SearchLabels:
    """The label of each generated page that is indexed (a generated page without one is a listing)."""
    labels: dict[str, SearchLabel] = {}
    for article in knowledge.articles:
        when = date(article.published) if article.published else ""
        feed = feeds.get(article.feed)
        label = SearchLabel("Article", (feed.title if feed else None) or article.feed, when)
        labels[urls.article_path(article.id)] = label
        for folder in (urls.LAUNCH_NOTES, urls.LESSON_NOTES, urls.INJECTION_NOTES):
            labels[urls.notes_path(folder, article.id)] = SearchLabel("Note", label.source, label.date)
    for entry in knowledge.patterns:
        labels[urls.pattern_path(entry.pattern.id)] = SearchLabel("Pattern")
    for entry in knowledge.curated:
        labels[urls.checklist_path(entry.checklist.id)] = SearchLabel("Checklist")
    labels[urls.BIASES] = SearchLabel("Note")
    return SearchLabels({path: label for path, label in labels.items() if path in generated}, frozenset(generated))


def mark_for_search(html: str, label: SearchLabel | None, title: str | None) -> str:
    """The finished page (before its article body is in) marked for Pagefind; `label` None: not indexed."""
    start = html.find(BODY)
    end = html.find(BODY_END, start)
    if start < 0 or end < 0:
        return html  # a page the search leaves out by its front matter
    if label is None:
        return html[:start] + "<div>" + html[start + len(BODY):]
    inner = html[start + len(BODY):end]
    inner = HEADERLINK.sub(f'<a {IGNORE}="all" class="headerlink"', inner)
    inner = CROSS_REFERENCE_LINE.sub(rf"<\1 {IGNORE}>", inner)
    inner = NOT_CONTENT.sub(rf'<\1 {IGNORE}="all" class="\2"', inner)
    inner = TITLE.sub(f'<h1 data-pagefind-weight="{TITLE_WEIGHT}"', inner, 1)
    if label.kind == "Pattern":
        inner = _quoted_weighs_less(inner)
    return html[:start] + BODY + _meta(label, title) + inner + html[end:]


def _quoted_weighs_less(inner: str) -> str:
    """What follows a pattern's definition (from its first section on) at QUOTED_WEIGHT, its headings
    (the titles of the articles quoted) not indexed."""
    section = SECTION.search(inner)
    if section is None:
        return inner
    rest = HEADING.sub(rf"<\1 {IGNORE}", inner[section.start():])
    return f'{inner[:section.start()]}<div data-pagefind-weight="{QUOTED_WEIGHT}">{rest}</div>'


def _meta(label: SearchLabel, title: str | None) -> str:
    fields = {"title": title or "", "kind": label.kind, "source": label.source, "date": label.date}
    present = {name: value for name, value in fields.items() if value}
    names = ", ".join(f"{name}[data-{name}]" for name in present)
    values = " ".join(f'data-{name}="{escape(unescape(value), quote=True)}"' for name, value in present.items())
    # The kind is indexed too, as a word of the page: "ORR checklist", "circuit breaker pattern".
    return f'<span hidden data-pagefind-meta="{names}" data-pagefind-index-attrs="data-kind" {values}></span>'
