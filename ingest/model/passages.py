"""Which passages a pattern page quotes, in which order: scored, without near-duplicates, grouped by article.

A passage's score says how much it tells a reader about the pattern; each rule
adds or takes away points, and the rules a passage met are kept with it (`why`):

    defines      +3    the pattern is defined: "A circuit breaker is a …", "… is called a bulkhead"
    subject      +2    the pattern is what the sentence is about: named in its first words, after no
                       pronoun ("You can monitor …" is about you)
    explains     +1    it says why or when: because, so that, when, unless, to avoid, prevents …
                 +0.5  a second such word
    length       +1    12 to 50 words; −2 under 8, −1 over 70
    vocabulary   +0.5  each other word of the pattern's vocabulary (its terms, its context words), up to 1.5
    related      +0.5  each related pattern named, up to 1
    list         −4    the pattern is only an item of a bare list of pattern names: one that ends its
                       clause, saying nothing of them ("… proving the countermeasures' effectiveness:
                       timeouts, retries, and circuit breakers"); a list that is the subject of what
                       follows is not bare ("Timeouts, retries and circuit breakers are countermeasures …")
    launch       −3    it announces a launch ("now generally available", "we're excited to announce")
    question     −0.5  it asks (a checklist's prompt) rather than explains
    lead-in      −2    it ends with a colon: what it says follows it ("… was considered critical because:")

An article keeps its MAX_PER_ARTICLE best passages, none a near-duplicate of a
better one (the same words, numbering and punctuation aside: token sets overlapping
by NEAR_DUPLICATE or more), and none scoring under MIN_SCORE. Its score is that of
its best passage, plus half the second's and a quarter of the third's: an article
that says several things about the pattern outranks one that says one. Articles are
ranked by that score, except that digests of launches come after the articles that
discuss the pattern. A passage that repeats one already quoted from a higher-ranked
article is dropped; an article left with none names the pattern only in passing.

Pure: the mentions and what kind of article each is come in, the ranking goes out.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable

from ingest.model.extract.notes import Mention
from ingest.model.extract.titles import title_key
from ingest.model.extract.vocabulary import Pattern, Vocabulary

MAX_PER_ARTICLE = 3
MAX_ARTICLES = 15  # articles quoted on a pattern page; the others are listed as naming it in passing
MIN_SCORE = 0.0
NEAR_DUPLICATE = 0.8

DEFINES_AFTER = re.compile(r"^\W*(?:is|are)\s+(?:a|an|the|one|also|when|how|what|where|about|used|simply|essentially)\b"
                           r"|^\W*(?:means|refers to|describes|consists of)\b|^\s*,\s*(?:which|that) (?:is|are|means)\b",
                           re.IGNORECASE)
DEFINES_BEFORE = re.compile(r"\b(?:called|known as|concept of|idea of|practice of|principle of)\W*$", re.IGNORECASE)
NOT_SUBJECT = re.compile(r"\b(?:i|you|we|they|he|she|it|one)\b", re.IGNORECASE)  # someone else is the subject
SUBJECT_WORDS = 4  # the pattern named within the first words of the passage (after "The", "Using" …)
EXPLAINS = re.compile(r"\b(?:because|so that|in order to|when|whenever|unless|otherwise|instead of|to avoid|"
                      r"to prevent|prevents?|avoids?|ensures?|protects?|allows?|lets|helps?|which means|"
                      r"if|without|by)\b", re.IGNORECASE)
LAUNCH = re.compile(r"\b(?:announc(?:e|es|ed|ing)|now (?:generally )?available|generally available|in preview|"
                    r"(?:we are|we're|we’re) (?:excited|pleased|happy|thrilled|proud)|introducing|"
                    r"launch(?:ed|es)?|new release|now supports?)\b", re.IGNORECASE)
LIST_SPLIT = re.compile(r"\s*(?:[,;/]|\band\b|\bor\b|\betc\b\.?)\s*", re.IGNORECASE)
CLAUSE = re.compile(r"[^.;:()—–!?]+")
LIST_ITEM_WORDS = 3  # an item of a list of names has few words besides the name
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class Passage:
    mention: Mention
    score: float
    why: tuple[str, ...]  # the rules it met, as named in the table above


@dataclass(frozen=True)
class ArticlePassages:
    """An article's quoted passages about one pattern, best first."""

    article: str  # article id
    passages: tuple[Passage, ...]
    score: float
    digest: bool  # a digest of launches: ranked after the articles that discuss the pattern


@dataclass(frozen=True)
class Ranking:
    quoted: tuple[ArticlePassages, ...]  # the articles a pattern page quotes, best first
    # the other articles naming the pattern, best first, each with its best passage (to link to)
    in_passing: tuple[tuple[str, Mention], ...]


def rank_passages(pattern: Pattern, mentions: Iterable[tuple[str, Mention]], digests: frozenset[str],
                  vocabulary: Vocabulary) -> Ranking:
    """The articles that say most about `pattern` with their best passages; `digests`: ids of launch digests."""
    by_article: dict[str, list[Passage]] = {}
    for article_id, mention in mentions:
        by_article.setdefault(article_id, []).append(score_passage(pattern, mention, vocabulary))
    candidates = [_best_of(article_id, passages, article_id in digests) for article_id, passages in by_article.items()]
    # Sorted by rank; ties (and articles with nothing to quote) keep the mentions' order, oldest first.
    order = {article_id: n for n, article_id in enumerate(by_article)}
    candidates.sort(key=lambda a: (a.digest, not a.passages, -a.score, order[a.article]))
    quoted: list[ArticlePassages] = []
    shown: list[frozenset[str]] = []
    in_passing: list[tuple[str, Mention]] = []
    for candidate in candidates:
        fresh = tuple(p for p in candidate.passages if not _repeats(_tokens(p.mention.text), shown))
        if not fresh or len(quoted) >= MAX_ARTICLES:
            best = max(by_article[candidate.article], key=lambda p: p.score)  # the first of equals
            in_passing.append((candidate.article, best.mention))
            continue
        shown += [_tokens(p.mention.text) for p in fresh]
        quoted.append(ArticlePassages(candidate.article, fresh, _article_score(fresh), candidate.digest))
    return Ranking(quoted=tuple(quoted), in_passing=tuple(in_passing))


def _best_of(article_id: str, passages: list[Passage], digest: bool) -> ArticlePassages:
    """The article's best passages: at most MAX_PER_ARTICLE, none under MIN_SCORE, none repeating a better one."""
    kept: list[Passage] = []
    tokens: list[frozenset[str]] = []
    for passage in sorted(passages, key=lambda p: -p.score):  # stable: equal scores keep the article's order
        if passage.score < MIN_SCORE or len(kept) >= MAX_PER_ARTICLE:
            break
        words = _tokens(passage.mention.text)
        if not _repeats(words, tokens):
            kept.append(passage)
            tokens.append(words)
    return ArticlePassages(article_id, tuple(kept), _article_score(kept), digest)


def _article_score(passages: Iterable[Passage]) -> float:
    return sum(p.score / 2 ** n for n, p in enumerate(passages))


def _tokens(text: str) -> frozenset[str]:
    return frozenset(title_key(text).split())


def near_duplicates(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two token sets overlapping by NEAR_DUPLICATE or more (shared words over all their words)."""
    union = len(a | b)
    return bool(union) and len(a & b) / union >= NEAR_DUPLICATE


def _repeats(words: frozenset[str], shown: list[frozenset[str]]) -> bool:
    return any(near_duplicates(words, other) for other in shown)


def score_passage(pattern: Pattern, mention: Mention, vocabulary: Vocabulary) -> Passage:
    """The passage scored by the rules of the table in this module's docstring."""
    text = mention.text
    matches = pattern.find(text) or list(pattern.regex.finditer(text))
    points: list[tuple[str, float]] = []
    if matches:
        first = matches[0]
        subject = len(WORD.findall(text[:first.start()])) <= SUBJECT_WORDS and not NOT_SUBJECT.search(
            text[:first.start()])
        if (subject and DEFINES_AFTER.search(text[first.end():first.end() + 40])) or any(
                DEFINES_BEFORE.search(text[max(0, m.start() - 40):m.start()]) for m in matches):
            points.append(("defines", 3))
        if subject:
            points.append(("subject", 2))
        lists = _bare_lists(text, vocabulary)
        if lists and all(_in_list_of_names(m, lists, text) for m in matches):
            points.append(("list", -4))
    explains = len(EXPLAINS.findall(text))
    if explains:
        points.append(("explains", 1 + 0.5 * (explains > 1)))
    points += _length(len(WORD.findall(text)))
    points += _vocabulary(pattern, text, vocabulary, listed=any(name == "list" for name, _ in points))
    if LAUNCH.search(text):
        points.append(("launch", -3))
    if text.rstrip().endswith("?"):
        points.append(("question", -0.5))
    if text.rstrip().endswith(":"):
        points.append(("lead-in", -2))
    return Passage(mention=mention, score=sum(p for _, p in points), why=tuple(name for name, _ in points))


def _length(words: int) -> list[tuple[str, float]]:
    if words < 8:
        return [("short", -2)]
    if 12 <= words <= 50:
        return [("length", 1)]
    return [("long", -1)] if words > 70 else []


def _vocabulary(pattern: Pattern, text: str, vocabulary: Vocabulary, listed: bool) -> list[tuple[str, float]]:
    """Points for the pattern's words and related patterns nearby; none in a bare list, whose other
    names are no explanation."""
    if listed:
        return []
    points = []
    rest = pattern.regex.sub(" ", text)
    if pattern.context_regex is not None:
        words = {m.group().casefold() for m in pattern.context_regex.finditer(rest)}
        if words:
            points.append(("vocabulary", min(1.5, 0.5 * len(words))))
    related = [r for r in pattern.related if vocabulary.pattern_by_id[r].find(text)]
    if related:
        points.append(("related", min(1.0, 0.5 * len(related))))
    return points


def _bare_lists(text: str, vocabulary: Vocabulary) -> list[tuple[int, int]]:
    """The clauses of `text` that are bare lists of pattern names: three or more items naming
    patterns, the last a name and a few words (the list ends its clause; nothing is said of it).

    Each clause is split and read once, whatever the number of names in it (a hostile sentence
    of thousands of names stays linear)."""
    spans = []
    for clause in CLAUSE.finditer(text):
        items, start = [], clause.start()
        for separator in LIST_SPLIT.finditer(clause.group()):
            items.append((start, clause.start() + separator.start()))
            start = clause.start() + separator.end()
        items.append((start, clause.end()))
        items = [(a, b) for a, b in items if text[a:b].strip()]
        if len(items) < 3 or _words_besides_names(text[items[-1][0]:items[-1][1]], vocabulary) > LIST_ITEM_WORDS:
            continue
        if sum(1 for a, b in items if _names_a_pattern(text[a:b], vocabulary)) >= 3:
            spans.extend(items)
    return spans


def _in_list_of_names(match: re.Match, items: list[tuple[int, int]], text: str) -> bool:
    """Whether the match is a short item (a name and a few words) of one of the bare lists' items."""
    index = bisect.bisect_right(items, (match.start(), float("inf"))) - 1
    if index < 0 or not items[index][0] <= match.start() < items[index][1]:
        return False
    a, b = items[index]
    return len(WORD.findall(text[a:match.start()] + " " + text[match.end():b])) <= LIST_ITEM_WORDS


def _words_besides_names(item: str, vocabulary: Vocabulary) -> int:
    named = max((len(WORD.findall(m.group())) for p in vocabulary.candidate_patterns(item) for m in p.find(item)),
                default=0)
    return len(WORD.findall(item)) - named


def _names_a_pattern(item: str, vocabulary: Vocabulary) -> bool:
    return any(p.find(item) for p in vocabulary.candidate_patterns(item))
