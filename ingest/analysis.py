"""Archived entries to articles and their notes: from the cache where it can, on every core where it must.

Each entry is cleaned and its notes extracted independently of the others
(only the index of the archive's links is shared), so the work splits across
processes; below a few hundred entries a pool costs more than it saves. What
was analysed before, by the same code, comes from the cache (cache.py).
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from .archive import EntryRecord
from .articles import Article, LinkIndex, LocalURL, parse_article, resolver
from .cache import AnalysisCache, Resolutions
from .document import Document
from .knowledge import article_notes
from .notes import ArticleNotes
from .vocabulary import Vocabulary, load_vocabulary

PARALLEL_FROM = 300
CHUNK = 32

Analysis = tuple[Article, ArticleNotes, Resolutions]
_worker: dict = {}  # the state each worker process sets up once


def analyse(records: list[EntryRecord], vocabulary: Vocabulary, local_url: LocalURL,
            cache: AnalysisCache | None = None) -> tuple[list[Article], dict[str, ArticleNotes]]:
    """Every record as an Article with its notes, in the records' order."""
    index = LinkIndex(records)
    done: dict[str, tuple[Article, ArticleNotes]] = {}
    todo = []
    for record in records:
        hit = cache.get(_key(record)) if cache else None
        if hit is not None and _links_agree(hit[2], index, record.id, local_url):
            done[record.id] = (_refreshed(hit[0], record), hit[1])
        else:
            todo.append(record)
    for record, (article, notes, resolutions) in zip(todo, _analyse_all(todo, index, vocabulary, local_url)):
        done[record.id] = (article, notes)
        if cache is not None:
            cache.put(_key(record), article, notes, resolutions)
    if cache is not None:
        cache.prune()
    return [done[r.id][0] for r in records], {r.id: done[r.id][1] for r in records}


def _analyse_all(records: list[EntryRecord], index: LinkIndex, vocabulary: Vocabulary,
                 local_url: LocalURL) -> list[Analysis]:
    workers = min(os.cpu_count() or 1, 8)
    if len(records) < PARALLEL_FROM or workers < 2:
        return [_analyse(record, index, vocabulary, local_url) for record in records]
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(index, local_url)) as pool:
        return list(pool.map(_analyse_in_worker, records, chunksize=CHUNK))


def _analyse(record: EntryRecord, index: LinkIndex, vocabulary: Vocabulary, local_url: LocalURL) -> Analysis:
    resolutions: Resolutions = {}
    resolve = resolver(index, record.id, local_url)

    def recording(url: str, text: str) -> str | None:
        resolutions[(url, text)] = local = resolve(url, text)
        return local

    article = parse_article(record, recording)
    notes = article_notes(article, vocabulary)
    # The document model and the plain text have served (notes, summary, reading time);
    # dropping them keeps what is cached, held in memory or sent between processes small.
    return replace(article, body=replace(article.body, document=Document(), text="")), notes, resolutions


def _links_agree(resolutions: Resolutions, index: LinkIndex, own_id: str, local_url: LocalURL) -> bool:
    """Whether every link of a cached article still leads where it led (the archive may have grown)."""
    resolve = resolver(index, own_id, local_url)
    return all(resolve(url, text) == local for (url, text), local in resolutions.items())


def _refreshed(article: Article, record: EntryRecord) -> Article:
    """The archive's own facts about an entry are taken from the archive, not from the cache."""
    return replace(article, id=record.id, feed=record.feed, first_seen=record.first_seen,
                   archive_updated=record.updated, content_hash=record.content_hash,
                   revisions=tuple(r.seen for r in record.revisions))


def _key(record: EntryRecord) -> str:
    return f"{record.id}-{record.content_hash.removeprefix('sha256:')[:32]}"


def _start_worker(index: LinkIndex, local_url: LocalURL) -> None:
    _worker.update(index=index, local_url=local_url, vocabulary=load_vocabulary())


def _analyse_in_worker(record: EntryRecord) -> Analysis:
    return _analyse(record, _worker["index"], _worker["vocabulary"], _worker["local_url"])
