"""A project whose site shows incidents: the example reviews and incidents (examples/), enabled.

EXPECTED holds what the pages must show, read by hand from the example incident files.
"""

from __future__ import annotations

from pathlib import Path

from ingest.model.incident_format import write_incident
from reviewsite import reviews_project

# Read by hand from the incidents of test_incident_pages, written as files by incidents_project.
EXPECTED = {
    "page": "2026-03-10-checkout-retries",
    "titles": ["Checkout retries stormed the <database>", "Search index disk nearly full"],
    "service": "example-search",
    "of service": ["Checkout retries stormed the <database>", "Search index disk nearly full"],
    "pattern": "Retries",
    "of service and pattern": ["Checkout retries stormed the <database>"],
    "severity": "sev4", "of severity": ["Search index disk nearly full"],
    "type": "near miss", "of type": ["Search index disk nearly full"],
    "bias": "groupthink", "of bias": ["Checkout retries stormed the <database>"],
    "first severity": "sev2", "of first severity": ["Checkout retries stormed the <database>"],
    "printed": ["Checkout retries stormed the <database>", "Retries amplified the load on the primary.",
                "Checkout failed for 95 minutes.", "Back-off is not optional.", "Contributing factors",
                "Nobody questioned the launch plan", "Timeline", "On-call paged", "Questions this incident points to",
                "Flagged: high risk", "Load test at three times the peak"],
}


def incidents_project(tmp_path: Path) -> Path:
    """The project with the example reviews (and generated ones) and the incidents of test_incident_pages
    as files (incidents/ and incidents/public/), shown."""
    from test_incident_pages import CHECKOUT, NEAR_MISS, PUBLIC

    project = reviews_project(tmp_path, services=1, reviews=1)
    for incident in (CHECKOUT, NEAR_MISS, PUBLIC):
        target = project / incident.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(write_incident(incident), encoding="utf-8")
    return project
