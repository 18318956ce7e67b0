"""Parse a feed's bytes with feedparser into raw entries that can be archived as JSON.

The bytes reach feedparser only after xmlguard has cut any DTD from them, so
no entity is ever expanded and no external resource is ever read, and has
made every character reference to a code point XML forbids U+FFFD, so one
broken emoji in a title does not make the parser raise and lose the feed.
The text of author fields is cut at AUTHOR_LIMIT characters as it is parsed:
feedparser looks for an e-mail address in it with a regex whose time grows
with the square of the text's length.

feedparser never raises on bad input: it records the problem as `bozo`. We keep
that contract's spirit: a readable-but-malformed feed is parsed with a warning,
and only a document with no feed in it, or a feed with no entries, is an error.
"""

from __future__ import annotations

import io
import time
import xml.sax
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import feedparser

from ingest.archive import saxdriver
from ingest.archive.deadline import DeadlinePassed, call_with_deadline
from ingest.archive.xmlguard import prepare_document
from ingest.errors import KBError
from ingest.text import iso_utc, replace_surrogates

# Elements whose text feedparser searches for an e-mail address (author, dc:creator,
# managingEditor, webMaster, dc:publisher, itunes:owner and the name and email inside them).
AUTHOR_ELEMENTS = frozenset({"author", "publisher", "name", "email"})
# Characters; a byline longer than this is not a name. The regex's time over a feed of
# fields this long is the feed's length times about half of this.
AUTHOR_LIMIT = 128


class FeedError(KBError):
    """The bytes are not a usable feed; the message is one line, fit for a user."""


class EmptyFeed(FeedError):
    """A feed with no entries: an error for a feed, the end of the walk for an older page of one."""


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed: its own metadata and its entries as plain JSON data."""

    version: str
    title: str | None
    link: str | None
    self_url: str | None
    entries: list[dict] = field(default_factory=list)
    problem: str | None = None  # why feedparser flagged the feed as malformed ("bozo")
    doctype_removed: bool = False  # the feed declared a DTD, which was cut before parsing
    language: str | None = None  # the feed's <language> or dc:language, as declared
    author: str | None = None  # the feed's own author, as declared (Atom: the author of entries that name none)
    generator: str | None = None  # the software that wrote the feed, as it says
    links: tuple[tuple[str, str], ...] = ()  # the feed's own links as (rel, href): self, next, prev-archive, …
    references_replaced: int = 0  # character references to forbidden code points, made U+FFFD
    authors_cut: int = 0  # author fields longer than AUTHOR_LIMIT, cut there

    def repairs(self) -> list[str]:
        """What was changed in the feed's text to read it, one warning each."""
        found = []
        if self.references_replaced:
            found.append(f"{self.references_replaced} character references to code points XML forbids "
                         f"(surrogates, controls, non-characters, beyond U+10FFFF) were replaced by U+FFFD")
        if self.authors_cut:
            found.append(f"{self.authors_cut} author fields longer than {AUTHOR_LIMIT} characters were cut there")
        return found


PARSE_DEADLINE = 120.0  # seconds; an ordinary 10 MB feed parses in about 3 s, the worst known one in 36 s


def parse_feed_within(seconds: float, body: bytes, *, base_url: str | None = None,
                      content_type: str | None = None) -> ParsedFeed:
    """parse_feed in a child process stopped after `seconds`: a FeedError, not a stalled run."""
    try:
        return call_with_deadline(parse_feed, seconds, body, base_url=base_url, content_type=content_type)
    except DeadlinePassed as e:
        raise FeedError(f"parsing the feed ({len(body):,} bytes) {e}; nothing was stored") from None


def parse_feed(body: bytes, *, base_url: str | None = None, content_type: str | None = None) -> ParsedFeed:
    """Parse feed bytes; raise FeedError when they hold no feed or no entries."""
    body, doctype_removed, references_replaced = prepare_document(body)
    headers = {}
    if base_url:
        headers["content-location"] = base_url
    if content_type:
        headers["content-type"] = content_type
    # A BytesIO, never bare bytes: feedparser treats a str/bytes argument that names an
    # existing file or URL as something to open.
    # sanitize_html=False: the archive keeps the entry as published; our own allow-list
    # sanitiser (clean.py) runs on every build, so fixing it fixes old entries too.
    # resolve_relative_uris=False: clean.py resolves links against each entry's own link;
    # feedparser's pass over every entry's HTML would double the time a feed takes.
    with our_parsers() as cut:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=False,
                                  resolve_relative_uris=False)
    version = parsed.get("version") or ""
    problem = _describe(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    if not version and not parsed.entries:
        kind = f" ({content_type.split(';')[0].strip()})" if content_type else ""
        reason = f": {problem}" if problem else ""
        raise FeedError(f"not an RSS or Atom feed{kind}{reason}")
    if not parsed.entries:
        raise EmptyFeed("the feed has no entries; nothing was archived")
    meta = parsed.get("feed", {})
    return ParsedFeed(
        version=version,
        title=_text(meta.get("title")),
        link=_text(meta.get("link")),
        self_url=_self_link(meta),
        entries=[_without_repeats(to_json_data(entry)) for entry in parsed.entries],
        problem=problem,
        doctype_removed=doctype_removed,
        language=_text(meta.get("language")),
        author=_text(meta.get("author")),
        generator=_generator(meta),
        references_replaced=references_replaced,
        authors_cut=cut.count(cut[-1]) if cut else 0,
        links=tuple((str(link.get("rel") or "alternate"), str(link["href"]).strip())
                    for link in meta.get("links", []) or [] if isinstance(link, dict) and link.get("href")),
    )


@contextmanager
def our_parsers() -> Iterator[list[str]]:
    """Have feedparser parse with our expat driver (saxdriver.py) and author cap inside the block.

    feedparser takes its SAX drivers from a module-level list and its two parser
    classes from module globals; they are set for our own parse and restored
    after, so other users of feedparser in the process are not affected.
    `xml.sax.make_parser` loads a driver by its module name. The block yields a
    list that gets, for every author field cut, the name of the parser (strict, loose) that cut it.
    """
    api = feedparser.api
    saved = api.PREFERRED_XML_PARSERS, api.StrictFeedParser, api.LooseFeedParser
    cut: list[str] = []
    api.PREFERRED_XML_PARSERS = [saxdriver.__name__]
    api.StrictFeedParser, api.LooseFeedParser = (
        type(parser.__name__, (_AuthorCap, _LinearTags, parser), {"cut": cut}) for parser in saved[1:])
    try:
        yield cut
    finally:
        api.PREFERRED_XML_PARSERS, api.StrictFeedParser, api.LooseFeedParser = saved


class _AuthorCap:
    """Cuts the text of an author element at AUTHOR_LIMIT characters before feedparser reads it."""

    cut: list[str]

    def pop(self, element, strip_whitespace=1):
        stack = self.elementstack
        if element in AUTHOR_ELEMENTS and stack and stack[-1][0] == element:
            pieces = stack[-1][2]
            if sum(len(piece) for piece in pieces) > AUTHOR_LIMIT:
                text = "".join(p.decode("utf-8") if isinstance(p, bytes) else p for p in pieces)
                pieces[:] = [text[:AUTHOR_LIMIT - 1] + "\u2026"]
                self.cut.append(type(self).__name__)  # by parser: the fallback parser reads the feed again
        return super().pop(element, strip_whitespace)


class _LinearTags:
    """feedparser's tag list without its quadratic check for repeats.

    feedparser compares each new category with every tag its entry has so far: 8,000
    categories in one item (345 KB) took 3.2 s. The tags that are no longer the last
    are kept in a set per list; the last is compared as it is now, since feedparser
    sets its term when the element's text ends. The same tags are kept, in the same order.
    """

    def _add_tag(self, term, scheme, label):
        tags = self._get_context().setdefault("tags", [])  # before the return: feedparser reads the list after
        if not (term or scheme or label):
            return
        index = self.__dict__.setdefault("_tag_index", {})
        _, seen, frozen = index.get(id(tags), (tags, set(), 0))  # the list is held, so its id stays its own
        for tag in tags[frozen:len(tags) - 1]:
            seen.add((tag.get("term"), tag.get("scheme"), tag.get("label")))
        index[id(tags)] = (tags, seen, max(frozen, len(tags) - 1))
        last = tags[-1] if tags else None
        value = feedparser.FeedParserDict(term=term, scheme=scheme, label=label)
        if (term, scheme, label) not in seen and value != last:
            tags.append(value)


def entry_key(entry: dict) -> str | None:
    """The entry's identity: its guid/id, else its link; None when it has neither."""
    for name in ("id", "link"):
        value = entry.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def to_json_data(value: object) -> object:
    """feedparser's result as plain JSON data: dicts, lists, strings, numbers, ISO dates.

    The `base` of text constructs is dropped: it is the URL the feed was read from
    (a local path for a file), not part of the entry, and would make the same
    entry differ between machines.
    """
    if isinstance(value, dict):
        return {str(k): to_json_data(v) for k, v in value.items() if k != "base"}
    if isinstance(value, (list, tuple)) and not isinstance(value, time.struct_time):
        return [to_json_data(v) for v in value]
    if isinstance(value, time.struct_time):
        return iso_utc(*value[:6])
    if isinstance(value, str):
        return replace_surrogates(value)
    if value is None or isinstance(value, (int, float, bool)):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _without_repeats(entry: dict) -> dict:
    """Drop `x_detail.value` where it repeats `x` (feedparser keeps both), halving the file."""
    for name, value in list(entry.items()):
        detail = entry.get(f"{name}_detail")
        if isinstance(detail, dict) and detail.get("value") == value:
            del detail["value"]
    return entry


def _self_link(meta: dict) -> str | None:
    for link in meta.get("links", []) or []:
        if link.get("rel") == "self" and link.get("href"):
            return str(link["href"]).strip()
    return None


def _generator(meta: dict) -> str | None:
    """The generator's name, version and URI in one string (RSS puts the URI in the text, Atom beside it)."""
    detail = meta.get("generator_detail") or {}
    parts = [meta.get("generator"), detail.get("href"), detail.get("version")]
    return " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip()) or None


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _describe(exc: object) -> str:
    if exc is None:
        return "malformed feed"
    if isinstance(exc, xml.sax.SAXParseException):
        # Its str() starts "<unknown>:3:0:". The position is in the document as feedparser
        # re-encoded it, which may have gained a line at the top, so it is left out.
        text = exc.getMessage()
    else:
        text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]
