"""Load the knowledge base from disk: the archive and the vocabularies, through the pure stages.

The one place that strings the stages together, for the plugin and the
command line alike, so that both see exactly the same knowledge base.
"""

from __future__ import annotations

import gc
import itertools
from pathlib import Path
from typing import Callable

from ingest.archive.records import EntryRecord, FeedState
from ingest.archive.store import Archive
from ingest.model.analysis import BATCH, analyse
from ingest.model.articles import LocalURL, with_feed_defaults
from ingest.model.cache import AnalysisCache, code_fingerprint
from ingest.model.checklists import load_checklists
from ingest.model.knowledge import Knowledge, build_knowledge
from ingest.model.vocabulary import load_vocabulary


def load_knowledge(archive_dir: Path, checklists_dir: Path | None = None, *, local_url: LocalURL | None = None,
                   cache: bool = True) -> tuple[Knowledge, dict[str, FeedState]]:
    """The knowledge base built from the archive and the curated checklists, and the feed states.

    `local_url` gives the address of an archived article's page as seen from
    another's (the site's URL scheme knows it, not the model); links between
    archived articles point there, and stay as published without it. With
    `cache`, articles analysed before by the same code come from the archive's
    git-ignored .cache folder. Raises a KBError (ArchiveError, VocabularyError,
    ChecklistError), naming the file, when one is damaged.
    """
    archive = Archive(archive_dir)
    paths = archive.entry_paths()
    feeds = archive.feed_states()
    vocabulary = load_vocabulary()
    curated = load_checklists(checklists_dir, vocabulary) if checklists_dir else []
    analysis_cache = AnalysisCache(archive.root, code_fingerprint(local_url("id") if local_url else "")) if cache else None

    try:
        articles, notes = analyse(paths, _setting_aside(archive.read_entry), vocabulary, local_url, analysis_cache)
        articles = [with_feed_defaults(a, feeds[a.feed].language, feeds[a.feed].author) if a.feed in feeds else a
                    for a in articles]
        gc.freeze()
        return build_knowledge(articles, vocabulary, curated, notes), feeds
    finally:
        gc.unfreeze()


def _setting_aside(read: Callable[[Path], EntryRecord]) -> Callable[[Path], EntryRecord]:
    """`read`, setting what was made so far aside from Python's full garbage collections every BATCH entries.

    Loading keeps what it makes (millions of objects at 10,000 articles), and each
    full collection would walk all of it again to find nothing: a third of the time
    of a load from the cache. Collections of young objects go on as usual, and
    load_knowledge hands everything back (gc.unfreeze) when it is done.
    """
    count = itertools.count(1)

    def reading(path: Path) -> EntryRecord:
        if next(count) % BATCH == 0:
            gc.freeze()
        return read(path)

    return reading
