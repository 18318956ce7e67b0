"""Configuration: the plugin's options in mkdocs.yml, validated when MkDocs loads them.

mkdocs.yml is the one place a user configures the project. The command line
reads the same file through MkDocs, so both see the same validated options.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.exceptions import MkDocsException

from ingest.errors import UsageError
from ingest.text import is_http_url

PLUGIN_NAME = "resilience-kb"

DEFAULT_FEEDS = [{"name": "adhorn", "url": "https://dev.to/feed/adhorn"}]
FEED_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
PAGING = ("auto", "rfc5005", "wordpress", "forem", "none")


@dataclass(frozen=True)
class FeedSource:
    """A configured feed: a short name (used in file names), its URL, and how its older pages are reached."""

    name: str
    url: str
    paging: str = "auto"  # one of PAGING; only `resilience-kb backfill` reads it


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
        for attr in ("name", "url"):
            seen: set[str] = set()
            for i, feed in enumerate(feeds):
                if getattr(feed, attr) in seen:
                    raise ValidationError(f"feeds[{i}].{attr}: {getattr(feed, attr)!r} is listed twice")
                seen.add(getattr(feed, attr))
        return feeds


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
    """A finite number greater than zero and at most `maximum` (seconds, bytes, days)."""

    def __init__(self, default: float, *, maximum: float, integer: bool = False) -> None:
        super().__init__()
        self.default = default
        self.maximum = maximum
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
    """A feed that has brought nothing new for this many days is marked stale on the Sources page."""

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

    allow_private_addresses = PrivateAddresses()
    """Let feeds (and their redirects) reach loopback, private and link-local addresses: `true`, or a list
    of networks such as `10.1.0.0/16`. Off by default: a feed's redirect must not reach a cloud machine's
    metadata service or the local network."""

    search_shard_pages = PositiveNumber(default=1000, maximum=1_000_000, integer=True)
    """Pages per search index: a larger site is indexed in several, which the search box merges.
    Pagefind's memory grows with the pages it indexes at once (0.2 to 0.5 MB each)."""


    backfill_max_pages = PositiveNumber(default=50, maximum=10_000, integer=True)
    """`resilience-kb backfill` reads at most this many older pages of a feed per run (`--max-pages`)."""

    backfill_delay = NonNegativeNumber(default=1.0, maximum=600)
    """Seconds `resilience-kb backfill` waits between two requests to a site, to be polite."""


def project_path(config_file_path: str | None, folder: str) -> Path:
    """A configured folder, resolved against the folder of mkdocs.yml (never the working directory)."""
    base_dir = Path(config_file_path).resolve().parent if config_file_path else Path.cwd()
    return (base_dir / folder).resolve()


def load_config_file(config_file: Path | None, **overrides):
    """Load and validate mkdocs.yml through MkDocs itself, and find our plugin in it: (config, plugin).

    Every problem is one UsageError naming the file: MkDocs' own errors are
    collected and joined, not logged one by one.
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
    return config, plugin


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


def archive_dir(config, plugin, override: Path | None = None) -> Path:
    """The archive folder: `override` (the command line's --archive) or the configured one."""
    if override is not None:
        return override.resolve()
    return project_path(config.config_file_path, plugin.config.archive)


def checklists_dir(config, plugin) -> Path:
    """The folder of the curated checklist files."""
    return project_path(config.config_file_path, plugin.config.checklists)
