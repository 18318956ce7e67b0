"""The pages the generator makes as HTML, as MkDocs pages: their content, table of contents and links.

MkDocs turns a page's Markdown into HTML, a table of contents, the ids it holds
and the links it makes, which it checks. A page made as HTML skips Markdown, so
this module gives MkDocs the same from the page as generated (as Material keeps
its plugins' page objects in `structure/`).
"""

from __future__ import annotations

import logging
import posixpath
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc

from ingest.site.pages import Page
from ingest.text import escape_html

# An id attribute of a sanitised body (nh3 writes attributes after one space, and quotes in values
# as &quot;): a literal start lets the regex engine skip ahead, 13 times faster than a word boundary.
ID_ATTRIBUTE = re.compile(r' id="([^"]+)"')

# Under MkDocs' own logger, so that a strict build counts the warnings as it counts its own.
log = logging.getLogger(f"mkdocs.plugins.{__name__}")
_mkdocs_pages_log = logging.getLogger("mkdocs.structure.pages")


def add_page(files: Files, config: MkDocsConfig, page: Page, title: str | None) -> None:
    """A generated page added to the site's files; one made as HTML gets its page object (GeneratedPage)."""
    if files.get_file_from_path(page.src_uri) is not None:
        raise PluginError(
            f"resilience-kb: docs/{page.src_uri} is a hand-written page where the plugin generates "
            f"one; rename or move it (see the README for the generated folders)"
        )
    inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
    file = File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion)
    files.append(file)
    if page.html is not None:
        GeneratedPage(title, file, config, page)


class GeneratedPage(MkDocsPage):
    """A page the generator made as HTML, which skips Markdown.

    Its Markdown is only front matter, which MkDocs reads as for any page. What
    Markdown would have made of the rest (the content, its table of contents, the
    ids it has and the links it makes, which MkDocs checks) comes from the page as
    generated. MkDocs lets a plugin give a file its page (File.page) before the
    navigation is built; the navigation then keeps that page, so the title the
    configuration's nav gives it is passed here.
    """

    def __init__(self, title: str | None, file: File, config: MkDocsConfig, generated: Page) -> None:
        super().__init__(title, file, config)
        self.generated = generated

    def render(self, config: MkDocsConfig, files: Files) -> None:
        generated = self.generated
        self.content = generated.html
        self.toc = get_toc(toc_tokens(generated))
        self._title_from_render = None  # Markdown finds no <h1> in front matter
        self.present_anchor_ids = {h.id for h in generated.html_headings}
        if generated.body_html is not None:
            # The body itself is spliced into the finished page (on_post_page): MkDocs keeps every
            # page's content until the whole site is written, and the body is held once already.
            self.present_anchor_ids.update(ID_ATTRIBUTE.findall(generated.body_html))
        if _mkdocs_pages_log.getEffectiveLevel() > logging.DEBUG:  # as Page.render: MkDocs checks anchors then
            self.links_to_anchors = {}
        check_links(self, generated, files)


def nav_titles(nav: object, titles: dict[str, str] | None = None) -> dict[str, str]:
    """The titles the configuration's nav gives its pages ("Patterns: patterns/index.md"), by path."""
    titles = {} if titles is None else titles
    if isinstance(nav, list):
        for item in nav:
            nav_titles(item, titles)
    elif isinstance(nav, dict):
        for title, value in nav.items():
            if isinstance(value, str):
                titles[posixpath.normpath(value.lstrip("/"))] = title
            else:
                nav_titles(value, titles)
    return titles


def check_links(page: MkDocsPage, generated: Page, files: Files) -> None:
    """The links of a page made as HTML, checked as MkDocs checks those it reads in Markdown.

    A missing page is a warning (so a strict build fails); a link to an anchor is
    handed to MkDocs, which checks it once every page is rendered.
    """
    known = files.src_uris  # the generator writes each target as a src_uri is written
    for target, anchor in generated.links:
        file = known.get(target)
        if file is None:
            log.warning("Doc file '%s' contains a link to '%s', but the target is not found among "
                        "documentation files.", page.file.src_uri, target)
        elif anchor and page.links_to_anchors is not None:
            page.links_to_anchors.setdefault(file, {})[anchor] = f"{target}#{anchor}"


def toc_tokens(page: Page) -> list[dict]:
    """The body's headings as the nested tokens MkDocs builds a table of contents from."""
    root: list[dict] = []
    stack: list[dict] = []
    # The theme prints a toc title as HTML: generated headings are written already, the body's are text.
    named = [(h, h.text) for h in page.html_headings] + [(h, escape_html(h.text)) for h in page.headings]
    for heading, name in named:
        token = {"level": heading.level, "id": heading.id, "name": name, "children": []}
        while stack and stack[-1]["level"] >= heading.level:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root
