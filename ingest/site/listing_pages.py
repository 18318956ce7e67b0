"""The listings of articles: the Articles index, every article in pages, by source, by year, by kind, by tag.

Each listing is made to stay readable at many sources: the index shows the
latest few and links to the rest, the tags index shows the tags that group
articles and folds the ones used once, and a grouping that would put nearly
everything under one heading (the kind "article") is not offered as one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from ingest.model.articles import Article
from ingest.model.knowledge import Knowledge
from ingest.model.extract.notes import KINDS
from ingest.text import escape_html, escape_markdown, is_http_url
from ingest.site.article_pages import KIND_NAMES, listing_item_html
from ingest.site.info import SiteInfo
from ingest.site.markdown import HTMLLinks, HTMLPage, Page, chunks, count, date, front_matter, html_heading
from ingest.site import urls

LISTING_PAGE_SIZE = 200
LATEST_COUNT = 10
DOMINANT_KIND = 0.5  # a kind holding more than this share of the articles is no useful grouping


@dataclass(frozen=True)
class Source:
    """A feed as its listing shows it: its name in the archive, its title, its address, its articles."""

    name: str
    title: str
    url: str | None
    articles: tuple[Article, ...]  # newest first

    @property
    def host(self) -> str:
        """The address shortened to its host ("aws.typepad.com"); the name when there is no web address."""
        return urlsplit(self.url).hostname or self.url if self.url and is_http_url(self.url) else self.name


def sources_of(knowledge: Knowledge, info: SiteInfo) -> list[Source]:
    """The configured feeds in mkdocs.yml's order, then any other feed the archive holds, by name."""
    by_feed: dict[str, list[Article]] = defaultdict(list)
    for article in knowledge.articles:
        by_feed[article.feed].append(article)
    names = [f.name for f in info.feeds] + sorted(set(by_feed) - {f.name for f in info.feeds})
    configured = {f.name: f.url for f in info.feeds}
    found = []
    for name in names:
        state = info.feed_states.get(name)
        title = state.title if state and state.title else name
        found.append(Source(name, title, configured.get(name) or (state.url if state else None), tuple(by_feed[name])))
    return found


def render_listings(knowledge: Knowledge, info: SiteInfo) -> list[Page]:
    """The Articles index, every article in pages, and one listing per source, year, kind and tag."""
    sources = sources_of(knowledge, info)
    # Items name their source where there is more than one to tell apart.
    titles = {s.name: s.title for s in sources} if sum(1 for s in sources if s.articles) > 1 else {}
    return ([_articles_index(knowledge, sources, info.directory_urls)]
            + _listing_pages(urls.ALL_ARTICLES, "All articles", list(knowledge.articles), info.directory_urls,
                             titles=titles)
            + [p for source in sources for p in _source_pages(source, info.directory_urls)]
            + _year_pages(knowledge, info.directory_urls, titles) + _kind_pages(knowledge, info.directory_urls, titles)
            + render_tag_pages(knowledge, info.directory_urls, titles))


def _articles_index(knowledge: Knowledge, sources: list[Source], directory_urls: bool) -> Page:
    ordered = knowledge.articles
    index = HTMLPage(urls.ARTICLES, directory_urls)
    index.heading(1, "Articles")
    with_articles = [s for s in sources if s.articles]
    index.paragraph(f"{count(len(ordered), 'article')} from {count(len(with_articles), 'source')}.")
    index.heading(2, "Latest")
    titles = {s.name: s.title for s in with_articles} if len(with_articles) > 1 else {}
    index.items([listing_item_html(index.uri, a, index.link, titles.get(a.feed)) for a in ordered[:LATEST_COUNT]])
    if len(ordered) > LATEST_COUNT:
        index.paragraph(f'<strong>{index.a(urls.ALL_ARTICLES, f"All {len(ordered):,} articles, newest first →")}'
                        f'</strong> or by year below.')
    index.heading(2, "By source")
    index.html('<ul class="rkb-columns">\n' + "\n".join(
        f"<li>{index.a(urls.source_path(s.name), s.title)} ({len(s.articles)})</li>" for s in with_articles)
        + "\n</ul>")
    index.heading(2, "By year")
    years = _by_year(ordered)
    index.html('<ul class="rkb-columns">\n' + "\n".join(
        f"<li>{index.a(urls.year_path(year), year)} ({len(items)})</li>" for year, items in years.items()) + "\n</ul>")
    _kinds_section(index, knowledge)
    return index.page(front_matter(title="Articles"), in_nav=True)


def _kinds_section(index: HTMLPage, knowledge: Knowledge) -> None:
    """The kinds, unless one holds nearly everything: then only the others, and a link to the rest."""
    by_kind = _by_kind(knowledge)
    if len(by_kind) < 2:
        return
    total = sum(len(items) for items in by_kind.values())
    main = max(by_kind, key=lambda k: len(by_kind[k]))
    dominant = len(by_kind[main]) > DOMINANT_KIND * total
    shown = [k for k in KINDS if k in by_kind and not (dominant and k == main)]
    index.heading(2, "By kind")
    index.items([f"{index.a(urls.kind_path(k), KIND_NAMES[k])} ({len(by_kind[k])})" for k in shown])
    if dominant:
        index.paragraph(f"The other {len(by_kind[main]):,} are "
                        f"{index.a(urls.kind_path(main), KIND_NAMES[main].lower())} of no particular kind.")


def _by_kind(knowledge: Knowledge) -> dict[str, list[Article]]:
    by_kind: dict[str, list[Article]] = defaultdict(list)
    for article in knowledge.articles:
        by_kind[knowledge.notes[article.id].kind].append(article)
    return by_kind


def _by_year(articles) -> dict[str, list[Article]]:
    by_year: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_year[f"{article.published:%Y}" if article.published else "undated"].append(article)
    return by_year


def _year_pages(knowledge: Knowledge, directory_urls: bool, titles: dict[str, str]) -> list[Page]:
    return [page for year, items in _by_year(knowledge.articles).items()
            for page in _listing_pages(urls.year_path(year), f"Articles from {year}", items, directory_urls,
                                       titles=titles)]


def _kind_pages(knowledge: Knowledge, directory_urls: bool, titles: dict[str, str]) -> list[Page]:
    by_kind = _by_kind(knowledge)
    return [page for kind in KINDS if by_kind.get(kind)
            for page in _listing_pages(urls.kind_path(kind), KIND_NAMES[kind], by_kind[kind], directory_urls,
                                       titles=titles)]


def _source_pages(source: Source, directory_urls: bool) -> list[Page]:
    """A source's articles, newest first, under what it is and where it comes from."""
    uri = urls.source_path(source.name)
    dated = [a.published for a in source.articles if a.published]
    where = (f'<a href="{escape_html(source.url)}" rel="noopener noreferrer">{escape_html(source.host)}</a>'
             if source.url and is_http_url(source.url) else escape_markdown(source.url or "no address configured"))
    span = f", published {date(min(dated))} to {date(max(dated))}" if dated else ""
    links = HTMLLinks(uri, directory_urls)
    intro = (f'<p class="rkb-provenance">The feed {where} (<code>{escape_html(source.name)}</code> in the archive): '
             f"{count(len(source.articles), 'article')}{span}. "
             f"{links(uri, urls.SOURCES, 'Its state')} is on the Sources page.</p>")
    return _listing_pages(uri, source.title, list(source.articles), directory_urls, intro=intro, links=links)


def render_tag_pages(knowledge: Knowledge, directory_urls: bool = True,
                     titles: dict[str, str] | None = None) -> list[Page]:
    """The tags index (the tags that group articles, then the ones used once, folded) and a page per tag."""
    tags = knowledge.tag_index.tags
    index = HTMLPage(urls.TAGS, directory_urls)
    index.heading(1, "Tags")
    shared = [t for t in tags if len(t.articles) > 1]
    once = sorted((t for t in tags if len(t.articles) == 1), key=lambda t: t.name.casefold())
    index.paragraph(f"{count(len(tags), 'tag')} across {count(len(knowledge.articles), 'article')}, as the feeds "
                    "tag them; spellings that differ only in case, spacing or plural are one tag. "
                    "The most used first.")

    def cloud(items) -> str:
        return "\n".join(f'<li>{index.a(urls.tag_path(t.slug), t.name)} <span class="rkb-count">{len(t.articles)}'
                         f"</span></li>" for t in items)

    if shared:
        index.html(f'<ul class="rkb-tag-cloud">\n{cloud(shared)}\n</ul>')
    if once:
        label = f"{count(len(once), 'more tag')} used once" if shared else f"{count(len(once), 'tag')} used once"
        index.html(f'<details class="rkb-tags-once">\n<summary>{label}</summary>\n'
                   f'<ul class="rkb-tag-cloud">\n{cloud(once)}\n</ul>\n</details>')
    byid = {a.id: a for a in knowledge.articles}
    pages = [index.page(front_matter(title="Tags"), in_nav=True)]
    for tag in tags:
        pages += _listing_pages(urls.tag_path(tag.slug), f"Tag: {tag.name}", [byid[a] for a in tag.articles],
                                directory_urls, titles=titles)
    return pages


def _listing_pages(first: str, title: str, articles: list[Article], directory_urls: bool = True, *,
                   intro: str = "", links: HTMLLinks | None = None,
                   titles: dict[str, str] | None = None) -> list[Page]:
    """The listing of `articles`, in pages of LISTING_PAGE_SIZE, made as HTML (what Markdown made of it).

    `intro` (HTML, its links made with `links`) goes under the first page's title; with `titles`
    (feed -> source title) each item names its source.
    """
    parts = chunks(articles, LISTING_PAGE_SIZE)
    uris = urls.listing_paths(first, len(parts))
    pages = []
    for number, (part, uri) in enumerate(zip(parts, uris), start=1):
        heading = title + (f", page {number} of {len(parts)}" if len(parts) > 1 else "")
        anchor = links if links is not None and number == 1 else HTMLLinks(uri, directory_urls)
        h1, toc_entry = html_heading(1, heading)
        blocks = [h1] + ([intro] if intro and number == 1 else [])
        if part:
            blocks.append("<ul>\n" + "\n".join(f"<li>{listing_item_html(uri, a, anchor, (titles or {}).get(a.feed))}</li>"
                                               for a in part)
                          + "\n</ul>")
        if len(parts) > 1:
            pager = " · ".join(f"<strong>{n}</strong>" if n == number else anchor(uri, target, str(n))
                               for n, target in enumerate(uris, start=1))
            blocks.append(f"<p>Pages: {pager}</p>")
        # A listing repeats titles that the articles' own pages hold; it would only crowd search results.
        pages.append(Page(uri, front_matter(title=heading, searchable=False) + "\n", html="\n".join(blocks),
                          links=tuple(anchor.targets), html_headings=(toc_entry,)))
    return pages
