"""Turn an entry's untrusted HTML into clean, safe HTML for an article page.

Two passes. First the structure is tidied on lxml's tree: embeds become links, script
residue goes, words glued to links get their space back, headings fit the page's outline,
relative links resolve and links to archived articles point at their local pages. Then nh3 (the ammonia sanitiser) applies an
allow-list as the very last step, so nothing done before can let a script,
event handler, frame, form or `javascript:` URL through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import nh3
from bs4 import BeautifulSoup
from lxml import etree

from ingest.model.html import htmltree
from ingest.model.html.boilerplate import drop_boilerplate
from ingest.model.html.codeblocks import CODE_LANGUAGES, rebuild_code_blocks
from ingest.model.html.depth import MAX_DEPTH, limit_depth
from ingest.model.html.document import Document, build_document
from ingest.model.html.entities import decode_spelled_references
from ingest.model.html.excerpt import marked_as_cut
from ingest.model.html.htmltree import Element, has_text, pieces, remove, set_piece, text_of
from ingest.model.html.links import ImageResolver, LinkResolver, fix_images, fix_links, replace_frames
from ingest.text import shorten_slug, slugify, squash


# Removed with everything inside them.
DROP_WITH_CONTENT = {
    "script", "style", "noscript", "template", "object", "embed", "applet", "svg", "math",
    "form", "input", "button", "select", "textarea", "head", "title", "meta", "link", "base",
    "frame", "frameset", "audio", "video", "canvas", "dialog",
}
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    # Ids are ours (headings, and blocks that notes link to); the feed's own are dropped.
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "p": {"id"}, "li": {"id"}, "pre": {"id"}, "blockquote": {"id"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}
SCRIPT_RESIDUE = re.compile(r"\bdocument\.[A-Za-z_]\w*|\bwindow\.[A-Za-z_]\w*")  # holds "document." or "window."
COMMENT_LINE = re.compile(r"^\s*//", re.MULTILINE)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class Heading:
    level: int  # 2..6 on the page
    id: str
    text: str


@dataclass(frozen=True)
class CleanHTML:
    html: str
    headings: tuple[Heading, ...]
    text: str
    document: Document = field(default_factory=Document, compare=False)
    flattened_from: int | None = None  # the nesting depth of the feed's HTML, when it was cut to MAX_DEPTH
    marked_as_cut: bool = False  # the text ended in an ellipsis or a "Read more" link (excerpt.py)


def clean_html(raw: str, *, base_url: str | None = None, title: str | None = None,
               resolve_link: LinkResolver | None = None, reserved_ids: frozenset[str] = frozenset(),
               local_image: ImageResolver | None = None) -> CleanHTML:
    """Clean one entry's HTML; `resolve_link` maps a link to a local page's URL, `local_image` an image's
    absolute URL to the site's copy of it, or None."""
    raw, depth = raw or "", None
    # Real articles nest a dozen levels: the markup is parsed as it is, and only when its tree
    # is deeper than MAX_DEPTH (or lxml's tree will not do) is it cut first (depth.py), and parsed again;
    # if lxml's tree still will not do, BeautifulSoup's is copied into one (htmltree.body_through_soup).
    root = _body(raw, MAX_DEPTH)
    if root is None:
        raw, depth = limit_depth(raw)
        root = _body(raw)
    if root is None:
        root = htmltree.body_through_soup(raw)  # the rare markup lxml's tree does not model alike
    originals, marked = _tidy(root, base_url, title, resolve_link, local_image)
    headings = _outline_headings(root, reserved_ids)
    # The document model is read from this tree, which the allow-list pass below only
    # thins (it drops tags it does not allow but keeps their text, and keeps our ids).
    # Its links are the author's: the notes read from it are the same whether or not
    # the pages they lead to are archived.
    document = build_document(root, originals)
    inner, text = htmltree.serialize_contents(root), squash(text_of(root, " "))
    return CleanHTML(html=sanitize(inner).strip(), headings=tuple(headings), text=text, document=document,
                     flattened_from=depth, marked_as_cut=marked or marked_as_cut(root))


# A feed's images come from other sites: they learn nothing of the page, and load when seen. Added
# after nh3 (which drops a feed's own values: the attributes are not on its allow-list) in a fixed
# order: nh3 orders attributes it sets itself differently from one process to the next.
IMAGE_ATTRIBUTES = '<img loading="lazy" referrerpolicy="no-referrer" '


def _tidy(root: Element, base_url: str | None, title: str | None,
          resolve_link: LinkResolver | None,
          local_image: ImageResolver | None = None) -> tuple[dict[Element, str], bool]:
    """The tree tidied in place; returns the links made local, each with the URL it had, and whether
    the text ended in a mark of a cut before the platform's boilerplate (a "Read more" link) went."""
    for comment in list(root.iter(etree.Comment)):
        remove(comment)
    replace_frames(root)
    for tag in list(root.iter(*DROP_WITH_CONTENT)):
        remove(tag)
    rebuild_code_blocks(root)
    decode_spelled_references(root)
    _drop_script_residue(root)
    originals = fix_links(root, base_url, resolve_link)
    marked = marked_as_cut(root)
    drop_boilerplate(root, base_url, lambda link: originals.get(link) or link.get("href") or "", title)
    fix_images(root, base_url, local_image)
    _space_link_boundaries(root)
    _drop_title_heading(root, title)
    _drop_empty(root)
    return originals, marked


def _body(raw: str, max_depth: int | None = None) -> Element | None:
    """The <body> of the parsed markup, or None when lxml's tree does not model it as BeautifulSoup's
    does, or (with `max_depth`) its tree is deeper than that.

    The trees differ on a document type or comment before the content, a byte order
    mark, text outside the body, a head with content and names lxml refuses; they
    are rare in feeds.
    """
    if raw.lstrip().startswith("<!") or raw.startswith("\ufeff"):
        return None  # a document type or comment before the content, which our tree would not keep
    try:
        html = htmltree.parse(raw, max_depth)
    except (etree.LxmlError, ValueError):
        return None
    if html is None or html.tag != "html" or html.getprevious() is not None or html.getnext() is not None:
        return None
    if html.getroottree().docinfo.internalDTD is not None or (html.text or "").strip():
        return None
    children = list(html)
    head = children[0] if children and children[0].tag == "head" else None
    if head is not None:
        if len(head) or head.text or (head.tail or "").strip():
            return None
        children = children[1:]
    if len(children) != 1 or children[0].tag != "body":
        return None
    return children[0]


def sanitize(html: str) -> str:
    """The allow-list pass: only harmless tags, attributes and URL schemes survive."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        allowed_classes={"code": set(CODE_LANGUAGES)},  # the language of a code block, as codeblocks.py names it
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).replace("<img ", IMAGE_ATTRIBUTES)


def plain_text(html: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    if "<" not in (html or "") and "&" not in (html or ""):
        return squash(html)  # most titles and names: no markup to parse
    return squash(BeautifulSoup(html or "", "lxml").get_text(" "))


def _drop_script_residue(root: Element) -> None:
    """Text left behind when a feed strips <script> tags but keeps their code.

    Recognised by shape, not by words: a `//` comment line together with DOM
    calls, outside any code block.
    """
    if SCRIPT_RESIDUE.search(text_of(root, "\n")) is None:
        return  # no string has any (most articles): one search of the text instead of one per string
    for text, inside, holder, is_tail in list(pieces(root)):
        if not ("document." in text or "window." in text) or not SCRIPT_RESIDUE.search(text) \
                or not COMMENT_LINE.search(text):
            continue
        if not htmltree._inside_any(inside, ("pre", "code")):
            set_piece(holder, is_tail, None)


GLUED_END, WORD_START = re.compile(r"\w{2}$"), re.compile(r"\w")  # "A lot of<a>new…"
GLUED_START, LINK_END = re.compile(r"\w{2}"), re.compile(r"[\w.)]$")  # "…launches</a>have"


def _space_link_boundaries(root: Element) -> None:
    """Feeds often glue a word to a link: 'A lot of<a>new launches</a>have'."""
    for link in list(root.iter("a")):
        text = text_of(link)
        if not text.strip():
            continue
        before = htmltree.previous_string(link)
        if before is not None:
            holder, is_tail = before
            value = holder.tail if is_tail else holder.text
            if GLUED_END.search(value) and WORD_START.match(text):
                set_piece(holder, is_tail, value + " ")
        after = htmltree.next_string(link)
        if after is not None:
            holder, is_tail = after
            value = holder.tail
            if GLUED_START.match(value) and LINK_END.search(text):
                holder.tail = " " + value


def _drop_title_heading(root: Element, title: str | None) -> None:
    """The first heading often repeats the article's title, which the page already shows."""
    first = next(root.iter(*HEADINGS), None)
    if first is None or not title:
        return
    ancestors = set(first.iterancestors())
    for element in root.iter():
        if element is first:
            break
        if isinstance(element.tag, str) and element.tag != htmltree.CUT and (element.text or "").strip():
            return
        if element not in ancestors and (element.tail or "").strip():
            return
    if same_words(text_of(first), title):
        remove(first)


def _outline_headings(root: Element, reserved_ids: frozenset[str]) -> list[Heading]:
    """Fit the headings under the page's h1: h2 first, no level skipped, each with an id.

    Distinct levels in use map to consecutive ones (h3, h4 -> h2, h3), and a
    heading never goes more than one level below the one before it.
    """
    found = list(root.iter(*HEADINGS))
    levels = sorted({int(h.tag[1]) for h in found})
    new_level = {level: min(2 + i, 6) for i, level in enumerate(levels)}
    used = Anchors(reserved_ids)
    headings: list[Heading] = []
    for tag in found:
        text = squash(text_of(tag, " "))
        if not text:
            remove(tag)
            continue
        previous = headings[-1].level if headings else 1
        level = min(new_level[int(tag.tag[1])], previous + 1)
        tag.tag = f"h{level}"
        anchor = used.unique(shorten_slug(slugify(text), 60) or "section")
        tag.attrib.clear()
        tag.set("id", anchor)
        _trim_whitespace(tag)
        headings.append(Heading(level, anchor, text))
    # Every block gets an id too, so that a note can link to the passage it quotes.
    for number, tag in enumerate(root.iter("p", "li", "pre", "blockquote"), start=1):
        tag.attrib.clear()
        tag.set("id", used.unique(f"p{number}"))
    return headings


def _trim_whitespace(tag: Element) -> None:
    strings = list(pieces(tag))
    if not strings:
        return
    _, _, holder, is_tail = strings[0]
    set_piece(holder, is_tail, strings[0][0].lstrip())
    _, _, holder, is_tail = strings[-1]
    set_piece(holder, is_tail, (holder.tail if is_tail else holder.text).rstrip())


def _drop_empty(root: Element) -> None:
    """Wrappers left empty by the removals above (dev.to's code toolbars, emptied paragraphs)."""
    for tag in reversed(list(root.iter("p", "div", "span", "li", "strong", "em", "b", "i", "blockquote"))):
        if not has_text(tag) and next(tag.iter("img", "br", "hr"), None) is None:
            remove(tag)


def same_words(a: str, b: str) -> bool:
    words = lambda s: re.findall(r"\w+", s.casefold())  # noqa: E731
    return words(a) == words(b)


class Anchors:
    """The ids given on a page so far; each new one unique ("section", "section-2", "section-3", …)."""

    def __init__(self, reserved: frozenset[str] = frozenset()) -> None:
        self.used = set(reserved)
        # Where the search for a free number last stopped, for each id asked for: ids are only
        # ever added, so every number below it is still taken. Without it, n headings alike
        # would each try every number before theirs (quadratic in the headings).
        self._next: dict[str, int] = {}

    def unique(self, anchor: str) -> str:
        candidate, n = anchor, self._next.get(anchor, 1)
        if n > 1:
            candidate = f"{anchor}-{n}"
        while candidate in self.used:
            n += 1
            candidate = f"{anchor}-{n}"
        self._next[anchor] = n
        self.used.add(candidate)
        return candidate
