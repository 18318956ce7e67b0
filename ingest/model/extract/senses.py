"""Which sense a pattern term has where an article uses it: the pattern's, or another topic's (vocab/senses.yml).

A list of context words per term cannot tell a CPU's "cache misses" from a CDN's,
or a routing protocol's "backup parent" from a database's backup: both senses
share most of their words. So each mention of a term that a topic of
`vocab/senses.yml` claims is weighed between the pattern's sense and each such
topic, by the words that show each sense (the pattern's `context` words and the
words of running software for the pattern; the topic's `cues` for the topic; a
word in both, or the term's own words, count for neither):

- right next to the term (two words either side: "keyboard and monitor", "L2
  cache", "backup parent"): where only one sense has such a word, it decides;
- near the term (four words either side), 3 points a word;
- elsewhere in its sentence, 2 points a word;
- in its block and the blocks either side of it, 1 point a word, at most 2;
- in the whole article, what the article is about: 1 point for every few of the
  sense's words it uses, at most 3 (a paper on processors uses many of the
  hardware words, an operations article many words of running software).

Where a topic weighs at least MIN_OTHER and as much as the pattern's sense, the
mention is in the topic's sense and is left out: no passage is better than a
wrong one.

A word keeps one sense within one text: where an article uses a pattern's terms
in another sense several times (RECURRING), more often than in the pattern's, only
the mentions whose own sentence is clearly the pattern's are kept.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, NamedTuple

from ingest.model.html.document import Block
from ingest.model.extract.vocabulary import WORD, Pattern, Sense, Vocabulary, normal_word, terms_regex, words_of

NEAR_WORDS = 4  # words either side of a term that are near it
ADJACENT_WORDS = 2  # words either side of a term that are right next to it
NEAR, SENTENCE, NEIGHBOURHOOD_MOST = 3, 2, 2  # points a word
TOPIC_MOST = 3
TOPIC_STEP = 3  # distinct words of a topic in the article for each point
OPERATIONS_STEP = 5  # distinct words of the pattern's sense for each point (there are more of them)
MIN_OTHER = 3  # a topic needs at least this much to take a mention
RECURRING = 3  # mentions in another sense that make it the article's sense of the term
CLEAR = NEAR  # by how much the pattern must win where the term's sense in the article is another


class Weight(NamedTuple):
    """What shows one sense of a term where it is used."""

    total: int  # points in all
    here: int  # points in the sentence alone
    adjacent: bool  # a word of the sense right next to the term


class SenseReader:
    """Weighs the senses of one article's mentions; remembers each decision for the rule of one sense per text."""

    def __init__(self, prose: list[Block], vocabulary: Vocabulary) -> None:
        self.prose, self.vocabulary = prose, vocabulary
        self._article: str | None = None
        self._article_words: frozenset[str] = frozenset()
        self._used: dict[str, tuple[Sense, ...]] = {}
        self._pattern_lists: dict[str, tuple[_Cues, ...]] = {}
        self._blocks: dict[tuple[int, int], set[str]] = {}
        self.other: dict[str, int] = {}  # pattern id -> mentions found in another sense
        self.margins: list[tuple[int, str, int]] = []  # (mention's place, pattern id, margin) of claimed mentions kept

    def weigh(self, pattern: Pattern, matches: list[re.Match], sentence: str, block: int) -> tuple[Sense | None, int]:
        """The topic whose sense the sentence's mention of `pattern` has (None: the pattern's), and by how much.

        The margin is how much the pattern's sense wins by in the sentence alone (without the
        blocks around it and the article's topic), at the term where it wins most.
        """
        senses = self._senses_used(pattern)
        if not senses:
            return None, CLEAR  # no topic claims its terms, or the article uses no word of those that do
        best: tuple[int, int, Sense | None] = (-(1 << 30), 0, None)
        sentence = _blanked(sentence, matches)  # the terms are no evidence of their own sense ("fault" injection)
        for match in matches:
            claiming = [s for s in senses if s.claims(match)]
            if not claiming:
                return None, CLEAR  # a term no topic the article is about claims names the pattern
            mine = self._weight(pattern, None, match, sentence, block)
            worst = None
            for sense in claiming:
                theirs = self._weight(pattern, sense, match, sentence, block)
                margin = (_margin(mine, theirs), mine.here - theirs.here, sense)
                worst = margin if worst is None or margin[:2] < worst[:2] else worst
            best = max(best, worst, key=lambda found: found[:2])
        if best[0] > 0:
            return None, best[1]
        self.other[pattern.id] = self.other.get(pattern.id, 0) + 1
        return best[2], best[1]

    def count_others(self, candidates: list[Pattern], named: list[Pattern],
                     find: Callable[[Pattern, str], list[re.Match]], sentence: str, block: int) -> None:
        """Weigh the terms of `candidates` that `sentence` uses without naming their pattern by the rules of
        context: whether it uses them in a topic's sense counts towards the article's sense of the term."""
        for pattern in candidates:
            if self._senses_used(pattern) and pattern not in named:
                matches = find(pattern, sentence)
                if matches:
                    self.weigh(pattern, matches, sentence, block)

    def kept(self, place: int, pattern: Pattern, margin: int) -> None:
        """Note that the mention at `place` was kept in the pattern's sense, by `margin` (weigh)."""
        if self.vocabulary.senses_of.get(pattern.id):
            self.margins.append((place, pattern.id, margin))

    def dropped(self) -> set[int]:
        """The places of kept mentions of a term whose sense in this article is another (RECURRING), but for
        those whose own sentence is clearly the pattern's (by CLEAR points)."""
        kept: dict[str, int] = {}
        for _, pattern_id, _ in self.margins:
            kept[pattern_id] = kept.get(pattern_id, 0) + 1
        recurring = {p for p, count in self.other.items() if count >= RECURRING and count > kept.get(p, 0)}
        return {place for place, pattern_id, margin in self.margins if pattern_id in recurring and margin < CLEAR}

    def _weight(self, pattern: Pattern, sense: Sense | None, match: re.Match, sentence: str, block: int) -> Weight:
        """The points of one sense (None: the pattern's) for the term `match` of `sentence` in block `block`."""
        lists, neutral = self._lists(pattern, sense), self.vocabulary.neutral_words[pattern.id]
        own = _found(lists, sentence) - neutral
        if own:
            low, high = _window(sentence, match, NEAR_WORDS)
            near = own & _found(lists, sentence[low:high])
            low, high = _window(sentence, match, ADJACENT_WORDS)
            adjacent = bool(near & _found(lists, sentence[low:high]))
        else:
            near, adjacent = set(), False
        here = NEAR * len(near) + SENTENCE * (len(own) - len(near))
        around: set[str] = set()
        for index in range(max(0, block - 1), min(len(self.prose), block + 2)):
            around |= self._kept_found(lists, index)
        total = here + min(NEIGHBOURHOOD_MOST, len(around - own - neutral)) + self._topic(pattern, sense)
        return Weight(total, here, adjacent)

    def _kept_found(self, lists: tuple["_Cues", ...], place: int) -> set[str]:
        """_found in a block (`place`, its index) or the whole article (-1), each list searched once per article."""
        if place < 0 and self._article is None:
            self._article = "\n".join(block.text for block in self.prose)
            self._article_words = frozenset().union(*(words_of(block.text) for block in self.prose))
        text = self._article if place < 0 else self.prose[place].text
        found: set[str] = set()
        for cues in lists:
            key = (id(cues), place)
            if key not in self._blocks:
                self._blocks[key] = cues.found(self._article_words if place < 0 else words_of(text), text)
            found |= self._blocks[key]
        return _strip(lists, found)

    def _lists(self, pattern: Pattern, sense: Sense | None) -> tuple["_Cues", ...]:
        """The lists of words that show a sense: the topic's cues; the pattern's context and running software."""
        if sense is not None:
            return (_cues(sense.cues),)
        if pattern.id not in self._pattern_lists:
            self._pattern_lists[pattern.id] = (_cues(pattern.context), _cues(self.vocabulary.operations))
        return self._pattern_lists[pattern.id]

    def _topic(self, pattern: Pattern, sense: Sense | None) -> int:
        """What the article is about, in points for one sense: how many of its words the whole text uses."""
        step = TOPIC_STEP if sense is not None else OPERATIONS_STEP
        return min(TOPIC_MOST, len(self._article_words_of(pattern, sense)) // step)

    def _senses_used(self, pattern: Pattern) -> tuple[Sense, ...]:
        """The topics claiming a term of `pattern` of which the article uses a word (the others cannot win)."""
        if pattern.id not in self._used:
            self._used[pattern.id] = tuple(sense for sense in self.vocabulary.senses_of.get(pattern.id, ())
                                           if self._article_words_of(pattern, sense))
        return self._used[pattern.id]

    def _article_words_of(self, pattern: Pattern, sense: Sense | None) -> set[str]:
        """The distinct words of one sense (None: the pattern's) that the whole article uses."""
        return self._kept_found(self._lists(pattern, sense), -1) - self.vocabulary.neutral_words[pattern.id]


def _found(lists: tuple["_Cues", ...], text: str) -> set[str]:
    """The distinct words and phrases of the lists in `text`, normalised."""
    words = frozenset(WORD.findall(text.lower()))
    found: set[str] = set()
    for cues in lists:
        found |= cues.found(words, text)
    return _strip(lists, found)


def _strip(lists: tuple["_Cues", ...], found: set[str]) -> set[str]:
    """Less the words of the phrases found: "data center" is one word of running software, not also "data"."""
    if len(lists) > 1:
        for cues in lists:
            for normal, parts, _ in cues.phrases:
                if normal in found:
                    found = found - parts
    return found


class _Cues:
    """A list of words and phrases, found in a text by its set of words; a phrase by a regex, where it may be."""

    def __init__(self, words: tuple[str, ...]) -> None:
        split = [(normal_word(w), WORD.findall(w.lower())) for w in words]
        # A phrase may also be written as one word ("cache line", "cacheline").
        self.singles = frozenset(normal for normal, _ in split)
        self.phrases = [(normal, frozenset(parts), terms_regex([word])) for word, (normal, parts) in zip(words, split)
                        if len(parts) > 1]

    def found(self, words: frozenset[str], text: str) -> set[str]:
        """The distinct words and phrases of the list in `text` (`words`: its words in lower case), normalised."""
        found = set(self.singles.intersection(words))
        for normal, parts, regex in self.phrases:  # searched for only where all its words are
            if normal not in found and parts <= words and regex.search(text):
                found.add(normal)
                found -= parts  # "data center" is one word of running software, not also "data"
        return found


@lru_cache(maxsize=64)
def _cues(words: tuple[str, ...]) -> _Cues:
    return _Cues(words)


def _blanked(text: str, matches: list[re.Match]) -> str:
    """`text` with the matches' characters replaced by spaces: every place stays where it was."""
    parts, end = [], 0
    for match in matches:
        parts += [text[end:match.start()], " " * (match.end() - match.start())]
        end = match.end()
    return "".join(parts) + text[end:]


def _margin(mine: Weight, theirs: Weight) -> int:
    """How much the pattern's sense wins by (0 or less: the topic's). A word right next to the term decides
    where only one sense has one ("keyboard and monitor", "L2 cache", "backup parent")."""
    if theirs.adjacent != mine.adjacent:
        return min(-1, mine.total - theirs.total) if theirs.adjacent else max(1, mine.total - theirs.total)
    return mine.total - theirs.total if theirs.total >= MIN_OTHER else mine.total + 1


def _window(text: str, match: re.Match, words: int) -> tuple[int, int]:
    """From the start of the `words`-th word before the term to the end of the `words`-th after it."""
    before = [m.start() for m in WORD.finditer(text, max(0, match.start() - 16 * words), match.start())]
    after = [m.end() for m in WORD.finditer(text, match.end(), match.end() + 16 * words)]
    low = before[-words] if len(before) >= words else (before[0] if before else match.start())
    high = after[words - 1] if len(after) >= words else (after[-1] if after else match.end())
    return low, high
