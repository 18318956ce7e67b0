"""Extractors on small hand-written articles: the shapes they recognise, and what they leave alone.

These articles are not from the seed feed; they check that extraction works
from structure and wording, as it must on feeds we have not seen.
"""

from __future__ import annotations

import re

import pytest

from ingest.model.html.clean import clean_html
from ingest.model.extract import EXTRACTORS, extract_notes
from ingest.model.extract.kinds import classify
from ingest.model.extract.vocabulary import load_vocabulary

VOCABULARY = load_vocabulary()


def notes_of(html: str):
    return extract_notes(clean_html(html).document, VOCABULARY)


def test_document_model_reads_bold_leads_lines_and_links():
    document = clean_html(
        '<p><strong>What is the</strong> <a href="https://x.example/sla"><strong>SLA</strong></a> '
        '<strong>of the service?</strong> Explain it.</p>'
        "<p><em>First prompt<br><br>Second prompt</em></p>"
        "<p>Words\u200a—\u200awith hair spaces , and a stray space.</p>"
    ).document
    first, second, third = document.blocks
    assert (first.lead, first.rest) == ("What is the SLA of the service?", "Explain it.")
    assert first.links[0].href == "https://x.example/sla"
    assert second.lines == ("First prompt", "Second prompt") and second.emphasised
    assert third.text == "Words — with hair spaces, and a stray space."
    assert all(block.anchor for block in document.blocks)


def test_numbered_lessons_in_another_style():
    html = "".join(f"<h2>Lesson {n}: {title}</h2><p>{body}</p>" for n, title, body in [
        (1, "Measure first", "You cannot improve what you do not measure. Measure first, then change."),
        (2, "Automate recovery", "Automate recovery so that nobody has to be awake at 4 am."),
        (3, "Practise failure", "Practise failure in GameDays before it practises on you."),
    ])
    lessons = notes_of(html).lessons
    assert [(l.number, l.title) for l in lessons] == [(1, "Measure first"), (2, "Automate recovery"),
                                                      (3, "Practise failure")]
    assert "Measure first, then change." in lessons[0].summary


def test_a_single_numbered_heading_is_not_a_list_of_lessons():
    assert notes_of("<h2>#1 priority: safety</h2><p>Safety comes first.</p>").lessons == ()


def test_bias_list_with_colons_and_a_prose_mention():
    html = ("<p>Watch out for these cognitive biases:</p><ul>"
            "<li>Anchoring: relying too much on the first number you hear.</li>"
            "<li>Availability heuristic: judging by what comes to mind easily.</li>"
            "<li>Groupthink: agreeing to keep the peace.</li></ul>"
            "<p>In reviews, beware of hindsight bias too.</p>")
    biases = {b.name: b.definition for b in notes_of(html).biases}
    assert biases == {
        "Anchoring": "relying too much on the first number you hear.",
        "Availability heuristic": "judging by what comes to mind easily.",
        "Groupthink": "agreeing to keep the peace.",
        "hindsight bias": None,
    }


def test_an_ordinary_list_is_not_a_bias_list():
    html = "<p>Our deployment steps:</p><ul><li>Build: compile it.</li><li>Test: run it.</li><li>Ship: send it.</li></ul>"
    assert notes_of(html).biases == ()


def test_failure_injection_catalogue_and_not_a_list_of_categories():
    html = ("<p>Typical experiments are:</p><ul><li><b>Resource exhaustion</b>: CPU, memory.</li>"
            "<li><b>Slow dependency</b>: a database answers late.</li></ul>"
            "<p>The attacks available in the toolkit are:</p><ul>"
            "<li><b>KillProcess</b>: stops a process.</li><li><b>DnsFailure</b>: breaks name resolution.</li></ul>")
    found = [(i.name, i.description) for i in notes_of(html).injections]
    assert found == [("KillProcess", "stops a process."), ("DnsFailure", "breaks name resolution.")]


def test_checklist_of_list_items_and_bold_questions():
    sections = "".join(
        f"<h2>{n} — {title}</h2>" + "".join(f"<p><strong>{q}</strong></p>" for q in questions)
        for n, title, questions in [
            (1, "Backups", ["Do you back up every database?", "How often do you test a restore?",
                            "Who is paged when a backup fails?"]),
            (2, "Recovery", ["What is your recovery time objective?", "Describe your failover procedure.",
                             "Do you practise recovery in a GameDay?"]),
            (3, "People", ["Who owns the runbooks?", "How are new on-call engineers trained?",
                           "When was the escalation path last tested?"]),
            (4, "Capacity", ["What limits does each dependency impose?", "Do you use retries with back-off?",
                             "How do you shed load when overloaded?", "Describe your auto-scaling policy.",
                             "What happens at twice the peak load?", "Is the service statically stable?"]),
        ])
    html = "<p>Use this operational readiness review before launch.</p>" + sections
    notes = notes_of(html)
    assert notes.kind == "checklist"
    assert notes.checklist.id == "orr"
    assert [s.title for s in notes.checklist.sections] == ["Backups", "Recovery", "People", "Capacity"]
    assert len(notes.checklist.items) == 15


def test_a_qa_article_is_not_a_checklist():
    html = ("<p>I got many questions from the audience of my talk; here are my answers.</p>"
            + "".join(f"<p><strong>{q}</strong></p><p>{a} {a}</p>" for q, a in [
                ("How do I start chaos engineering?", "Start small, in staging, with a clear hypothesis."),
                ("Who should own it?", "Every team, with a champion to drive the program."),
                ("What tools should I use?", "The simplest that can inject the failure you need."),
                ("How do I convince my boss?", "Show the cost of the last outage and what it taught."),
            ]))
    assert classify(clean_html(html).document) == "qa"


def test_digest_with_a_list_of_other_launches():
    html = ("<p>Lots of launches were announced this week; here are the ones I liked.</p>"
            + "".join(f'<h3><a href="https://vendor.example/news/2025/{slug}">{title}</a></h3>'
                      f"<p>{title} is a new feature that was launched today and now supports more regions.</p>"
                      for slug, title in [("queue", "Durable queues are now generally available"),
                                          ("cache", "Cache now supports replicas"),
                                          ("db", "Database launches point-in-time restore")])
            + "<h3>Also announced</h3><ul>"
            + '<li><a href="https://vendor.example/news/2025/cli">A new command line</a></li>'
            + '<li><a href="https://vendor.example/news/2025/sdk">SDK for Rust released</a></li></ul>')
    notes = notes_of(html)
    assert notes.kind == "digest"
    assert [(l.title, l.notable) for l in notes.launches] == [
        ("Durable queues are now generally available", True), ("Cache now supports replicas", True),
        ("Database launches point-in-time restore", True), ("A new command line", False),
        ("SDK for Rust released", False)]
    assert notes.launches[0].summary.startswith("Durable queues are now generally available is a new feature")


def test_pattern_terms_match_whole_words_and_skip_other_senses():
    html = ("<p>Use bulkheads and exponential back-off between retries.</p>"
            "<p>The spreadsheet cells were formatted; a canary in a coal mine; the cell phone rang.</p>"
            "<p>Timeouts matter. The timeout value was set. Unretryable operations exist.</p>")
    found = {m.pattern for m in notes_of(html).mentions}
    assert {"bulkheads", "back-off", "retries", "timeouts"} <= found
    assert "cell-based-architecture" not in found and "canary-deployment" not in found


def test_a_failing_extractor_is_recorded_and_the_others_still_run(monkeypatch):
    def broken(document, vocabulary):
        raise ValueError("unexpected shape")

    registry = tuple((name, broken if name == "lessons" else fn, kinds) for name, fn, kinds in EXTRACTORS)
    monkeypatch.setattr("ingest.model.extract.EXTRACTORS", registry)
    notes = notes_of("<p>We use retries and timeouts.</p>")
    assert notes.failures == ("lessons: ValueError: unexpected shape",)
    assert {m.pattern for m in notes.mentions} == {"retries", "timeouts"}


@pytest.mark.parametrize("html", ["", "<p></p>", "<<<>>>", "<table><tr><td>only a table</td></tr></table>"])
def test_empty_and_odd_articles_give_no_notes(html):
    notes = notes_of(html)
    assert notes.kind == "article"
    assert not (notes.launches or notes.biases or notes.lessons or notes.injections or notes.checklist)


ROUNDUP_ITEMS = [
    ("https://vendor.example/whats-new/2026/queues-fifo", "Durable queues now support FIFO ordering",
     "Messages with the same group key are delivered in order."),
    ("https://vendor.example/whats-new/2026/db-restore", "Managed databases add point-in-time restore",
     "Restore a table to any second of the last 35 days."),
    ("https://vendor.example/blog/edge-functions-ga", "Edge functions are generally available",
     "Run code in every location, billed per request."),
    ("https://vendor.example/whats-new/2026/cli-v3", "Version 3 of the command line",
     "A new configuration format and faster start-up."),
    ("https://vendor.example/whats-new/2026/region-osaka", "A new region in Osaka",
     "Three zones, opening with compute and storage."),
    ("https://vendor.example/whats-new/2026/logs-search", "Log search with a query language",
     "Filter and aggregate logs without exporting them."),
]


def roundup(label_html: str) -> str:
    items = "".join(f'<li><a href="{url}">{name}</a> – {what}</li>' for url, name, what in ROUNDUP_ITEMS)
    return ("<p>Spring is here, and so is a busy week. The conference keynote drew a crowd, and the "
            "community meetups are back in three cities.</p>" + label_html + f"<ul>{items}</ul>"
            "<p><strong>Upcoming events</strong></p><ul>"
            '<li><a href="https://events.example/summit">The summit in Berlin</a> – two days of talks.</li></ul>')


@pytest.mark.parametrize("label_html", [
    "<p><strong>Last week’s launches</strong><br>Here are the launches that got my attention:</p>",
    "<h3>What’s new this week</h3>",
    "<p><strong>Announcements</strong></p><p>A few highlights from the release notes:</p>",
])
def test_a_roundup_lists_its_launches_under_a_label_without_headings(label_html):
    notes = notes_of(roundup(label_html))
    assert notes.kind == "digest"
    assert [(launch.title, launch.url) for launch in notes.launches] == [(n, u) for u, n, _ in ROUNDUP_ITEMS]
    assert notes.launches[1].summary == "Restore a table to any second of the last 35 days"


def test_a_reading_list_of_links_is_no_digest():
    html = roundup("<p><strong>What I read this week</strong></p>").replace("busy week", "quiet week")
    notes = notes_of(html)
    assert notes.kind != "digest" and notes.launches == ()


def test_an_article_that_mentions_case_studies_is_not_one():
    mentions = ("<p>Next quarter we are planning case studies with three customers, and a series of "
                "customer stories on the blog.</p><p>Until then, here is how to read our dashboards.</p>")
    assert notes_of(mentions).kind == "article"
    one = ("<p>Case study: how a payments company cut its failed checkouts in half.</p>"
           "<p>The team found that retries without back-off overloaded the database during peaks.</p>"
           "<p>After adding jitter, failed checkouts fell from 4% to 2%.</p>")
    assert notes_of(one).kind == "case-study"


# An article strongly about running software: many of its words, and several patterns named by terms
# with no other sense (circuit breaker, exponential backoff, blast radius).
OPERATIONS_ARTICLE = (
    "<p>Our payments service went down in production for an hour: a database failover stalled every request, "
    "latency climbed and the incident paged the on-call engineer.</p>"
    "<p>The client had no circuit breaker and retried without exponential backoff, so the outage spread; "
    "the blast radius was every customer.</p>"
    "<p>We wrote a post-mortem of the incident and its timeline, and we monitor the error rate of each "
    "dependency.</p>"
    "<ul><li>Don't hold post-mortems on a Friday.</li>"
    "<li>Do you monitor disk space?</li>"
    "<li>Each job gets a number you can shard later.</li>"
    "<li>Try the new Post-Mortem Notebook app.</li></ul>"
)


def test_an_operations_article_is_the_context_of_the_patterns_it_names_in_their_sense():
    found = {(m.pattern, m.text) for m in notes_of(OPERATIONS_ARTICLE).mentions}
    # Named in their sense elsewhere in the article: these short items need no context word.
    assert ("postmortems", "Don't hold post-mortems on a Friday.") in found
    assert ("monitoring", "Do you monitor disk space?") in found
    # Sharding is named nowhere else in its sense: the item keeps the local rule (no context word, not counted).
    assert not any(p == "sharding" for p, _ in found)
    # A name stays a name.
    assert not any("Notebook" in text for _, text in found)


def test_an_article_only_touching_software_keeps_the_local_rule():
    weak = ("<p>We wrote a post-mortem of the incident with its timeline, and learned a lot.</p>"
            "<ul><li>Don't hold post-mortems on a Friday.</li></ul>"
            "<p>The server was back in production after the weekend, and our service kept its request queue.</p>")
    found = {(m.pattern, m.text) for m in notes_of(weak).mentions}
    assert ("postmortems", "Don't hold post-mortems on a Friday.") not in found
    assert any(p == "postmortems" for p, _ in found)  # the sentence with its context words still counts


def test_terms_match_longest_first_whole_words_and_joined_any_way():
    """The vocabulary's regex, grouped by first letter for speed, still prefers the longer term at a place
    and finds terms of several words however their parts are joined."""
    from ingest.model.extract.vocabulary import terms_regex

    regex = terms_regex(["circuit", "circuit breaker", "breaker", "back off", "bulkhead"])
    text = "A circuit-breaker, a Circuit Breaker, a circuit\u00a0breaker, backoff, back-off, a bulkheads, a breaker."
    assert [m.group() for m in regex.finditer(text)] == [
        "circuit-breaker", "Circuit Breaker", "circuit\u00a0breaker", "backoff", "back-off", "breaker"]


def test_terms_whose_first_letters_match_regardless_of_case_are_all_found():
    """The long s (U+017F) matches "s" regardless of case: grouped apart from the s-terms, the shorter
    "sunk" would be tried before the longer "ſunk cost" and win over it."""
    from ingest.model.extract.vocabulary import terms_regex

    regex = terms_regex(["sunk cost fallacy", "\u017funk cost", "sunk"])
    assert [m.group() for m in regex.finditer("A sunk cost, sunk, \u017funk cost fallacy.")] == [
        "sunk cost", "sunk", "\u017funk cost fallacy"]


def test_terms_are_found_in_any_case_unicode_gives_their_letters():
    """Ignoring case, "ſ" (long s) is an s, "İ" and "ı" are i's, the Kelvin sign is a k."""
    from ingest.model.extract.vocabulary import terms_regex

    regex = terms_regex(["kit", "skip", "ice"])
    text = "A \u212aIT, \u017fKIP, \u0130CE, \u0131ce, kite, a-kit, KIT."
    assert [m.group() for m in regex.finditer(text)] == ["\u212aIT", "\u017fKIP", "\u0130CE", "\u0131ce", "KIT"]


def test_letter_cases_are_the_characters_re_matches_regardless_of_case():
    """The table the terms' regexes scan for lists, for each ASCII letter, what re.IGNORECASE matches to it."""
    from ingest.model.extract.vocabulary import LETTER_CASES

    found: dict[str, list[str]] = {letter: [] for letter in LETTER_CASES}
    for start in range(0, 0x110000, 0x10000):  # a plane at a time: a few MB, not the 80 MB of all at once
        plane = "".join(map(chr, range(start, start + 0x10000)))
        for letter in LETTER_CASES:
            found[letter] += re.findall(letter, plane, re.IGNORECASE)
    for letter, cases in LETTER_CASES.items():
        assert sorted(found[letter]) == sorted(cases), letter


# Release notes in the shapes of issue 22 (i22-launches): each built by hand, expected values from the text.
def test_release_feature_headings_are_launches_without_links_under_a_highlights_heading():
    html = ("<p>Today we are excited to share the 6.5.0 stable release.</p><h2>Highlights</h2>"
            "<h3>Databases are only reset when asked</h3>"
            "<p>In this version the prompt that offered to reset a database is gone, and the command exits.</p>"
            "<h3>Support for the config file in the studio</h3>"
            "<p>The studio now reads the same config file as the command line and connects with it.</p>"
            "<h2>Fixes and improvements</h2><ul><li>Fixed a crash on start</li><li>Faster schema loading</li></ul>")
    notes = notes_of(html)
    assert notes.kind == "digest"
    assert [(l.title, l.url) for l in notes.launches] == [
        ("Databases are only reset when asked", None), ("Support for the config file in the studio", None)]


def test_bold_led_highlight_items_are_launches_named_by_their_bold_text():
    html = ("<p>Version 3.2 is out.</p><p><strong>Highlights</strong></p><ul>"
            "<li><strong>Offline mode</strong> — read everything you saved without a network.</li>"
            "<li><strong>Shared folders:</strong> invite others to a folder and edit it together.</li>"
            "<li>Fixed the sync icon that kept spinning.</li></ul>")
    notes = notes_of(html)
    assert notes.kind == "digest"
    assert [(l.title, l.summary) for l in notes.launches] == [
        ("Offline mode", "read everything you saved without a network"),
        ("Shared folders", "invite others to a folder and edit it together")]


def test_a_changelog_heading_over_a_list_gives_the_items_that_ship_something_new():
    html = ("<h2>Changelog</h2><ul><li>Added a dark theme for the reader view</li>"
            "<li>feat(cli): new export command for archives</li><li>fix(api): close connections on stop</li>"
            "<li>Made timeline scrolling smoother</li></ul>")
    notes = notes_of(html)
    assert notes.kind == "digest"
    assert [l.title for l in notes.launches] == ["Added a dark theme for the reader view",
                                                 "feat(cli): new export command for archives"]


def test_a_bare_list_of_changes_is_release_notes_and_a_changes_since_line_labels_one():
    bare = notes_of("<ul><li>Made fetches faster</li><li>Fixed a bug in the browser setting</li>"
                    "<li>Added a scripting property for the selected feeds — returns them</li>"
                    "<li>Improved footnote layout</li></ul>")
    assert bare.kind == "digest"
    assert [l.title for l in bare.launches] == ["Added a scripting property for the selected feeds"]
    labelled = notes_of("<p>Changes since 7.0.2:</p><ul><li>Fixed a crash when saving credentials</li></ul>")
    assert labelled.kind == "digest" and labelled.launches == ()


def test_improvements_and_bug_fixes_lists_are_not_launches():
    html = ("<p>Release 2.4, March 2024.</p><h2>Improvements and bug fixes</h2><ul>"
            "<li>Added a retry to the uploader when the network drops</li><li>New icons in the toolbar</li></ul>"
            "<h2>What's new</h2><ul><li><strong>Teams</strong>: share a workspace with your team.</li>"
            "<li>and lots more…</li></ul>")
    notes = notes_of(html)
    assert notes.kind == "digest" and [l.title for l in notes.launches] == ["Teams"]


def test_highlights_in_an_essay_are_not_release_notes():
    notes = notes_of("<p>We went to the conference and talked to many people about their work.</p>"
                     "<h2>Highlights</h2><ul><li>A talk on queues and how teams run them</li>"
                     "<li>A workshop on incident reviews with real examples</li></ul>")
    assert notes.kind == "article" and notes.launches == ()


def test_a_weekly_roundup_keeps_launches_that_link_to_posts_of_the_same_blog():
    html = ("<p>Here is what happened this week.</p><p><strong>Last week’s launches</strong></p>"
            "<p>Here are the launches that got my attention:</p><ul>"
            + "".join(f'<li><a href="https://blog.vendor.example/2025/{slug}">{title}</a> – {title} today.</li>'
                      for slug, title in [("queue", "Durable queues are available"),
                                          ("db", "Database restore in two clicks"),
                                          ("sdk", "The SDK for Rust is released")])
            + "</ul>")
    notes = notes_of(html)
    assert notes.kind == "digest"
    assert [l.title for l in notes.launches] == ["Durable queues are available", "Database restore in two clicks",
                                                 "The SDK for Rust is released"]


def test_changes_named_by_their_area_are_read_past_the_area_and_highlights_are_not_repeated():
    html = ("<h2>App 2026.1.15</h2><h3>Highlights</h3><ul><li>Plugins: add an auth registry for providers.</li></ul>"
            "<h3>Changes</h3><ul><li>Plugins: add an auth registry for providers.</li>"
            "<li>CLI: add JSON output for the daemon commands.</li><li>Telegram: allow custom commands in menus.</li>"
            "<li>Browser: prefer stable Chrome for auto-detect.</li><li>Slack: fix the import on Node 25.</li></ul>"
            "<h3>Fixes</h3><ul><li><strong>Agents:</strong> results are delivered while others wait.</li>"
            "<li>Fix: guard the fallback against undefined values.</li></ul>")
    notes = notes_of(html)
    assert notes.kind == "digest"
    assert [l.title for l in notes.launches] == ["Plugins: add an auth registry for providers",
                                                 "CLI: add JSON output for the daemon commands",
                                                 "Telegram: allow custom commands in menus"]
