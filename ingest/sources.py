"""What to fetch and how: the configured feeds and the network limits, as plain data.

Shared by the configuration (config.py, which reads them from mkdocs.yml) and the
archive stage, which fetches them. Nothing here imports MkDocs: the bottom stage
must not depend on the top's framework (tests/test_layers.py checks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FEED_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
PAGING = ("auto", "rfc5005", "wordpress", "forem", "none")


@dataclass(frozen=True)
class FeedSource:
    """A configured feed: a short name (used in file names), its URL, and how its older pages are reached."""

    name: str
    url: str
    paging: str = "auto"  # one of PAGING; only `resilience-kb backfill` reads it


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 20
    max_bytes: int = 10_000_000
    deadline: float = 120
    allow_private: bool | tuple[str, ...] = False  # True, or the networks allowed besides public ones
    allow_private_proxy: bool = False  # a proxy from the environment may be on a private address
    max_entries: int = 1000  # new or changed entries stored per feed per run; the rest wait for the next
    parse_deadline: float = 120.0  # seconds a feed's parse may take (in a child process); then it is stopped


IMAGE_MODES = ("local", "remote")


@dataclass(frozen=True)
class ImageOptions:
    """Article images: copied into the archive's media store and served by the site ("local"), or hot-linked
    from their blogs ("remote"); and the caps on the copying."""

    mode: str = "local"  # one of IMAGE_MODES
    max_image_bytes: int = 3_000_000  # one image; a larger one is refused (and hot-linked)
    max_feed_bytes: int = 30_000_000  # downloaded per feed per run; the rest waits for the next run
    max_run_bytes: int = 100_000_000  # downloaded per run, all feeds together
    max_site_bytes: int = 300_000_000  # the media store a site may publish; beyond it the build hot-links
    max_seconds: float = 600  # a run's image downloads, all together; the rest waits for the next run
    image_deadline: float = 30  # seconds one image may take, however the server paces it
