"""Where each generated page sits in the site's navigation, so that a reader knows where they are.

The configuration's nav (mkdocs.yml) names the sections and their index pages;
the generator makes many more pages. Once MkDocs has built the navigation
(on_nav), this module

- lists the bounded pages in their section's sidebar: every pattern and
  checklist, and the first page of each listing in a folder below a section's
  (articles/by-kind/, articles/by-year/, …), one group per folder. What grows with
  the archive (articles, tags, the notes of one article, a listing's further
  pages, a service's Reviews page, an incident's page) stays out: a sidebar of 10,000 links helps nobody;
- gives every other generated page the navigation item it belongs under as its
  parent: the section's tab is then active, the sidebar shows the section (the
  theme shows the active section), and the breadcrumb (navigation.path) leads back.

A page's place is found from its path: the index page of its folder (or of the
nearest folder above that has pages in the navigation). An index page that
opens its section stands for the section; one inside a section (launches/index.md
under Notes) stands for itself, so Notes > Launches is the way back.
"""

from __future__ import annotations

import posixpath
from typing import Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ingest.site import urls

# Folders whose generated pages are listed in a section's sidebar, and the section's index page. A folder
# named with "*" stands for each folder there; each becomes a group named after it ("by-kind": "By kind").
LISTED_FOLDERS = (
    (posixpath.dirname(urls.PATTERNS), urls.PATTERNS),
    (posixpath.dirname(urls.CHECKLISTS), urls.CHECKLISTS),
    (posixpath.dirname(urls.REVIEWS), urls.CHECKLISTS),  # only where reviews are enabled: a group in Checklists
    (posixpath.dirname(urls.INCIDENTS), urls.CHECKLISTS),  # so are the incidents (LISTED_ONLY)
    (posixpath.dirname(urls.ARTICLES) + "/*", urls.ARTICLES),  # by kind, by year, …
)
# In these folders only the pages named are listed: the others (one per incident) grow with the team's history.
LISTED_ONLY = {posixpath.dirname(urls.INCIDENTS): (urls.INCIDENTS, urls.PUBLIC_INCIDENTS),
               # One page per service: listed on the Reviews page. In the sidebar, each drew all the others.
               posixpath.dirname(urls.REVIEWS): (urls.REVIEWS, urls.REVIEW_ACTIONS)}
# Listed by their titles; groups keep the generator's order (years newest first, kinds as the model lists them).
SORTED_BY_TITLE = frozenset({posixpath.dirname(urls.PATTERNS), posixpath.dirname(urls.CHECKLISTS)})


def place_generated_pages(nav: Navigation, files: Files, config: MkDocsConfig, generated: Iterable[str]) -> None:
    """List the bounded generated pages in their sections' sidebars; give every other one its parent."""
    generated = [uri for uri in generated if _page(files, uri) is not None]
    in_nav = {page.file.src_uri for page in nav.pages}
    outside = [uri for uri in generated if uri not in in_nav]
    for uri_pattern, index_uri in LISTED_FOLDERS:
        index = _page(files, index_uri)
        if index is None or index.file.src_uri not in in_nav or index.parent is None:
            continue
        listed = [uri for uri in outside if _matches(uri, uri_pattern) and not _continues(uri, files)
                  and uri in LISTED_ONLY.get(uri_pattern, (uri,))]
        _list_in_section(index.parent, uri_pattern, [_page(files, uri) for uri in listed], config)
    nav.pages = _pages_of(nav.items)
    _link_previous_and_next(nav.pages)
    places = _places(nav.pages)
    in_nav = {page.file.src_uri for page in nav.pages}
    for uri in generated:
        if uri not in in_nav:
            _page(files, uri).parent = _place_of(uri, places)


def _list_in_section(section: Section, uri_pattern: str, pages: list[Page], config: MkDocsConfig) -> None:
    """Add `pages` to `section`'s children: directly when in the section's folder, else in one group per folder."""
    groups: dict[str, list[Page]] = {}
    for page in pages:
        groups.setdefault(posixpath.dirname(page.file.src_uri), []).append(page)
    own_folder = posixpath.dirname(section_index_uri(section) or "")
    for folder, members in groups.items():
        if uri_pattern in SORTED_BY_TITLE:
            for page in members:
                page.read_source(config)  # its title is in its front matter; MkDocs reads it again, as it is
            members.sort(key=lambda page: (not page.is_index, (page.title or "").casefold()))
        parent = section
        if folder != own_folder:
            parent = Section(_group_title(folder), members)
            parent.parent = section
            section.children.append(parent)
        else:
            section.children.extend(members)
        for page in members:
            page.parent = parent


def section_index_uri(section: Section) -> str | None:
    """The src_uri of the index page that opens `section` (navigation.indexes), if one does."""
    first = section.children[0] if section.children else None
    return first.file.src_uri if isinstance(first, Page) and first.is_index else None


def linked_urls(items: list) -> set[str]:
    """The addresses the tabs and breadcrumbs link to: every top-level page, and each section's first page
    (its first child, or that child's first page, as Material's templates link a section)."""
    found: set[str] = set()
    for item in items:
        if isinstance(item, Page):
            found.add(item.url)
        elif isinstance(item, Section):
            found |= _section_links(item)
    return found


def _section_links(section: Section) -> set[str]:
    found: set[str] = set()
    first = section.children[0] if section.children else None
    while isinstance(first, Section):
        first = first.children[0] if first.children else None
    if isinstance(first, Page):
        found.add(first.url)
    for child in section.children:
        if isinstance(child, Section):
            found |= _section_links(child)
    return found


def _group_title(folder: str) -> str:
    name = posixpath.basename(folder).replace("-", " ")
    return name[:1].upper() + name[1:]


def _places(pages: list[Page]) -> dict[str, object]:
    """The item a page outside the navigation goes under, by folder: the folder's index page (or the
    section it opens), else the group that holds the folder's pages."""
    places: dict[str, object] = {}
    for page in pages:
        folder = posixpath.dirname(page.file.src_uri)
        if page.is_index:
            opens = page.parent is not None and section_index_uri(page.parent) == page.file.src_uri
            places[folder] = page.parent if opens else page
        elif folder not in places and folder:
            places[folder] = page.parent
    for page in pages:  # sources.md, at /sources/, is the place of the pages in sources/ (one per source)
        if not page.is_index:
            places.setdefault(posixpath.splitext(page.file.src_uri)[0], page)
    return places


def _place_of(uri: str, places: dict[str, object]) -> object | None:
    folder = posixpath.dirname(uri)
    while folder:
        if folder in places:
            return places[folder]
        folder = posixpath.dirname(folder)
    return None


def _matches(uri: str, uri_pattern: str) -> bool:
    folder = posixpath.dirname(uri)
    if uri_pattern.endswith("/*"):
        return posixpath.dirname(folder) == uri_pattern.removesuffix("/*")
    return folder == uri_pattern


def _continues(uri: str, files: Files) -> bool:
    """A further page of a listing (tutorial-2.md, after tutorial.md)."""
    first = urls.first_listing_page(uri)
    return first is not None and files.get_file_from_path(first) is not None


def _page(files: Files, uri: str) -> Page | None:
    file = files.get_file_from_path(uri)
    return file.page if file is not None else None


def _pages_of(items: list) -> list[Page]:
    pages = []
    for item in items:
        if isinstance(item, Page):
            pages.append(item)
        elif isinstance(item, Section):
            pages += _pages_of(item.children)
    return pages


def _link_previous_and_next(pages: list[Page]) -> None:
    """As MkDocs links the pages of the configuration's nav (the footer's previous and next)."""
    for before, page, after in zip([None, *pages], pages, [*pages[1:], None]):
        page.previous_page, page.next_page = before, after
