"""The bodies of the `resilience-kb` commands (cli.py declares their arguments).

Each one loads mkdocs.yml, calls the one archive, model or site function that
does the work, and prints; errors are KBErrors, which cli.main turns into one line.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ingest.config import archive_dir, checklists_dir, load_config_file
from ingest.errors import KBError, UsageError

EXIT_OK, EXIT_FAILED = 0, 1

log = logging.getLogger("resilience_kb")


def run_fetch(args: argparse.Namespace) -> int:
    from ingest.archive.report import fetch_and_report, summary_lines
    from ingest.config import FEED_NAME, DefaultFeeds

    config, plugin = load_config_file(args.config_file)
    options = _fetch_options(plugin)
    feeds = plugin.config.feeds
    if isinstance(feeds, DefaultFeeds):
        default = ", ".join(f"{f.name} ({f.url})" for f in feeds)
        log.warning("%s: no 'feeds' under the resilience-kb plugin: the default feed %s is the one configured; "
                    "add 'feeds' to choose yours", config.config_file_path, default)
    if args.name is not None and not FEED_NAME.fullmatch(args.name):
        raise UsageError(f"--name {args.name!r}: use 1-64 lowercase letters, digits, '-' or '_'")
    if args.name is not None and args.feed is None:
        raise UsageError("--name only applies with --feed")
    reports = fetch_and_report(archive_dir(config, plugin, args.archive), plugin.config.feeds, options,
                                 source=args.feed, name=args.name)
    for line in summary_lines(reports):
        print(line)
    failed = [r for r in reports if r.failed]
    if failed and (args.strict or len(failed) == len(reports)):
        return EXIT_FAILED
    return EXIT_OK


def run_backfill(args: argparse.Namespace) -> int:
    from ingest.archive.backfill import BackfillOptions, backfill_named, summary_lines

    config, plugin = load_config_file(args.config_file)
    options = BackfillOptions(
        fetch=_fetch_options(plugin),  # the same caps, timeouts and network policy as fetch
        max_pages=args.max_pages or plugin.config.backfill_max_pages,
        delay=plugin.config.backfill_delay if args.delay is None else args.delay,
    )
    reports = backfill_named(archive_dir(config, plugin, args.archive), plugin.config.feeds, args.names, options)
    for line in summary_lines(reports):
        print(line)
    failed = [r for r in reports if r.failed]
    return EXIT_FAILED if failed and (args.strict or len(failed) == len(reports)) else EXIT_OK


def _fetch_options(plugin):
    from ingest.archive.collect import FetchOptions

    return FetchOptions(timeout=plugin.config.timeout, max_bytes=plugin.config.max_feed_bytes,
                        deadline=plugin.config.download_deadline,
                        allow_private=plugin.config.allow_private_addresses)


def run_build(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    site_dir = str(args.site_dir.resolve()) if args.site_dir else None
    config, plugin = load_config_file(args.config_file, strict=True, site_dir=site_dir)
    if args.archive is not None:
        plugin.archive_override = args.archive.resolve()
    try:
        build(config)
    except MkDocsException as e:
        raise KBError(f"build failed: {e}") from None
    log.info("site written to %s", config.site_dir)
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from ingest.atomic import open_atomic
    from ingest.model.export import write_knowledge_json

    config, plugin = load_config_file(args.config_file)
    output = _output_path(args, config, plugin)
    # Like the site: the curated checklists belong to the configured archive, and
    # their source articles are not in another one given with --archive.
    knowledge = _knowledge(args, config, plugin, curated=args.archive is None)
    if output is None:
        write_knowledge_json(knowledge, sys.stdout)
        return EXIT_OK
    try:
        with open_atomic(output) as handle:  # in pieces: it is tens of MB for a large archive
            write_knowledge_json(knowledge, handle)
    except OSError as e:
        raise KBError(f"cannot write {output}: {e.strerror or e}") from None
    log.info("knowledge base (%d articles) written to %s", len(knowledge.articles), output)
    return EXIT_OK


def run_report(args: argparse.Namespace) -> int:
    from ingest.archive.report import commit_message, load_report, report_json, summary_markdown

    config, plugin = load_config_file(args.config_file)
    folder = archive_dir(config, plugin, args.archive)
    run = load_report(folder)  # a damaged report is an error that names it
    if args.json:
        sys.stdout.write(report_json(folder))
    elif args.commit_message:
        print(commit_message(run))
    else:
        sys.stdout.write(summary_markdown(run))
    return EXIT_OK


def run_checklist(args: argparse.Namespace) -> int:
    from ingest.model.curation import curated_entry
    from ingest.site.fillable import fillable_markdown

    from ingest.text import is_http_url

    config, plugin = load_config_file(args.config_file)
    if args.site_url is not None and not is_http_url(args.site_url):
        raise UsageError(f"--site-url {args.site_url!r}: give the site's http(s) address, such as "
                         f"https://kb.example.org/")
    output = _output_path(args, config, plugin)
    knowledge = _knowledge(args, config, plugin)
    entry = curated_entry(knowledge, args.id, checklists_dir(config, plugin))
    document = fillable_markdown(entry, knowledge, service=args.service, site_url=args.site_url or config.site_url)
    return _write_output(document, output, f"checklist {args.id} for {args.service}")


def run_init_checklists(args: argparse.Namespace) -> int:
    from ingest.model.curation import init_checklists

    config, plugin = load_config_file(args.config_file)
    results = init_checklists(_knowledge(args, config, plugin), checklists_dir(config, plugin))
    if not results:
        log.warning("no template article in the archive has a checklist to extract")
    for result in results:
        print(result.describe())
    return EXIT_OK


def run_accept_upstream(args: argparse.Namespace) -> int:
    from ingest.model.curation import accept_upstream_baseline, curated_entry

    config, plugin = load_config_file(args.config_file)
    knowledge = _knowledge(args, config, plugin)
    entry = curated_entry(knowledge, args.id, checklists_dir(config, plugin))
    for line in accept_upstream_baseline(knowledge, entry):
        print(line)
    return EXIT_OK


def _knowledge(args, config, plugin, *, curated: bool = True):
    from ingest.archive.store import Archive
    from ingest.model.load import load_knowledge
    from ingest.site.urls import article_from_article

    archive = Archive(archive_dir(config, plugin, args.archive))
    if args.archive is not None:
        archive.require()  # a mistyped --archive is an error, not an empty knowledge base
    with archive.reading(plugin.config.lock_wait):
        knowledge, _ = load_knowledge(archive.root, checklists_dir(config, plugin) if curated else None,
                                      local_url=article_from_article(config.use_directory_urls))
    return knowledge


def _output_path(args, config, plugin) -> Path | None:
    """Where `-o` writes, once it is sure to destroy nothing (checked before any work is done)."""
    from ingest.outputs import OutputError, check_output_file
    from ingest.site.plugin import protected_paths

    if args.output is None:
        return None
    plugin.archive_dir = archive_dir(config, plugin, args.archive)
    try:
        return check_output_file(args.output, protected_paths(config, plugin), force=args.force)
    except OutputError as e:
        raise UsageError(str(e)) from None


def _write_output(document: str, output: Path | None, what: str) -> int:
    from ingest.atomic import write_atomic

    if output is None:
        sys.stdout.write(document)
        return EXIT_OK
    try:
        write_atomic(output, document)
    except OSError as e:
        raise KBError(f"cannot write {output}: {e.strerror or e}") from None
    log.info("%s written to %s", what, output)
    return EXIT_OK
