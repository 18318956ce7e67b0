"""Load the knowledge base from disk: the archive and the vocabularies, through the pure stages.

The one place that strings the stages together, for the plugin and the
command line alike, so that both see exactly the same knowledge base.
"""

from __future__ import annotations

from pathlib import Path

from ingest.archive.records import FeedState
from ingest.archive.store import Archive
from ingest.model.analysis import analyse
from ingest.model.articles import LocalURL, with_feed_defaults
from ingest.model.cache import AnalysisCache
from ingest.model.fingerprint import code_fingerprint
from ingest.model.checklists import load_checklists
from ingest.model.knowledge import Knowledge, build_knowledge
from ingest.model.extract.vocabulary import load_vocabulary
from ingest.memory import set_aside


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

    with set_aside() as keep:
        articles, notes = analyse(paths, archive.read_entry, vocabulary, local_url, analysis_cache)
        articles = [with_feed_defaults(a, feeds[a.feed].language, feeds[a.feed].author) if a.feed in feeds else a
                    for a in articles]
        keep()
        return build_knowledge(articles, vocabulary, curated, notes), feeds
