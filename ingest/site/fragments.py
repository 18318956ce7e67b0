"""Parts of the theme's pages that many pages share, rendered once per place and reused.

Material renders its navigation, its tabs, its breadcrumb, its footer and its
configuration script again for every page: a third of the time MkDocs spends
on a page. Most of them depend not on the page itself but on where it is: the
items active are those of the section the page belongs under (its parent in
the navigation, wayfinding.py), and every link is relative to the page's
folder. So pages that sit side by side under one parent (articles/a/ and
articles/b/) get the same bytes, and each part is rendered once per place and
copied to the rest.

A part is kept under its name, the page's way back to the site's root
(base_url), the folder that holds the page's own and the page's parent. The
navigation and the footer show a page that is in the navigation itself (its
item active, its table of contents, its previous and next page): for such a
page they are rendered in full, and so is every part of a page that is a tab
of its own (no parent) or that a tab or a breadcrumb links to. So is every part of a page below whose address a
navigation page lives (its links to that page would be written shorter). The
theme's language is the site's, one for every page; a plugin that set it page
by page in one folder would need it in the key.
"""

from __future__ import annotations

import posixpath
from typing import Iterable, Protocol


# The parts that show a page in the navigation as the current one.
SHOWS_THE_PAGE = frozenset({"nav", "footer"})


class _Page(Protocol):
    url: str
    parent: object | None


class Fragments:
    """The parts of pages made so far in this build, by name and place."""

    def __init__(self, nav_pages: Iterable[_Page], linked: Iterable[str] = ()) -> None:
        """`linked`: the addresses of the pages the tabs and breadcrumbs link to (wayfinding.linked_urls)."""
        self._nav_pages = list(nav_pages)  # held, so that their ids stay theirs
        self._in_nav = {id(page) for page in self._nav_pages}
        # Every address above a navigation page: a page there links to it by a shorter way.
        self._above_nav = {url[:end + 1] for url in (page.url for page in self._nav_pages)
                           for end, char in enumerate(url[:-1]) if char == "/"}
        # A page the shared parts link to links to itself ("./"), the pages beside it by its name.
        self._linked = set(linked)
        self._made: dict[tuple[str, str, str, int], str] = {}

    def get(self, name: str, page: _Page | None, base_url: str) -> str | None:
        """The part as a page in the same place had it, or None (render it, and keep it)."""
        key = self._key(name, page, base_url)
        return self._made.get(key) if key else None

    def keep(self, name: str, page: _Page | None, base_url: str, made: str) -> str:
        """`made`, kept for the pages in the same place; returned as it is."""
        key = self._key(name, page, base_url)
        if key:
            self._made[key] = made
        return made

    def _key(self, name: str, page: _Page | None, base_url: str) -> tuple[str, str, str, int] | None:
        if page is None:
            return None
        if id(page) in self._in_nav and (name in SHOWS_THE_PAGE or page.parent is None or page.url in self._linked):
            return None
        url = page.url
        if not url or url in self._above_nav:
            return None
        # The parent is held by the navigation, which outlives the build's pages: its id stays its own.
        return name, base_url, posixpath.dirname(url.rstrip("/")), id(page.parent)
