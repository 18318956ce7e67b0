"""A project's knowledge base, loaded one way for the site and for the commands that write what it publishes.

The recipe around the model's loader (model/load.py): an archive named on the
command line must be there, a fetch that is writing the archive is waited for (the
shared lock), the curated checklists are read whichever archive is (the reviews,
when mkdocs.yml enables them, belong to the configured archive only), and links
between archived articles lead where the site puts their pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.archive.records import FeedState
from ingest.archive.report import FetchRun, read_report
from ingest.archive.store import Archive
from ingest.config import Project
from ingest.model.knowledge import Knowledge
from ingest.model.load import load_knowledge
from ingest.model.extract.vocabulary import load_vocabulary
from ingest.model.incidents import Incident, known_services, load_incidents
from ingest.model.review_cache import ReviewCache
from ingest.model.reviews import Review, load_reviews
from ingest.site.media import SiteMedia, site_media
from ingest.site.urls import article_from_article


@dataclass(frozen=True)
class Loaded:
    knowledge: Knowledge
    feeds: dict[str, FeedState]  # the archive's feed states, by name
    report: FetchRun | None = None  # the latest fetch's report, when asked for
    reviews: tuple[Review, ...] | None = None  # None: not asked for, not enabled, or another archive
    # Articles of the configured archive that another archive given with --archive lacks: the onboarding
    # path may name them (they are shown as missing there), where an unknown id is a mistake.
    elsewhere: frozenset[str] = frozenset()
    media: SiteMedia = SiteMedia(None)  # the copies of article images the site publishes
    # The team's and the public incidents (Incident.public), loaded with the reviews and as private as they.
    incidents: tuple[Incident, ...] | None = None


def load_project_knowledge(project: Project, *, checklists: bool | None = None, report: bool = False,
                           reviews: bool = False) -> Loaded:
    """The project's knowledge base, and what the archive says of its feeds; a KBError names what is wrong.

    `checklists` loads the curated checklist files (by default: they are the project's,
    whichever archive is read; a source article another archive lacks is shown as
    missing). `report` reads the latest fetch's
    report too, under the same lock. `reviews` reads the review files, checked against
    the curated checklists, when mkdocs.yml enables them and the archive is the
    configured one (the site and knowledge.json alike; otherwise they stay private);
    the incident files with them, under the same switch.
    """
    archive = Archive(project.archive)
    if not project.own_archive:
        archive.require()  # a mistyped --archive is an error, not an empty knowledge base
    curated = True if checklists is None else checklists
    with archive.reading(project.lock_wait):
        media = site_media(archive.root, project.images, project.directory_urls)
        knowledge, feeds = load_knowledge(archive.root, project.checklists if curated else None,
                                          local_url=article_from_article(project.directory_urls),
                                          max_notes=project.max_notes, media=media.lookup)
        run = read_report(archive.root) if report else None
    reviewed = incidents = None
    if reviews and project.reviews_enabled and curated and project.own_archive:
        checklists = [entry.checklist for entry in knowledge.curated]
        reviewed = tuple(load_reviews(project.reviews, checklists, ReviewCache(archive.root)))
        incidents = load_incidents(project.incidents, checklists, knowledge.vocabulary or load_vocabulary(),
                                   known_services(project.reviews, project.services))
    elsewhere: frozenset[str] = frozenset()
    if not project.own_archive:
        here = {a.id for a in knowledge.articles}
        elsewhere = frozenset(p.stem for p in Archive(project.configured_archive).entry_paths()) - here
    return Loaded(knowledge, feeds, run, reviewed, elsewhere, media, incidents)
