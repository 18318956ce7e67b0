"""Pieces of Markdown shared by the page renderers. Feed text always goes through escape_*."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import datetime

import yaml
from markdown.extensions import toc

from ingest.model.html.clean import Heading
from ingest.site import urls
from ingest.site.urls import href
from ingest.text import escape_html, escape_markdown, squash

BODY_MARKER = "<!-- resilience-kb:body -->"
SUMMARY_MARKER = "<!-- resilience-kb:summary -->"


@dataclass(frozen=True)
class Page:
    """A generated page: where it goes, its Markdown, and the body HTML to splice in."""

    src_uri: str
    markdown: str
    in_nav: bool = False
    body_html: str | None = None
    headings: tuple[Heading, ...] = ()
    # A page whose text the generator makes whole can skip Markdown: `markdown` is then
    # only its front matter, `html` its content, and `links` the pages it links to
    # ((src_uri, anchor) pairs), which the plugin checks as MkDocs checks Markdown links.
    html: str | None = None
    links: tuple[tuple[str, str | None], ...] = ()
    html_headings: tuple[Heading, ...] = ()  # the headings of `html`, their text as Markdown wrote it


def link(from_uri: str, to_uri: str, text: str, anchor: str | None = None) -> str:
    """A Markdown link between two pages, which MkDocs checks and rewrites."""
    relative = posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")
    return f"[{escape_markdown(text)}]({relative}{'#' + anchor if anchor else ''})"


class HTMLLinks:
    """Links in generated HTML, as MkDocs would write them from Markdown; it remembers each target."""

    def __init__(self, from_uri: str, directory_urls: bool = True) -> None:
        self.from_uri, self.directory_urls = from_uri, directory_urls
        self.targets: list[tuple[str, str | None]] = []

    def __call__(self, from_uri: str, to_uri: str, text: str, anchor: str | None = None, *,
                 dir_auto: bool = False) -> str:
        self.targets.append((to_uri, anchor))
        url = href(from_uri, to_uri, self.directory_urls, anchor)
        # The link text as Markdown would leave it: numeric references for punctuation.
        direction = 'dir="auto" ' if dir_auto else ""
        return f'<a {direction}href="{escape_html(url)}">{escape_markdown(text)}</a>'


def html_heading(level: int, text: str) -> tuple[str, Heading]:
    """A heading as Markdown (with its table-of-contents extension) writes it, and its toc entry."""
    written = escape_markdown(text)
    anchor = toc.unique(toc.slugify(squash(text), "-"), set())
    html = (f'<h{level} id="{anchor}">{written}<a class="headerlink" href="#{anchor}" '
            f'title="Permanent link">&para;</a></h{level}>')
    return html, Heading(level, anchor, written)


class HTMLPage:
    """A page made as HTML block by block, as Markdown (with tables, attr_list and toc) wrote it.

    Headings get their ids as the toc extension gives them: an explicit id is
    kept, the others are slugs of their text made unique against every id on
    the page (explicit ones first) and the headings before them.
    """

    def __init__(self, uri: str, directory_urls: bool = True) -> None:
        self.uri = uri
        self.link = HTMLLinks(uri, directory_urls)
        self._blocks: list[str | int] = []  # HTML, or the index of a heading
        self._headings: list[tuple[int, str, str, str | None]] = []  # level, written, raw text, explicit id

    def a(self, to_uri: str, text: str, anchor: str | None = None) -> str:
        """A link from this page, remembered for the plugin's check."""
        return self.link(self.uri, to_uri, text, anchor)

    def a_file(self, path: str, text: str) -> str:
        """A link to a file of the site that is not a page (feed.xml), as MkDocs rewrites one."""
        self.link.targets.append((path, None))
        source = urls.page_url(self.uri, self.link.directory_urls)
        start = source.rstrip("/") if source.endswith("/") else posixpath.dirname(source)
        return f'<a href="{escape_html(posixpath.relpath(path, start or "."))}">{escape_markdown(text)}</a>'

    def heading(self, level: int, text: str = "", *, ours: str = "", id: str | None = None) -> None:
        """A heading: words of `ours`, which Markdown left as they are, then `text` (feed text), escaped."""
        self._blocks.append(len(self._headings))
        self._headings.append((level, ours + escape_markdown(text), squash(ours + text), id))

    def paragraph(self, html: str) -> None:
        self._blocks.append(f"<p>{html}</p>")

    def quote(self, text: str) -> None:
        self._blocks.append(f"<blockquote>\n<p>{escape_markdown(text)}</p>\n</blockquote>")

    def items(self, items: list[str], tag: str = "ul") -> None:
        """A tight list; none at all without items, as Markdown writes none."""
        if items:
            self._blocks.append(f"<{tag}>\n" + "\n".join(f"<li>{item}</li>" for item in items) + f"\n</{tag}>")

    def html(self, html: str) -> None:
        """A block of HTML as it is."""
        self._blocks.append(html)

    def include(self, part: HTMLPage) -> None:
        """The blocks and links of `part`, a piece made without headings for a page of the same folder."""
        assert not part._headings, "a part with headings would need its ids made unique on this page"
        self._blocks.extend(part._blocks)
        self.link.targets.extend(part.link.targets)

    def quotes(self, paragraphs: list[str]) -> None:
        """A blockquote of several paragraphs, of HTML."""
        self._blocks.append("<blockquote>\n" + "\n".join(f"<p>{p}</p>" for p in paragraphs) + "\n</blockquote>")

    def table(self, header: list[str], rows: list[list[str]], right: tuple[int, ...] = ()) -> None:
        """A table; the columns numbered in `right` are aligned right."""
        def row(cells: list[str], tag: str) -> str:
            return "<tr>\n" + "".join(
                f"<{tag}{' style=' + chr(34) + 'text-align: right;' + chr(34) if i in right else ''}>{cell}</{tag}>\n"
                for i, cell in enumerate(cells)) + "</tr>"
        body = "".join(row(r, "td") + "\n" for r in rows)
        if not rows:  # Markdown gives a table without rows one row of empty, unaligned cells
            body = "<tr>\n" + "<td></td>\n" * len(header) + "</tr>\n"
        self._blocks.append(f"<table>\n<thead>\n{row(header, 'th')}\n</thead>\n<tbody>\n{body}</tbody>\n</table>")

    def page(self, markdown: str, *, in_nav: bool = False) -> Page:
        """The Page, `markdown` being its front matter."""
        used = {explicit for _, _, _, explicit in self._headings if explicit}
        written, entries = [], []
        for level, text, raw, explicit in self._headings:
            anchor = explicit or toc.unique(toc.slugify(raw, "-"), used)
            written.append(f'<h{level} id="{anchor}">{text}<a class="headerlink" href="#{anchor}" '
                           f'title="Permanent link">&para;</a></h{level}>')
            entries.append(Heading(level, anchor, text))
        html = "\n".join(written[b] if isinstance(b, int) else b for b in self._blocks)
        return Page(self.uri, markdown + "\n", in_nav=in_nav, html=html, links=tuple(self.link.targets),
                    html_headings=tuple(entries))


# LibYAML's emitter where PyYAML was built with it: the same YAML, written about ten times faster.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(*, searchable: bool = True, **fields: str) -> str:
    """YAML front matter; `searchable=False` keeps the page out of the search index."""
    # Material prints page.meta.title into <title> unescaped, so it must already be HTML-safe.
    meta: dict[str, object] = {k: escape_html(v) for k, v in fields.items() if v}
    if not searchable:
        meta["search"] = {"exclude": True}
    return "---\n" + yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=True, width=1000) + "---"


def date(when: datetime) -> str:
    return f"{when.day} {when:%B %Y}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]
