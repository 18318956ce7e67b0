"""Release notes are digests whose feature headings are launches, with or without links (issue 22).

Entries written in the shape of product release notes (a heading per feature, then
"Improvements and bug fixes" and "Known issues" lists), labelled by hand.
"""

from __future__ import annotations

import pytest

from ingest.model.html.clean import clean_html
from ingest.model.extract import extract_notes
from ingest.model.extract.vocabulary import load_vocabulary


def notes_of(html: str):
    return extract_notes(clean_html(html, base_url="https://status.example.com/releases/4-2/").document,
                         load_vocabulary())


RELEASE = """
<p>Version 4.2 of the queue service is now available in every region.</p>
<h3>Multi-region failover for queues</h3>
<p>A queue can now have a standby in a second region, which takes over within a minute when the first region fails.</p>
<h3>Dead-letter redrive from the console</h3>
<p>Messages that failed can be sent back to their source queue from the console, a hundred at a time or all of them.</p>
<p><img src="https://status.example.com/redrive.png" alt="The redrive page"></p>
<h3><a href="https://docs.example.com/queues/fifo-throughput">Higher FIFO throughput</a></h3>
<p>FIFO queues accept up to 9,000 messages a second per group, three times as many as before.</p>
<h3>Improvements and bug fixes</h3>
<ul>
<li>The console shows the age of the oldest message.</li>
<li>Fixed a crash of the CLI when a queue name had a dot.</li>
<li>Fixed the retry count shown for delayed messages.</li>
</ul>
<h3>Known issues</h3>
<p>Redrive of more than 10,000 messages at once can time out; split it into smaller batches.</p>
"""


def test_release_notes_are_a_digest_and_each_feature_heading_a_launch():
    notes = notes_of(RELEASE)
    assert notes.kind == "digest"
    # Hand labels: the three features; the fixes and the known issue are not launches.
    assert [(launch.title, launch.url, launch.notable) for launch in notes.launches] == [
        ("Multi-region failover for queues", None, True),
        ("Dead-letter redrive from the console", None, True),
        ("Higher FIFO throughput", "https://docs.example.com/queues/fifo-throughput", True),
    ]
    assert notes.launches[0].summary.startswith("A queue can now have a standby in a second region")
    assert notes.launches[1].anchor and notes.launches[1].anchor != notes.launches[0].anchor


DATED = """
<h2>March 12, 2024</h2>
<h3>Audit log export</h3>
<p>Administrators can export the audit log of a workspace as CSV or JSON for any period of the last year.</p>
<p><strong>Bug fixes</strong></p>
<ul><li>Search no longer times out on long queries.</li><li>Dates show in the reader's time zone.</li></ul>
<h2>March 5, 2024</h2>
<h3>Single sign-on with OpenID Connect</h3>
<p>Workspaces on the business plan can sign their members in with any OpenID Connect provider.</p>
<h3>Bug fixes</h3>
<ul><li>Invitations expire after seven days, as documented.</li><li>The mobile app keeps its place in long lists.</li></ul>
"""


def test_dated_release_notes_with_several_releases():
    notes = notes_of(DATED)
    assert notes.kind == "digest"
    assert [launch.title for launch in notes.launches] == ["Audit log export", "Single sign-on with OpenID Connect"]


BOLD_LABEL = """
<h2>New: faster cold starts</h2>
<p>Functions written in Java start up to five times faster, from a snapshot taken when a new version is published.</p>
<h2>Larger payloads</h2>
<p>Requests and responses of up to 20 MB are now supported for functions called through the gateway.</p>
<p><strong>Other improvements</strong></p>
<ul><li>Logs show the memory used by each call.</li><li>The timeout can be set in milliseconds.</li></ul>
"""


def test_features_above_a_bold_label_of_improvements():
    notes = notes_of(BOLD_LABEL)
    assert notes.kind == "digest"
    assert [launch.title for launch in notes.launches] == ["New: faster cold starts", "Larger payloads"]


@pytest.mark.parametrize("html", [
    # A postmortem: its "Fixes" are the incident's, and nothing is released.
    "<h2>What happened</h2><p>At 09:12 the primary database ran out of connections and every API call failed "
    "for forty minutes until we restarted the pool.</p><h2>Fixes</h2><ul><li>Raise the pool size.</li>"
    "<li>Alert on connection use.</li></ul>",
    # A postmortem with a list of bug fixes: no version, no date, nothing new.
    "<p>At 09:12 the primary database ran out of connections and every API call failed.</p>"
    "<h2>What happened</h2><p>A deploy doubled the number of workers, and each worker opened its own pool of "
    "twenty connections to the primary.</p><h2>Root cause</h2><p>The pool size was set per worker, not per "
    "host, and nobody had checked the limit of the database since it was moved.</p>"
    "<h2>Bug fixes</h2><ul><li>Size the pool per host.</li><li>Alert on connection use.</li></ul>",
    # An essay with a section on improvements.
    "<h2>Why retries need budgets</h2><p>Without a budget, every layer of a deep call graph retries three times, "
    "and one slow dependency sees twenty-seven times its usual load when it can least take it.</p>"
    "<h2>Improvements</h2><ul><li>Retry at one layer only.</li><li>Use a token bucket per client.</li></ul>",
    # A bug-fix list with no feature described under any heading.
    "<p>Version 2.1.3 is out.</p><h3>Bug fixes</h3><ul><li>Fixed a leak.</li><li>Fixed a crash.</li></ul>",
])
def test_other_articles_with_fixes_are_not_release_notes(html):
    notes = notes_of(html)
    assert notes.kind != "digest" and notes.launches == ()
