"""Load the knowledge base from disk: the archive and the vocabularies, through the pure stages.

The one place that strings the stages together, for the plugin and the
command line alike, so that both see exactly the same knowledge base.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from ingest.archive.records import FeedState
from ingest.archive.store import Archive
from ingest.model.analysis import analyse
from ingest.model.articles import MAX_TITLE, LocalURL, with_feed_defaults
from ingest.model.cache import AnalysisCache
from ingest.model.fingerprint import code_fingerprint
from ingest.model.images import MediaLookup
from ingest.model.checklists import load_checklists
from ingest.model.knowledge import Knowledge, build_knowledge
from ingest.model.extract.notes import ArticleNotes, capped
from ingest.model.extract.vocabulary import load_vocabulary
from ingest.memory import set_aside
from ingest.text import inline_text, xml_safe


MAX_NOTES = 500  # notes of one kind taken from one article (the plugin's max_notes_per_article)


def load_knowledge(archive_dir: Path, checklists_dir: Path | None = None, *, local_url: LocalURL | None = None,
                   cache: bool = True, max_notes: int = MAX_NOTES, media: MediaLookup | None = None
                   ) -> tuple[Knowledge, dict[str, FeedState]]:
    """The knowledge base built from the archive and the curated checklists, and the feed states.

    `local_url` gives the address of an archived article's page as seen from
    another's (the site's URL scheme knows it, not the model); links between
    archived articles point there, and stay as published without it. With
    `cache`, articles analysed before by the same code come from the archive's
    git-ignored .cache folder. Raises a KBError (ArchiveError, VocabularyError,
    ChecklistError), naming the file, when one is damaged. An article gives at most
    `max_notes` notes of each kind (a warning names it; its page and the archive keep all its text).
    `media` gives the site's copies of images (model/images.py); without it images are hot-linked.
    """
    archive = Archive(archive_dir)
    paths = archive.entry_paths()
    feeds = {name: _safe_state(state) for name, state in archive.feed_states().items()}
    vocabulary = load_vocabulary()
    curated = load_checklists(checklists_dir, vocabulary) if checklists_dir else []
    salt = (local_url("id") if local_url else "") + (f" media:{media.prefix}" if media is not None else "")
    analysis_cache = AnalysisCache(archive.root, code_fingerprint(salt)) if cache else None

    with set_aside() as keep:
        articles, notes = analyse(paths, archive.read_entry, vocabulary, local_url, analysis_cache, media)
        notes = {article_id: _capped(article_id, found, max_notes) for article_id, found in notes.items()}
        articles = [with_feed_defaults(a, feeds[a.feed].language, feeds[a.feed].author) if a.feed in feeds else a
                    for a in articles]
        keep()
        return build_knowledge(articles, vocabulary, curated, notes), feeds


log = logging.getLogger(__name__)


def _capped(article_id: str, notes: ArticleNotes, limit: int) -> ArticleNotes:
    notes, over = capped(notes, limit)
    if over:
        log.warning("resilience-kb: article %s: it gives %s; only the first %d of each kind are kept as notes "
                    "(the plugin's max_notes_per_article)", article_id, ", ".join(over), limit)
    return notes


def _safe_state(state: FeedState) -> FeedState:
    """A feed's own texts as the site may show them: no character XML forbids, its title on one line."""
    texts = {k: xml_safe(v) for k in ("title", "author", "language") if isinstance(v := getattr(state, k), str)}
    if texts.get("title") is not None:
        texts["title"] = inline_text(texts["title"], MAX_TITLE) or None
    return replace(state, **texts)
