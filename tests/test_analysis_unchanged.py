"""The analysis of the bundled archive and of every fixture feed is exactly what it was before the
cleaner moved from BeautifulSoup's tree to lxml's: same clean HTML, headings, text, document model,
notes, summary. tests/expectations/analysis-digest.json holds the fingerprints the old code gave
(written by tests/analysis_digest.py; refresh it only for an intended change of output)."""

from __future__ import annotations

import json

import pytest

from analysis_digest import digest, feed_records
from support import BUNDLED_ARCHIVE, FIXTURES, ROOT
from ingest.archive.store import Archive

EXPECTED = json.loads((ROOT / "tests" / "expectations" / "analysis-digest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_analysis_is_unchanged(name):
    if name == "archive":
        archive = Archive(BUNDLED_ARCHIVE)
        records = [archive.read_entry(path) for path in archive.entry_paths()]
    else:
        records = feed_records(FIXTURES / name.removeprefix("fixtures/"))
    found = digest(records)
    assert sorted(found) == sorted(EXPECTED[name])
    changed = [f"{entry}: {component}" for entry, parts in EXPECTED[name].items()
               for component, value in parts.items() if found[entry][component] != value]
    assert not changed, changed
