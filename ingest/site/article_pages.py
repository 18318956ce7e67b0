"""Article pages, the items of the article listings (listing_pages.py) and the home page's summary.

Feed text never reaches Markdown as markup: titles, authors and tags go
through escape_markdown (or escape_html in raw HTML and front matter), and an
article's body is not Markdown at all. The page carries BODY_MARKER, which the
plugin replaces with the sanitised HTML after Markdown has run.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

from ingest.model.articles import Article
from ingest.model.knowledge import Knowledge
from ingest.model.extract.notes import ArticleNotes, Kind
from ingest.text import escape_html, escape_markdown
from ingest.site.markdown import (
    BODY_MARKER, HTMLLinks, Page, count, date, front_matter, link,
)
from ingest.site import urls

KIND_NAMES: dict[Kind, str] = {
    "digest": "Launch digests", "collection": "Collections", "checklist": "Checklists and templates",
    "case-study": "Case studies", "tutorial": "Tutorials", "talk": "Talks", "qa": "Questions and answers",
    "article": "Articles",
}


def tag_uri(knowledge: Knowledge, tag: str) -> str:
    return urls.tag_path(knowledge.tag_slug(tag))


def render_article(article: Article, notes: ArticleNotes, knowledge: Knowledge, directory_urls: bool = True,
                   source_title: str | None = None) -> Page:
    """An article's page: metadata, tags, the notes taken from it, then the clean body.

    Its text is all ours, so it is made as HTML (what Markdown made of it before),
    without a trip through Markdown.
    """
    uri = urls.article_path(article.id)
    anchor = HTMLLinks(uri, directory_urls)
    kind = f"Kind: {anchor(uri, urls.kind_path(notes.kind), KIND_NAMES[notes.kind].lower())}"
    merged = {knowledge.tag_index.of(t).key: knowledge.tag_index.of(t) for t in article.tags}  # "Bug", "bugs": one
    tags = ", ".join(anchor(uri, urls.tag_path(t.slug), t.name) for t in merged.values())
    title = _title_in_language(article)
    blocks = [title[0] + "\n"] if title else []
    source = anchor(uri, urls.source_path(article.feed), source_title or article.feed)
    blocks += [f'<p class="rkb-byline">{_byline(article, source)}</p>\n',
               f'<p class="rkb-tags">{kind}{f" · Tags: {tags}" if tags else ""}</p>']
    if article.problem:
        blocks.append('<div class="admonition warning">\n<p class="admonition-title">This article could not be '
                      'processed</p>\n<p>Its text is not shown here. Read it at the original address above.</p>\n'
                      '</div>')
    if article.excerpt and article.url:
        blocks.append(_excerpt_notice(article.url))
    notes_lines = _notes_summary(uri, article, notes, knowledge, anchor)
    if notes_lines:
        items = "\n".join(f"<li>{_strong_label(line.removeprefix('- '))}</li>" for line in notes_lines)
        blocks.append('<details class="abstract" open="open">\n<summary>Notes taken from this article</summary>\n'
                      f"<ul>\n{items}\n</ul>\n</details>")
    blocks.append("\n".join(_body_in_language(article)))
    return Page(uri, front_matter(title=article.title, description=article.summary) + "\n",
                body_html=article.body.html, headings=article.body.headings,
                html="\n".join(blocks), links=tuple(anchor.targets))


def _excerpt_notice(url: str) -> str:
    """What a reader must know before reading a teaser: it is not the article, which is at its source."""
    try:
        host = (urlsplit(url).hostname or "").removeprefix("www.") or "its site"
    except ValueError:  # a host no URL parser accepts ("http://[x"): the link still leads there
        host = "its site"
    return ('<div class="admonition info rkb-excerpt">\n<p>This is the feed\'s excerpt; '
            f'<a href="{escape_html(url)}" rel="noopener noreferrer">read the whole article on {escape_html(host)}</a>.'
            '</p>\n</div>')


def _strong_label(line: str) -> str:
    """'**Label:** rest' as Markdown writes it."""
    label, _, rest = line.removeprefix("**").partition(":**")
    return f"<strong>{label}:</strong>{rest}"


def _language_attributes(article: Article) -> str:
    """` lang="fa" dir="rtl"` for an article whose language is known; the site's chrome keeps its own."""
    if not article.language:
        return ""
    return f' lang="{escape_html(article.language)}" dir="{article.direction}"'


def _title_in_language(article: Article) -> list[str]:
    """The page's own h1 in the article's language (the theme then adds none); nothing when it is unknown."""
    attributes = _language_attributes(article)
    return [f"<h1{attributes}>{escape_html(article.title)}</h1>", ""] if attributes else []


def _body_in_language(article: Article) -> list[str]:
    """The body's marker, inside an element in the article's language when that is known."""
    attributes = _language_attributes(article)
    if not attributes:
        return [BODY_MARKER]
    return [f'<div class="rkb-article-body"{attributes}>', BODY_MARKER, "</div>"]




def listing_item(from_uri: str, article: Article) -> str:
    details = [date(article.published) if article.published else "undated"]
    if article.author:
        details.append(escape_markdown(article.author))
    details.append(f"{article.reading_minutes} min read")
    # dir="auto": a title in a right-to-left script is laid out right to left within a left-to-right list.
    return f"- {link(from_uri, urls.article_path(article.id), article.title)}{{ dir=\"auto\" }} — {' · '.join(details)}"


def listing_item_html(from_uri: str, article: Article, anchor: HTMLLinks, source: str | None = None) -> str:
    """As listing_item, in HTML; dir="auto" lays a right-to-left title out right to left.

    `source`, the title of the article's source, links to the source's listing after the author.
    """
    details = [date(article.published) if article.published else "undated"]
    if article.author:
        details.append(escape_markdown(article.author))
    if source:
        details.append("in " + anchor(from_uri, urls.source_path(article.feed), source))
    details.append(f"{article.reading_minutes} min read")
    title = anchor(from_uri, urls.article_path(article.id), article.title, dir_auto=True)
    return f"{title} — {' · '.join(details)}"


def _notes_summary(uri: str, article: Article, notes: ArticleNotes, knowledge: Knowledge, link=link) -> list[str]:
    """One line per kind of note, linking to where the notes are gathered (with `link`'s links)."""
    lines = []
    mentioned: dict[str, int] = defaultdict(int)
    for mention in notes.mentions:
        mentioned[mention.pattern] += 1
    if mentioned:
        patterns = knowledge.vocabulary.pattern_by_id
        ordered = sorted(mentioned, key=lambda p: (-mentioned[p], patterns[p].name))
        links = ", ".join(f"{link(uri, urls.pattern_path(p), patterns[p].name)} ({mentioned[p]})" for p in ordered)
        lines.append(f"- **Patterns mentioned:** {links}")
    if notes.launches:
        headline = sum(1 for launch in notes.launches if launch.notable)
        lines.append(f"- **Launches:** {link(uri, urls.notes_path(urls.LAUNCH_NOTES, article.id), count(len(notes.launches), 'launch', 'launches'))}"
                     f" ({headline} with their own heading)")
    if notes.biases:
        links = ", ".join(link(uri, urls.BIASES, b.name, b.id) for b in knowledge.biases_of(article.id))
        lines.append(f"- **Biases:** {links}")
    if notes.lessons:
        lines.append(f"- **Lessons:** {link(uri, urls.notes_path(urls.LESSON_NOTES, article.id), count(len(notes.lessons), 'numbered lesson'))}")
    if notes.injections:
        lines.append(f"- **Failure injections:** "
                     f"{link(uri, urls.notes_path(urls.INJECTION_NOTES, article.id), count(len(notes.injections), 'injection'))}")
    if notes.experiments:
        lines.append("- **Experiments:** " + ", ".join(
            link(uri, uri, e.title, e.anchor) for e in notes.experiments))
    if notes.checklist:
        sections = len(notes.checklist.sections)
        found = f"{count(len(notes.checklist.items), 'item')} in {count(sections, 'section')}"
        curated = [e.checklist for e in knowledge.curated if e.checklist.source and e.checklist.source.article == article.id]
        pages = ", ".join(link(uri, urls.checklist_path(c.id), f"the {c.title} checklist") for c in curated)
        lines.append(f"- **Checklist:** {found}" + (f"; tick or print it as {pages}" if pages else ""))
    return lines


def _byline(article: Article, source: str) -> str:
    """Date, author, the source (a link to its listing), reading time, the original."""
    parts = []
    if article.published:
        parts.append(f'Published <time datetime="{article.published:%Y-%m-%d}">{date(article.published)}</time>')
    if article.author:
        parts.append(f"by {escape_html(article.author)}")
    parts.append(f"in {source}")
    parts.append(f"{article.reading_minutes} min read")
    if article.url:
        parts.append(f'<a href="{escape_html(article.url)}" rel="noopener noreferrer">Read the original</a>')
    return " · ".join(parts)
