"""The site's URL scheme: where every generated page lives, in one place.

A page is named by its path below docs/ (MkDocs' src_uri, "patterns/retry.md");
markdown.link() makes a relative link from one such path to another and
page_url() the address a reader sees. The model knows ids; only this module
knows which page an id becomes.
"""

from __future__ import annotations

import posixpath
import re
from functools import partial
from typing import Callable

from ingest.model.extract.notes import Kind

HOME = "index.md"
ARTICLES = "articles/index.md"
TAGS = "tags/index.md"
PATTERNS = "patterns/index.md"
BIASES = "biases.md"
CHECKLISTS = "checklists/index.md"
WHATS_NEW = "whats-new.md"
SOURCES = "sources.md"
ALL_ARTICLES = "articles/by-date/newest.md"  # every article, newest first, in pages
START_HERE = "start-here.md"
NOTES = "notes/index.md"  # the Notes section's index: each kind of note
REVIEWS = "reviews/index.md"  # only when reviews are enabled in mkdocs.yml, as are the two below
REVIEW_ACTIONS = "reviews/actions.md"
RESERVED_SERVICES = ("actions", "index")  # names a service's page cannot have: other pages of reviews/ have them
INCIDENTS = "incidents/index.md"  # the team's incidents, with reviews enabled (as is the library below)
PUBLIC_INCIDENTS = "incidents/public.md"  # other companies' postmortems: /incidents/public/
RESERVED_INCIDENTS = ("index", "public")  # slugs an incident's page cannot have: other pages of incidents/ have them
BUILT_PAGES = "*.html"  # the pages of the built site, as a glob (the search index reads them)

# Notes gathered by article: a folder with an index and one page per article.
LAUNCH_NOTES, LESSON_NOTES, INJECTION_NOTES = "launches", "lessons", "failure-injections"

# The pages of notes the onboarding path may name, by the id it names them with: (page, title).
NOTE_PAGES = {
    "launches": (f"{LAUNCH_NOTES}/index.md", "Launches"),
    "biases": (BIASES, "Cognitive biases and heuristics"),
    "lessons": (f"{LESSON_NOTES}/index.md", "Lessons"),
    "failure-injections": (f"{INJECTION_NOTES}/index.md", "Failure injections"),
    "patterns": (PATTERNS, "Resilience patterns"),
    "whats-new": (WHATS_NEW, "What's new"),
}


def article_path(article_id: str) -> str:
    return f"articles/{article_id}.md"


def pattern_path(pattern_id: str) -> str:
    return f"patterns/{pattern_id}.md"


def checklist_path(checklist_id: str) -> str:
    return f"checklists/{checklist_id}.md"


def review_path(service: str) -> str:
    """A service's reviews (not one of RESERVED_SERVICES: the plugin refuses those names)."""
    return f"reviews/{service}.md"


def review_actions_paths(pages: int) -> list[str]:
    """The action items, on `pages` pages: /reviews/actions/, then /reviews/actions/2/, …"""
    return [REVIEW_ACTIONS] + [f"reviews/actions/{n}.md" for n in range(2, pages + 1)]


def incident_path(slug: str, public: bool = False) -> str:
    """An incident's page: the team's in incidents/, a public one's in incidents/public/."""
    return f"incidents/public/{slug}.md" if public else f"incidents/{slug}.md"


def tag_path(slug: str) -> str:
    return f"tags/{slug}.md"


def source_path(feed: str) -> str:
    """A source's listing: a folder of its own, so that its later pages (index-2.md) meet no other feed's name."""
    return f"sources/{feed}/index.md"


def kind_path(kind: Kind) -> str:
    return f"articles/by-kind/{kind}.md"


def year_path(year: str) -> str:
    return f"articles/by-year/{year}.md"


def notes_index_path(folder: str) -> str:
    """The index of a folder of notes gathered by article (LAUNCH_NOTES, …)."""
    return f"{folder}/index.md"


def notes_path(folder: str, article_id: str) -> str:
    """The page of one article's notes of one kind."""
    return f"{folder}/{article_id}.md"


def listing_paths(first: str, pages: int) -> list[str]:
    """A listing split over `pages` pages: the first at `first`, then first-2.md, first-3.md, …"""
    base = first.removesuffix(".md")
    return [first] + [f"{base}-{n}.md" for n in range(2, pages + 1)]


_FURTHER_PAGE = re.compile(r"^(?P<first>.+)-(?:[2-9]|[1-9][0-9]+)\.md$")


def first_listing_page(src_uri: str) -> str | None:
    """The page a listing's further page follows (tutorial-2.md: tutorial.md), else None (which
    listing_paths wrote is not known here: the caller checks that page exists)."""
    match = _FURTHER_PAGE.match(src_uri)
    return match["first"] + ".md" if match else None


def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a page, relative to the site root ("patterns/bulkheads/")."""
    path = src_uri.removesuffix(".md")
    folder, _, name = path.rpartition("/")
    if name == "index":
        return f"{folder}/" if folder else ""
    return f"{path}/" if directory_urls else f"{path}.html"


def href(from_uri: str, to_uri: str, directory_urls: bool = True, anchor: str | None = None) -> str:
    """A relative URL between two pages, for raw HTML that MkDocs does not rewrite."""
    source, target = page_url(from_uri, directory_urls), page_url(to_uri, directory_urls)
    start = source.rstrip("/") if source.endswith("/") else posixpath.dirname(source)
    relative = _relative_path(target.rstrip("/"), start)
    if target.endswith("/") or not target:
        relative = relative + "/" if relative != "." else "./"
    return relative + (f"#{anchor}" if anchor else "")


def _relative_path(target: str, start: str) -> str:
    """posixpath.relpath for two paths below the site root, without asking the operating system
    for the working directory (relpath does, and a build makes tens of thousands of links)."""
    to, here = [p for p in target.split("/") if p], [p for p in start.split("/") if p]
    shared = 0
    while shared < min(len(to), len(here)) and to[shared] == here[shared]:
        shared += 1
    return "/".join([".."] * (len(here) - shared) + to[shared:]) or "."


def absolute_url(site_url: str, path: str) -> str:
    """The full address of the page at `path` on the site published at `site_url`."""
    return site_url.rstrip("/") + "/" + page_url(path)


def article_from_article(directory_urls: bool = True) -> Callable[[str], str]:
    """The URL of an article's page as seen from another article's page (both in articles/)."""
    return partial(_article_from_article, directory_urls)  # a partial, not a lambda: it goes to worker processes


def _article_from_article(directory_urls: bool, article_id: str) -> str:
    return f"../{article_id}/" if directory_urls else f"{article_id}.html"
