"""What the page renderers need to know about the site beyond the knowledge base."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ingest.archive.records import FeedState
from ingest.sources import FeedSource
from ingest.model.onboarding import OnboardingPath
from ingest.model.incident_types import Incident
from ingest.model.reviews import Review
from ingest.archive.report import FetchRun


@dataclass(frozen=True)
class SiteInfo:
    feeds: tuple[FeedSource, ...] = ()  # as configured in mkdocs.yml
    feed_states: dict[str, FeedState] = field(default_factory=dict, hash=False)
    report: FetchRun | None = None  # the latest fetch, if this build follows one
    stale_days: int = 45
    site_url: str | None = None
    directory_urls: bool = True
    onboarding: OnboardingPath | None = None
    reviews: tuple[Review, ...] | None = None  # None: reviews are not enabled (no page, no export key)
    reviews_as_of: date | None = None  # the day action items are overdue against
    incidents: tuple[Incident, ...] | None = None  # None: not enabled (as reviews); the public ones flagged
