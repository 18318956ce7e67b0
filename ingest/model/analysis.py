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
from typing import Callable, Iterator, Sequence, TypeVar

from ingest.archive.records import EntryRecord
from ingest.memory import set_aside
from ingest.model.articles import Article, LinkIndex, LocalURL, parse_article, resolver
from ingest.model.cache import AnalysisCache, Resolutions
from ingest.model.images import MediaLookup
from ingest.model.knowledge import article_notes
from ingest.model.extract.notes import ArticleNotes
from ingest.model.extract.vocabulary import Vocabulary, load_vocabulary

IMAGE = "\x00image"  # the "link text" under which an image's answer from the media store is cached
PARALLEL_FROM = 300  # records of a batch to analyse before a process pool pays for itself
CHUNK = 32
BATCH = 1000  # records read from the archive at a time

Source = TypeVar("Source")  # where a record is read from: an entry file's path
_worker: dict = {}  # the state each worker process sets up once


def analyse(sources: Sequence[Source], read: Callable[[Source], EntryRecord], vocabulary: Vocabulary,
            local_url: LocalURL | None, cache: AnalysisCache | None = None, media: MediaLookup | None = None
            ) -> tuple[list[Article], dict[str, ArticleNotes]]:
    """Every source's record (`read` reads one: an entry file) as an Article with its notes, in order.

    Each record is read once for the index of links and for its cached analysis;
    the records to analyse are read again, once the index is whole, by the process
    that analyses them (the parent only hands out where they are). A large archive
    is never all in memory as raw entries; only the articles made from it are.
    """
    # Loading keeps what it makes, and each full collection would walk all of it again to find
    # nothing: what is kept is set aside batch by batch (collections of young objects go on).
    with set_aside() as keep:
        return _analyse_all(sources, read, vocabulary, local_url, cache, keep, media)


def _analyse_all(sources: Sequence[Source], read: Callable[[Source], EntryRecord], vocabulary: Vocabulary,
                 local_url: LocalURL | None, cache: AnalysisCache | None, keep: Callable[[], None],
                 media: MediaLookup | None = None) -> tuple[list[Article], dict[str, ArticleNotes]]:
    facts: list[EntryRecord] = []  # what the archive says of each entry, without the entry itself
    hits: dict[int, tuple[Article, ArticleNotes, Resolutions]] = {}

    def records() -> Iterator[EntryRecord]:
        for position, source in enumerate(sources):
            if position % BATCH == BATCH - 1:
                keep()
            record = read(source)
            facts.append(replace(record, entry={}))
            hit = cache.get(_key(record)) if cache else None
            if hit is not None:
                hits[position] = hit
            yield record

    index = LinkIndex(records())
    done: dict[int, tuple[Article, ArticleNotes]] = {}
    for position, (article, article_notes, resolutions) in hits.items():
        if _links_agree(resolutions, index, facts[position].id, local_url, media):
            done[position] = (_refreshed(article, facts[position]), article_notes)
    hits.clear()
    todo = [position for position in range(len(facts)) if position not in done]
    with _Workers(index, local_url, cache, read, media) as workers:
        for start in range(0, len(todo), BATCH):
            batch = todo[start:start + BATCH]
            for position, analysed in zip(batch, workers.analyse([sources[p] for p in batch], vocabulary)):
                done[position] = analysed
            keep()
    if cache is not None:
        cache.prune()
    return [done[p][0] for p in range(len(facts))], {facts[p].id: done[p][1] for p in range(len(facts))}


class _Workers:
    """A process pool, started only when a batch is big enough to be worth it.

    Whoever analyses an article writes its cache entry (each file is written
    atomically under its own name), so the parent only gathers the results.
    """

    def __init__(self, index: LinkIndex, local_url: LocalURL | None, cache: AnalysisCache | None,
                 read: Callable[[Source], EntryRecord], media: MediaLookup | None = None) -> None:
        self.index, self.local_url, self.cache, self.read, self.media = index, local_url, cache, read, media
        self.count = min(os.cpu_count() or 1, 8)
        self.pool: ProcessPoolExecutor | None = None

    def analyse(self, sources: list[Source], vocabulary: Vocabulary) -> list[tuple[Article, ArticleNotes]]:
        """Each source's record read and analysed, in order; by the workers when there are enough."""
        if len(sources) < PARALLEL_FROM or self.count < 2:
            return [_analyse(self.read(source), self.index, vocabulary, self.local_url, self.cache, self.media)
                    for source in sources]
        if self.pool is None:
            self.pool = ProcessPoolExecutor(max_workers=self.count, initializer=_start_worker,
                                            initargs=(self.index, self.local_url, self.cache, self.read, self.media))
        return list(self.pool.map(_analyse_in_worker, sources, chunksize=CHUNK))

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def _analyse(record: EntryRecord, index: LinkIndex, vocabulary: Vocabulary, local_url: LocalURL | None,
             cache: AnalysisCache | None, media: MediaLookup | None = None) -> tuple[Article, ArticleNotes]:
    resolutions: Resolutions = {}
    resolve = resolver(index, record.id, local_url)

    def recording(url: str, text: str) -> str | None:
        resolutions[(url, text)] = local = resolve(url, text)
        return local

    def recording_image(url: str):
        # Kept with the links' answers, under a text no link has: the store grows as links do.
        resolutions[(url, IMAGE)] = media.answer(url)
        return media(url)

    article, document = parse_article(record, recording, recording_image if media is not None else None)
    # The document serves the notes and goes no further: what is cached, held in
    # memory or sent between processes is the article and its notes only.
    notes = article_notes(article, document, vocabulary)
    if cache is not None:
        cache.put(_key(record), article, notes, resolutions)
    return article, notes


def _links_agree(resolutions: Resolutions, index: LinkIndex, own_id: str, local_url: LocalURL | None,
                 media: MediaLookup | None = None) -> bool:
    """Whether every link of a cached article still leads where it led (the archive may have grown), and
    every image has the same copy, or none, in the media store."""
    resolve = resolver(index, own_id, local_url)
    # (Whether the media store is used at all is part of the cache's fingerprint: load.py.)
    return all((media.answer(url) if text == IMAGE else resolve(url, text)) == local
               for (url, text), local in resolutions.items())


def _refreshed(article: Article, record: EntryRecord) -> Article:
    """The archive's own facts about an entry are taken from the archive, not from the cache."""
    return replace(article, id=record.id, feed=record.feed, first_seen=record.first_seen,
                   archive_updated=record.updated, content_hash=record.content_hash,
                   revisions=tuple(r.seen for r in record.revisions), backfill=record.backfill)


def _key(record: EntryRecord) -> str:
    return f"{record.id}-{record.content_hash.removeprefix('sha256:')[:32]}"


def _start_worker(index: LinkIndex, local_url: LocalURL | None, cache: AnalysisCache | None,
                  read: Callable[[Source], EntryRecord], media: MediaLookup | None = None) -> None:
    _worker.update(index=index, local_url=local_url, vocabulary=load_vocabulary(), cache=cache, read=read,
                   media=media)


def _analyse_in_worker(source: Source) -> tuple[Article, ArticleNotes]:
    return _analyse(_worker["read"](source), _worker["index"], _worker["vocabulary"], _worker["local_url"],
                    _worker["cache"], _worker["media"])
