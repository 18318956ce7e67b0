"""Sites that page their feeds, served by the tests' HTTP server on 127.0.0.1.

Each builder fills a FeedServer's routes the way a real site answers: a Forem
site (a DEV-shaped RSS feed of the newest items, and the public articles API),
an RFC 5005 paged or archived feed, a WordPress feed with `?paged=N`. The
articles are hand-written templates numbered 1..n, n the newest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from support import FeedServer, Response

TOPICS = ["retries with backoff", "circuit breakers", "load shedding", "chaos experiments", "bulkheads",
          "timeouts", "health checks", "graceful degradation", "idempotent requests", "cell-based architecture"]
START = datetime(2017, 3, 1, 9, 30, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Article:
    number: int
    slug: str
    title: str
    body_html: str
    published: datetime
    tags: tuple[str, ...]
    canonical: str | None = None


def articles(count: int, base: str, *, author_path: str = "adhorn") -> list[Article]:
    """`count` articles, oldest first, each with a distinct title, date and body."""
    made = []
    for n in range(1, count + 1):
        topic = TOPICS[n % len(TOPICS)]
        slug = f"notes-on-{topic.replace(' ', '-')}-part-{n}-{n:02d}ab"
        body = (f"<h2>Why {topic} matter</h2>\n<p>Part {n} of the series looks at {topic} in a service that "
                f"talks to many dependencies. A retry without jitter can turn a small failure into an outage.</p>\n"
                f"<ul>\n<li>Measure the failure before changing it.</li>\n<li>Use a circuit breaker around "
                f"each dependency.</li>\n</ul>\n")
        made.append(Article(n, f"{author_path}/{slug}", f"Notes on {topic}, part {n}", body,
                            START + timedelta(days=9 * n), ("resilience", topic.split()[0].replace("-", ""))))
    return made


def rss(items: list[Article], base: str, *, channel_link: str, extra: str = "", generator: str | None = None) -> bytes:
    """An RSS 2.0 feed of `items` in the shape DEV gives (description holds the whole body)."""
    body = "".join(
        "<item>"
        f"<title>{escape(a.title)}</title><dc:creator>Adrian Hornsby</dc:creator>"
        f"<pubDate>{format_datetime(a.published)}</pubDate>"
        f"<link>{base}/{a.slug}</link><guid>{base}/{a.slug}</guid>"
        f"<description>{escape(a.body_html)}</description>"
        + "".join(f"<category>{escape(t)}</category>" for t in a.tags)
        + "</item>"
        for a in items
    )
    gen = f"<generator>{escape(generator)}</generator>" if generator else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>Paged test feed</title><link>{channel_link}</link><description>tests</description>"
        f"{gen}{extra}{body}</channel></rss>"
    ).encode("utf-8")


def forem_list_path(username: str, page: int, per_page: int = 30) -> str:
    return "/api/articles?" + urlencode({"username": username, "page": page, "per_page": per_page})


def forem_site(server: FeedServer, count: int, *, username: str = "adhorn", in_feed: int = 12,
               per_page: int = 30) -> list[Article]:
    """A Forem site: `/feed/USERNAME` (newest `in_feed`), the list pages and one JSON file per article."""
    base = server.url("")
    made = articles(count, base, author_path=username)
    newest_first = list(reversed(made))
    server.feed(f"/feed/{username}", rss(newest_first[:in_feed], base, channel_link=f"{base}/{username}"))
    pages = [newest_first[i:i + per_page] for i in range(0, len(newest_first), per_page)] + [[]]
    for number, page in enumerate(pages, start=1):
        listing = [_forem_summary(a, base, username) for a in page]
        serve_json(server, forem_list_path(username, number, per_page), listing)
    for article in made:
        serve_json(server, f"/api/articles/{1000 + article.number}", forem_article(article, base, username))
    return made


def _forem_summary(article: Article, base: str, username: str) -> dict:
    # The list endpoint: tag_list is a list, tags a comma-separated string (the article endpoint swaps them).
    return {
        "type_of": "article", "id": 1000 + article.number, "title": article.title,
        "description": f"Part {article.number} of a series.", "url": f"{base}/{article.slug}",
        "canonical_url": article.canonical or f"{base}/{article.slug}",
        "published_at": article.published.strftime("%Y-%m-%dT%H:%M:%SZ"), "edited_at": None,
        "tag_list": list(article.tags), "tags": ", ".join(article.tags),
        "user": {"name": "Adrian Hornsby", "username": username},
    }


def forem_article(article: Article, base: str, username: str) -> dict:
    data = _forem_summary(article, base, username)
    data.update(tags=list(article.tags), tag_list=", ".join(article.tags), body_html=article.body_html,
                published_at=article.published.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    return data


def serve_json(server: FeedServer, path: str, data: object) -> None:
    server.routes[path] = Response(body=json.dumps(data).encode("utf-8"),
                                   headers={"Content-Type": "application/json; charset=utf-8"})


def paged_feed(server: FeedServer, pages: list[list[Article]], *, rel: str = "next", path: str = "/paged") -> str:
    """An RFC 5005 feed: page 1 at `path`, page k at `path`?page=k, each linking to the next with `rel`."""
    base = server.url("")
    for number, items in enumerate(pages, start=1):
        url = path if number == 1 else f"{path}?page={number}"
        following = f'<atom:link rel="{rel}" href="{base}{path}?page={number + 1}"/>' if number < len(pages) else ""
        server.feed(url, rss(items, base, channel_link=f"{base}/", extra=following))
    return server.url(path)
