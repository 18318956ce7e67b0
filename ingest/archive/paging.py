"""Where a feed's older pages are, and which of them a backfill may go to.

Pure functions of URLs and parsed feeds: RFC 5005's links, WordPress's
`?paged=N`, the Forem API's first page; a next page on another host, or one
seen before, is refused with the reason.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ingest.archive import forem
from ingest.archive.feeds import FeedError, ParsedFeed
from ingest.sources import FeedSource


def refusal(url: str, feed_url: str, seen: set[str]) -> str | None:
    """Why the walk must not go to `url`, or None."""
    if not same_host(url, feed_url):
        return f"the next page {shown(url)} is on another host than the feed; not followed"
    if urlsplit(feed_url).scheme.lower() == "https" and urlsplit(url).scheme.lower() != "https":
        return f"the next page {shown(url)} is not https, as the feed is; not followed (no downgrade)"
    if page_id(url) in seen:
        return f"the next page {shown(url)} loops back to a page read before; stopped there"
    return None


def older_link(parsed: ParsedFeed) -> str | None:
    """RFC 5005: an archived feed's `prev-archive`, else a paged feed's `next`."""
    links = dict(reversed(parsed.links))  # the first link of each relation wins
    return links.get("prev-archive") or links.get("next")


def forem_first(feed: FeedSource) -> str:
    username = forem.feed_username(feed.url)
    if username is None:
        raise FeedError(f"paging: forem needs a feed URL of the form https://HOST/feed/USERNAME, not {feed.url}")
    return forem.list_url(feed.url, username, 1)


def same_host(url: str, other: str) -> bool:
    try:
        a, b = urlsplit(url), urlsplit(other)
        return a.scheme in ("http", "https") and (a.hostname, a.port) == (b.hostname, b.port)
    except ValueError:  # a port that is no number, a malformed IPv6 address: not a page to go to
        return False


def shown(url: str) -> str:
    """A URL from a feed as it may appear in a one-line message: control characters escaped, length capped."""
    text = url.encode("ascii", "backslashreplace").decode("ascii")
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return text if len(text) <= 300 else text[:300] + "…"


def page_id(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", parts.netloc.lower(), parts.path, urlencode(sorted(parse_qsl(parts.query))), ""))


def page_number(url: str, name: str) -> int:
    value = dict(parse_qsl(urlsplit(url).query)).get(name, "1")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else 1


def with_query(url: str, **params: int) -> str:
    parts = urlsplit(url)
    query = [(k, str(params.pop(k)) if k in params else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query += [(k, str(v)) for k, v in params.items()]  # those the URL did not have yet, at the end
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
