"""The `resilience-kb` command: fetch feeds into the archive, build the site.

Library code raises specific exceptions; this module turns them into one line
on stderr and an exit status: 0 done, 1 the run failed, 2 bad usage or config.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ingest import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
PLUGIN_NAME = "resilience-kb"

log = logging.getLogger("resilience_kb")


class UsageError(Exception):
    """Bad command line or configuration; exits with status 2."""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose - args.quiet)
    try:
        return args.run(args)
    except UsageError as e:
        log.error("%s", e)
        return EXIT_USAGE
    except KeyboardInterrupt:
        log.error("interrupted; the archive is unchanged by the unfinished feed")
        return EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="resilience-kb",
        description="Archive resilience-engineering feeds and build a searchable knowledge-base site from them.",
        epilog="Feeds and the archive folder are configured in mkdocs.yml, under the resilience-kb plugin.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-f", "--config-file", type=Path, metavar="FILE",
                        help="the mkdocs.yml to use (default: mkdocs.yml in this folder or the nearest parent)")
    parser.add_argument("--archive", type=Path, metavar="DIR",
                        help="use this archive folder instead of the configured one (try a feed without touching it)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="say more")
    parser.add_argument("-q", "--quiet", action="count", default=0, help="say only warnings, errors and the summary")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    fetch = commands.add_parser(
        "fetch", help="fetch the configured feeds (or one --feed) into the archive",
        description="Fetch every configured feed, or the one given with --feed, and store new and changed "
                    "entries in the archive. Ends with one summary line per feed. Exits 1 when every feed "
                    "failed (or, with --strict, when any did).",
    )
    fetch.add_argument("--feed", metavar="PATH_OR_URL",
                       help="ingest this feed instead: a local RSS/Atom file or an http(s) URL")
    fetch.add_argument("--name", metavar="NAME",
                       help="the feed name to file --feed's entries under (default: the configured feed with "
                            "the same URL, else one made from the feed's title)")
    fetch.add_argument("--strict", action="store_true", help="exit 1 if any feed failed, not only if all did")
    fetch.set_defaults(run=run_fetch)

    build = commands.add_parser(
        "build", help="generate the pages from the archive and build the site (strict)",
        description="Generate one page per archived article plus the index pages, and run a strict MkDocs "
                    "build: any warning fails the build.",
    )
    build.add_argument("--site-dir", type=Path, metavar="DIR", help="write the site here (default: site/)")
    build.set_defaults(run=run_build)

    export = commands.add_parser(
        "export", help="write the knowledge base (articles and their notes) as JSON",
        description="Extract the notes of every archived article and write the whole knowledge base as one "
                    "JSON document: articles, launches, patterns, biases, lessons, failure injections and "
                    "checklists. The site publishes the same document as knowledge.json.",
    )
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)")
    export.set_defaults(run=run_export)

    checklist = commands.add_parser(
        "checklist", help="write a checklist as a Markdown document to fill in for a service",
        description="Write a curated checklist (checklists/ID.yml) as a Markdown document for a team to fill in: "
                    "a title block, then every question with its id, a box, an answer line and a risk field, "
                    "and links to the site's pattern pages.",
    )
    checklist.add_argument("id", metavar="ID", help="the checklist's id, e.g. orr or postmortem")
    checklist.add_argument("--service", required=True, metavar="NAME", help="the service under review")
    checklist.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)")
    checklist.add_argument("--site-url", metavar="URL",
                           help="the published site, for links (default: site_url in mkdocs.yml)")
    checklist.set_defaults(run=run_checklist)

    init = commands.add_parser(
        "init-checklists", help="create the curated checklist files from the template articles",
        description="For every checklist extracted from an archived template article (an operational readiness "
                    "review, a postmortem) that has no file in the checklists folder yet, write one. Existing "
                    "files are never touched: they are the team's.",
    )
    init.set_defaults(run=run_init_checklists)

    accept = commands.add_parser(
        "accept-upstream", help="make the source article's current version a checklist's new baseline",
        description="After the template article of a curated checklist changed upstream (the build reports it as "
                    "drift), record the article's current version as the checklist's baseline, so the drift "
                    "report ends. Only the file's source block changes: the team's questions stay as they are. "
                    "The questions the article added are printed, to be copied into the file by hand if wanted.",
    )
    accept.add_argument("id", metavar="ID", help="the checklist's id, e.g. orr or postmortem")
    accept.set_defaults(run=run_accept_upstream)

    report = commands.add_parser(
        "report", help="print the latest fetch's report (for a CI job summary or a commit message)",
        description="Print what the latest `resilience-kb fetch` on this archive did, per feed: status, new, "
                    "updated and unchanged entries, and the error. The report is kept beside the archive and "
                    "is not committed.",
    )
    shape = report.add_mutually_exclusive_group()
    shape.add_argument("--markdown", action="store_true", help="a Markdown table (the default)")
    shape.add_argument("--commit-message", action="store_true",
                       help="one line such as 'archive: 2 new, 1 updated' for committing the archive")
    shape.add_argument("--json", action="store_true", help="the report itself")
    report.set_defaults(run=run_report)
    return parser


def run_fetch(args: argparse.Namespace) -> int:
    from ingest.archive.store import Archive, ArchiveError
    from ingest.archive.collect import FetchOptions, collect_feeds, collect_source, utc_now
    from ingest.config import FEED_NAME
    from ingest.archive.report import FetchRun, write_report

    config, plugin = _load_config(args.config_file)
    archive = Archive(_archive_dir(args, config, plugin))
    options = FetchOptions(timeout=plugin.config.timeout, max_bytes=plugin.config.max_feed_bytes)
    feeds = plugin.config.feeds
    if args.name is not None and not FEED_NAME.fullmatch(args.name):
        raise UsageError(f"--name {args.name!r}: use 1-64 lowercase letters, digits, '-' or '_'")
    if args.name is not None and args.feed is None:
        raise UsageError("--name only applies with --feed")
    try:
        if args.feed:
            reports = [collect_source(archive, args.feed, feeds, options, name=args.name)]
        else:
            reports = collect_feeds(archive, feeds, options)
        write_report(archive.root, FetchRun(finished=utc_now(), feeds=tuple(reports)))
    except ArchiveError as e:
        log.error("%s", e)
        return EXIT_FAILED
    except OSError as e:
        log.error("cannot write the fetch report in %s: %s", archive.root, e.strerror or e)
        return EXIT_FAILED
    for report in reports:
        print(report.summary())
    failed = [r for r in reports if r.failed]
    if len(reports) > 1:
        totals = {k: sum(getattr(r, k) for r in reports) for k in ("new", "updated", "unchanged")}
        print(f"total: {len(reports)} feeds, {totals['new']} new, {totals['updated']} updated, "
              f"{totals['unchanged']} unchanged, {len(failed)} failed")
    if failed and (args.strict or len(failed) == len(reports)):
        return EXIT_FAILED
    return EXIT_OK


def run_build(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    site_dir = str(args.site_dir.resolve()) if args.site_dir else None
    config, plugin = _load_config(args.config_file, strict=True, site_dir=site_dir)
    if args.archive is not None:
        plugin.archive_override = args.archive.resolve()
    try:
        build(config)
    except MkDocsException as e:
        log.error("build failed: %s", e)
        return EXIT_FAILED
    log.info("site written to %s", config.site_dir)
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from ingest.model.export import knowledge_json

    config, plugin = _load_config(args.config_file)
    # Like the site: the curated checklists belong to the configured archive, and
    # their source articles are not in another one given with --archive.
    knowledge = _knowledge_or_none(args, config, plugin, curated=args.archive is None)
    if knowledge is None:
        return EXIT_FAILED
    return _write_output(knowledge_json(knowledge), args.output, f"knowledge base ({len(knowledge.articles)} articles)")


def run_report(args: argparse.Namespace) -> int:
    from ingest.archive.report import REPORT_NAME, commit_message, read_report, summary_markdown

    config, plugin = _load_config(args.config_file)
    archive_dir = _archive_dir(args, config, plugin)
    run = read_report(archive_dir)
    if args.json:
        if run is None:
            log.error("no fetch report in %s", archive_dir)
            return EXIT_FAILED
        sys.stdout.write((archive_dir / REPORT_NAME).read_text(encoding="utf-8"))
    elif args.commit_message:
        print(commit_message(run))
    else:
        sys.stdout.write(summary_markdown(run))
    return EXIT_OK


def run_checklist(args: argparse.Namespace) -> int:
    from ingest.site.fillable import fillable_markdown

    config, plugin = _load_config(args.config_file)
    knowledge = _knowledge_or_none(args, config, plugin)
    if knowledge is None:
        return EXIT_FAILED
    entry = _curated_entry(knowledge, args.id, config, plugin)
    document = fillable_markdown(entry, knowledge, service=args.service, site_url=args.site_url or config.site_url)
    return _write_output(document, args.output, f"checklist {args.id} for {args.service}")


def run_init_checklists(args: argparse.Namespace) -> int:
    from ingest.atomic import write_atomic
    from ingest.model.checklists import checklist_yaml

    config, plugin = _load_config(args.config_file)
    knowledge = _knowledge_or_none(args, config, plugin)
    if knowledge is None:
        return EXIT_FAILED
    folder = _checklists_dir(config, plugin)
    extracted = knowledge.checklists()
    if not extracted:
        log.warning("no template article in the archive has a checklist to extract")
    for article, checklist in extracted:
        path = folder / f"{checklist.id}.yml"
        if path.exists():
            print(f"{path}: exists, left as it is")
            continue
        text = checklist_yaml(checklist, article_id=article.id, url=article.url, version=article.content_hash,
                              date=_day(article.published))
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
        print(f"{path}: written, {len(checklist.items)} items in {len(checklist.sections)} sections")
    return EXIT_OK


def run_accept_upstream(args: argparse.Namespace) -> int:
    from ingest.atomic import write_atomic
    from ingest.model.checklists import ChecklistError, accept_upstream

    config, plugin = _load_config(args.config_file)
    knowledge = _knowledge_or_none(args, config, plugin)
    if knowledge is None:
        return EXIT_FAILED
    entry = _curated_entry(knowledge, args.id, config, plugin)
    path, source, article = entry.checklist.path, entry.checklist.source, entry.article
    if source is None:
        log.error("%s: no source block, so no source article to follow", path)
        return EXIT_FAILED
    upstream = knowledge.notes[article.id].checklist if article else None
    if upstream is None:
        log.error("%s: the source article %s is not in the archive, or has no checklist now", path, source.article)
        return EXIT_FAILED
    if not entry.drift:
        print(f"{path}: no drift from the source article; nothing to accept")
        return EXIT_OK
    try:
        text = accept_upstream(path.read_text(encoding="utf-8"), path, entry.checklist, upstream,
                               article_id=article.id, url=article.url, version=article.content_hash,
                               date=_day(article.published))
        write_atomic(path, text)
    except (OSError, ChecklistError) as e:  # the file is as it was: the write is atomic
        log.error("%s", e)
        return EXIT_FAILED
    print(f"{path}: the source article's current version is now the baseline ({entry.drift.describe()})")
    for question in entry.drift.added:
        print(f"  new upstream, not in this checklist: {question}")
    for item_id in entry.drift.removed:
        print(f"  reworded or removed upstream, kept as the team's own: {item_id}")
    return EXIT_OK


def _curated_entry(knowledge, checklist_id: str, config, plugin):
    """The curated checklist `checklist_id`; a usage error that lists the known ones if there is none."""
    from ingest.site.fillable import find_entry

    entry = find_entry(knowledge, checklist_id)
    if entry is None:
        known = ", ".join(e.checklist.id for e in knowledge.curated) or "none yet: run init-checklists"
        raise UsageError(f"no checklist {checklist_id!r} in {_checklists_dir(config, plugin)} (known: {known})")
    return entry


def _day(when) -> str | None:
    return when.strftime("%Y-%m-%d") if when else None


def _knowledge_or_none(args, config, plugin, *, curated: bool = True):
    from ingest.archive.store import ArchiveError
    from ingest.model.checklists import ChecklistError
    from ingest.model.load import load_knowledge
    from ingest.model.vocabulary import VocabularyError

    try:
        knowledge, _ = load_knowledge(_archive_dir(args, config, plugin),
                                      _checklists_dir(config, plugin) if curated else None,
                                      use_directory_urls=config.use_directory_urls)
    except (ArchiveError, VocabularyError, ChecklistError) as e:
        log.error("%s", e)
        return None
    return knowledge


def _write_output(document: str, output: Path | None, what: str) -> int:
    from ingest.atomic import write_atomic

    if output is None:
        sys.stdout.write(document)
        return EXIT_OK
    try:
        write_atomic(output, document)
    except OSError as e:
        log.error("cannot write %s: %s", output, e.strerror or e)
        return EXIT_FAILED
    log.info("%s written to %s", what, output)
    return EXIT_OK


def _load_config(config_file: Path | None, **overrides):
    """Load and validate mkdocs.yml through MkDocs itself, and find our plugin in it."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    path = config_file or _find_config()
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


def _checklists_dir(config, plugin) -> Path:
    from ingest.config import project_path

    return project_path(config.config_file_path, plugin.config.checklists)


def _find_config() -> Path:
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder / "mkdocs.yml"
    return here / "mkdocs.yml"


def _archive_dir(args: argparse.Namespace, config, plugin) -> Path:
    from ingest.config import project_path

    if args.archive is not None:
        return args.archive.resolve()
    return project_path(config.config_file_path, plugin.config.archive)


class _Formatter(logging.Formatter):
    """MkDocs' look: `INFO    -  message`, one line per record."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and record.levelno >= logging.ERROR:
            message += f" ({record.exc_info[1]})"
        return f"{record.levelname:<7} -  {message}"


def _configure_logging(verbosity: int) -> None:
    level = logging.DEBUG if verbosity > 0 else logging.WARNING if verbosity < 0 else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("markdown", "MARKDOWN", "urllib3", "watchdog"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


if __name__ == "__main__":
    sys.exit(main())
