"""The MkDocs plugin: reads the archive and hands MkDocs the generated pages.

Wiring only: the project, the knowledge base and the page texts come from the modules below, wired into MkDocs' events:

    on_config        take the project (config.py), check the site folder
    on_files         load the knowledge base (and the reviews, if enabled: loading.py), render every page, add
                     them (and the site's feeds) as files; a page made as HTML skips Markdown (structure.py)
    on_nav           put each generated page in its section (wayfinding.py): listed in the
                     sidebar if the section's pages are bounded, else given it as its parent
    on_page_markdown fill the home page's summary block
    on_post_page     mark what search indexes (search_marks.py); splice each article's sanitised body in;
                     give the theme's toggles accessible names, and every page its Content-Security-Policy
                     (on_post_template for 404.html); tell the search indexer which page MkDocs wrote last
    on_env           split the searchable pages into bounded search indexes, each indexed once its pages are written
    on_post_build    write knowledge.json (in pieces) and the rest of the search
                     index; a shard whose pages did not change comes from the cache
    on_build_error   stop a Pagefind run still going
"""

from __future__ import annotations

import logging
import time
from datetime import date
from contextlib import ExitStack
from pathlib import Path

import material
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from ingest.site import urls
from ingest.site.accessibility import add_accessible_names
from ingest.site.csp import add_content_security_policy, image_origins
from ingest.site.fragments import Fragments
from ingest.site.loading import load_project_knowledge
from ingest.site.search import SearchIndexer, SearchLabels, mark_for_search, search_labels, shard_bundles, site_shards
from ingest.site.search_cache import SearchCache
from ingest.site.structure import add_page, nav_titles
from ingest.site.wayfinding import linked_urls, place_generated_pages
from ingest.config import PluginConfig, Project, project_of
from ingest.errors import KBError, WriteError
from ingest.atomic import open_atomic
from ingest.memory import set_aside
from ingest.model.export import write_knowledge_json
from ingest.model.knowledge import Knowledge
from ingest.model.checklists import committed_items, published_items, renamed_items
from ingest.model.onboarding import load_onboarding
from ingest.site.pages import BODY_MARKER, SUMMARY_MARKER, Page, SiteInfo, render_site, render_summary
from ingest.site.syndication import json_feed, rss
from ingest.outputs import OutputError, check_site_dir, mark_site_dir

THEME_TEMPLATES = Path(material.__file__).parent / "templates"  # Material for MkDocs' own

log = logging.getLogger(f"mkdocs.plugins.{__name__}")
# Warnings a reader of the output must see that still must not fail a strict build (MkDocs counts
# only those under its own logger): the build is right, the site is published, the loss is noted.
notice = logging.getLogger(__name__)

# What the latest build set aside from full garbage collections (memory.py): the knowledge base and
# its pages, which live until the build ends. Held until the next build starts (`mkdocs serve` makes
# new plugins for each, so the hold is the module's) or this one fails; a build that ends with
# `resilience-kb build` never hands it back, and the process exits without walking it again.
_held = ExitStack()


class ResilienceKBPlugin(BasePlugin[PluginConfig]):
    """Generates the knowledge base's pages from the archive during `mkdocs build` and `serve`."""

    def __init__(self) -> None:
        self.project: Project | None = None  # made in on_config, or handed over by the command line
        self.knowledge: Knowledge | None = None
        # Tuples of Review and of Incident (loading.py); None: not enabled in mkdocs.yml, or another archive.
        self.reviews = self.incidents = None
        self.pages: dict[str, Page] = {}
        self.search_labels = SearchLabels()  # which pages search indexes, and what it says of each
        self.summary = ""
        self.published_items: dict[str, dict[str, str]] = {}
        self.search: SearchIndexer | None = None  # indexes each shard of the search index once its pages are written
        self._written: str | None = None  # the page MkDocs wrote last (on_post_page comes before the writing)
        self.timings: dict[str, float] = {}  # seconds per stage of the build, logged with -v
        self._files_done = 0.0
        self.fragments = Fragments([])  # the parts of pages made once per place (on_nav: this build's)
        self._keep = lambda: None  # sets aside what the build made so far (on_config opens the hold)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        _held.close()  # what an earlier build of `mkdocs serve` set aside may be collected now
        self._keep = _held.enter_context(set_aside())
        # MkDocs empties the site folder after this event: it must not hold the project's data (and the
        # archive must not be where the site publishes it, which the Project checks).
        try:
            project = self.project = project_of(config, self.config)
            site = check_site_dir(Path(config.site_dir), project.root, project.protected_paths())
        except OutputError as e:
            raise PluginError(f"resilience-kb: {e}") from None
        self.published_items = published_items(site / "knowledge.json")  # before MkDocs empties the folder
        mark_site_dir(site)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        project = self.project
        started = time.perf_counter()
        try:
            loaded = load_project_knowledge(project, report=True, reviews=True)
            self._keep()
            knowledge = self.knowledge = loaded.knowledge
            self.reviews, self.incidents = loaded.reviews, loaded.incidents
            onboarding = load_onboarding(project.onboarding, knowledge, urls.NOTE_PAGES, loaded.elsewhere, loaded.incidents)
        except KBError as e:
            raise PluginError(f"resilience-kb: {e}") from None
        info = SiteInfo(
            feeds=project.feeds if project.own_archive else (), feed_states=loaded.feeds,
            report=loaded.report, stale_days=project.stale_days, incidents=loaded.incidents,
            site_url=config.site_url or None, directory_urls=config.use_directory_urls, onboarding=onboarding,
            reviews=loaded.reviews, reviews_as_of=project.reviews_as_of or date.today(),
        )
        self.pages = {}
        titles = nav_titles(config.nav)
        analysed = time.perf_counter()
        self.timings = {"analysis": analysed - started}
        for page in render_site(knowledge, info):
            add_page(files, config, page, titles.get(page.src_uri))
            self.pages[page.src_uri] = page
        described = dict(title=config.site_name, description=config.site_description or config.site_name,
                         site_url=info.site_url)
        loaded.media.add_to(files, config)  # the article images' copies (media.py)
        for name, content in (("feed.xml", rss(knowledge, **described)),
                              ("feed.json", json_feed(knowledge, **described))):
            files.append(File.generated(config, name, content=content))
        self.search_labels = search_labels(knowledge, loaded.feeds, set(self.pages))
        self.summary = render_summary(knowledge, info)
        self.timings["generated pages"] = time.perf_counter() - analysed
        self._keep()  # the pages too
        self._files_done = time.perf_counter()
        self._log_summary()
        self._warn_of_renamed_items()
        return files

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        place_generated_pages(nav, files, config, self.pages)  # each in its section: tab, sidebar, breadcrumb
        self.fragments = Fragments(nav.pages, linked_urls(nav.items))
        return nav

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        """Split the searchable pages into the search indexes (search.py), and tell the theme which to merge."""
        shards = site_shards(files, self.knowledge, self.project.search_shard_pages, self.search_labels.of)
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
        output = mark_for_search(output, self.search_labels.of(page.file.src_uri), page.title)
        body = getattr(self.pages.get(page.file.src_uri), "body_html", None)  # an article's sanitised body
        output = add_content_security_policy(add_accessible_names(output), image_origins(body or ""))
        if body is not None:
            # Feed text elsewhere on the page is escaped, so the first marker is the content's.
            output = output.replace(BODY_MARKER, body, 1)
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
                    write_knowledge_json(self.knowledge, handle, self.reviews, self.incidents)
            except OSError as e:
                error = WriteError(target, e, " (check the free space and permissions of the site folder)")
                raise PluginError(f"resilience-kb: {error}") from None
        indexing = time.perf_counter()
        self.timings["knowledge.json"] = indexing - closed
        log.info("resilience-kb: %s", search.finish())
        self.search = None
        self.timings["search index"] = time.perf_counter() - indexing + closed - started  # what MkDocs waited for
        log.debug("resilience-kb: stage seconds: %s",
                  ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in self.timings.items()))

    def on_build_error(self, *, error: Exception) -> None:
        _held.close()
        if self.search is not None:  # a Pagefind run beside MkDocs must not outlive the build
            self.search.abort()
            self.search = None

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        for path in (self.project.archive, self.project.checklists, self.project.onboarding, self.project.reviews,
                     self.project.incidents):
            if path.exists():
                server.watch(str(path))
        return server

    def _indexer(self, site_dir: Path, shards: list[list[str]]) -> SearchIndexer:
        """The search indexer of this build, with the archive's cache of shard bundles."""
        return SearchIndexer(site_dir, shards, SearchCache(self.project.archive) if self.project is not None else None)

    def _log_summary(self) -> None:
        knowledge = self.knowledge
        unprocessed = [a.id for a in knowledge.articles if a.problem]
        problems = knowledge.problems()
        log.info(
            "resilience-kb: %d articles from %s, %d generated pages, %d patterns mentioned, %d biases",
            len(knowledge.articles), self.project.archive, len(self.pages),
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

    def _warn_of_renamed_items(self) -> None:
        curated_now = [e.checklist for e in self.knowledge.curated]
        # Ids as the site built before had them, else as git last recorded them (a fresh clone in CI).
        previous = committed_items(self.project.checklists) if self.project.own_archive else {}
        for checklist_id, old, new in renamed_items({**previous, **self.published_items}, curated_now):
            notice.warning("resilience-kb: checklist %s: item %r is now %r (the same question): readers' ticks and "
                           "links to #%s are lost; keep the old id unless that is meant", checklist_id, old, new, old)
