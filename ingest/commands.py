"""The bodies of the `resilience-kb` commands (cli.py declares their arguments).

Each one loads mkdocs.yml, calls the one archive, model or site function that
does the work, and prints; errors are KBErrors, which cli.main turns into one line.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ingest.config import Project, building, load_project
from ingest.errors import KBError, UsageError, WriteError

EXIT_OK, EXIT_FAILED = 0, 1

log = logging.getLogger("resilience_kb")


def run_fetch(args: argparse.Namespace) -> int:
    from ingest.archive.report import fetch_and_report, summary_lines
    from ingest.sources import FEED_NAME

    _, project = load_project(args.config_file, archive=args.archive)
    if project.default_feeds:
        default = ", ".join(f"{f.name} ({f.url})" for f in project.feeds)
        log.warning("%s: no 'feeds' under the resilience-kb plugin: the default feed %s is the one configured; "
                    "add 'feeds' to choose yours", project.config_file, default)
    if args.name is not None and not FEED_NAME.fullmatch(args.name):
        raise UsageError(f"--name {args.name!r}: use 1-64 lowercase letters, digits, '-' or '_'")
    if args.name is not None and args.feed is None:
        raise UsageError("--name only applies with --feed")
    reports = fetch_and_report(project.archive, list(project.feeds), project.fetch, source=args.feed, name=args.name)
    for line in summary_lines(reports):
        print(line)
    if project.images.mode == "local" and not args.no_images:
        _copy_images(project, {r.feed for r in reports if not r.failed and (r.new or r.updated)})
    failed = [r for r in reports if r.failed]
    if failed and (args.strict or len(failed) == len(reports)):
        return EXIT_FAILED
    return EXIT_OK


def run_backfill(args: argparse.Namespace) -> int:
    from ingest.archive.backfill import BackfillOptions, backfill_named, summary_lines

    _, project = load_project(args.config_file, archive=args.archive)
    options = BackfillOptions(
        fetch=project.fetch,  # the same caps, timeouts and network policy as fetch
        max_pages=args.max_pages or project.backfill_max_pages,
        delay=project.backfill_delay if args.delay is None else args.delay,
    )
    reports = backfill_named(project.archive, list(project.feeds), args.names, options)
    for line in summary_lines(reports):
        print(line)
    if project.images.mode == "local":
        _copy_images(project, {r.feed for r in reports if r.new})
    failed = [r for r in reports if r.failed]
    return EXIT_FAILED if failed and (args.strict or len(failed) == len(reports)) else EXIT_OK


def run_images(args: argparse.Namespace) -> int:
    _, project = load_project(args.config_file, archive=args.archive)
    known = {feed.name for feed in project.feeds}
    unknown = sorted(set(args.names) - known) if project.own_archive else []
    if unknown:
        raise UsageError(f"no feed named {unknown[0]!r} in {project.config_file} (the feeds: {', '.join(sorted(known))})")
    if project.images.mode != "local":
        log.warning("%s: images: remote: the site hot-links the images; the copies are kept all the same",
                    project.config_file)
    _copy_images(project, set(args.names) or None, retry=args.retry, strict=True)
    return EXIT_OK


def _copy_images(project: Project, feeds: set[str] | None, *, retry: bool = False, strict: bool = False) -> None:
    """Copy the images of the feeds' entries (all, with None) into the media store; print a line per feed.

    After a fetch or a backfill (`strict` False) nothing here fails the run: the entries are stored already.
    """
    from ingest.archive.images import fill_images, summary_lines
    from ingest.model.images import shown_images

    if feeds is not None and not feeds:
        return
    try:
        reports = fill_images(project.archive, shown_images, project.images, project.fetch, feeds=feeds, retry=retry)
    except KBError as e:
        if strict:
            raise
        log.error("images: %s (the entries are stored; `resilience-kb images` tries again)", e)
        return
    for line in summary_lines(reports):
        print(line)


def run_build(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    site_dir = str(args.site_dir.resolve()) if args.site_dir else None
    config, project = load_project(args.config_file, archive=args.archive, strict=True, site_dir=site_dir)
    try:
        with building(project):  # the plugin builds this project, --archive and all
            build(config)
    except MkDocsException as e:
        raise KBError(f"build failed: {e}") from None
    log.info("site written to %s", config.site_dir)
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from ingest.atomic import open_atomic
    from ingest.model.export import write_knowledge_json
    from ingest.site.loading import load_project_knowledge

    _, project = load_project(args.config_file, archive=args.archive)
    output = _output_path(args, project)
    # Like the site: the curated checklists are the project's, whichever archive is read.
    loaded = load_project_knowledge(project, reviews=True)  # the reviews only when enabled, as on the site
    knowledge = loaded.knowledge
    if output is None:
        write_knowledge_json(knowledge, sys.stdout, loaded.reviews, loaded.incidents)
        return EXIT_OK
    try:
        with open_atomic(output) as handle:  # in pieces: it is tens of MB for a large archive
            write_knowledge_json(knowledge, handle, loaded.reviews, loaded.incidents)
    except OSError as e:
        raise WriteError(output, e) from None
    log.info("knowledge base (%d articles) written to %s", len(knowledge.articles), output)
    return EXIT_OK


def run_report(args: argparse.Namespace) -> int:
    from ingest.archive.report import commit_message, load_report, report_json, summary_markdown

    _, project = load_project(args.config_file, archive=args.archive)
    run = load_report(project.archive)  # a damaged report is an error that names it
    if args.json:
        sys.stdout.write(report_json(project.archive))
    elif args.commit_message:
        print(commit_message(run))
    else:
        sys.stdout.write(summary_markdown(run))
    return EXIT_OK



def run_init_checklists(args: argparse.Namespace) -> int:
    from ingest.model.curation import init_checklists

    _, project = load_project(args.config_file, archive=args.archive)
    results = init_checklists(_knowledge(project), project.checklists)
    if not results:
        log.warning("no template article in the archive has a checklist to extract")
    for result in results:
        print(result.describe())
    return EXIT_OK


def run_accept_upstream(args: argparse.Namespace) -> int:
    from ingest.model.curation import accept_upstream_baseline, curated_entry

    _, project = load_project(args.config_file, archive=args.archive)
    knowledge = _knowledge(project)
    entry = curated_entry(knowledge, args.id, project.checklists)
    for line in accept_upstream_baseline(knowledge, entry):
        print(line)
    return EXIT_OK


def run_export_lens(args: argparse.Namespace) -> int:
    from ingest.model.curation import curated_entry
    from ingest.site.lens import build_lens, lens_text
    from ingest.text import is_http_url

    config, project = load_project(args.config_file, archive=args.archive)
    if args.site_url is not None and not is_http_url(args.site_url):
        raise UsageError(f"--site-url {args.site_url!r}: give the site's http(s) address, such as "
                         f"https://kb.example.org/")
    output = _output_path(args, project)
    knowledge = _knowledge(project)
    entry = curated_entry(knowledge, args.id, project.checklists)
    lens = build_lens(entry, knowledge, site_url=args.site_url or config.site_url, site_name=config.site_name,
                      directory_urls=config.use_directory_urls)
    return _write_output(lens_text(lens), output, f"Well-Architected lens of checklist {args.id}")


def _knowledge(project: Project, *, checklists: bool = True):
    """The project's knowledge base, as the site loads it; the checklist commands always read the checklists."""
    from ingest.site.loading import load_project_knowledge

    return load_project_knowledge(project, checklists=checklists).knowledge


def _output_path(args: argparse.Namespace, project: Project) -> Path | None:
    """Where `-o` writes, once it is sure to destroy nothing (checked before any work is done)."""
    from ingest.outputs import check_output_file

    if args.output is None:
        return None
    return check_output_file(args.output, project.protected_paths(), force=args.force)


def _write_output(document: str, output: Path | None, what: str) -> int:
    from ingest.atomic import write_atomic

    if output is None:
        sys.stdout.write(document)
        return EXIT_OK
    try:
        write_atomic(output, document)
    except OSError as e:
        raise WriteError(output, e) from None
    log.info("%s written to %s", what, output)
    return EXIT_OK
