"""Parts of the theme's pages that many pages share, rendered once per place and reused.

Material renders its navigation, its tabs, its footer and its configuration
script again for every page: a third of the time MkDocs spends on a page. On
a page that is not in the navigation (every article, tag and note page), none
of them depends on the page itself, only on where it is: no item is active,
there is no previous or next page, and every link is relative to the page's
folder. So pages that sit side by side (articles/a/ and articles/b/) get the
same bytes, and each part is rendered once per folder and copied to the rest.

A part is kept under its name, the page's way back to the site's root
(base_url) and the folder that holds the page's own. Pages in the navigation
are rendered in full, and so is a page below whose address a navigation page
lives (its links to that page would be written shorter). The theme's
language is the site's, one for every page; a plugin that set it page by page
in one folder would need it in the key.
"""

from __future__ import annotations

import posixpath
from typing import Iterable, Protocol


class _Page(Protocol):
    url: str


class Fragments:
    """The parts of pages made so far in this build, by name and place."""

    def __init__(self, nav_pages: Iterable[_Page]) -> None:
        self._nav_pages = list(nav_pages)  # held, so that their ids stay theirs
        self._in_nav = {id(page) for page in self._nav_pages}
        self._nav_urls = [page.url for page in self._nav_pages]
        self._made: dict[tuple[str, str, str], str] = {}

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

    def _key(self, name: str, page: _Page | None, base_url: str) -> tuple[str, str, str] | None:
        if page is None or id(page) in self._in_nav:
            return None
        url = page.url
        if not url or any(target.startswith(url) for target in self._nav_urls):
            return None
        return name, base_url, posixpath.dirname(url.rstrip("/"))
