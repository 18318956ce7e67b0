"""Which passages a pattern page quotes (issue 21), on small hand-written articles and mentions:
titles are not passages, passages are scored by what they say of the pattern, an article keeps a
few without near-duplicates, and launch digests rank after the articles that discuss the pattern.
And the bias vocabulary defines every bias."""

from __future__ import annotations

import pytest

from ingest.model.articles import parse_article
from ingest.archive.records import EntryRecord
from ingest.model.extract import extract_notes
from ingest.model.extract.notes import ArticleNotes, BiasNote, Mention
from ingest.model.extract.vocabulary import VOCAB_DIR as VOCABULARY_DIR, VocabularyError, load_vocabulary
from ingest.model.html.clean import clean_html
from ingest.model.knowledge import build_knowledge
from ingest.model.passages import MAX_PER_ARTICLE, rank_passages, score_passage

VOCABULARY = load_vocabulary()
PATTERNS = VOCABULARY.pattern_by_id
# Enough words of running software for the article to be about it (extract/patterns.py).
OPERATIONS = ("<p>Our service runs in production; the on-call engineer watched latency, errors and "
              "deployments of the database and the load balancer during the outage.</p>")


def mentions_of(html: str, pattern: str) -> list[str]:
    notes = extract_notes(clean_html(OPERATIONS + html).document, VOCABULARY)
    return [m.text for m in notes.mentions if m.pattern == pattern]


def test_headings_and_their_copies_are_not_passages():
    html = ("<h2>(1) Canary with Route 53 weighted routing policy</h2>"
            "<p>Canary with Route 53 weighted routing policy</p>"
            "<p>A canary deployment sends a small share of the traffic to the new version first, so that "
            "a bad release hurts few users before it is rolled back.</p>"
            "<h3>Why canary deployments matter</h3>")
    assert mentions_of(html, "canary-deployment") == [
        "A canary deployment sends a small share of the traffic to the new version first, so that "
        "a bad release hurts few users before it is rolled back."]


def test_contents_captions_and_links_standing_alone_are_not_passages():
    html = ("<p>1 — Circuit breakers and Timeouts 2 — Retries 3 — Load Shedding 4 — Failover</p>"
            "<p>Circuit Breakers Applied to Payment Service Calls.</p>"
            '<ul><li><a href="https://example.com/launch">Circuit breakers now available for every gateway</a></li>'
            "<li>Circuit breakers</li></ul>"
            "<p>A circuit breaker stops calling a failing dependency for a while, because every call "
            "that times out holds a thread the healthy requests need.</p>")
    assert mentions_of(html, "circuit-breakers") == [
        "A circuit breaker stops calling a failing dependency for a while, because every call "
        "that times out holds a thread the healthy requests need."]


def test_a_bold_question_is_a_passage_not_a_heading():
    html = "<p><strong>Do you test the rollback procedures before every deployment?</strong></p>"
    assert mentions_of(html, "rollback") == ["Do you test the rollback procedures before every deployment?"]


def _score(pattern: str, text: str):
    return score_passage(PATTERNS[pattern], Mention(pattern, text), VOCABULARY)


def test_a_bare_list_of_pattern_names_scores_below_a_passage_about_the_pattern():
    bare = _score("circuit-breakers", "Chaos experiments are good at proving the countermeasures work: "
                                      "timeouts, retries, and circuit breakers.")
    about = _score("circuit-breakers", "A circuit breaker is a switch in the client that stops calls to a "
                                       "failing dependency, so that threads are not tied up waiting for it.")
    assert "list" in bare.why and "related" not in bare.why and bare.score < 0
    assert {"defines", "subject", "explains"} <= set(about.why) and about.score > bare.score


def test_a_list_that_is_the_subject_of_a_sentence_is_not_bare():
    subject = _score("timeouts", "Timeouts, retry policies, and circuit breakers are typical countermeasures to "
                                 "these failures, yet they are rarely tested under load.")
    assert "list" not in subject.why and "subject" in subject.why


def test_launch_wording_and_a_lead_in_count_against_a_passage():
    launch = _score("monitoring", "We are excited to announce that the managed monitoring service is now "
                                  "generally available in every region.")
    lead_in = _score("timeouts", "Testing the timeouts used by this service was considered critical because:")
    assert "launch" in launch.why and "lead-in" in lead_in.why
    plain = _score("timeouts", "Testing the timeouts used by this service was considered critical because a slow "
                               "cache held every request thread.")
    assert plain.score > lead_in.score


def _mention(text: str, n: int = 0) -> Mention:
    return Mention("timeouts", text, f"p{n}")


GOOD = [
    "A timeout is the longest a client waits for an answer, so that a slow dependency cannot hold its threads.",
    "Timeouts must be shorter than the caller's own deadline, because otherwise the caller gives up first.",
    "When the database slowed down, the service's 40 ms timeout kept its latency flat for customers.",
    "Timeouts are set from the measured latency of the dependency, not guessed, when a service is designed.",
]


def test_an_article_keeps_its_best_few_passages_without_near_duplicates():
    mentions = [("a", _mention(text, n)) for n, text in enumerate(GOOD)]
    mentions.insert(1, ("a", _mention("A timeout is the longest a client waits for an answer, so a slow dependency "
                                      "cannot hold its threads.", 9)))  # the first again, nearly word for word
    ranking = rank_passages(PATTERNS["timeouts"], mentions, frozenset(), VOCABULARY)
    (article,) = ranking.quoted
    texts = [p.mention.text for p in article.passages]
    assert len(texts) == MAX_PER_ARTICLE
    assert not any(t.startswith("A timeout is the longest a client waits for an answer, so a slow") for t in texts)
    assert [p.score for p in article.passages] == sorted((p.score for p in article.passages), reverse=True)


def test_a_passage_repeated_by_a_later_article_is_quoted_once():
    repeated = "Timeouts must be shorter than the caller's own deadline, because otherwise the caller gives up first."
    mentions = [("a", _mention(GOOD[0])), ("a", _mention(repeated, 1)),
                ("b", _mention(repeated.replace("must", "should"), 2))]
    ranking = rank_passages(PATTERNS["timeouts"], mentions, frozenset(), VOCABULARY)
    assert [a.article for a in ranking.quoted] == ["a"] and [a for a, _ in ranking.in_passing] == ["b"]


def test_articles_rank_by_their_passages_and_digests_come_last():
    mentions = [
        # a better passage than any other, but in a digest of launches
        ("digest", _mention("A timeout is a limit on how long one call may take, so that when a dependency "
                            "hangs the caller fails fast instead of piling up requests.", 1)),
        ("passing", _mention("We also changed some timeouts.", 2)),
        ("one", _mention(GOOD[2], 3)),
        ("many", _mention(GOOD[0], 4)), ("many", _mention(GOOD[1], 5)), ("many", _mention(GOOD[3], 6)),
    ]
    ranking = rank_passages(PATTERNS["timeouts"], mentions, frozenset({"digest"}), VOCABULARY)
    assert [a.article for a in ranking.quoted] == ["many", "one", "digest"]
    scores = {a.article: a.score for a in ranking.quoted}
    assert scores["digest"] > scores["one"]  # last for being a digest, not for its passage
    assert [(a, m.text) for a, m in ranking.in_passing] == [("passing", "We also changed some timeouts.")]


def test_the_knowledge_lists_quoted_articles_first_then_those_naming_it_in_passing():
    record = EntryRecord(id="x", key="x", feed="f", first_seen="2024-01-01T00:00:00Z", updated=None,
                         content_hash="sha256:0", revisions=(), entry={"title": "t"})
    base = parse_article(record).article
    from dataclasses import replace
    articles = [replace(base, id=i, first_seen=f"2024-01-0{n + 1}T00:00:00Z") for n, i in enumerate("abc")]
    notes = {"a": ArticleNotes(mentions=(_mention("We also changed some timeouts."),)),
             "b": ArticleNotes(mentions=tuple(_mention(t, n) for n, t in enumerate(GOOD))),
             "c": ArticleNotes(kind="digest", mentions=(_mention(GOOD[2]),),
                               biases=(BiasNote("hindsight bias", None),))}
    knowledge = build_knowledge(articles, VOCABULARY, [], notes)
    entry = next(e for e in knowledge.patterns if e.pattern.id == "timeouts")
    assert [a.article for a in entry.quoted] == ["b", "c"] and entry.articles == ("b", "c", "a")
    (bias,) = knowledge.biases
    assert bias.meaning and "predictable" in bias.meaning


def test_every_bias_of_the_vocabulary_has_a_short_definition():
    for bias in VOCABULARY.biases:
        words = len(bias.definition.split())
        sentences = bias.definition.count(". ") + 1
        assert 6 <= words <= 60 and sentences <= 2, bias.name
        assert bias.name.casefold() not in bias.definition.casefold(), bias.name  # says what it is, not its name


def test_a_bias_without_a_definition_is_a_clear_error(tmp_path):
    for name in ("patterns.yml", "operations.yml"):
        (tmp_path / name).write_text((VOCABULARY_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "biases.yml").write_text("- name: hindsight bias\n  definition: Seeing it coming, afterwards.\n"
                                         "- name: groupthink\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match=r"biases\.yml: entry 2 \(groupthink\): missing definition"):
        load_vocabulary(tmp_path)
