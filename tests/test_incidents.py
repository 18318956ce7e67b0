"""Incident files: the format read and written back byte for byte, every mistake with its line, the folder."""

from __future__ import annotations

import dataclasses
import random
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from support import ROOT
from ingest.model.checklists import load_checklist
from ingest.model.extract.vocabulary import load_vocabulary
from ingest.model.incident_types import (
    FACTOR_KINDS, SEVERITIES, STATUSES, TYPES, Factor, Incident, IncidentAction, TimelineEntry,
)
from ingest.model.incidents import (
    IncidentError, bias_ids, check_incident, incident_file_name, known_services, load_incidents, new_incident,
    parse_incident, write_incident,
)
from ingest.model.review_format import STATUSES as ITEM_STATUSES, ActionItem

VOCABULARY = load_vocabulary()
ORR = load_checklist(ROOT / "checklists" / "orr.yml", VOCABULARY)
POSTMORTEM = load_checklist(ROOT / "checklists" / "postmortem.yml", VOCABULARY)
CHECKLISTS = [ORR, POSTMORTEM]
SERVICES = frozenset({"example-payments", "example-search"})
UTC = timezone.utc

# An incident as a person would write it; the line numbers below are this text's.
SAMPLE = """\
---
date: 2026-03-02
start: 2026-03-02 14:05 UTC
end: 2026-03-02 15:20 UTC
severity: sev2
type: degradation
services: [example-payments]
detection: an alert on p99 latency
detected_after: 12 min
owner: Ada
status: draft
---

# Checkout slowed down by a retry storm

## Summary

> A summary of the event.

Payments retried every failed call three times at once.

### Impact

About 4% of checkouts failed.

## Contributing factors

### Retries without back-off amplified the load `f1`

Kind: technical
Patterns: retries, back-off
Biases: normalcy-bias
Questions: orr-do-you-have-any-single-points

### Nobody questioned the rollout plan `f2`

Kind: organisational
Patterns:
Biases: groupthink
Questions:

## Action items

- Add jittered back-off to the payments client
  - owner: Ada
  - due: 2026-04-01
  - status: open
  - link: https://tracker.example.org/PAY-31
  - factor: f1
  - question: orr-what-is-the-sla-of-the

## Timeline

- `2026-03-02 14:05 UTC` The p99 latency alert fired.
- `14:17 UTC` Retries switched off by a feature flag.
"""
LINES = {"date": 2, "start": 3, "end": 4, "severity": 5, "type": 6, "services": 7, "status": 11, "f1": 28,
         "f1-kind": 30, "f1-patterns": 31, "f1-biases": 32, "f1-questions": 33, "f2": 35, "action": 44,
         "due": 46, "status-item": 47, "link": 48, "factor": 49, "question": 50, "timeline": 54}
NAME = "incidents/2026-03-02-checkout-slowed-down.md"


def sample(**changes: tuple[str, str]) -> str:
    text = SAMPLE
    for old, new in changes.values():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_the_sample_reads_as_written_by_hand():
    incident = parse_incident(sample(), NAME)
    assert (incident.slug, incident.title, incident.date) == \
        ("2026-03-02-checkout-slowed-down", "Checkout slowed down by a retry storm", date(2026, 3, 2))
    assert (incident.start, incident.end) == (datetime(2026, 3, 2, 14, 5, tzinfo=UTC),
                                              datetime(2026, 3, 2, 15, 20, tzinfo=UTC))
    assert (incident.severity, incident.type, incident.services, incident.status) == \
        ("sev2", "degradation", ("example-payments",), "draft")
    assert (incident.detection, incident.detected_after, incident.owner) == ("an alert on p99 latency", "12 min", "Ada")
    assert incident.sections == (("Summary", "Payments retried every failed call three times at once.\n\n"
                                             "### Impact\n\nAbout 4% of checkouts failed."),)
    assert incident.guidance == (("Summary", "A summary of the event."),)
    f1, f2 = incident.factors
    assert f1 == Factor(id="f1", text="Retries without back-off amplified the load", kind="technical",
                        patterns=("retries", "back-off"), biases=("normalcy-bias",),
                        questions=("orr-do-you-have-any-single-points",))
    assert (f1.line, f2.line, f2.kind, f2.biases, f2.patterns) == (28, 35, "organisational", ("groupthink",), ())
    (action,) = incident.actions
    assert action == IncidentAction(item=ActionItem(
        title="Add jittered back-off to the payments client", owner="Ada", due=date(2026, 4, 1), status="open",
        link="https://tracker.example.org/PAY-31", question="orr-what-is-the-sla-of-the"), factor="f1")
    assert action.item.line == LINES["action"]
    assert incident.timeline == (TimelineEntry("2026-03-02 14:05 UTC", "The p99 latency alert fired."),
                                 TimelineEntry("14:17 UTC", "Retries switched off by a feature flag."))
    assert incident.timeline[1].line == 55
    assert incident.patterns == ("retries", "back-off") and incident.biases == ("normalcy-bias", "groupthink")
    assert incident.questions == ("orr-do-you-have-any-single-points", "orr-what-is-the-sla-of-the")
    check_incident(incident, CHECKLISTS, VOCABULARY, SERVICES)
    assert write_incident(incident) == sample()  # written as the format writes it
    assert parse_incident(write_incident(incident), NAME) == incident


# -- every mistake, with its line ------------------------------------------------------------------

MISTAKES = [
    ({"x": ("Patterns: retries, back-off", "Patterns: retries, backof")}, LINES["f1-patterns"],
     "unknown pattern 'backof' in factor 'f1'"),
    ({"x": ("Biases: normalcy-bias", "Biases: normalcy")}, LINES["f1-biases"], "unknown bias 'normalcy'"),
    ({"x": ("Questions: orr-do-you-have-any-single-points", "Questions: orr-do-you-have-any-single-point")},
     LINES["f1-questions"], "unknown question 'orr-do-you-have-any-single-point' in factor 'f1'"),
    ({"x": ("  - question: orr-what-is-the-sla-of-the", "  - question: orr-what-is-the-sla")}, LINES["question"],
     "unknown question 'orr-what-is-the-sla' in an action item"),
    ({"x": ("services: [example-payments]", "services: [example-paymnts]")}, LINES["services"],
     "unknown service 'example-paymnts'"),
    ({"x": ("services: [example-payments]", "services: [Example Payments]")}, LINES["services"], "is not a slug"),
    ({"x": ("end: 2026-03-02 15:20 UTC", "end: 2026-03-02 13:20 UTC")}, LINES["end"],
     "end '2026-03-02 13:20 UTC' is before start"),
    ({"x": ("date: 2026-03-02", "date: 2 March 2026")}, LINES["date"], "date '2 March 2026' is not a date"),
    ({"x": ("date: 2026-03-02", "date: 2026-02-30")}, LINES["date"], "date '2026-02-30' is not a date"),
    ({"x": ("date: 2026-03-02\n", "")}, 2, "'date' is missing"),
    ({"x": ("start: 2026-03-02 14:05 UTC", "start: yesterday afternoon")}, LINES["start"],
     "start 'yesterday afternoon' is not a date and time"),
    ({"x": ("start: 2026-03-02 14:05 UTC", "start: 2026-03-02 25:05 UTC")}, LINES["start"],
     "start '2026-03-02 25:05 UTC' is not a date and time"),
    ({"x": ("start: 2026-03-02 14:05 UTC", "start: 2026-03-02 14:05")}, LINES["start"],
     "a time without a time zone"),
    ({"x": ("end: 2026-03-02 15:20 UTC", "end: 2026-03-02 15:20 PDT")}, LINES["end"], "the zone 'PDT' is not"),
    ({"x": ("severity: sev2", "severity: major")}, LINES["severity"], "severity 'major' is not one of sev1"),
    ({"x": ("type: degradation", "type: meltdown")}, LINES["type"], "type 'meltdown' is not one of outage"),
    ({"x": ("status: draft", "status: final")}, LINES["status"], "status 'final' is not one of draft, reviewed"),
    ({"x": ("Kind: technical", "Kind: cosmic rays")}, LINES["f1-kind"], "kind 'cosmic rays' is not one of"),
    ({"x": ("Kind: technical\n", "")}, LINES["f1"], "a factor needs its kind"),
    ({"x": ("`f2`", "`f1`")}, LINES["f2"], "factor 'f1' is here twice (first on line 28)"),
    ({"x": ("  - factor: f1", "  - factor: f3")}, LINES["factor"], "factor 'f3' is not a factor of this incident"),
    ({"x": ("  - due: 2026-04-01", "  - due: next week")}, LINES["due"], "due date 'next week' is not a date"),
    ({"x": ("  - status: open", "  - status: blocked")}, LINES["status-item"], "status 'blocked' is not one of open"),
    ({"x": ("  - link: https://tracker.example.org/PAY-31", "  - link: javascript:alert(1)")}, LINES["link"],
     "is not an http(s) address"),
    ({"x": ("  - owner: Ada", "  - ownr: Ada")}, 45, "unknown field 'ownr' of an action item"),
    ({"x": ("- Add jittered", "Add jittered")}, LINES["action"], "under 'Action items' write '- what to do'"),
    ({"x": ("- `14:17 UTC` Retries", "Retries")}, 55, "not a timeline entry; write each as"),
    ({"x": ("### Retries without back-off amplified the load `f1`", "### Retries amplified the load")},
     LINES["f1"], "the factor's heading has no id"),
    ({"x": ("Kind: technical", "Kind: technical\nIt was bad.")}, 31, "under a factor write only Kind:"),
    ({"x": ("owner: Ada", "ownr: Ada")}, 10, "unknown key 'ownr' in the title block"),
    ({"x": ("owner: Ada", "owner: [Ada")}, 11, "not valid YAML"),
    ({"x": ("---\n\n# Checkout", "\n# Checkout")}, 1, "the title block is not closed"),
    ({"x": ("---\ndate", "date")}, 1, "the title block is missing"),
    ({"x": ("# Checkout slowed down by a retry storm", "Checkout slowed down")}, 14,
     "the incident's title line is missing"),
    ({"x": ("## Timeline", "## Contributing factors")}, 52, "a second '## Contributing factors' (the first is on "
                                                             "line 26)"),
    ({"x": ("## Summary", "# Summary")}, 16, "a second title line"),
    ({"x": ("status: draft", "status: draft\npublic: maybe")}, 12,
     "'public' should be true"),
]


@pytest.mark.parametrize("changes, line, words", MISTAKES, ids=[m[2][:40] for m in MISTAKES])
def test_each_mistake_names_its_line_and_the_fix(changes, line, words):
    text = sample(**changes)
    with pytest.raises(IncidentError) as caught:
        check_incident(parse_incident(text, NAME), CHECKLISTS, VOCABULARY, SERVICES)
    message = str(caught.value)
    assert message.startswith(f"{NAME}:{line}: "), message
    assert words in message, message
    assert "; " in message  # what is wrong; what to do


def test_a_near_miss_of_an_id_is_suggested():
    text = sample(x=("Patterns: retries, back-off", "Patterns: retries, back-of"))
    with pytest.raises(IncidentError, match=r"did you mean 'back-off'"):
        check_incident(parse_incident(text, NAME), CHECKLISTS, VOCABULARY, SERVICES)


def test_forgiving_spellings_read_as_the_canonical_words():
    text = sample(a=("severity: sev2", "severity: SEV-2"), b=("type: degradation", "type: Near-Miss"),
                  c=("start: 2026-03-02 14:05 UTC", "start: 2026-03-02T15:05+01:00"),
                  d=("Kind: organisational", "kind:  Organizational"),
                  e=("services: [example-payments]", "services: example-payments, example-search"),
                  f=("- `14:17 UTC` Retries", "- 14:17 UTC: Retries"),
                  g=("  - status: open", "    status: In-Progress"),
                  h=("Patterns: retries, back-off", "Patterns: `retries` `back-off`"),
                  i=("status: draft", "status: Reviewed"))
    incident = parse_incident(text, NAME)
    assert (incident.severity, incident.type, incident.status) == ("sev2", "near miss", "reviewed")
    assert incident.start == datetime(2026, 3, 2, 14, 5, tzinfo=UTC)
    assert incident.start.utcoffset() == timedelta(hours=1)  # kept as written
    assert incident.services == ("example-payments", "example-search")
    assert incident.factors[1].kind == "organisational" and incident.factors[0].patterns == ("retries", "back-off")
    assert incident.timeline[1] == TimelineEntry("14:17 UTC", "Retries switched off by a feature flag.")
    assert incident.actions[0].item.status == "in progress"
    assert "start: 2026-03-02 15:05 +01:00" in write_incident(incident)


def test_services_are_not_checked_without_any_to_check_against():
    incident = parse_incident(sample(x=("[example-payments]", "[never-reviewed]")), NAME)
    check_incident(incident, CHECKLISTS, VOCABULARY, None)
    with pytest.raises(IncidentError, match="unknown service 'never-reviewed'"):
        check_incident(incident, CHECKLISTS, VOCABULARY, SERVICES)


def test_bias_ids_are_the_biases_pages_anchors():
    ids = bias_ids(VOCABULARY)
    # by hand, from biases.yml: the name as a slug
    assert ids["confirmation-bias"] == "confirmation bias" and ids["groupthink"] == "groupthink"
    assert ids["sunk-cost-fallacy"] == "sunk cost fallacy" and len(ids) == len(VOCABULARY.biases)


# -- reading and writing back ---------------------------------------------------------------------------

def test_a_new_incident_follows_the_postmortem_checklist_and_writes_back_byte_identical():
    incident = new_incident(POSTMORTEM, title="  Checkout   slowed down ", day=date(2026, 3, 2))
    assert incident.slug == "2026-03-02-checkout-slowed-down" and incident.title == "Checkout slowed down"
    headings = [heading for heading, _ in incident.sections]
    # by hand from checklists/postmortem.yml: the sections that are not facts, parts or only advice
    assert headings == ["Peer-review committee", "Tags", "Summary", "Supporting data", "Customer Impact",
                        "Incident Response Analysis", "Post-Incident Analysis", "Lessons Learned"]
    guidance = dict(incident.guidance)
    assert guidance["Summary"] == "A summary of the event."
    assert "- How was it detected? (e.g., alarm, customer ticket)" in guidance["Incident Response Analysis"]
    assert guidance["Timeline"].startswith("Detail all major event points with their time")
    assert "Define action items against all contributing factors." in guidance["Contributing factors"]
    assert "`owner`: Name of the owner of the postmortem process." in incident.preamble  # a field, made a fact
    assert "Do not write postmortems on weekends" in incident.preamble  # advice only: in the guide
    text = write_incident(incident)
    assert text.index("## Post-Incident Analysis") < text.index("## Timeline") < text.index("## Contributing") \
        < text.index("## Lessons Learned") < text.index("## Action items")  # the checklist's order
    again = parse_incident(text, "incidents/" + incident_file_name(incident))
    assert again == dataclasses.replace(incident, path="incidents/2026-03-02-checkout-slowed-down.md")
    assert write_incident(again) == text


# Text that Markdown, YAML or the format itself would read as syntax.
NASTY = ["#", "## ", "### x `y`", "Kind:", "Patterns: a", "\\", "\\\\# a", "\\## b", "`", "*", "_", "[a](b)",
         "<script>", "&amp;", "&lt;", "> q", ">", "\\> q", "- item", "  - owner: x", "---", "...", ":", "'", '"',
         "{", "}", "|", "!", "~", "(", ")", "é", "☃", "\t", " ", "  ", "1. ", "\u00a0", "\u2028", "0x1F",
         "2026-13-40", "null", "yes", "12:30", "@", "%", "- `14:05` x", "Timeline", "## Timeline"]


def random_text(rng: random.Random, lines: int, one_line: bool = False) -> str:
    words = [" ".join(rng.choice(NASTY + ["word", "words", "a"]) for _ in range(rng.randint(1, 6)))
             for _ in range(lines)]
    return " ".join(" ".join(words).split()) if one_line else "\n".join(rng.choice([w, "", w]) for w in words)


def random_incident(rng: random.Random) -> Incident:
    factors = tuple(Factor(id=f"f{n}", text=random_text(rng, 2, True), kind=rng.choice(FACTOR_KINDS),
                           patterns=tuple(rng.sample(["retries", "back-off", "timeouts"], rng.randint(0, 2))),
                           biases=tuple(rng.sample(["groupthink", "normalcy-bias"], rng.randint(0, 2))),
                           questions=tuple(rng.sample(["q-1", "q-2"], rng.randint(0, 2))))
                    for n in range(rng.randint(0, 3)))
    actions = tuple(IncidentAction(ActionItem(
        title=random_text(rng, 2, True) or "t", owner=random_text(rng, 1, True),
        due=rng.choice([None, date(2026, 1, 2)]), status=rng.choice(ITEM_STATUSES),
        link=rng.choice([None, "https://example.org/a?b=c#d"]), question=rng.choice([None, "q-1"])),
        factor=rng.choice([None, *[f.id for f in factors]])) for _ in range(rng.randint(0, 3)))
    timeline = tuple(TimelineEntry(at=" ".join(random_text(rng, 1, True).replace("`", "").split()) or "14:05",
                                   text=random_text(rng, 2, True)) for _ in range(rng.randint(0, 3)))
    headings = [h for h in (random_text(rng, 1, True) for _ in range(rng.randint(0, 4)))
                if h and not re.fullmatch(r"[A-Za-z _:-]+", h)]  # never a part's name
    sections = tuple((h, random_text(rng, rng.randint(0, 5))) for h in headings)
    names = ["factors", "actions", "timeline"]
    rng.shuffle(names)
    parts = tuple((name, rng.randint(0, len(sections))) for name in names[:rng.randint(0, 3)])
    parts = tuple(sorted(parts, key=lambda p: p[1]))
    guidance = tuple((h, random_text(rng, rng.randint(0, 3))) for h, _ in sections if rng.random() < 0.5)
    start = rng.choice([None, datetime(2026, 3, 2, 14, 5, tzinfo=UTC),
                        datetime(2026, 3, 2, 14, 5, 30, tzinfo=timezone(timedelta(hours=-7)))])
    public = rng.random() < 0.3
    return Incident(
        slug="2026-03-02-x", title=random_text(rng, 2, True) or "T", date=date(2026, 3, 2), start=start,
        end=start + timedelta(minutes=rng.randint(0, 600)) if start and rng.random() < 0.7 else None,
        severity=rng.choice((None, *SEVERITIES)), type=rng.choice((None, *TYPES)),
        services=tuple(rng.sample(["a", "svc-2"], rng.randint(0, 2))), detection=random_text(rng, 1, True),
        detected_after=rng.choice(["", "12 min", "12:30", "1h"]), owner=random_text(rng, 1, True),
        status=rng.choice(STATUSES), sections=sections, factors=factors, actions=actions, timeline=timeline,
        public=public, company=random_text(rng, 1, True) if public else "",
        source_url=rng.choice([None, "https://example.org/pm?x=1#y"]) if public else None,
        extra=tuple((k, random_text(rng, 1, True)) for k in rng.sample(["product", "uuid", "a b", "yes"], 2)
                    ) if public else (),
        path="2026-03-02-x.md", preamble=random_text(rng, rng.randint(0, 3)), guidance=guidance, parts=parts)


def normalised(incident: Incident) -> Incident:
    """What the format keeps of text: no blank lines around it, no spaces at the ends of lines; the
    parts with content that have no place, last."""
    def text(value: str) -> str:
        lines = [line.rstrip() for line in value.split("\n")]
        return "\n".join(lines).strip("\n").lstrip()
    parts = list(incident.parts)
    for name, content in (("factors", incident.factors), ("actions", incident.actions),
                          ("timeline", incident.timeline)):
        if content and name not in dict(parts):
            parts.append((name, len(incident.sections)))
    return dataclasses.replace(
        incident, sections=tuple((h, text(t)) for h, t in incident.sections), preamble=text(incident.preamble),
        guidance=tuple((h, text(g)) for h, g in incident.guidance if text(g)), parts=tuple(parts))


def test_any_text_comes_back_as_it_was_and_writes_back_byte_identical():
    rng = random.Random(24)
    for _ in range(400):
        incident = random_incident(rng)
        text = write_incident(incident)
        assert text == write_incident(normalised(incident))
        again = parse_incident(text, "2026-03-02-x.md")
        assert again == normalised(incident), text
        assert write_incident(again) == text


# -- the folder -----------------------------------------------------------------------------------------

def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_folder_loads_newest_first_with_the_public_ones_apart(tmp_path):
    folder = tmp_path / "incidents"
    write(folder, "2026-03-02-checkout-slowed-down.md", sample())
    write(folder, "2026-01-05-search-down.md", sample(a=("date: 2026-03-02", "date: 2026-01-05"),
                                                     b=("[example-payments]", "[example-search]")))
    write(folder, "README.md", "How we write incidents.\n")
    public = sample(a=("status: draft", "status: draft\npublic: true\ncompany: Example Corp"),
                    b=("[example-payments]", "[some-product]"))
    write(folder, "public/2026-06-01-other.md", public.replace("date: 2026-03-02", "date: 2026-06-01"))
    incidents = load_incidents(folder, CHECKLISTS, VOCABULARY, SERVICES)
    assert [(i.slug, i.public) for i in incidents] == [
        ("2026-03-02-checkout-slowed-down", False), ("2026-01-05-search-down", False), ("2026-06-01-other", True)]
    assert incidents[2].company == "Example Corp" and incidents[2].path == "incidents/public/2026-06-01-other.md"
    assert load_incidents(tmp_path / "none", CHECKLISTS, VOCABULARY, SERVICES) == ()


@pytest.mark.parametrize("name, text, line, words", [
    ("2026-03-01-checkout.md", SAMPLE, 2, "the file name '2026-03-01-checkout.md' does not match its date 2026-03-02"),
    ("checkout.md", SAMPLE, 2, "is not <date>-<slug>.md; rename it '2026-03-02-checkout-slowed-down-by-a-retry"),
    ("public/x.md", SAMPLE, 2, "a team incident inside incidents/public/"),
    ("2026-03-02-x.md", SAMPLE.replace("status: draft", "status: draft\npublic: true"), 12,
     "a public incident outside incidents/public/"),
    ("2026-03-02-x.md", "\ufeff" + SAMPLE.replace("Ada", "\udc80", 1), 0, None),
])
def test_a_file_in_the_wrong_place_or_under_the_wrong_name_is_refused(tmp_path, name, text, line, words):
    folder = tmp_path / "incidents"
    if words is None:  # bytes that are not UTF-8
        path = folder / name
        folder.mkdir()
        path.write_bytes(SAMPLE.encode("utf-8").replace(b"Ada", b"\xff", 1))
        line, words = 10, "the file is not UTF-8"
    else:
        write(folder, name, text)
    with pytest.raises(IncidentError) as caught:
        load_incidents(folder, CHECKLISTS, VOCABULARY, SERVICES)
    assert str(caught.value).startswith(f"incidents/{name}:{line}: ") and words in str(caught.value)


def test_known_services_are_those_reviewed_and_those_listed(tmp_path):
    reviews = tmp_path / "reviews"
    write(reviews, "payments/2026-03-02-orr.md", "x")
    (reviews / "empty").mkdir()  # a folder without a review: not a service yet
    write(reviews, "README.md", "x")
    assert known_services(reviews, ("listed-one",)) == {"payments", "listed-one"}
    assert known_services(tmp_path / "none") == frozenset()


PLAIN = ["Ada", "12:30", "1e5", "0x1F", "2026-03-02", "1 h 5 min", "a,b", "a:b", "é ☃", "x%", "100", "3.5",
         "Yes", "NULL", "off", "~", "a: b", "x #y", "a\\b", "[a]", "{b}", "O'Brien", "-1", "+1", "on call"]


def test_the_title_block_read_without_yaml_reads_as_yaml_does(monkeypatch):
    """The plain lines the writer writes are read without YAML's reader; the result must be YAML's."""
    import ingest.model.incident_reader as reader

    rng = random.Random(7)
    texts = [SAMPLE]
    for _ in range(300):
        text = SAMPLE
        for key in ("detection", "detected_after", "owner"):
            value = " ".join(rng.sample(PLAIN, rng.randint(1, 2)))
            text = re.sub(rf"(?m)^{key}:.*$", lambda _: f"{key}: {value}", text, count=1)
        texts.append(text.replace("[example-payments]", rng.choice(["[example-payments]", "[]", "[yes]",
                                                                      "[example-payments, example-search]"])))
    fast = [parse_incident(t, NAME) if _reads(t) else None for t in texts]
    monkeypatch.setattr(reader, "simple_block", lambda lines: None)
    slow = [parse_incident(t, NAME) if _reads(t) else None for t in texts]
    assert fast == slow
    assert sum(1 for f in fast if f is not None) > 100  # most of them read, by both


def _reads(text: str) -> bool:
    try:
        parse_incident(text, NAME)
        return True
    except IncidentError:
        return False
