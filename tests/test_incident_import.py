"""Public postmortems (Markdown with front matter, as icco/postmortems keeps them) read into public incidents."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from ingest.model.incident_import import read_postmortem
from ingest.model.incidents import IncidentError, parse_incident, write_incident

# Written for these tests in the collection's format (its files are not copied: no licence says we may).
GOOD = """\
---
uuid: 5b7c1e2a-0000-4000-8000-000000000001
url: https://status.example.com/incidents/2017-02-28
title: Object storage unavailable in one region
categories:
- cloud
- config-change
keywords: [typo, capacity]
company: Example Cloud
product: Object Storage
start_time: 2017-02-28T17:37:00Z
end_time: "2017-02-28T13:54:00-08:00"
summary: A command meant to remove a few servers removed many.
  Restarting the index took hours.
---

An operator ran a playbook command with a mistyped argument.

## What we changed

The tool now removes capacity slowly.
"""


def test_a_postmortem_maps_its_fields_and_keeps_the_others():
    incident = read_postmortem(GOOD.encode("utf-8"), "data/one.md")
    assert incident.public and incident.company == "Example Cloud"
    assert incident.title == "Object storage unavailable in one region"
    assert incident.source_url == "https://status.example.com/incidents/2017-02-28"
    assert incident.date == date(2017, 2, 28)
    assert incident.start == datetime(2017, 2, 28, 17, 37, tzinfo=timezone.utc)
    assert incident.end == datetime(2017, 2, 28, 21, 54, tzinfo=timezone.utc)
    assert incident.end.utcoffset() == -timedelta(hours=8)
    assert dict(incident.extra) == {"uuid": "5b7c1e2a-0000-4000-8000-000000000001", "categories": "cloud, config-change",
                                    "keywords": "typo, capacity", "product": "Object Storage"}
    assert incident.sections == (
        ("Summary", "A command meant to remove a few servers removed many. Restarting the index took hours."),
        ("Postmortem", "An operator ran a playbook command with a mistyped argument.\n\n## What we changed\n\n"
                       "The tool now removes capacity slowly."))
    assert incident.slug == "2017-02-28-example-cloud-object-storage-unavailable-in-one-region"
    text = write_incident(incident)
    assert "\\## What we changed" in text  # the postmortem's own heading stays its text
    again = parse_incident(text, f"incidents/public/{incident.slug}.md")
    assert (again.sections, again.extra, again.start, again.public) == \
        (incident.sections, incident.extra, incident.start, True)


def test_the_collections_older_shape_reads_too():
    older = ('---\n\nurl: "https://news.example.org/fire"\nstart_time: "2017-02-09"\nend_time: ""\n'
             'categories:\n- postmortem\ncompany: "Example Telecom"\nproduct: ""\n\n---\n\n'
             'A fire in a data centre sent text messages to the wrong people.\n')
    incident = read_postmortem(older.encode("utf-8"), "old.md")
    assert (incident.date, incident.start, incident.end) == (date(2017, 2, 9), None, None)  # a day, no time
    assert incident.title == "Example Telecom postmortem" and incident.company == "Example Telecom"
    assert dict(incident.extra) == {"categories": "postmortem", "product": ""}


@pytest.mark.parametrize("text, line, words", [
    ("no front matter at all\n", 1, "no front matter"),
    ("---\ntitle: x\nstart_time: 2017-01-01\n", 1, "the front matter is not closed"),
    ("---\ntitle: [x\nstart_time: 2017-01-01\n---\n", 3, "not valid YAML"),
    ("---\n- a\n- b\n---\n", 2, "the front matter is not 'key: value' lines"),
    ("---\ntitle: [a, b]\nstart_time: 2017-01-01\n---\n", 2, "'title' should be text, not a list"),
    ("---\ntitle: x\nstart_time: last tuesday\n---\n", 3, "start_time 'last tuesday' is not a date or time"),
    ("---\ntitle: x\nstart_time: 2017-02-30\n---\n", 3, "start_time '2017-02-30' is not a date or time"),
    ("---\ntitle: x\nstart_time: 2017-01-02T10:00:00Z\nend_time: 2017-01-01T10:00:00Z\n---\n", 4,
     "end_time is before start_time"),
    ("---\ntitle: x\nstart_time: \"\"\nend_time: \"\"\n---\nbody\n", 3, "no date"),
    ("---\ntitle: x\n---\nbody\n", 2, "no date"),
])
def test_a_malformed_postmortem_is_refused_with_its_line_and_reason(text, line, words):
    with pytest.raises(IncidentError) as caught:
        read_postmortem(text.encode("utf-8"), "data/bad.md")
    assert str(caught.value).startswith(f"data/bad.md:{line}: ") and words in str(caught.value)


def test_bytes_that_are_not_utf8_are_refused_with_their_line():
    with pytest.raises(IncidentError, match=r"^data/bad.md:3: the file is not UTF-8"):
        read_postmortem(b"---\ntitle: x\ncompany: \xff\n---\n", "data/bad.md")
