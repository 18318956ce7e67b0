"""The Forem articles API (DEV and other Forem sites) as feed entries. Pure: JSON text in, data out.

A Forem feed (`https://dev.to/feed/NAME`) shows a user's newest articles; the
public API lists all of them (`/api/articles?username=NAME&page=N&per_page=M`)
and gives each one's HTML (`/api/articles/{id}`). An article read there is
turned into the entry feedparser makes of the same article's RSS item (same
guid and link, so the same archive id; same keys), so an article reached both
ways is one entry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from ingest.errors import KBError
from ingest.text import is_http_url, iso_utc, replace_surrogates

PER_PAGE = 30  # Forem's own default page size
ACCEPT = "application/vnd.forem.api-v1+json, application/json;q=0.9"
USERNAME = re.compile(r"[A-Za-z0-9_]{1,64}")
MAX_ID = 2**63 - 1  # Forem's ids are database integers; a longer number is no article's
MAX_DIGITS = 40  # a JSON number longer than this is kept as its text, never converted (Python refuses
# numbers of more than 4,300 digits, and converting one takes time quadratic in its length)


class ForemError(KBError):
    """An API answer that is not what the Forem API gives; the message is one line."""


@dataclass(frozen=True)
class Listed:
    """One article of a list page: enough to know whether it is archived, and where its body is."""

    id: int
    url: str  # the article's address on the Forem site: the feed's guid and link


def feed_username(feed_url: str) -> str | None:
    """The user of a Forem feed URL (`https://dev.to/feed/adhorn` -> `adhorn`), None for another shape."""
    segments = [s for s in urlsplit(feed_url).path.split("/") if s]
    if len(segments) == 2 and segments[0] == "feed" and USERNAME.fullmatch(segments[1]):
        return segments[1]
    return None


def looks_like_forem(feed_url: str, feed_link: str | None) -> bool:
    """A feed at `/feed/NAME` whose own link is the profile `/NAME` on the same host: Forem's shape."""
    name = feed_username(feed_url)
    if not name or not feed_link or not is_http_url(feed_link):
        return False
    link, feed = urlsplit(feed_link), urlsplit(feed_url)
    return link.hostname == feed.hostname and link.path.strip("/") == name


def list_url(feed_url: str, username: str, page: int) -> str:
    parts = urlsplit(feed_url)
    query = urlencode({"username": username, "page": page, "per_page": PER_PAGE})
    return f"{parts.scheme}://{parts.netloc}/api/articles?{query}"


def article_url(feed_url: str, article_id: int) -> str:
    parts = urlsplit(feed_url)
    return f"{parts.scheme}://{parts.netloc}/api/articles/{quote(str(article_id))}"


def parse_list(body: bytes, feed_url: str) -> tuple[list[Listed], int, int]:
    """A list page's articles, how many of its items were skipped as unusable, and how many named
    an address on another site (each such article is keyed on this site, at the same path)."""
    items = _json(body)
    if not isinstance(items, list):
        raise ForemError(f"expected a JSON list of articles, got {type(items).__name__}")
    listed, skipped, moved = [], 0, 0
    for item in items:
        article_id = item.get("id") if isinstance(item, dict) else None
        url = item.get("url") if isinstance(item, dict) else None
        # The id goes into a URL path: a whole number only, never text.
        # A URL that held a lone surrogate is no longer the article's address: the item is set aside.
        if (isinstance(article_id, int) and not isinstance(article_id, bool) and 0 <= article_id <= MAX_ID
                and is_http_url(url) and "\ufffd" not in url):
            url = url.strip()
            on_site = on_site_url(url, feed_url)
            moved += on_site != url
            listed.append(Listed(article_id, on_site))
        else:
            skipped += 1
    return listed, skipped, moved


def on_site_url(url: str, feed_url: str) -> str:
    """`url` if it is on the feed's own site; else the same path on that site (an article's link and
    key are the site's: a list must not make another site's address an article of this feed)."""
    parts, site = urlsplit(url), urlsplit(feed_url)
    if parts.netloc.lower() == site.netloc.lower():
        return url
    return urlunsplit((site.scheme, site.netloc, parts.path or "/", parts.query, ""))


def parse_article(body: bytes, listed: Listed) -> dict:
    """One article's JSON as the entry feedparser makes of its RSS item."""
    data = _json(body)
    if not isinstance(data, dict):
        raise ForemError(f"article {listed.id}: expected a JSON object, got {type(data).__name__}")
    url = listed.url  # the list's address is the key: the article's own answer must not move it
    # feedparser strips the text of every element; so does this, for the same entry from both.
    title = _string(data, "title").strip() or "Untitled entry"
    html = _string(data, "body_html").strip()
    entry: dict = {
        "guidislink": False,
        "id": url,
        "link": url,
        "links": [{"href": url, "rel": "alternate", "type": "text/html"}],
        "title": title,
        "title_detail": {"language": None, "type": "text/plain"},
    }
    if html.strip():
        entry["summary"], entry["summary_detail"] = html, {"language": None, "type": "text/html"}
    elif _string(data, "description").strip():
        entry["summary"] = _string(data, "description").strip()
        entry["summary_detail"] = {"language": None, "type": "text/plain"}
    canonical = _string(data, "canonical_url").strip()
    if is_http_url(canonical) and canonical != url:
        # Where the author first published it (Medium, a blog): links to that copy lead here too.
        entry["links"].append({"href": canonical, "rel": "canonical", "type": "text/html"})
    author = _author(data.get("user"))
    if author:
        entry.update(author=author, author_detail={"name": author}, authors=[{"name": author}])
    for name, value in (("published", data.get("published_at")), ("updated", data.get("edited_at"))):
        moment = _moment(value)
        if moment:
            entry[name] = format_datetime(moment)  # RSS's pubDate form, as the feed gives it
            entry[f"{name}_parsed"] = iso_utc(*moment.timetuple()[:6])
    tags = _tags(data)
    if tags:
        entry["tags"] = [{"label": None, "scheme": None, "term": tag} for tag in tags]
    return entry


def _json(body: bytes) -> object:
    """The answer as data; a lone surrogate (`"\\ud800"`, which no file can hold) made U+FFFD."""
    try:
        data = json.loads(body.decode("utf-8"), parse_int=_bounded_int)
        # Only a \\u escape can make a surrogate: most answers have none and are not walked.
        return _without_surrogates(data) if b"\\ud" in body.lower() else data
    except UnicodeDecodeError as e:
        raise ForemError(f"the answer is not UTF-8 ({e.reason} at byte {e.start})") from None
    except json.JSONDecodeError as e:
        raise ForemError(f"malformed JSON ({e.msg} at line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise ForemError("malformed JSON (nested too deeply)") from None


def _without_surrogates(data: object) -> object:
    if isinstance(data, str):
        return replace_surrogates(data)
    if isinstance(data, list):
        return [_without_surrogates(item) for item in data]
    if isinstance(data, dict):
        return {replace_surrogates(k): _without_surrogates(v) for k, v in data.items()}
    return data


def _bounded_int(text: str) -> int | str:
    return int(text) if len(text) <= MAX_DIGITS else text


def _string(data: dict, name: str) -> str:
    value = data.get(name)
    return value if isinstance(value, str) else ""


def _author(user: object) -> str | None:
    if not isinstance(user, dict):
        return None
    for name in ("name", "username"):
        value = user.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _moment(value: object) -> datetime | None:
    """An RFC 3339 time from the API ("2021-01-07T12:22:56Z", with or without fractions) in UTC.

    A time whose offset takes it past year 1 or 9999 is held at that end of the calendar.
    """
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        moment = moment.astimezone(timezone.utc)
    except OverflowError:
        end = datetime.min if moment.year == 1 else datetime.max
        moment = end.replace(tzinfo=timezone.utc)
    return moment.replace(microsecond=0)


def _tags(data: dict) -> list[str]:
    """Tags as a list: the list endpoint has `tag_list` as a list, the article endpoint has `tags`; the
    other key holds the same names as one comma-separated string."""
    for name in ("tag_list", "tags"):
        value = data.get(name)
        if isinstance(value, list):
            return [t.strip() for t in value if isinstance(t, str) and t.strip()]
    for name in ("tags", "tag_list"):
        value = data.get(name)
        if isinstance(value, str):
            return [t.strip() for t in value.split(",") if t.strip()]
    return []
