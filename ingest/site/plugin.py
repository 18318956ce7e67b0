"""The MkDocs plugin: reads the archive and hands MkDocs the generated pages.

It stays thin. The archive, the articles and the page texts come from the
pure modules; here they are only wired into MkDocs' events:

    on_config        resolve the archive folder
    on_files         load the archive, extract the notes, render every page, add
                     them (and the site's feeds) as files; a page made as HTML
                     skips Markdown (_GeneratedPage)
    on_page_markdown fill the home page's summary block
    on_post_page     splice each article's sanitised body into its finished page;
                     give the theme's toggles accessible names, and every page its
                     Content-Security-Policy (on_post_template for 404.html); tell
                     the search indexer which page MkDocs wrote last
    on_env           split the searchable pages into search indexes of bounded size,
                     each indexed once its pages are written, while MkDocs writes on
    on_post_build    write knowledge.json (in pieces) and the rest of the search
                     index; a shard whose pages did not change comes from the cache
    on_build_error   stop a Pagefind run still going
"""

from __future__ import annotations

import gc
import json
import logging
import posixpath
import re
import time
from functools import partial
from pathlib import Path

import material
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc

from ingest.site import urls
from ingest.site.accessibility import add_accessible_names
from ingest.site.csp import add_content_security_policy
from ingest.site.fragments import Fragments
from ingest.site.search import SearchIndexer, assign_shards, shard_bundles
from ingest.site.search_cache import SearchCache
from ingest.archive.store import Archive
from ingest.config import PluginConfig, project_path
from ingest.errors import KBError
from ingest.atomic import open_atomic
from ingest.model.export import write_knowledge_json
from ingest.model.knowledge import Knowledge
from ingest.model.checklists import committed_items, renamed_items
from ingest.model.load import load_knowledge
from ingest.model.onboarding import load_onboarding
from ingest.site.pages import BODY_MARKER, SUMMARY_MARKER, Page, SiteInfo, render_site, render_summary
from ingest.archive.report import read_report
from ingest.site.syndication import json_feed, rss
from ingest.text import escape_html
from ingest.outputs import OutputError, check_site_dir, mark_site_dir

THEME_TEMPLATES = Path(material.__file__).parent / "templates"  # Material for MkDocs' own
# An id attribute of a sanitised body (nh3 writes attributes after one space, and quotes in values
# as &quot;): a literal start lets the regex engine skip ahead, 13 times faster than a word boundary.
ID_ATTRIBUTE = re.compile(r' id="([^"]+)"')

log = logging.getLogger(f"mkdocs.plugins.{__name__}")
# Warnings a reader of the output must see that still must not fail a strict build (MkDocs counts
# only those under its own logger): the build is right, the site is published, the loss is noted.
notice = logging.getLogger(__name__)


class ResilienceKBPlugin(BasePlugin[PluginConfig]):
    """Generates the knowledge base's pages from the archive during `mkdocs build` and `serve`."""

    def __init__(self) -> None:
        self.archive_dir: Path | None = None
        # `resilience-kb --archive DIR` builds the site of another archive; the curated
        # checklists and onboarding path belong to the configured one and are left out.
        self.archive_override: Path | None = None
        self.knowledge: Knowledge | None = None
        self.pages: dict[str, Page] = {}
        self.summary = ""
        self.published_items: dict[str, dict[str, str]] = {}
        self.search: SearchIndexer | None = None  # indexes each shard of the search index once its pages are written
        self._written: str | None = None  # the page MkDocs wrote last (on_post_page comes before the writing)
        self.timings: dict[str, float] = {}  # seconds per stage of the build, logged with -v
        self._files_done = 0.0
        self.fragments = Fragments([])  # the parts of pages made once per place (on_nav: this build's)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        gc.unfreeze()  # what an earlier build of `mkdocs serve` set aside may be collected now
        self.archive_dir = self.archive_override or project_path(config.config_file_path, self.config.archive)
        # MkDocs empties the site folder after this event: it must not hold the project's data.
        try:
            site = check_site_dir(Path(config.site_dir), project_root(config), protected_paths(config, self))
        except OutputError as e:
            raise PluginError(f"resilience-kb: {e}") from None
        self.published_items = _published_items(site / "knowledge.json")  # before MkDocs empties the folder
        mark_site_dir(site)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        curated = self.archive_override is None
        folder = partial(project_path, config.config_file_path)
        archive = Archive(self.archive_dir)
        started = time.perf_counter()
        try:
            if not curated:  # an archive named on the command line must be there
                archive.require()
            with archive.reading(self.config.lock_wait):
                self.knowledge, feeds = load_knowledge(
                    self.archive_dir, folder(self.config.checklists) if curated else None,
                    local_url=urls.article_from_article(config.use_directory_urls),
                )
                _set_aside()
                report = read_report(self.archive_dir)
            onboarding = load_onboarding(folder(self.config.onboarding), self.knowledge) if curated else None
        except KBError as e:
            raise PluginError(f"resilience-kb: {e}") from None
        info = SiteInfo(
            feeds=tuple(self.config.feeds) if curated else (), feed_states=feeds,
            report=report, stale_days=self.config.stale_days,
            site_url=config.site_url or None, directory_urls=config.use_directory_urls, onboarding=onboarding,
        )
        self.pages = {}
        nav_titles = _nav_titles(config.nav)
        analysed = time.perf_counter()
        self.timings = {"analysis": analysed - started}
        for page in render_site(self.knowledge, info):
            if files.get_file_from_path(page.src_uri) is not None:
                raise PluginError(
                    f"resilience-kb: docs/{page.src_uri} is a hand-written page where the plugin generates "
                    f"one; rename or move it (see the README for the generated folders)"
                )
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion)
            files.append(file)
            if page.html is not None:
                _GeneratedPage(nav_titles.get(page.src_uri), file, config, page)
            self.pages[page.src_uri] = page
        described = dict(title=config.site_name, description=config.site_description or config.site_name,
                         site_url=info.site_url)
        for name, content in (("feed.xml", rss(self.knowledge, **described)),
                              ("feed.json", json_feed(self.knowledge, **described))):
            files.append(File.generated(config, name, content=content))
        self.summary = render_summary(self.knowledge, sorted({a.feed for a in self.knowledge.articles} | set(feeds)))
        self.timings["generated pages"] = time.perf_counter() - analysed
        _set_aside()  # the pages too
        self._files_done = time.perf_counter()
        self._log_summary()
        curated_now = [e.checklist for e in self.knowledge.curated]
        # Ids as the site built before had them, else as git last recorded them (a fresh clone in CI).
        previous = committed_items(folder(self.config.checklists)) if curated else {}
        for checklist_id, old, new in renamed_items({**previous, **self.published_items}, curated_now):
            notice.warning("resilience-kb: checklist %s: item %r is now %r (the same question): readers' ticks and "
                        "links to #%s are lost; keep the old id unless that is meant", checklist_id, old, new, old)
        return files

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        self.fragments = Fragments(nav.pages)
        return nav

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        """Split the searchable pages into the search indexes, and tell the theme which to merge.

        Article pages go in the order the archive filed them, oldest first, so that a new
        article changes only the last shard (see ingest/site/search.py).
        """
        searchable = {f.src_uri: f.dest_uri for f in files.documentation_pages()
                      if f.page is not None and not (f.page.meta.get("search") or {}).get("exclude")}
        filed = _filed(self.knowledge) if self.knowledge else []
        articles = [searchable.pop(src) for src in map(urls.article_path, (a.id for a in filed)) if src in searchable]
        shards = assign_shards(articles, sorted(searchable.values()), self.config.search_shard_pages)
        env.globals["rkb_search_merge"] = shard_bundles(len(shards))
        env.globals["rkb_fragments"] = self.fragments
        # The theme's own templates, under "material/", for an override that wraps one (overrides/partials).
        env.loader = ChoiceLoader([env.loader, PrefixLoader({"material": FileSystemLoader(THEME_TEMPLATES)})])
        if self.search is not None:
            self.search.abort()
        self.search = self._indexer(Path(config.site_dir), shards)
        self._written = None
        return env

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        if SUMMARY_MARKER in markdown and page.file.src_uri not in self.pages:
            return markdown.replace(SUMMARY_MARKER, self.summary)
        return markdown

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        if self.search is not None and self._written is not None:
            self.search.written(self._written)  # written by now: its shard may be indexed while MkDocs goes on
        self._written = page.file.dest_uri
        # The policy's hashes are of the theme's scripts outside the article: found before the body is in.
        output = add_content_security_policy(add_accessible_names(output))
        generated = self.pages.get(page.file.src_uri)
        if generated is not None and generated.body_html is not None:
            # Feed text elsewhere on the page is escaped, so the first marker is the content's.
            output = output.replace(BODY_MARKER, generated.body_html, 1)
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        return add_content_security_policy(output_content)  # 404.html; a sitemap has no <head>: unchanged

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        started = time.perf_counter()
        self.timings["mkdocs"] = started - self._files_done  # Markdown, templates, writing the pages
        # Kept in self.search until it is done, so that on_build_error stops its Pagefind run.
        search = self.search = self.search or self._indexer(site_dir, [[]])
        if self._written is not None:
            search.written(self._written)
        search.close()  # the last shards are indexed while knowledge.json is written
        closed = time.perf_counter()
        if self.knowledge is not None:
            target = site_dir / "knowledge.json"
            try:
                with open_atomic(target, durable=False) as handle:
                    write_knowledge_json(self.knowledge, handle)
            except OSError as e:
                raise PluginError(f"resilience-kb: cannot write {target}: {e.strerror or e} "
                                  f"(check the free space and permissions of the site folder)") from None
        indexing = time.perf_counter()
        self.timings["knowledge.json"] = indexing - closed
        log.info("resilience-kb: %s", search.finish())
        self.search = None
        self.timings["search index"] = time.perf_counter() - indexing + closed - started  # what MkDocs waited for
        log.debug("resilience-kb: stage seconds: %s",
                  ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in self.timings.items()))

    def on_build_error(self, *, error: Exception) -> None:
        gc.unfreeze()
        if self.search is not None:  # a Pagefind run beside MkDocs must not outlive the build
            self.search.abort()
            self.search = None

    def _indexer(self, site_dir: Path, shards: list[list[str]]) -> SearchIndexer:
        """The search indexer of this build, with the archive's cache of shard bundles."""
        return SearchIndexer(site_dir, shards, SearchCache(self.archive_dir) if self.archive_dir is not None else None)

    def _log_summary(self) -> None:
        knowledge = self.knowledge
        unprocessed = [a.id for a in knowledge.articles if a.problem]
        problems = knowledge.problems()
        log.info(
            "resilience-kb: %d articles from %s, %d generated pages, %d patterns mentioned, %d biases",
            len(knowledge.articles), self.archive_dir, len(self.pages),
            sum(1 for e in knowledge.patterns if e.mentions), len(knowledge.biases),
        )
        if unprocessed:
            log.info("resilience-kb: %d articles could not be processed: %s", len(unprocessed), ", ".join(unprocessed))
        for article_id, problem in problems:
            log.info("resilience-kb: %s: extractor %s", article_id, problem)
        for entry in knowledge.curated:
            if entry.drift:
                log.info("resilience-kb: checklist %s (%s): %s", entry.checklist.id, entry.checklist.path.name,
                         entry.drift.describe())

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        for path in (self.archive_dir, project_path(config.config_file_path, self.config.checklists),
                     project_path(config.config_file_path, self.config.onboarding)):
            if path and path.exists():
                server.watch(str(path))
        return server


class _GeneratedPage(MkDocsPage):
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
        self.toc = get_toc(_toc_tokens(generated))
        self._title_from_render = None  # Markdown finds no <h1> in front matter
        self.present_anchor_ids = {h.id for h in generated.html_headings}
        if generated.body_html is not None:
            # The body itself is spliced into the finished page (on_post_page): MkDocs keeps every
            # page's content until the whole site is written, and the body is held once already.
            self.present_anchor_ids.update(ID_ATTRIBUTE.findall(generated.body_html))
        if _mkdocs_pages_log.getEffectiveLevel() > logging.DEBUG:  # as Page.render: MkDocs checks anchors then
            self.links_to_anchors = {}
        _check_links(self, generated, files)


_mkdocs_pages_log = logging.getLogger("mkdocs.structure.pages")


def _nav_titles(nav: object, titles: dict[str, str] | None = None) -> dict[str, str]:
    """The titles the configuration's nav gives its pages ("Patterns: patterns/index.md"), by path."""
    titles = {} if titles is None else titles
    if isinstance(nav, list):
        for item in nav:
            _nav_titles(item, titles)
    elif isinstance(nav, dict):
        for title, value in nav.items():
            if isinstance(value, str):
                titles[posixpath.normpath(value.lstrip("/"))] = title
            else:
                _nav_titles(value, titles)
    return titles


def _set_aside() -> None:
    """What the build made so far is set aside from Python's full garbage collections (gc.freeze).

    The knowledge base and its pages live until the build ends: millions of objects at
    10,000 articles, which each full collection would walk again while MkDocs renders, and
    once more as the process exits. The next build (`mkdocs serve`) hands them back
    (on_config); a build that ends with `resilience-kb build` never needs to.
    """
    gc.freeze()


def _filed(knowledge: Knowledge) -> list:
    """The articles in the order the archive filed them, oldest first: the order of the search shards."""
    return sorted(knowledge.articles, key=lambda a: (a.first_seen, a.sort_key))


def _published_items(path: Path) -> dict[str, dict[str, str]]:
    """The curated checklists' item ids and texts in the site built before, if it is there and readable."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 50_000_000:
            return {}
        checklists = json.loads(path.read_text(encoding="utf-8")).get("checklists") or []
        return {c["id"]: {i["id"]: i["text"] for s in c["sections"] for i in s["items"]}
                for c in checklists if c.get("curated")}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # only a hint for a warning: a site folder holding something else gives none


def project_root(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml."""
    return Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()


def protected_paths(config: MkDocsConfig, plugin: "ResilienceKBPlugin") -> dict[str, Path]:
    """The project's own data and sources, by name: no output may overwrite, empty or sit inside them."""
    folder = partial(project_path, config.config_file_path)
    paths = {"the archive": plugin.archive_dir or folder(plugin.config.archive),
             "the configured archive": folder(plugin.config.archive),
             "the checklists folder": folder(plugin.config.checklists),
             "the onboarding file": folder(plugin.config.onboarding),
             "the docs folder": Path(config.docs_dir),
             "the git repository": project_root(config) / ".git"}
    if config.config_file_path:
        paths["the configuration"] = Path(config.config_file_path)
    custom_dir = getattr(config.theme, "_custom_dir", None)  # the theme overrides (overrides/)
    if custom_dir:
        paths["the theme overrides"] = Path(custom_dir)
    return {label: path.resolve() for label, path in paths.items()}


def _check_links(page: MkDocsPage, generated: Page, files: Files) -> None:
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


def _toc_tokens(page: Page) -> list[dict]:
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

