"""Render Articles as Markdown pages for MkDocs. Pure: data in, page texts out.

Feed text never reaches Markdown as markup: titles, authors and tags go
through escape_markdown (or escape_html in raw HTML and front matter), and an
article's body is not Markdown at all. The page carries BODY_MARKER, which the
plugin replaces with the sanitised HTML after Markdown has run.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import yaml

from .archive import FeedState
from .articles import Article
from .clean import Heading
from .text import escape_html, escape_markdown, slugify

BODY_MARKER = "<!-- resilience-kb:body -->"
SUMMARY_MARKER = "<!-- resilience-kb:summary -->"
LISTING_PAGE_SIZE = 200
LATEST_COUNT = 10


@dataclass(frozen=True)
class Page:
    """A generated page: where it goes, its Markdown, and the body HTML to splice in."""

    src_uri: str
    markdown: str
    in_nav: bool = False
    body_html: str | None = None
    headings: tuple[Heading, ...] = ()


def article_uri(article_id: str) -> str:
    return f"articles/{article_id}.md"


def tag_uri(tag: str) -> str:
    return f"tags/{tag_slug(tag)}.md"


def tag_slug(tag: str) -> str:
    return slugify(tag) or "tag-" + "-".join(str(ord(ch)) for ch in tag[:8])


def render_pages(articles: list[Article], feeds: dict[str, FeedState]) -> list[Page]:
    """Every generated page of the site: articles, article listings and tags."""
    ordered = sorted(articles, key=lambda a: a.sort_key, reverse=True)
    pages = [render_article(a) for a in ordered]
    pages += render_article_listings(ordered, feeds)
    pages += render_tag_pages(ordered)
    return pages


def render_article(article: Article) -> Page:
    """An article's page: metadata, tags, a link to the original, then the clean body."""
    uri = article_uri(article.id)
    lines = [_front_matter(title=article.title, description=article.summary), ""]
    lines.append(f'<p class="rkb-byline">{_byline(article)}</p>')
    lines.append("")
    if article.tags:
        links = ", ".join(_link(uri, tag_uri(t), t) for t in article.tags)
        lines += [f"Tags: {links}", "{ .rkb-tags }", ""]
    if article.problem:
        lines += ['!!! warning "This article could not be processed"', "",
                  "    Its text is not shown here. Read it at the original address above.", ""]
    lines += [BODY_MARKER, ""]
    return Page(uri, "\n".join(lines), body_html=article.body.html, headings=article.body.headings)


def render_article_listings(ordered: list[Article], feeds: dict[str, FeedState]) -> list[Page]:
    """The Articles index (latest, and counts per year) and one listing per year."""
    by_year: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        by_year[_year(article)].append(article)
    index = "articles/index.md"
    feed_count = len({a.feed for a in ordered})
    lines = [_front_matter(title="Articles"), "", "# Articles", ""]
    lines.append(f"{_count(len(ordered), 'article')} from {_count(feed_count, 'feed')}, newest first.")
    lines += ["", "## By year", ""]
    pages = []
    for year, items in by_year.items():
        chunks = _chunks(items, LISTING_PAGE_SIZE)
        uris = [f"articles/by-year/{year}.md"] + [f"articles/by-year/{year}-{n}.md" for n in range(2, len(chunks) + 1)]
        lines.append(f"- {_link(index, uris[0], year)}: {_count(len(items), 'article')}")
        for n, (chunk, uri) in enumerate(zip(chunks, uris), start=1):
            title = f"Articles from {year}" + (f", page {n} of {len(chunks)}" if len(chunks) > 1 else "")
            pages.append(Page(uri, _listing_page(uri, title, chunk, uris, n)))
    lines += ["", "## Latest", ""]
    lines += [_listing_item(index, a) for a in ordered[:LATEST_COUNT]]
    lines.append("")
    return [Page(index, "\n".join(lines), in_nav=True)] + pages


def render_tag_pages(ordered: list[Article]) -> list[Page]:
    """An index of all tags, and one listing page per tag (split when long)."""
    by_slug: dict[str, list[Article]] = defaultdict(list)
    names: dict[str, str] = {}
    for article in ordered:
        for tag in article.tags:
            slug = tag_slug(tag)
            names.setdefault(slug, tag)
            by_slug[slug].append(article)
    index = "tags/index.md"
    lines = [_front_matter(title="Tags"), "", "# Tags", ""]
    lines.append(f"{_count(len(by_slug), 'tag')} across {_count(len(ordered), 'article')}.")
    lines.append("")
    pages = []
    for slug in sorted(by_slug, key=lambda s: names[s].casefold()):
        items = by_slug[slug]
        chunks = _chunks(items, LISTING_PAGE_SIZE)
        uris = [f"tags/{slug}.md"] + [f"tags/{slug}-{n}.md" for n in range(2, len(chunks) + 1)]
        lines.append(f"- {_link(index, uris[0], names[slug])} ({len(items)})")
        for n, (chunk, uri) in enumerate(zip(chunks, uris), start=1):
            title = f"Tag: {names[slug]}" + (f", page {n} of {len(chunks)}" if len(chunks) > 1 else "")
            pages.append(Page(uri, _listing_page(uri, title, chunk, uris, n)))
    lines.append("")
    return [Page(index, "\n".join(lines), in_nav=True)] + pages


def render_summary(articles: list[Article], feeds: dict[str, FeedState], page_uri: str = "index.md") -> str:
    """The home page's live block: what the archive holds, and the latest articles."""
    ordered = sorted(articles, key=lambda a: a.sort_key, reverse=True)
    if not ordered:
        return "The archive is empty: run `resilience-kb fetch` to fill it.\n"
    tags = {tag_slug(t) for a in ordered for t in a.tags}
    feed_names = sorted({a.feed for a in ordered} | set(feeds))
    dated = [a.published for a in ordered if a.published]
    span = f", published {_date(min(dated))} to {_date(max(dated))}" if dated else ""
    lines = [
        f"The archive holds **{_count(len(ordered), 'article')}** from "
        f"**{_count(len(feed_names), 'feed')}** ({', '.join(escape_markdown(n) for n in feed_names)}){span}, "
        f"with **{_count(len(tags), 'tag')}**. "
        f"Browse {_link(page_uri, 'articles/index.md', 'all articles')} or {_link(page_uri, 'tags/index.md', 'the tags')}.",
        "",
        "Latest articles:",
        "",
    ]
    lines += [_listing_item(page_uri, a) for a in ordered[:5]]
    return "\n".join(lines) + "\n"


# -- pieces ---------------------------------------------------------------


def _listing_page(uri: str, title: str, articles: list[Article], uris: list[str], number: int) -> str:
    lines = [_front_matter(title=title), "", f"# {escape_markdown(title)}", ""]
    lines += [_listing_item(uri, a) for a in articles]
    if len(uris) > 1:
        pager = " · ".join(
            f"**{n}**" if n == number else _link(uri, target, str(n)) for n, target in enumerate(uris, start=1)
        )
        lines += ["", f"Pages: {pager}"]
    lines.append("")
    return "\n".join(lines)


def _listing_item(from_uri: str, article: Article) -> str:
    details = [_date(article.published) if article.published else "undated"]
    if article.author:
        details.append(escape_markdown(article.author))
    details.append(f"{article.reading_minutes} min read")
    return f"- {_link(from_uri, article_uri(article.id), article.title)} — {' · '.join(details)}"


def _byline(article: Article) -> str:
    parts = []
    if article.published:
        parts.append(f'Published <time datetime="{article.published:%Y-%m-%d}">{_date(article.published)}</time>')
    if article.author:
        parts.append(f"by {escape_html(article.author)}")
    parts.append(f"{article.reading_minutes} min read")
    if article.url:
        parts.append(f'<a href="{escape_html(article.url)}" rel="noopener noreferrer">Read the original</a>')
    return " · ".join(parts)


def _link(from_uri: str, to_uri: str, text: str) -> str:
    """A Markdown link between two pages, which MkDocs checks and rewrites."""
    relative = posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")
    return f"[{escape_markdown(text)}]({relative})"


def _front_matter(**fields: str) -> str:
    # Material prints page.meta.title into <title> unescaped, so it must already be HTML-safe.
    safe = {k: escape_html(v) for k, v in fields.items() if v}
    return "---\n" + yaml.safe_dump(safe, allow_unicode=True, sort_keys=True, width=1000) + "---"


def _date(when: datetime) -> str:
    return f"{when.day} {when:%B %Y}"


def _year(article: Article) -> str:
    return f"{article.published:%Y}" if article.published else "undated"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]
