"""Load the knowledge base from disk: the archive and the vocabularies, through the pure stages.

The one place that strings the stages together, for the plugin and the
command line alike, so that both see exactly the same knowledge base.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Callable

from ingest.archive.store import Archive, FeedState
from ingest.model.analysis import BATCH, analyse
from ingest.model.cache import AnalysisCache, code_fingerprint
from ingest.model.checklists import load_checklists
from ingest.model.knowledge import Knowledge, build_knowledge
from ingest.model.vocabulary import load_vocabulary


def load_knowledge(archive_dir: Path, checklists_dir: Path | None = None, *, use_directory_urls: bool = True,
                   cache: bool = True) -> tuple[Knowledge, dict[str, FeedState]]:
    """The knowledge base built from the archive and the curated checklists, and the feed states.

    With `cache`, articles analysed before by the same code come from the archive's
    git-ignored .cache folder. Raises ArchiveError, VocabularyError or ChecklistError,
    naming the file, when one is damaged.
    """
    archive = Archive(archive_dir)
    paths = archive.entry_paths()
    feeds = archive.feed_states()
    vocabulary = load_vocabulary()
    curated = load_checklists(checklists_dir, vocabulary) if checklists_dir else []
    analysis_cache = AnalysisCache(archive.root, code_fingerprint(str(use_directory_urls))) if cache else None

    def batches():
        for start in range(0, len(paths), BATCH):
            yield [archive.read_entry(path) for path in paths[start:start + BATCH]]

    articles, notes = analyse(batches, vocabulary, local_article_url(use_directory_urls), analysis_cache)
    return build_knowledge(articles, vocabulary, curated, notes), feeds


def local_article_url(use_directory_urls: bool) -> Callable[[str], str]:
    """The URL of an article's page as seen from another article's page (both in articles/)."""
    return partial(_article_url, use_directory_urls)  # a partial, not a lambda: it goes to worker processes


def _article_url(use_directory_urls: bool, article_id: str) -> str:
    return f"../{article_id}/" if use_directory_urls else f"{article_id}.html"
