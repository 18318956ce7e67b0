"""From archived entries to Articles: plain metadata plus clean body HTML. No I/O."""

from __future__ import annotations

import logging
import math
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from datetime import datetime, timedelta, timezone
from html import unescape
from typing import Callable, Iterable, NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit

from ingest.archive.records import EntryRecord
from ingest.model.html.depth import MAX_DEPTH
from ingest.model.html.clean import CleanHTML, Heading, LinkResolver, clean_html, plain_text
from ingest.model.html.links import ImageResolver
from ingest.model.html.document import Document
from ingest.model.html.entities import decode_text
from ingest.model.html.excerpt import is_excerpt
from ingest.model.language import direction_of, language_of
from ingest.text import escape_html, inline_text, is_http_url, squash, xml_safe_data

log = logging.getLogger(__name__)

# Reading speed. Text written with spaces is counted in words; scripts written without them in
# characters: Chinese characters and Japanese kana at 400 a minute (between the oral-reading norms of
# the IReST study, Trauzettel-Klosinski & Dietz 2012: Chinese 255, Japanese 357 a minute, and the
# 500 a minute Medium counts for silent reading), and the letters of Thai, Lao, Khmer and Myanmar,
# which spell words, at 1,000 a minute: five letters a word at 200 words a minute, like English.
WORDS_PER_MINUTE = 200
IDEOGRAPHS_PER_MINUTE = 400
LETTERS_PER_MINUTE = 1000
IDEOGRAPHS = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9d\U00020000-\U0003134f"
UNSPACED_LETTERS = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
CJK_PUNCTUATION = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff5b-\uff65"  # read with the text, not counted
UNSPACED = re.compile(f"[{IDEOGRAPHS}{UNSPACED_LETTERS}{CJK_PUNCTUATION}]+")
# Any character of those scripts, and a few others from U+3000 up: one negated class, which the regex
# engine tests faster than the ranges above (most articles have none, and are searched end to end).
MAYBE_UNSPACED = re.compile("[^\x00-\u0dff\u0f00-\u0fff\u10a0-\u177f\u1800-\u2fff]")
IDEOGRAPH = re.compile(f"[{IDEOGRAPHS}]")
LETTER = re.compile(f"[{UNSPACED_LETTERS}]")
MAX_TAGS = 12
# Feed text shown on one line is cut to this many characters on the site (the archive keeps it whole):
# a 100 KB title would be copied into every listing, feed and page that names the article.
MAX_TITLE = 300
MAX_AUTHOR = 100
TRACKING_PARAMS = re.compile(r"^(utm_\w+|source|ref|fbclid|gclid)$")
TAG = re.compile(r"<[^>]*>")
# An address starts where a run of the characters of its first part starts: without the
# lookbehind, a search tries every position of a long run, each to the end of the run
# (quadratic in an author field of 40,000 letters: 5 s). The matches are the same.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Body:
    """An article's clean HTML, as its page shows it, and the headings of its table of contents."""

    html: str
    headings: tuple[Heading, ...] = ()


@dataclass(frozen=True)
class Article:
    """One archived entry, ready to render."""

    id: str
    feed: str
    title: str
    url: str | None  # the original, only if it is an http(s) URL
    published: datetime | None  # from the feed, never from git
    author: str | None
    tags: tuple[str, ...]
    summary: str  # plain text, the first sentences
    body: Body
    reading_minutes: int
    first_seen: str
    archive_updated: str | None
    content_hash: str = ""  # of the archived entry: identifies the version the page shows
    revisions: tuple[str, ...] = ()  # when each version of its content was first seen, oldest first
    problem: str | None = None  # why the body could not be processed, if it could not
    language: str | None = None  # a BCP 47 tag ("fa", "en-US"), from the feed or else from the script
    direction: str = "ltr"  # "rtl" for a language written right to left
    backfill: str | None = None  # the paging scheme that filed it from the feed's older pages, if one did
    excerpt: bool = False  # the body is only the feed's excerpt of the article at `url` (excerpt.py)

    @property
    def sort_key(self) -> tuple[str, str]:
        """Newest first when sorted in reverse; undated entries by when we first saw them."""
        when = self.published.isoformat() if self.published else self.first_seen
        return (when, self.id)


LocalURL = Callable[[str], str]  # article id -> URL of its page, relative to another article page


def resolver(index: "LinkIndex", own_id: str, local_url: LocalURL | None) -> LinkResolver:
    """What links of the article `own_id` become: a local page's URL for an archived article, else None."""

    def resolve(url: str, text: str) -> str | None:
        if local_url is None:
            return None
        target, _, fragment = url.partition("#")
        article_id = index.find(target, text)
        # A link from an article to another copy of itself ("Originally published at …")
        # is meant to lead away, to the original.
        if article_id is None or article_id == own_id:
            return None
        return local_url(article_id) + (f"#{fragment}" if fragment else "")

    return resolve


def reading_minutes(text: str) -> int:
    """Minutes to read `text`: its words, and the characters of scripts written without spaces."""
    if MAYBE_UNSPACED.search(text) is None:  # most articles: words only
        return max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))
    runs = UNSPACED.findall(text)
    ideographs = sum(len(IDEOGRAPH.findall(run)) for run in runs)
    letters = sum(len(LETTER.findall(run)) for run in runs)
    words = len(UNSPACED.sub(" ", text).split())
    minutes = words / WORDS_PER_MINUTE + ideographs / IDEOGRAPHS_PER_MINUTE + letters / LETTERS_PER_MINUTE
    return max(1, math.ceil(minutes))


class Parsed(NamedTuple):
    """An archived entry read: the Article, and beside it the document model the extractors read.

    The document is not part of the article: it serves the notes, and is not kept
    (in the cache, in memory, between processes) once they are extracted.
    """

    article: Article
    document: Document


def parse_article(record: EntryRecord, resolve_link: LinkResolver | None = None,
                  local_image: ImageResolver | None = None) -> Parsed:
    """One record as an Article and its document. A body that cannot be cleaned gives a page that says so."""
    # The one place an entry's text enters the model: what no XML or HTML output may carry goes here.
    entry = xml_safe_data(record.entry)
    title = entry_title(entry)
    url = entry.get("link") if is_http_url(entry.get("link")) else None
    problem = None
    try:
        clean = clean_html(entry_html(entry), base_url=url, title=title, resolve_link=resolve_link,
                           local_image=local_image)
        excerpt = url is not None and is_excerpt(clean.marked_as_cut, summary_only(entry), clean.document)
    except Exception as e:  # one broken article must not stop the site: report it and go on
        log.info("resilience-kb: article %s (%s): body could not be processed: %s", record.id, title, e)
        clean, excerpt = CleanHTML(html="", headings=(), text=""), False
        problem = f"{type(e).__name__}: {e}"
    if clean.flattened_from:
        log.warning("resilience-kb: article %s (%s): its HTML is nested %d levels deep; the elements below "
                    "level %d were unwrapped (their text is kept)", record.id, title, clean.flattened_from, MAX_DEPTH)
    language = language_of(entry_language(entry), f"{title} {clean.text}")
    article = Article(
        id=record.id,
        feed=record.feed,
        title=title,
        url=url,
        published=_not_after_first_seen(entry_date(entry), record),
        author=entry_author(entry),
        tags=entry_tags(entry),
        summary=_summary(clean.text),
        body=Body(clean.html, clean.headings),
        reading_minutes=reading_minutes(clean.text),
        first_seen=record.first_seen,
        archive_updated=record.updated,
        content_hash=record.content_hash,
        revisions=tuple(revision.seen for revision in record.revisions),
        problem=problem,
        language=language,
        direction=direction_of(language),
        backfill=record.backfill,
        excerpt=excerpt,
    )
    return Parsed(article, clean.document)


def with_feed_defaults(article: Article, language: str | None, author: str | None) -> Article:
    """The article with what its feed declares for all its entries: a language and an author.

    Only where the entry says nothing itself, and a language only where the script agrees.
    """
    changes: dict[str, object] = {}
    if not article.language and language:
        changes["language"] = language_of(language, f"{article.title} {article.summary}")
        changes["direction"] = direction_of(changes["language"])
    if not article.author and author:
        changes["author"] = author_name(author)
    return replace(article, **changes) if changes else article


def entry_title(entry: dict) -> str:
    detail = entry.get("title_detail") or {}
    title = entry.get("title") or ""
    if "html" in str(detail.get("type", "")):
        title = plain_text(title)
    # A reference still spelled out once the title is text ("Don&#39;t") was escaped twice by the feed.
    return inline_text(decode_text(title), MAX_TITLE) or "Untitled entry"


def entry_html(entry: dict) -> str:
    """The richest HTML the entry has, whichever field holds it; plain text is escaped.

    Feeds disagree on where the article is: some put it in `content` and a teaser in
    the summary, others the reverse, media feeds in `media:description` (which
    feedparser lists among the content values). So every candidate is compared by
    the length of its text, and the longest wins; on a tie, content comes first.
    """
    candidates = [c for c in entry.get("content") or [] if isinstance(c, dict)]
    summary_detail = entry.get("summary_detail") or {}
    candidates.append({"type": summary_detail.get("type", "text/html"), "value": entry.get("summary") or ""})
    best, best_length = "", 0
    for item in candidates:
        value = item.get("value") or ""
        if not value.strip():  # a value that is not text raises: the page then says the body is damaged
            continue
        is_html = "html" in str(item.get("type", "text/html"))
        length = _text_length(value) if is_html else len("".join(value.split()))
        if length > best_length:
            best, best_length = (value if is_html else _paragraphs(value)), length
    return best


def summary_only(entry: dict) -> bool:
    """Whether the entry has no content of its own but its summary (RSS's description, Atom's summary)."""
    return not any(isinstance(c, dict) and str(c.get("value") or "").strip() for c in entry.get("content") or [])


def _text_length(html: str) -> int:
    """About how many visible characters an HTML fragment has: cheap, for comparing candidates."""
    # No tag starts after the last ">": the regex is not tried there, where each "<" would look for a
    # ">" to the end of the text (quadratic in "<b c<b c<b c…").
    end = html.rfind(">") + 1
    return len("".join(unescape(TAG.sub(" ", html[:end]) + html[end:]).split()))


def _paragraphs(text: str) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{escape_html(p)}</p>" for p in paragraphs)


# How far ahead of the moment the archive first saw an entry its date may be (time zones, clocks a little
# fast); a date of 9999 would otherwise head every newest-first listing forever.
FUTURE_MARGIN = timedelta(days=2)


def _not_after_first_seen(published: datetime | None, record: EntryRecord) -> datetime | None:
    """The entry's date, or when the archive first saw it if the date is further ahead than FUTURE_MARGIN.

    Measured from the archive's record, never from the clock: two builds of one archive give the same pages.
    """
    try:
        seen = datetime.strptime(record.first_seen, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return published
    if published is not None and published > seen + FUTURE_MARGIN:
        log.info("resilience-kb: article %s: its date %s is after it was first seen (%s); dated %s instead",
                 record.id, published.date(), record.first_seen, record.first_seen)
        return seen
    return published


def entry_language(entry: dict) -> str | None:
    """The language the entry declares: `xml:lang` on its content or title, or its `dc:language`."""
    for item in (*(entry.get("content") or []), entry.get("summary_detail"), entry.get("title_detail")):
        if isinstance(item, dict) and isinstance(item.get("language"), str) and item["language"].strip():
            return item["language"]
    language = entry.get("language")
    return language if isinstance(language, str) else None


def entry_date(entry: dict) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if isinstance(value, str):
            try:
                return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
            except ValueError:
                continue
    return None


def entry_author(entry: dict) -> str | None:
    """The author's name; never an e-mail address ("addr (Name)" and "Name <addr>" give "Name")."""
    candidates = [entry.get("author"), *(a.get("name") for a in entry.get("authors") or [] if isinstance(a, dict))]
    detail = entry.get("author_detail")
    if isinstance(detail, dict):
        candidates.insert(0, detail.get("name"))
    for candidate in candidates:
        name = author_name(candidate) if isinstance(candidate, str) else None
        if name:
            return name
    return None


def author_name(text: str) -> str | None:
    """A person's name from an author field, without any e-mail address; None if only an address."""
    text = squash(plain_text(text))
    text = re.sub(r"<\s*" + EMAIL.pattern + r"\s*>", " ", text)  # Name <addr>
    text = re.sub(r"\(\s*" + EMAIL.pattern + r"\s*\)", " ", text)  # Name (addr)
    text = re.sub(r"^\s*" + EMAIL.pattern + r"\s*\((.*)\)\s*$", r"\1", text)  # addr (Name)
    text = re.sub(r"\(\s*\)|<\s*>", " ", EMAIL.sub(" ", text))  # brackets an address left empty
    text = inline_text(squash(text).strip(" ,;"), MAX_AUTHOR)
    return text or None


def entry_tags(entry: dict) -> tuple[str, ...]:
    """Tags as keywords: letters, digits and a little punctuation; duplicates dropped."""
    tags: dict[str, str] = {}
    for tag in entry.get("tags") or []:
        if not isinstance(tag, dict):
            continue
        name = squash(re.sub(r"[^\w\s.+#-]", " ", str(tag.get("term") or tag.get("label") or "")))[:40]
        if name and name.casefold() not in tags:
            tags[name.casefold()] = name
    return tuple(list(tags.values())[:MAX_TAGS])


class LinkIndex:
    """Finds the archived article a link points to.

    Authors cross-post: a collection on one site links to the copy of an
    article on another (medium.com/@a/incident-postmortem-template-7b0e0a04f7a8
    for dev.to/a/incident-postmortem-template-18m7). So besides the exact URL,
    a link matches an article when their slugs agree once the platform's id
    suffix is dropped, or when the link's text is the article's title; both
    only when they are specific (three words or more) and name one article.
    """

    def __init__(self, records: Iterable[EntryRecord]) -> None:
        self.urls: dict[str, str] = {}
        stems: dict[str, set[str]] = defaultdict(set)
        titles: dict[str, set[str]] = defaultdict(set)
        for record in records:
            for url in (record.entry.get("link"), record.key, *_canonical_links(record.entry)):
                if is_http_url(url):
                    self.urls.setdefault(normalize_url(url), record.id)
                    stems[slug_stem(url)].add(record.id)
            titles[_words(entry_title(record.entry))].add(record.id)
        self.stems = {k: next(iter(v)) for k, v in stems.items() if len(v) == 1 and k.count("-") >= 2}
        self.titles = {k: next(iter(v)) for k, v in titles.items() if len(v) == 1 and k.count(" ") >= 2}

    def find(self, url: str, text: str = "") -> str | None:
        """The id of the archived article behind `url` (with link text `text`), or None."""
        keys = _url_keys(url)
        if keys is None:
            return None
        return self.urls.get(keys[0]) or self.stems.get(keys[1]) or self.titles.get(_words(text))


@lru_cache(maxsize=1 << 16)
def _url_keys(url: str) -> tuple[str, str] | None:
    """A link's identity and slug stem, or None for a link that is not http(s): articles share many links."""
    return (normalize_url(url), slug_stem(url)) if is_http_url(url) else None


def _canonical_links(entry: dict) -> list[str]:
    """Where the article was first published (a Forem article's canonical URL), when the entry says."""
    links = entry.get("links")
    return [link["href"] for link in links if isinstance(link, dict) and link.get("rel") == "canonical"
            and isinstance(link.get("href"), str)] if isinstance(links, list) else []


def slug_stem(url: str) -> str:
    """The last path segment without a trailing platform id ("-18m7", "-7b0e0a04f7a8")."""
    segments = [s for s in urlsplit(url).path.lower().split("/") if s]
    if not segments:
        return ""
    return re.sub(r"-(?=[a-z0-9]*[a-z])(?=[a-z0-9]*\d)[a-z0-9]{4,16}$", "", segments[-1])


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def normalize_url(url: str) -> str:
    """A URL's identity: host without www, path without trailing slash, query without trackers."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not TRACKING_PARAMS.match(k)))
    return f"{host}{parts.path.rstrip('/')}" + (f"?{query}" if query else "")


def _summary(text: str, limit: int = 280) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:—–-") + " …"
