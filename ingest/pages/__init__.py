"""Render the knowledge base as Markdown pages for MkDocs. Pure: data in, page texts out."""

from __future__ import annotations

from ..knowledge import Knowledge
from .articles import render_article, render_article_listings, render_summary, render_tag_pages
from .checklists import render_checklist_pages
from .markdown import BODY_MARKER, SUMMARY_MARKER, Page
from .notes import render_note_pages

__all__ = ["BODY_MARKER", "SUMMARY_MARKER", "Page", "render_site", "render_summary"]


def render_site(knowledge: Knowledge, directory_urls: bool = True, site_url: str | None = None) -> list[Page]:
    """Every generated page: articles, listings, tags, the pages of notes and the checklists."""
    pages = [render_article(a, knowledge.notes[a.id], knowledge) for a in knowledge.articles]
    pages += render_article_listings(knowledge)
    pages += render_tag_pages(knowledge)
    pages += render_note_pages(knowledge)
    pages += render_checklist_pages(knowledge, directory_urls, site_url)
    return pages
