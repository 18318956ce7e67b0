"""Suggested links of an incident: the patterns, biases and questions a factor or action item names but does not link.

A short text is read as article passages are, by the same functions:
- patterns: extract/patterns.py's `patterns_in`, with the text as its own context, so
  a term with other senses ("cell" phone, network "jitter", transaction "isolation")
  counts only with a word of the pattern's context or another pattern beside it;
  then the patterns that contain a named one's failure (incident_links.yml:
  retries -> back-off, circuit breakers);
- biases: extract/biases.py's `extract_biases` on the text (a bias named by its name
  or an alias), then the cues of incident_links.yml, phrases that describe a bias
  without naming it ("nobody questioned the plan": groupthink);
- questions: the checklist questions (all but those of a checklist about postmortems,
  the incident's own template) whose patterns the text suggests, ranked by how much
  of the question the text covers and the rarer words they share; at most a few.
  A pattern that many questions carry (monitoring) names none of them alone: it
  takes a shared word ("certificate") to pick one.

Pure: the data file is read by `load_link_data`, the rest works on what it is given.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Mapping

from ingest.model.checklists import CuratedChecklist
from ingest.model.extract.biases import extract_biases
from ingest.model.extract.patterns import patterns_in
from ingest.model.extract.vocabulary import Vocabulary, bias_key
from ingest.model.extract.words import content_words
from ingest.model.html.document import Block, Document
from ingest.model.incident_types import Factor, Incident
from ingest.model.knowledge import checklist_patterns
from ingest.text import slugify
from ingest.yamlfile import FileError, load_yaml

DATA = Path(__file__).resolve().parent / "incident_links.yml"
MAX_QUESTIONS = 2  # per factor: a wrong suggestion costs trust
CROWDED = 3  # a pattern more questions carry than this picks one of them only with a shared word
CONTAINED_WEIGHT = 0.5  # a pattern suggested for containing a named one counts less than a named one
KEEP_FRACTION = 0.5  # a second question is kept only when it scores at least this share of the first
CUE_GAP = 3  # other words allowed between two words of a cue
_POSSESSIVE = re.compile(r"(?<=\w)[’']s\b")
_NOT = re.compile(r"n[’']t\b", re.IGNORECASE)


class LinkDataError(FileError):
    """incident_links.yml is wrong: the message names the file, the entry and the fix."""


@dataclass(frozen=True)
class LinkData:
    """incident_links.yml: the patterns that contain a pattern's failure, and the cues of biases."""
    contained_by: Mapping[str, tuple[str, ...]]
    cues: tuple[tuple[str, re.Pattern], ...]  # (bias name as in biases.yml, one regex of its cues)


def load_link_data(vocabulary: Vocabulary, path: Path = DATA) -> LinkData:
    """Read and check the file; LinkDataError names the file and the entry."""
    data = load_yaml(path, LinkDataError) or {}
    if not isinstance(data, dict) or {key for key, _ in _entries(data)} - {"contained_by", "cues"}:
        raise LinkDataError(f"{path}: expected a mapping with 'contained_by' and 'cues'")
    contained: dict[str, tuple[str, ...]] = {}
    section = data.get("contained_by") or {}
    where = f"{path}:{section.get('__line__', 0) if isinstance(section, dict) else 0}: contained_by"
    for pattern, others in _entries(section):
        if not isinstance(others, list) or not all(isinstance(o, str) for o in others):
            raise LinkDataError(f"{where}: {pattern}: expected a list of pattern ids, e.g. [back-off]")
        unknown = [p for p in (pattern, *others) if p not in vocabulary.pattern_by_id]
        if unknown:
            raise LinkDataError(f"{where}: {pattern}: {unknown[0]!r} is not a pattern id of patterns.yml; "
                                f"use one of its ids")
        contained[pattern] = tuple(others)
    cues = []
    section = data.get("cues") or {}
    where = f"{path}:{section.get('__line__', 0) if isinstance(section, dict) else 0}: cues"
    for name, phrases in _entries(section):
        known = vocabulary.canonical_bias(str(name))
        if known is None:
            raise LinkDataError(f"{where}: {name!r} is not a bias of biases.yml; use its name or an alias")
        if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) and p.split() for p in phrases):
            raise LinkDataError(f"{where}: {name}: expected a list of phrases, e.g. [nobody questioned]")
        cues.append((known.name, _cue_regex(phrases)))
    return LinkData(contained_by=contained, cues=tuple(cues))


def _entries(mapping: object) -> list[tuple[str, object]]:
    """A mapping's entries without the line numbers load_yaml adds; nothing for what is not a mapping."""
    if not isinstance(mapping, dict):
        return []
    return [(str(key), value) for key, value in mapping.items() if key != "__line__"]


def _cue_regex(phrases: list[str]) -> re.Pattern:
    gap = rf"(?:\W+\w+){{0,{CUE_GAP}}}?\W+"
    alternatives = (gap.join(re.escape(word) for word in re.findall(r"[\w’']+", phrase.lower()))
                    for phrase in sorted(set(phrases)))
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


def bias_id(name: str) -> str:
    """A bias's id, as the biases page anchors it (knowledge.py): the slug of its key."""
    return slugify(bias_key(name)) or "bias"


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    patterns: frozenset[str]
    words: frozenset[str]


@dataclass(frozen=True)
class Suggested:
    patterns: tuple[str, ...] = ()
    biases: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()


class Linker:
    """The vocabulary, the data and the checklists' questions, prepared once for many texts."""

    def __init__(self, vocabulary: Vocabulary, checklists: Iterable[CuratedChecklist], data: LinkData) -> None:
        self.vocabulary, self.data = vocabulary, data
        self.questions: list[Question] = []
        for checklist in checklists:
            if "postmortems" in {p.id for p in patterns_in(checklist.title, vocabulary)}:
                continue  # the incident's own template: its questions would not have caught it
            patterns = checklist_patterns(checklist, vocabulary)
            self.questions += [Question(item.id, item.text, frozenset(patterns[item.id]),
                                        frozenset(_words(item.text)))
                               for item in checklist.items if item.kind == "question" and patterns[item.id]]
        self.carriers = {p: sum(p in q.patterns for q in self.questions) for p in vocabulary.pattern_by_id}
        count = len(self.questions) or 1
        frequency: dict[str, int] = {}
        for question in self.questions:
            for word in question.words:
                frequency[word] = frequency.get(word, 0) + 1
        # A shared word weighs by its rarity among the questions; the words of pattern terms are the
        # patterns' business, not evidence of a particular question.
        term_words = {w for p in vocabulary.patterns for t in p.terms for w in content_words(t)}
        self.rarity = {w: math.log(count / n) / math.log(count + 1) for w, n in frequency.items()
                       if w not in term_words}
        self.text_of = {q.id: q.text for q in self.questions}

    def suggest(self, text: str, kind: str = "factor") -> Suggested:
        """The pattern ids, bias ids and question ids `text` suggests; `kind`: "factor" or "action".

        A factor says what went wrong: a pattern it names may have failed, and what contains that
        failure is offered too. An action item says what to do and names its remedy itself ("add
        back-off to the retries"): it is offered what it names.
        """
        named = [p.id for p in patterns_in(text, self.vocabulary, context=text)]
        contained = [] if kind == "action" else [c for p in named for c in self.data.contained_by.get(p, ())
                                                 if c not in named]
        patterns = tuple(dict.fromkeys(named + contained))
        return Suggested(patterns=patterns, biases=self._biases(text),
                         questions=self._questions(text, set(named), set(contained)))

    def _biases(self, text: str) -> tuple[str, ...]:
        document = Document(blocks=(Block(kind="paragraph", text=text),))
        names = []
        for note in extract_biases(document, self.vocabulary):
            known = self.vocabulary.canonical_bias(note.name)
            names.append(known.name if known else note.name)
        plain = _NOT.sub(" not", text)
        names += [name for name, regex in self.data.cues if regex.search(plain)]
        return tuple(dict.fromkeys(bias_id(name) for name in names))

    def _questions(self, text: str, named: set[str], contained: set[str]) -> tuple[str, ...]:
        if not named:
            return ()
        words = _words(text)
        scored = []
        for place, question in enumerate(self.questions):
            shared = question.patterns & (named | contained)
            if not shared:
                continue
            overlap = sum(self.rarity.get(w, 0.0) for w in words & question.words)
            if overlap == 0 and all(self.carriers[p] > CROWDED for p in shared):
                continue
            weight = len(shared & named) + CONTAINED_WEIGHT * len(shared - named)
            scored.append((weight / len(question.patterns) + overlap, -place, question.id))
        if not scored:
            return ()
        scored.sort(reverse=True)
        top = scored[0][0]
        kept = [(score, qid) for score, _, qid in scored[:MAX_QUESTIONS] if score >= KEEP_FRACTION * top]
        # Questions tied with one left out are not ranked by the evidence: only the first of them is offered.
        if len(scored) > MAX_QUESTIONS:
            cut = scored[MAX_QUESTIONS][0]
            kept = [(score, qid) for score, qid in kept if score > cut] or kept[:1]
        return tuple(qid for _, qid in kept)


def _words(text: str) -> set[str]:
    """The content words of a text, a possessive read as its noun ("customer's": "customer")."""
    return content_words(_POSSESSIVE.sub("", text))


# -- an incident's suggestions ------------------------------------------------------------------

@dataclass(frozen=True)
class Suggestion:
    """One link to add: to a factor (its id) or an action item (`action N`, N from 1)."""
    target: str
    kind: str  # "pattern", "bias" or "question"
    id: str
    label: str  # what it is, for people: the pattern's or bias's name, the question's text


def incident_suggestions(incident: Incident, linker: Linker) -> list[Suggestion]:
    """Per factor, then per action item, what its text suggests and it does not link yet.

    An action item links one question: it is offered the first when it has none.
    """
    found: list[Suggestion] = []
    for factor in incident.factors:
        suggested = linker.suggest(factor.text)
        found += [Suggestion(factor.id, "pattern", p, linker.vocabulary.pattern_by_id[p].name)
                  for p in suggested.patterns if p not in factor.patterns]
        found += [Suggestion(factor.id, "bias", b, _bias_name(linker.vocabulary, b))
                  for b in suggested.biases if b not in factor.biases]
        found += [Suggestion(factor.id, "question", q, linker.text_of[q])
                  for q in suggested.questions if q not in factor.questions]
    for number, action in enumerate(incident.actions, start=1):
        if action.item.question:
            continue
        questions = linker.suggest(action.item.title, kind="action").questions
        found += [Suggestion(f"action {number}", "question", q, linker.text_of[q]) for q in questions[:1]]
    return found


def _bias_name(vocabulary: Vocabulary, bias: str) -> str:
    name = next((b.name for b in vocabulary.biases if bias_id(b.name) == bias), bias)
    return name[:1].upper() + name[1:]  # as the biases page writes it


def apply_suggestions(incident: Incident, accepted: Iterable[Suggestion]) -> Incident:
    """The incident with the accepted links added after those it has (nothing else changes)."""
    accepted = list(accepted)
    factors = tuple(_linked(factor, [s for s in accepted if s.target == factor.id]) for factor in incident.factors)
    actions = list(incident.actions)
    for number, action in enumerate(actions, start=1):
        question = next((s.id for s in accepted if s.target == f"action {number}"), None)
        if question and not action.item.question:
            actions[number - 1] = replace(action, item=replace(action.item, question=question))
    return replace(incident, factors=factors, actions=tuple(actions))


def _linked(factor: Factor, accepted: list[Suggestion]) -> Factor:
    if not accepted:
        return factor
    def more(kind: str, have: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(have + tuple(s.id for s in accepted if s.kind == kind)))
    return replace(factor, patterns=more("pattern", factor.patterns), biases=more("bias", factor.biases),
                   questions=more("question", factor.questions))
