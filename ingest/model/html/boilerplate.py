"""What a blogging platform adds to every entry, recognised by its shape and cut from the body.

Four shapes, none of them one blog's wording:
- a syndication footer: a short block that ends the entry, every link of which
  leads to the entry itself or to its blog's home (a page on the entry's host
  whose path the entry's path starts with), one at least to the entry itself:
  "The post X appeared first on Y.", "X was originally published in Y on Medium,
  where people are continuing the conversation …", "Read more", "visit the
  original article";
- share links: a block whose links are mostly to share endpoints, with at most a
  label of its own ("Share this:", "Add to:", "Share and Enjoy:"). An endpoint is a
  URL that asks a site to share, post or bookmark a link: by its path (/share,
  /submit, /bookmark, …) or because its query carries the entry's own URL or title
  ("digg.com/submit?url=…&title=…", "del.icio.us/post?url=…"). The block is the
  largest one still of that shape, so a bar's label and its list go together;
- a call-to-action button: a paragraph that is one short link and nothing else,
  on the entry's own host or to a share endpoint, opening with a verb that asks
  to subscribe, share, comment or upgrade;
- a tracking pixel: an image declared 1×1.

The footer and the buttons are the platform's, not the author's: left in, they
are the last passage of every entry, a search snippet and, where they name a
pattern's word ("conversation"), a wrong pattern passage.
"""

from __future__ import annotations

import re
from typing import Callable
from urllib.parse import parse_qsl, urlsplit

from ingest.model.html.htmltree import Element, has_text, remove, text_of
from ingest.text import squash

BLOCK_TAGS = frozenset(("p", "div", "blockquote", "li", "ul", "ol", "dl", "figure", "table", "pre", "details",
                        "h2", "h3", "h4", "h5", "h6", "section", "article", "aside", "footer"))
FOOTER_MAX_WORDS = 60
BUTTON_MAX_WORDS = 4
LABEL_MAX_WORDS = 4  # "Share:", "Share this post", "Share and Enjoy:", "Add to:" beside share links
SHARE_URL = re.compile(
    r"^mailto:\?|[?&](?:action|share)=|/(?:share|sharer|sharearticle|intent|submit|bookmark|addbookmark)(?:[/.?]|$)"
    r"|/(?:post|add|mark|faves|favorites)\?|/pin/create|[?&](?:status|bkmk)=",
    re.IGNORECASE)
SHARE_SHARE = 2 / 3  # of a bar's links, at least this many lead to share endpoints
WORDS = re.compile(r"\w+")
TITLE_MIN_WORDS = 3  # a title shorter than this may be in any query by chance
# What a platform's button says: a verb that asks the reader to act, first.
CALL_TO_ACTION = re.compile(r"^\W*(?:subscribe|share|leave a comment|comment|sign up|upgrade|donate|pledge|give a gift)\b",
                            re.IGNORECASE)
BUTTON_TAGS = frozenset(("p", "div"))
PIXEL = re.compile(r"^\s*1(?:px)?\s*$")


def drop_boilerplate(root: Element, page_url: str | None, href_of: Callable[[Element], str],
                     title: str | None = None) -> None:
    """Cut the platform's footer, share links, buttons and tracking pixels from the tree, in place.

    `href_of` gives a link's URL as the author wrote it (made absolute), whatever the page will show.
    """
    for image in list(root.iter("img")):
        if PIXEL.match(image.get("width") or "") and PIXEL.match(image.get("height") or ""):
            remove(image)
    page = _place(page_url) if page_url else None
    host = page[0] if page else ""
    # Only a block with a link to a share endpoint or to the entry's own host can be boilerplate:
    # most links are neither, and their blocks are not looked at again.
    is_share = _share_endpoint(page_url, title)
    blocks: dict[Element, None] = {}
    for link in root.iter("a"):
        href = href_of(link)
        if is_share(href) or (host and host in href):
            blocks.setdefault(next(link.iterancestors(*BLOCK_TAGS), root), None)
    kept, verdicts = [], {}
    for block in blocks:
        if block is not root and not _attached(block, root):
            continue  # inside a share bar cut already
        hrefs = [href_of(a) for a in block.iter("a")]
        if block is not root and _share_links(block, hrefs, is_share):
            remove(_whole_bar(block, root, href_of, is_share, verdicts))
        elif block is not root and _button(block, hrefs, page):
            remove(block)
        else:
            kept.append((block, hrefs))
    if page is None:
        return
    for block, hrefs in reversed(kept):  # the footer ends the entry: from the last block up, while they are footers
        if block is root or not _footer(block, hrefs, page) or not _nothing_after(block, root):
            break
        remove(block)
        for rule in [hr for hr in root.iter("hr") if _nothing_after(hr, root)]:
            remove(rule)  # the rule the platform drew above its footer


def _nothing_after(element: Element, root: Element) -> bool:
    """Whether no text follows `element` in the tree."""
    current = element
    while current is not root and current is not None:
        if (current.tail or "").strip():
            return False
        if any(has_text(sibling) or (sibling.tail or "").strip() for sibling in current.itersiblings()):
            return False
        current = current.getparent()
    return True


def _footer(block: Element, hrefs: list[str], page: tuple[str, str]) -> bool:
    """A short block whose links all lead to the entry or its blog's home, one to the entry itself."""
    places = [_place(href) for href in hrefs]
    return page in places and all(_home_of(place, page) for place in places) \
        and len(text_of(block, " ").split()) <= FOOTER_MAX_WORDS


def _share_endpoint(page_url: str | None, title: str | None) -> Callable[[str], bool]:
    """Whether a URL asks a site to share or bookmark a link: by its path, or by the entry's URL or title in its query."""
    own = _place(page_url) if page_url else None
    title_words = " ".join(WORDS.findall(title.casefold())) if title else ""
    if len(title_words.split()) < TITLE_MIN_WORDS:
        title_words = ""

    def is_share(href: str) -> bool:
        if SHARE_URL.search(href):
            return True
        if "?" not in href or (own is not None and _place(href) == own):
            return False  # a link to the entry itself (with a query) is not a share endpoint
        for _, value in _query(href):
            if own is not None and own[0] and _place(value.strip()) == own:
                return True
            if title_words and title_words in " ".join(WORDS.findall(value.casefold())):
                return True
        return False

    return is_share


def _query(href: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(urlsplit(href).query)
    except ValueError:
        return []


def _share_links(block: Element, hrefs: list[str], is_share: Callable[[str], bool]) -> bool:
    """Links mostly to share endpoints, and at most a label beside them (link labels and separators aside)."""
    hrefs = [href for href in hrefs if href]
    shares = sum(1 for href in hrefs if is_share(href))
    if not shares or shares < SHARE_SHARE * len(hrefs):
        return False
    # The words outside the links, counted (not cut out of the text link by link: linear in a bar of thousands).
    own = len(WORDS.findall(text_of(block, " "))) - sum(len(WORDS.findall(text_of(a, " "))) for a in block.iter("a"))
    return own <= LABEL_MAX_WORDS


def _whole_bar(block: Element, root: Element, href_of: Callable[[Element], str],
               is_share: Callable[[str], bool], verdicts: dict[Element, bool]) -> Element:
    """The largest block around `block` that is still a share bar: its label and its list together."""
    top = block
    for parent in block.iterancestors(*BLOCK_TAGS):
        if parent is root:
            break
        if parent not in verdicts:  # siblings ask about the same parents: each is judged once
            verdicts[parent] = _share_links(parent, [href_of(a) for a in parent.iter("a")], is_share)
        if not verdicts[parent]:
            break
        top = parent
    return top


def _attached(element: Element, root: Element) -> bool:
    return any(ancestor is root for ancestor in element.iterancestors())


def _button(block: Element, hrefs: list[str], page: tuple[str, str] | None) -> bool:
    """One short link that asks the reader to act, and nothing else, on the entry's host or to share."""
    if len(hrefs) != 1 or block.tag not in BUTTON_TAGS:
        return False
    text = squash(text_of(next(block.iter("a")), " "))
    if len(text.split()) > BUTTON_MAX_WORDS or not CALL_TO_ACTION.search(text) or squash(text_of(block, " ")) != text:
        return False
    href = hrefs[0]
    return bool(SHARE_URL.search(href)) or (page is not None and _place(href)[0] == page[0])


def _place(url: str) -> tuple[str, str]:
    """(host without "www.", path without the trailing slash): where a URL leads, query and fragment aside."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ("", url)
    if parts.scheme not in ("http", "https"):
        return ("", url)
    return ((parts.hostname or "").removeprefix("www."), parts.path.rstrip("/"))


def _home_of(place: tuple[str, str], page: tuple[str, str]) -> bool:
    """Whether `place` is the page itself or a page above it on its host (the blog's home, a section)."""
    host, path = place
    return bool(host) and host == page[0] and (page[1] + "/").startswith(path + "/")
