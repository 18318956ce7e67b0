"""Configuration: the plugin's options in mkdocs.yml, validated when MkDocs loads them, and the Project made of them.

mkdocs.yml is the one place a user configures the project. The command line
reads the same file through MkDocs, so both see the same validated options;
`Project` is what they come to, once resolved against the folder of mkdocs.yml
and the command line's overrides, for the commands and the plugin alike.
"""

from __future__ import annotations

import ipaddress
import logging
import math
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit, urlunsplit

from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from ingest.errors import UsageError
from ingest.image_config import ImagesOption
from ingest.outputs import check_archive_dir
from ingest.review_config import ReviewsConfig
from ingest.sources import FEED_NAME, PAGING, FeedSource, FetchOptions, ImageOptions
from ingest.text import is_http_url

PLUGIN_NAME = "resilience-kb"

DEFAULT_FEEDS = [{"name": "adhorn", "url": "https://dev.to/feed/adhorn"}]


class DefaultFeeds(list):
    """The feeds used when mkdocs.yml names none: a list that says so, for a command to tell the user."""


class Feeds(c.BaseConfigOption[list[FeedSource]]):
    """A list of `{name, url}` mappings with unique, file-name-safe names and http(s) URLs."""

    def __init__(self, default: list[dict]) -> None:
        super().__init__()
        self.default = None  # what MkDocs puts in place of a missing key: tells "left out" from "given"
        self.fallback = default

    def run_validation(self, value: object) -> list[FeedSource]:
        if value is None:
            return DefaultFeeds(_feed_source(i, item) for i, item in enumerate(self.fallback))
        if not isinstance(value, list) or not value:
            raise ValidationError("expected a non-empty list of feeds, each with 'name' and 'url'")
        feeds = [_feed_source(i, item) for i, item in enumerate(value)]
        names: set[str] = set()
        addresses: dict[str, int] = {}
        for i, feed in enumerate(feeds):
            if feed.name in names:
                raise ValidationError(f"feeds[{i}].name: {feed.name!r} is listed twice")
            names.add(feed.name)
            first = addresses.setdefault(feed_address(feed.url), i)
            if first != i:
                twice = "is listed twice" if feeds[first].url == feed.url else \
                    f"is the address of feeds[{first}] ({feeds[first].name}: {feeds[first].url!r}) spelled another way"
                raise ValidationError(f"feeds[{i}].url: {feed.url!r} ({feed.name}) {twice}: list each feed once")
        return feeds


def feed_address(url: str) -> str:
    """A feed URL as one spelling: scheme and host in lower case, no trailing dot, no default port, no
    fragment, `/` for an empty path. Two URLs with the same address are one feed."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".")
    try:
        host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # not a host name IDNA can spell: compared as written
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != default:
        netloc += f":{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def _feed_source(index: int, item: object) -> FeedSource:
    where = f"feeds[{index}]"
    if not isinstance(item, dict):
        raise ValidationError(f"{where}: expected a mapping with 'name' and 'url', got {item!r}")
    unknown = sorted(set(item) - {"name", "url", "paging"})
    if unknown:
        raise ValidationError(f"{where}: unknown key {unknown[0]!r} (expected 'name', 'url' and optionally 'paging')")
    name, url = item.get("name"), item.get("url")
    if not isinstance(name, str) or not FEED_NAME.fullmatch(name):
        raise ValidationError(
            f"{where}.name: expected 1-64 lowercase letters, digits, '-' or '_', "
            f"starting with a letter or digit, got {name!r}"
        )
    if not is_http_url(url):
        raise ValidationError(f"{where}.url: expected an http:// or https:// URL, got {url!r}")
    paging = item.get("paging", "auto")
    if paging not in PAGING:
        raise ValidationError(f"{where}.paging: expected one of {', '.join(PAGING)}, got {paging!r}")
    return FeedSource(name=name, url=url, paging=paging)


class PositiveNumber(c.BaseConfigOption[float]):
    """A finite number greater than zero (or at least `minimum`) and at most `maximum` (seconds, bytes, days)."""

    def __init__(self, default: float, *, maximum: float, integer: bool = False, minimum: float | None = None) -> None:
        super().__init__()
        self.default = default
        self.maximum = maximum
        self.minimum = minimum
        self.integer = integer

    def run_validation(self, value: object) -> float:
        if value is None:
            return self.default
        kinds = (int,) if self.integer else (int, float)
        expected = "a whole number" if self.integer else "a number"
        if isinstance(value, bool) or not isinstance(value, kinds) or not math.isfinite(value) or value <= 0:
            raise ValidationError(f"expected {expected} greater than 0, got {value!r}")
        if value > self.maximum:
            raise ValidationError(f"expected {expected} of at most {self.maximum:,g}, got {value!r}")
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(f"expected {expected} of at least {self.minimum:,g}, got {value!r}")
        return value


class PrivateAddresses(c.BaseConfigOption[bool | tuple[str, ...]]):
    """`true`, `false`, or a list of networks in CIDR notation (e.g. `127.0.0.0/8`)."""

    def run_validation(self, value: object) -> bool | tuple[str, ...]:
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        if not isinstance(value, list) or not value:
            raise ValidationError(f"expected true, false or a list of networks such as '10.0.0.0/8', got {value!r}")
        for item in value:
            try:
                ipaddress.ip_network(str(item), strict=False)
            except ValueError:
                raise ValidationError(f"{item!r} is not a network; write one such as '10.0.0.0/8'") from None
        return tuple(str(item) for item in value)


class NonNegativeNumber(c.BaseConfigOption[float]):
    """A number from zero to `maximum` (a delay in seconds)."""

    def __init__(self, default: float, *, maximum: float) -> None:
        super().__init__()
        self.default = default
        self.maximum = maximum

    def run_validation(self, value: object) -> float:
        if value is None:
            return self.default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= self.maximum:
            raise ValidationError(f"expected a number from 0 to {self.maximum:g}, got {value!r}")
        return value


class PluginConfig(base.Config):
    """Options of the `resilience-kb` plugin in mkdocs.yml."""

    archive = c.Type(str, default="archive")
    """Folder of the archive, relative to mkdocs.yml. Committed to git: it is the source of truth."""

    checklists = c.Type(str, default="checklists")
    """Folder of the curated checklist files (YAML), relative to mkdocs.yml."""

    onboarding = c.Type(str, default="onboarding.yml")
    """The onboarding path shown on the Start here page (YAML), relative to mkdocs.yml."""

    stale_days = PositiveNumber(default=45, maximum=36_500, integer=True)
    """A feed whose newest article was published this many days before its latest fetch is marked stale on the
    Sources page (silent after a year)."""

    feeds = Feeds(default=DEFAULT_FEEDS)
    """The feeds to fetch: a list of `{name, url}`. The name is used in file names and reports."""

    timeout = PositiveNumber(default=20, maximum=600)
    """Seconds to wait for a connection or for the next piece of a response."""

    download_deadline = PositiveNumber(default=120, maximum=3600)
    """Seconds a whole download may take, however the server paces it; then it is stopped."""

    lock_wait = PositiveNumber(default=60, maximum=3600)
    """Seconds a build waits for a fetch that is writing the archive; then it stops with a message."""

    max_feed_bytes = PositiveNumber(default=10_000_000, maximum=1_000_000_000, integer=True)
    """A response larger than this (after decompression) is refused."""

    max_entries_per_run = PositiveNumber(default=1000, maximum=1_000_000, integer=True)
    """New or changed entries stored per feed per run, the newest first; the rest are stored by the next runs."""

    allow_private_addresses = PrivateAddresses()
    """Let feeds (and their redirects) reach loopback, private and link-local addresses: `true`, or a list
    of networks such as `10.1.0.0/16`. Off by default: a feed's redirect must not reach a cloud machine's
    metadata service or the local network."""

    allow_private_proxy = c.Type(bool, default=False)
    """Let the proxy named by `https_proxy`/`http_proxy`/`all_proxy` be on a loopback or private address
    (a proxy on this machine or the local network). The feeds' own addresses are checked all the same."""

    max_notes_per_article = PositiveNumber(default=500, maximum=1_000_000, integer=True)
    """Notes of one kind (launches, pattern mentions, biases, lessons, injections, experiments, checklist items)
    taken from one article at most; the rest are left out with a warning naming the article."""

    search_shard_pages = PositiveNumber(default=1000, minimum=5, maximum=1_000_000, integer=True)
    """Pages per search index: a larger site is indexed in several, which the search box merges.
    Pagefind's memory grows with the pages it indexes at once (0.2 to 0.5 MB each); each index costs a
    Pagefind run (about a second) and a request per search, hence at least 5 pages each (1 made a run
    per page); keep the default unless memory is short."""


    backfill_max_pages = PositiveNumber(default=50, maximum=10_000, integer=True)
    """`resilience-kb backfill` reads at most this many older pages of a feed per run (`--max-pages`)."""

    backfill_delay = NonNegativeNumber(default=1.0, maximum=600)
    """Seconds `resilience-kb backfill` waits between two requests to a site, to be polite."""

    images = ImagesOption()
    """Article images: `local` (the default) keeps a copy of each in the archive's media store and serves it
    from the site; `remote` hot-links them. A mapping sets the caps too (image_config.py)."""

    reviews = c.SubConfig(ReviewsConfig)
    """Readiness reviews: `{enabled: false, folder: reviews}`. `resilience-kb review` reads the folder
    either way; the site and knowledge.json show the reviews only when enabled."""


@dataclass(frozen=True)
class Project:
    """The project as configured: the plugin's options, with every folder resolved against mkdocs.yml's own
    (never the working folder) and the command line's overrides. Made once, read by the commands and the plugin."""

    root: Path  # the folder of mkdocs.yml
    config_file: Path | None
    configured_archive: Path
    checklists: Path  # the curated checklist files
    onboarding: Path  # the onboarding path's file
    docs: Path
    theme_overrides: Path | None  # the theme's custom_dir (overrides/)
    feeds: tuple[FeedSource, ...]
    default_feeds: bool  # mkdocs.yml names no feed: `feeds` is the default one
    fetch: FetchOptions
    lock_wait: float
    max_notes: int  # notes of one kind taken from one article
    stale_days: int
    search_shard_pages: int
    backfill_max_pages: int
    backfill_delay: float
    directory_urls: bool  # MkDocs' use_directory_urls: the site's URL scheme
    reviews: Path  # the folder of the review files (read by `review`; on the site only when enabled)
    incidents: Path  # the folder of the incident files (read by `incident`; on the site only as reviews are)
    reviews_enabled: bool = False  # the site and knowledge.json show the reviews (a private site)
    reviews_as_of: date | None = None  # the day action items are overdue against; None: the day of the build
    services: tuple[str, ...] = ()  # services an incident may name besides the reviewed ones (mkdocs.yml lists them)
    archive_override: Path | None = None  # `resilience-kb --archive DIR`
    images: ImageOptions = ImageOptions()  # local copies of article images, or hot-links, and the caps

    @property
    def archive(self) -> Path:
        """The archive read and written: the one given on the command line, else the configured one."""
        return self.archive_override or self.configured_archive

    @property
    def own_archive(self) -> bool:
        """Whether the archive is the configured one: the reviews and the configured feeds belong to it only.

        The curated checklists and the onboarding path are the project's: they apply to any archive."""
        return self.archive_override is None

    def protected_paths(self) -> dict[str, Path]:
        """The project's own data and sources, by name: no output may overwrite, empty or sit inside them."""
        paths = {"the archive": self.archive, "the configured archive": self.configured_archive,
                 "the checklists folder": self.checklists, "the onboarding file": self.onboarding,
                 "the reviews folder": self.reviews, "the incidents folder": self.incidents,
                 "the docs folder": self.docs,
                 "the git repository": self.root / ".git"}
        if self.config_file:
            paths["the configuration"] = self.config_file
        if self.theme_overrides:
            paths["the theme overrides"] = self.theme_overrides
        return {label: path.resolve() for label, path in paths.items()}

    @classmethod
    def from_config(cls, config: MkDocsConfig, options: PluginConfig, *, archive: Path | None = None) -> "Project":
        """The project mkdocs.yml describes (`config`, with our plugin's `options`); `archive` replaces its archive.

        OutputError when the archive would be published or emptied with the site (outputs.check_archive_dir).
        """
        root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        custom_dir = getattr(config.theme, "_custom_dir", None)
        published = {"the docs folder": Path(config.docs_dir), "the site folder": Path(config.site_dir)}
        if custom_dir:
            published["the theme overrides"] = Path(custom_dir)
        for folder in (root / options.archive, archive):
            if folder is not None:
                check_archive_dir(folder, root, published)
        return cls(
            root=root, config_file=Path(config.config_file_path) if config.config_file_path else None,
            configured_archive=(root / options.archive).resolve(), checklists=(root / options.checklists).resolve(),
            onboarding=(root / options.onboarding).resolve(), docs=Path(config.docs_dir),
            theme_overrides=Path(custom_dir) if custom_dir else None,
            feeds=tuple(options.feeds), default_feeds=isinstance(options.feeds, DefaultFeeds),
            fetch=FetchOptions(timeout=options.timeout, max_bytes=options.max_feed_bytes,
                               deadline=options.download_deadline, allow_private=options.allow_private_addresses,
                               allow_private_proxy=options.allow_private_proxy,
                               max_entries=options.max_entries_per_run),
            lock_wait=options.lock_wait, max_notes=options.max_notes_per_article, stale_days=options.stale_days, search_shard_pages=options.search_shard_pages,
            backfill_max_pages=options.backfill_max_pages, backfill_delay=options.backfill_delay,
            directory_urls=config.use_directory_urls,
            reviews=(root / options.reviews.folder).resolve(), reviews_enabled=options.reviews.enabled,
            reviews_as_of=options.reviews.as_of, images=options.images,
            incidents=(root / options.reviews.incidents).resolve(), services=tuple(options.reviews.services),
            archive_override=archive.resolve() if archive is not None else None,
        )


def load_project(config_file: Path | None, *, archive: Path | None = None, **overrides) -> tuple[MkDocsConfig, Project]:
    """mkdocs.yml (`config_file`, else the nearest one) loaded with MkDocs' `overrides`, and its Project.

    `archive` is the command line's --archive. Every problem is one UsageError
    naming the file: MkDocs' own errors are collected and joined, not logged one by one.
    """
    path = config_file or find_config()
    if not path.is_file():
        raise UsageError(f"{path}: no such file (give the mkdocs.yml with --config-file)")
    errors = _ErrorCollector()
    config_log = logging.getLogger("mkdocs.config")
    config_log.addHandler(errors)
    config_log.propagate = False  # the errors are reported once, in one line, below
    try:
        config = load_config(str(path), **overrides)
    except MkDocsException as e:
        raise UsageError(f"{path}: {'; '.join(errors.messages) or e}") from None
    finally:
        config_log.removeHandler(errors)
        config_log.propagate = True
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise UsageError(f"{path}: the {PLUGIN_NAME} plugin is not enabled under 'plugins'")
    return config, Project.from_config(config, plugin.config, archive=archive)


# The project the command line made, for the plugin of the build it runs (see building()).
_handed_over: ContextVar[Project | None] = ContextVar("resilience_kb_project", default=None)


@contextmanager
def building(project: Project) -> Iterator[None]:
    """Within the block, the plugin builds `project`: the command line's, with its overrides."""
    token = _handed_over.set(project)
    try:
        yield
    finally:
        _handed_over.reset(token)


def project_of(config: MkDocsConfig, options: PluginConfig) -> Project:
    """The project a build is of: the one handed over by building(), else the one mkdocs.yml describes."""
    handed = _handed_over.get()
    if handed is not None and str(handed.config_file or "") == config.config_file_path:
        return handed
    return Project.from_config(config, options)


class _ErrorCollector(logging.Handler):
    """Keeps MkDocs' configuration errors for one combined message; passes warnings on."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.messages.append(record.getMessage().removeprefix("Config value 'plugins': "))
        else:
            logging.getLogger().handle(record)


def find_config() -> Path:
    """mkdocs.yml in the working folder or its nearest parent that has one."""
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder / "mkdocs.yml"
    return here / "mkdocs.yml"


