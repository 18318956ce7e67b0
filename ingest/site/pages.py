"""Render the knowledge base as Markdown pages for MkDocs. Pure: data in, page texts out."""

from __future__ import annotations

from datetime import date

from ingest.errors import KBError
from ingest.model.knowledge import Knowledge
from ingest.site.article_pages import render_article
from ingest.site.checklist_pages import render_checklist_pages
from ingest.site.listing_pages import render_listings, sources_of
from ingest.site.markdown import BODY_MARKER, SUMMARY_MARKER, Page
from ingest.site.note_pages import render_note_pages
from ingest.site.overview_pages import render_notes_index, render_summary
from ingest.site.incident_pages import render_incident_pages
from ingest.site.review_pages import render_review_pages
from ingest.site.start_here import render_start_here
from ingest.site.info import SiteInfo
from ingest.model.review_history import risky_services
from ingest.model.incident_index import index_incidents
from ingest.site.status_pages import render_sources, render_whats_new

__all__ = ["BODY_MARKER", "SUMMARY_MARKER", "Page", "SiteInfo", "render_site", "render_summary"]


def render_site(knowledge: Knowledge, info: SiteInfo | None = None) -> list[Page]:
    """Every generated page: articles, listings, tags, notes, checklists, history, sources, onboarding, reviews."""
    info = info or SiteInfo()
    titles = {source.name: source.title for source in sources_of(knowledge, info)}
    pages = [render_article(a, knowledge.notes[a.id], knowledge, info.directory_urls, titles.get(a.feed))
             for a in knowledge.articles]
    pages += render_listings(knowledge, info)
    rated = risky_services(list(info.reviews)) if info.reviews is not None else None
    # Incidents beside the patterns, biases and questions they name (private, as the reviews).
    linked = None if info.incidents is None else index_incidents(
        info.incidents, info.reviews or (), [entry.checklist for entry in knowledge.curated])
    pages += render_note_pages(knowledge, info.directory_urls, linked, rated)
    pages.append(render_notes_index(knowledge, info.directory_urls))
    pages += render_checklist_pages(knowledge, info.directory_urls, info.site_url, rated, linked)
    if info.reviews is not None:  # private unless enabled in mkdocs.yml (and the incidents with them)
        # Overdue against the day the plugin hands in; without one, the latest review's (never the clock).
        days = [r.date for r in info.reviews] + [i.date for i in info.incidents or ()]
        today = info.reviews_as_of or max(days, default=date(2000, 1, 1))
        pages += render_review_pages(info.reviews, knowledge, today, info.directory_urls, info.site_url,
                                     incidents=info.incidents or ())
        if info.incidents is not None:
            pages += render_incident_pages(info.incidents, info.reviews, knowledge, today, info.directory_urls)
    pages += [render_whats_new(knowledge, info), render_sources(knowledge, info), render_start_here(knowledge, info)]
    _check_unique(pages)
    return pages


class PageNameError(KBError):
    """Two generated pages would have the same path; the message names it."""


def _check_unique(pages: list[Page]) -> None:
    """Ids and slugs that name pages are kept apart from the pages the site names itself; should two
    still meet, the build stops here, naming the path, instead of one page silently replacing the other."""
    seen: set[str] = set()
    for page in pages:
        if page.src_uri in seen:
            raise PageNameError(f"two generated pages would both be {page.src_uri}: an id in the checklists or "
                                f"the vocabularies names a page the site makes itself; rename that id")
        seen.add(page.src_uri)
