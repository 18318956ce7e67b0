"""The knowledge base: every article with its notes, and the notes gathered across articles.

This is the model the site and `knowledge.json` are made from. Building it is
pure: articles and vocabularies in, a Knowledge out. Per-article notes come
from the extractors; here they are merged (the same bias named by two articles
is one entry) and cross-referenced (a pattern lists every passage naming it).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property
from datetime import datetime
from typing import Callable, TypeVar

from ingest.model.articles import Article
from ingest.model.checklists import CuratedChecklist, Drift, Item, drift
from ingest.model.html.document import Document
from ingest.model.tags import TagIndex
from ingest.model.extract import extract_notes
from ingest.model.extract.patterns import patterns_in
from ingest.model.extract.notes import ArticleNotes, BiasNote, Checklist, ChecklistItem, Mention
from ingest.text import slugify
from ingest.model.extract.vocabulary import Pattern, Vocabulary, bias_key
from ingest.model.passages import ArticlePassages, rank_passages

N = TypeVar("N")  # a type of note


@dataclass(frozen=True)
class PatternEntry:
    """A pattern of the vocabulary with every passage of the archive that names it, and the best of them."""

    pattern: Pattern
    mentions: tuple[tuple[str, Mention], ...]  # (article id, mention), in article order
    articles: tuple[str, ...]  # article ids: those quoted (best first), then those naming it in passing
    questions: tuple[tuple[str, Item], ...] = ()  # (checklist id, item) of checklist questions naming it
    quoted: tuple[ArticlePassages, ...] = ()  # the articles that say most about it, with their best passages
    in_passing: tuple[tuple[str, Mention], ...] = ()  # the others, each with its best passage, best first


@dataclass(frozen=True)
class ChecklistEntry:
    """A curated checklist as the site shows it: patterns resolved, drift measured."""

    checklist: CuratedChecklist
    patterns: dict[str, tuple[str, ...]] = field(hash=False)  # item id -> pattern ids
    drift: Drift = Drift()
    article: Article | None = None  # the source article, when it is in the archive


@dataclass(frozen=True)
class BiasEntry:
    """One bias, merged across the articles that name it."""

    id: str
    name: str
    notes: tuple[tuple[str, BiasNote], ...]  # (article id, note) for each article naming it
    meaning: str | None = None  # the vocabulary's definition, when the bias is one it knows

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(article_id for article_id, _ in self.notes)

    @property
    def definition(self) -> str | None:
        """The first definition an article gives (articles in publication order)."""
        return next((note.definition for _, note in self.notes if note.definition), None)


@dataclass(frozen=True)
class Knowledge:
    articles: tuple[Article, ...]  # newest first
    notes: dict[str, ArticleNotes] = field(hash=False)
    patterns: tuple[PatternEntry, ...] = ()
    biases: tuple[BiasEntry, ...] = ()
    curated: tuple[ChecklistEntry, ...] = ()
    vocabulary: Vocabulary | None = field(default=None, hash=False, compare=False)

    def article(self, article_id: str) -> Article:
        return self._by_id[article_id]

    def has_article(self, article_id: str) -> bool:
        return article_id in self._by_id

    @cached_property
    def tag_index(self) -> TagIndex:
        """Every tag, merged by case, spacing and plural (model/tags.py)."""
        return TagIndex((a.id, a.tags) for a in self.articles)

    @property
    def tag_slugs(self) -> dict[str, str]:
        """Each merged tag's key -> the slug of its page, unique even when two tags slug alike."""
        return self.tag_index.slugs()

    def tag_slug(self, tag: str) -> str:
        """The slug of the page of the merged tag that the spelling `tag` belongs to."""
        return self.tag_index.of(tag).slug

    def biases_of(self, article_id: str) -> list[BiasEntry]:
        """The merged biases an article names."""
        return self._biases_by_article.get(article_id, [])

    @cached_property
    def _biases_by_article(self) -> dict[str, list[BiasEntry]]:
        found: dict[str, list[BiasEntry]] = defaultdict(list)
        for entry in self.biases:
            for article_id in entry.articles:
                found[article_id].append(entry)
        return found

    @cached_property
    def _by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    def with_notes(self, notes_of: Callable[[ArticleNotes], tuple[N, ...]]) -> list[tuple[Article, tuple[N, ...]]]:
        """(article, its notes of one kind) for every article that has some, newest first.

        `notes_of` picks the kind: `knowledge.with_notes(lambda n: n.launches)`.
        """
        return [(a, found) for a in self.articles if (found := notes_of(self.notes[a.id]))]

    def checklists(self) -> list[tuple[Article, Checklist]]:
        return [(a, self.notes[a.id].checklist) for a in self.articles if self.notes[a.id].checklist]

    def problems(self) -> list[tuple[str, str]]:
        """(article id, "extractor: reason") for every extractor that failed."""
        return [(a.id, failure) for a in self.articles for failure in self.notes[a.id].failures]


def build_knowledge(articles: list[Article], vocabulary: Vocabulary, curated: list[CuratedChecklist],
                    notes: dict[str, ArticleNotes]) -> Knowledge:
    """Gather every article's notes (extracted by analysis.py) across the archive and the curated checklists."""
    ordered = tuple(sorted(articles, key=lambda a: a.sort_key, reverse=True))
    by_id = {a.id: a for a in ordered}
    entries = tuple(_checklist_entry(c, by_id, notes, vocabulary) for c in curated)
    oldest_first = list(reversed(ordered))
    return Knowledge(
        articles=ordered,
        notes=notes,
        patterns=_gather_patterns(oldest_first, notes, vocabulary, entries),
        biases=_gather_biases(oldest_first, notes, vocabulary),
        curated=entries,
        vocabulary=vocabulary,
    )


def _checklist_entry(checklist: CuratedChecklist, articles: dict[str, Article], notes: dict[str, ArticleNotes],
                     vocabulary: Vocabulary) -> ChecklistEntry:
    patterns = checklist_patterns(checklist, vocabulary)
    source = checklist.source
    article = articles.get(source.article) if source else None
    upstream = notes[article.id].checklist if article else None
    return ChecklistEntry(checklist=checklist, patterns=patterns, article=article,
                          drift=drift(checklist, upstream, article.content_hash if article else None))


def checklist_patterns(checklist: CuratedChecklist, vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    """Each item's pattern ids: its curated `patterns`, else those its text names.

    A pattern the checklist is about ("Incident Postmortem Template" and postmortems) would
    link from every other question; it is left to the title.
    """
    subject = {p.id for p in patterns_in(checklist.title, vocabulary)}
    return {item.id: item.patterns if item.patterns is not None
            else tuple(p for p in item_patterns(item, vocabulary) if p not in subject)
            for item in checklist.items}


def item_patterns(item: ChecklistItem | Item, vocabulary: Vocabulary) -> list[str]:
    """The ids of the patterns a checklist item names, in its text or its explanation."""
    return [p.id for p in patterns_in(f"{item.text} {item.detail or ''}", vocabulary)]


def article_notes(article: Article, document: Document, vocabulary: Vocabulary) -> ArticleNotes:
    """One article's notes, extracted from its document model."""
    return _titled(extract_notes(document, vocabulary, label=article.id), article)


def _titled(notes: ArticleNotes, article: Article) -> ArticleNotes:
    """A checklist is titled after its article (extraction never reads titles)."""
    if notes.checklist is None:
        return notes
    return replace(notes, checklist=replace(notes.checklist, title=article.title))


def _gather_patterns(articles: list[Article], notes: dict[str, ArticleNotes], vocabulary: Vocabulary,
                     checklists: tuple[ChecklistEntry, ...]) -> tuple[PatternEntry, ...]:
    mentions: dict[str, list[tuple[str, Mention]]] = defaultdict(list)
    for article in articles:
        for mention in notes[article.id].mentions:
            mentions[mention.pattern].append((article.id, mention))
    questions: dict[str, list[tuple[str, Item]]] = defaultdict(list)
    for entry in checklists:
        for item in entry.checklist.items:
            for pattern_id in entry.patterns[item.id]:
                questions[pattern_id].append((entry.checklist.id, item))
    # A digest of launches names many patterns in passing; it ranks after the articles about them.
    digests = frozenset(a.id for a in articles if notes[a.id].kind == "digest" or notes[a.id].launches)
    entries = []
    for pattern in vocabulary.patterns:
        found = mentions.get(pattern.id, [])
        ranking = rank_passages(pattern, found, digests, vocabulary)
        entries.append(PatternEntry(pattern=pattern, mentions=tuple(found),
                                    articles=tuple(a.article for a in ranking.quoted)
                                    + tuple(a for a, _ in ranking.in_passing),
                                    questions=tuple(questions.get(pattern.id, ())), quoted=ranking.quoted,
                                    in_passing=ranking.in_passing))
    return tuple(entries)


def _gather_biases(articles: list[Article], notes: dict[str, ArticleNotes],
                   vocabulary: Vocabulary) -> tuple[BiasEntry, ...]:
    merged: dict[str, list[tuple[str, BiasNote]]] = defaultdict(list)
    names: dict[str, str] = {}
    meanings: dict[str, str] = {}
    listed: set[tuple[str, str]] = set()  # (bias, article): an article counts once per bias
    for article in articles:
        for note in notes[article.id].biases:
            known = vocabulary.canonical_bias(note.name)
            key = bias_key(known.name if known else note.name)
            names.setdefault(key, note.name)  # as the first article to name it wrote it
            if known and known.definition:
                meanings.setdefault(key, known.definition)
            if (key, article.id) not in listed:
                listed.add((key, article.id))
                merged[key].append((article.id, note))
    entries = []
    taken: set[str] = set()
    for key, found in sorted(merged.items()):
        bias_id = slugify(key) or "bias"
        if bias_id in taken:  # two names that slug alike still get an anchor each
            bias_id = f"{bias_id}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"
        taken.add(bias_id)
        entries.append(BiasEntry(id=bias_id, name=_capitalised(names[key]), notes=tuple(found),
                                 meaning=meanings.get(key)))
    return tuple(sorted(entries, key=lambda e: e.name.casefold()))


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def iso(when: datetime | None) -> str | None:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else None
