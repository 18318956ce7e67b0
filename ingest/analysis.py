"""Archived entries to articles and their notes, on every core when there are many.

Each entry is cleaned and its notes extracted independently of the others
(only the index of the archive's links is shared), so the work splits across
processes. Below a few hundred entries a pool costs more than it saves.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from .archive import EntryRecord
from .articles import Article, LinkIndex, LocalURL, parse_article, resolver
from .document import Document
from .knowledge import article_notes
from .notes import ArticleNotes
from .vocabulary import Vocabulary, load_vocabulary

PARALLEL_FROM = 300
CHUNK = 32

_worker: dict = {}  # the state each worker process sets up once


def analyse(records: list[EntryRecord], vocabulary: Vocabulary,
            local_url: LocalURL) -> tuple[list[Article], dict[str, ArticleNotes]]:
    """Every record as an Article with its notes."""
    index = LinkIndex(records)
    workers = min(os.cpu_count() or 1, 8)
    if len(records) < PARALLEL_FROM or workers < 2:
        pairs = [_analyse(record, index, vocabulary, local_url) for record in records]
    else:
        with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(index, local_url)) as pool:
            pairs = list(pool.map(_analyse_in_worker, records, chunksize=CHUNK))
    return [article for article, _ in pairs], {article.id: notes for article, notes in pairs}


def _analyse(record: EntryRecord, index: LinkIndex, vocabulary: Vocabulary,
             local_url: LocalURL) -> tuple[Article, ArticleNotes]:
    article = parse_article(record, resolver(index, record.id, local_url))
    notes = article_notes(article, vocabulary)
    # The document model has served; dropping it keeps what crosses between processes small.
    return replace(article, body=replace(article.body, document=Document())), notes


def _start_worker(index: LinkIndex, local_url: LocalURL) -> None:
    _worker.update(index=index, local_url=local_url, vocabulary=load_vocabulary())


def _analyse_in_worker(record: EntryRecord) -> tuple[Article, ArticleNotes]:
    return _analyse(record, _worker["index"], _worker["vocabulary"], _worker["local_url"])
