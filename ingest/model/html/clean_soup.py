"""The cleaner on BeautifulSoup's tree: the path for the rare markup that clean.py does not take on lxml's.

clean.py cleans on lxml's tree, which is several times faster; it hands this
module what its tree does not model the same way (a document type, text
outside the body, ruby annotations, markup with no body). Both give the same
output for the same input; the steps are the same, one by one.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ingest.model.html.clean import (
    DROP_WITH_CONTENT, HEADINGS, IMAGE_URL, SCRIPT_RESIDUE, Heading, LinkResolver, embed_target, same_words,
    unique_anchor,
)
from ingest.model.html.document import Document, build_document
from ingest.text import shorten_slug, slugify, squash


def clean_soup(raw: str, *, base_url: str | None, title: str | None, resolve_link: LinkResolver | None,
               reserved_ids: frozenset[str]) -> tuple[str, list[Heading], str, Document]:
    """The tidied HTML (not yet sanitised), the headings, the text and the document model."""
    soup = BeautifulSoup(raw or "", "lxml")
    root = soup.body or soup
    _drop_comments(root)
    _replace_frames(root, soup)
    for tag in _tags(root, DROP_WITH_CONTENT):
        tag.decompose()
    _drop_script_residue(root)
    _fix_links(root, base_url, resolve_link)
    _fix_images(root, base_url)
    _space_link_boundaries(root)
    _drop_title_heading(root, title)
    _drop_empty(root)
    headings = _outline_headings(root, reserved_ids)
    document = build_document(root)
    # decode_contents escapes text: str() of a bare top-level string would not, and
    # "&lt;L29Ah&gt; yay" (a nickname in a chat log) would reach the sanitiser as a tag.
    inner = root.decode_contents()
    return inner, headings, squash(root.get_text(" ")), document


def _tags(root: Tag, names: str | set[str] | tuple[str, ...]) -> list[Tag]:
    """The elements under `root` named one of `names`, in document order.

    A plain walk: on long articles bs4's find_all spends more time filtering
    than lxml spends parsing.
    """
    names = {names} if isinstance(names, str) else set(names)
    return [node for node in root.descendants if isinstance(node, Tag) and node.name in names]


def _strings(root: Tag) -> list[NavigableString]:
    return [node for node in root.descendants if isinstance(node, NavigableString)]


def _drop_comments(root: Tag) -> None:
    for comment in [s for s in _strings(root) if isinstance(s, Comment)]:
        comment.extract()


def _replace_frames(root: Tag, soup: BeautifulSoup) -> None:
    """An embedded frame becomes a plain link to what it showed (tweets, videos, slides)."""
    for frame in _tags(root, "iframe"):
        target = embed_target(frame.get("src") or "")
        if target is None:
            frame.decompose()
            continue
        url, label = target
        link = soup.new_tag("a", href=url)
        link.string = label
        frame.replace_with(link)


def _drop_script_residue(root: Tag) -> None:
    """Text left behind when a feed strips <script> tags but keeps their code.

    Recognised by shape, not by words: a `//` comment line together with DOM
    calls, outside any code block.
    """
    for text in _strings(root):
        if not SCRIPT_RESIDUE.search(text) or not re.search(r"^\s*//", text, re.MULTILINE):
            continue
        if text.find_parent(("pre", "code")) is None:
            text.extract()


def _fix_links(root: Tag, base_url: str | None, resolve_link: LinkResolver | None) -> None:
    for link in _tags(root, "a"):
        href = (link.get("href") or "").strip()
        if not href:
            link.unwrap()  # a named anchor or an empty link: keep its text only
            continue
        if base_url and not href.startswith("#"):
            href = urljoin(base_url, href)
        local = resolve_link(href, squash(link.get_text(" "))) if resolve_link else None
        title = link.get("title")
        link.attrs = {"href": local or href}
        if title:
            link["title"] = title
        if not link.get_text(strip=True) and link.find("img") is None:
            link.decompose()  # an empty link has no name for a screen reader, and no use


def _fix_images(root: Tag, base_url: str | None) -> None:
    for img in _tags(root, "img"):
        src = (img.get("src") or "").strip()
        if not src:
            img.decompose()
            continue
        if base_url:
            src = urljoin(base_url, src)
        img["src"] = src
        img["alt"] = " ".join((img.get("alt") or "").split())
        parent = img.parent
        # A link around an image that only opens the image itself adds a link with no name.
        if parent is not None and parent.name == "a" and parent.get_text(strip=True) == "":
            href = parent.get("href") or ""
            if href == src or IMAGE_URL.search(href) or "/image/" in href:
                parent.unwrap()


def _space_link_boundaries(root: Tag) -> None:
    """Feeds often glue a word to a link: 'A lot of<a>new launches</a>have'."""
    for link in _tags(root, "a"):
        text = link.get_text()
        if not text.strip():
            continue
        before, after = link.previous_sibling, link.next_sibling
        if isinstance(before, NavigableString) and re.search(r"\w{2}$", before) and re.match(r"\w", text):
            before.replace_with(NavigableString(before + " "))
        if isinstance(after, NavigableString) and re.match(r"\w{2}", after) and re.search(r"[\w.)]$", text):
            after.replace_with(NavigableString(" " + after))


def _drop_title_heading(root: Tag, title: str | None) -> None:
    """The first heading often repeats the article's title, which the page already shows."""
    first = root.find(HEADINGS)
    if first is None or not title:
        return
    preceding = "".join(s for s in first.find_all_previous(string=True))
    if not preceding.strip() and same_words(first.get_text(), title):
        first.decompose()


def _outline_headings(root: Tag, reserved_ids: frozenset[str]) -> list[Heading]:
    """Fit the headings under the page's h1: h2 first, no level skipped, each with an id.

    Distinct levels in use map to consecutive ones (h3, h4 -> h2, h3), and a
    heading never goes more than one level below the one before it.
    """
    found = _tags(root, HEADINGS)
    levels = sorted({int(h.name[1]) for h in found})
    new_level = {level: min(2 + i, 6) for i, level in enumerate(levels)}
    used = set(reserved_ids)
    headings: list[Heading] = []
    for tag in found:
        text = squash(tag.get_text(" "))
        if not text:
            tag.decompose()
            continue
        previous = headings[-1].level if headings else 1
        level = min(new_level[int(tag.name[1])], previous + 1)
        tag.name = f"h{level}"
        anchor = unique_anchor(shorten_slug(slugify(text), 60) or "section", used)
        tag.attrs = {"id": anchor}
        _trim_whitespace(tag)
        headings.append(Heading(level, anchor, text))
    # Every block gets an id too, so that a note can link to the passage it quotes.
    for number, tag in enumerate(_tags(root, ("p", "li", "pre", "blockquote")), start=1):
        tag.attrs = {"id": unique_anchor(f"p{number}", used)}
    return headings


def _trim_whitespace(tag: Tag) -> None:
    first = tag.find(string=True)
    if first is not None:
        first.replace_with(NavigableString(first.lstrip()))
    strings = tag.find_all(string=True)
    if strings:
        strings[-1].replace_with(NavigableString(strings[-1].rstrip()))


def _drop_empty(root: Tag) -> None:
    """Wrappers left empty by the removals above (dev.to's code toolbars, emptied paragraphs).

    Whether an element holds text or an image is worked out from its children,
    innermost first, so the pass stays linear however deep the nesting.
    """
    names = ("p", "div", "span", "li", "strong", "em", "b", "i", "blockquote")
    nodes = [root, *root.descendants]
    filled: dict[int, bool] = {}
    for node in reversed(nodes):
        if isinstance(node, Tag):
            filled[id(node)] = node.name in ("img", "br", "hr") or any(
                filled.get(id(child), False) if isinstance(child, Tag) else
                (type(child) is NavigableString and bool(child.strip())) for child in node.children)
    empty = {id(node) for node in nodes if isinstance(node, Tag) and node.name in names and not filled[id(node)]}
    # Remove only the outermost empty elements, each by its index, last first: bs4 finds an
    # element's index by a scan of its siblings, which thousands of empty siblings make quadratic.
    for parent in [root, *(node for node in nodes if isinstance(node, Tag) and id(node) not in empty)]:
        doomed = [i for i, child in enumerate(parent.contents) if id(child) in empty]
        for index in reversed(doomed):
            parent.contents[index].extract(_self_index=index).decompose()
