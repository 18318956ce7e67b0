"""The `resilience-kb` command line: its arguments and help (here) and its commands (commands.py).

Each command loads mkdocs.yml, calls the archive, model or site function that does
the work, and prints. Every error a user can cause is a KBError (errors.py):
`main` prints its one line and exits 1 (the run failed) or 2 (bad usage or config); 0 is done.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from ingest import __version__, commands, incident_commands, review_commands
from ingest.logs import configure_logging
from ingest.errors import STANDARD_OUTPUT, KBError, environment_error


log = logging.getLogger("resilience_kb")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose - args.quiet)
    sys.stdout = _StandardOutput(sys.stdout)
    try:
        status = args.run(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not as Python exits
        return status
    except KBError as e:
        log.error("%s", e)
        return e.exit_status
    except KeyboardInterrupt:
        log.error("interrupted; the archive is unchanged by the unfinished feed")
        return commands.EXIT_FAILED
    except OSError as e:
        message = environment_error(e)
        if message is None:
            return _bug(e, args.verbose)
        if e.filename == STANDARD_OUTPUT:  # it leads nowhere now, so that Python's last flush cannot fail again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.__stdout__.fileno())
        log.error("%s", message, exc_info=e if args.verbose > 0 else None)
        return commands.EXIT_FAILED
    except Exception as e:  # noqa: BLE001 (a bug: one line for the user, the traceback with -v)
        return _bug(e, args.verbose)
    finally:
        sys.stdout = sys.stdout.stream


class _StandardOutput:
    """sys.stdout, whose write errors (a closed pipe, a full disk) name it as their file."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except OSError as e:
            e.filename = e.filename or STANDARD_OUTPUT
            raise

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as e:
            e.filename = e.filename or STANDARD_OUTPUT
            raise

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


def _bug(e: Exception, verbose: int) -> int:
    """One line for an error that is resilience-kb's own; with -v, its traceback to report."""
    if verbose > 0:
        log.error("unexpected error, a bug in resilience-kb; please report it with this output", exc_info=e)
    else:
        log.error("unexpected %s: %s (a bug in resilience-kb: run again with -v and report the output)",
                  type(e).__name__, " ".join(str(e).split())[:300])
    return commands.EXIT_FAILED


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
    subcommands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    fetch = subcommands.add_parser(
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
    fetch.add_argument("--no-images", action="store_true", help="do not copy the new entries' images (see images)")
    fetch.set_defaults(run=commands.run_fetch)

    images = subcommands.add_parser(
        "images", help="copy the archived articles' images into the archive's media store (for images: local)",
        description="Download the images the archived articles show (of the feeds named, else all) that the media "
                    "store (archive/media/) lacks, within the caps of 'images' in mkdocs.yml; fetch and backfill "
                    "do it for the entries they bring. A failed image is one line and fails nothing.")
    images.add_argument("names", nargs="*", metavar="NAME", help="the feeds whose images to copy (default: every one)")
    images.add_argument("--retry", action="store_true", help="try again the images that failed for good before")
    images.set_defaults(run=commands.run_images)

    backfill = subcommands.add_parser(
        "backfill", help="fetch the older pages of the configured feeds (or the named ones) into the archive",
        description="Walk the older pages of each configured feed (or of the feeds named) and file the entries "
                    "the archive does not have yet, exactly as fetch would. Paging schemes: RFC 5005 next and "
                    "prev-archive links, WordPress's ?paged=N, the Forem (DEV) articles API; detected per feed or "
                    "set with 'paging:' in the feed's entry of mkdocs.yml. Stops at the oldest page, at a page with "
                    "no new entry, at an error or at the page limit; a second run resumes where one stopped. Ends "
                    "with one summary line per feed. Exits 1 when every feed failed (or, with --strict, any did).",
    )
    backfill.add_argument("names", nargs="*", metavar="NAME", help="the feeds to backfill (default: every one)")
    backfill.add_argument("--max-pages", type=_option("backfill_max_pages", int), metavar="N",
                          help="read at most N older pages per feed (default: backfill_max_pages in mkdocs.yml, 50)")
    backfill.add_argument("--delay", type=_option("backfill_delay", float), metavar="SECONDS",
                          help="wait this long between two requests (default: backfill_delay in mkdocs.yml, 1)")
    backfill.add_argument("--strict", action="store_true", help="exit 1 if any feed failed, not only if all did")
    backfill.set_defaults(run=commands.run_backfill)

    build = subcommands.add_parser(
        "build", help="generate the pages from the archive and build the site (strict)",
        description="Generate one page per archived article plus the index pages, and run a strict MkDocs "
                    "build: any warning fails the build.",
    )
    build.add_argument("--site-dir", type=Path, metavar="DIR", help="write the site here (default: site/)")
    build.set_defaults(run=commands.run_build)

    export = subcommands.add_parser(
        "export", help="write the knowledge base (articles and their notes) as JSON",
        description="Extract the notes of every archived article and write the whole knowledge base as one "
                    "JSON document: articles, launches, patterns, biases, lessons, failure injections and "
                    "checklists. The site publishes the same document as knowledge.json.",
    )
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.set_defaults(run=commands.run_export)

    checklist = subcommands.add_parser(
        "checklist", help="write a checklist as a review file to fill in (to standard output or -o FILE)",
        description="Write a curated checklist (checklists/ID.yml) as a review file to fill in, the document "
                    "`review new` files under the reviews folder: a title block, then every question with its id, "
                    "guidance and links to the pattern pages, and 'Answer:', 'Risk:', 'Notes:', 'Actions:'.",
    )
    review_commands.review_arguments(checklist)
    checklist.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)")
    checklist.add_argument("--force", action="store_true", help="replace FILE if it exists")
    checklist.set_defaults(run=review_commands.run_checklist)

    review_commands.add_review_parser(subcommands)
    incident_commands.add_incident_parser(subcommands)

    lens = subcommands.add_parser(
        "export-lens", help="write a checklist as an AWS Well-Architected custom lens (JSON to import)",
        description="Write a curated checklist as a custom lens for the AWS Well-Architected Tool (schemaVersion "
                    "2021-11-01): a pillar per section (split in parts of 20 questions), a question per item, its "
                    "choices and risk rules from the checklist's file or the defaults, every best practice linked "
                    "to the site's pattern pages (so site_url must be set). A lens over a limit of the format is "
                    "refused with what to change.",
    )
    lens.add_argument("id", metavar="CHECKLIST", help="the checklist's id, e.g. orr")
    lens.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)")
    lens.add_argument("--force", action="store_true", help="replace FILE if it exists")
    lens.add_argument("--site-url", metavar="URL", help="the published site (default: site_url in mkdocs.yml)")
    lens.set_defaults(run=commands.run_export_lens)

    init = subcommands.add_parser(
        "init-checklists", help="create the curated checklist files from the template articles",
        description="For every checklist extracted from an archived template article (an operational readiness "
                    "review, a postmortem) that has no file in the checklists folder yet, write one. Existing "
                    "files are never touched: they are the team's.",
    )
    init.set_defaults(run=commands.run_init_checklists)

    accept = subcommands.add_parser(
        "accept-upstream", help="make the source article's current version a checklist's new baseline",
        description="After the template article of a curated checklist changed upstream (the build reports it as "
                    "drift), record the article's current version as the checklist's baseline, so the drift "
                    "report ends. Only the file's source block changes: the team's questions stay as they are. "
                    "The questions the article added are printed, to be copied into the file by hand if wanted.",
    )
    accept.add_argument("id", metavar="ID", help="the checklist's id, e.g. orr or postmortem")
    accept.set_defaults(run=commands.run_accept_upstream)

    report = subcommands.add_parser(
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
    report.set_defaults(run=commands.run_report)
    return parser


def _option(name: str, convert):
    """An argparse type for a flag that stands for the mkdocs.yml option `name`: checked by that option,
    so the flag has the same range (and the same message) as the file."""
    from mkdocs.config.base import ValidationError

    from ingest.config import PluginConfig

    option = dict(PluginConfig._schema)[name]

    def check(text: str):
        try:
            value = convert(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {'a whole number' if convert is int else 'a number'}, "
                                             f"got {text!r}") from None
        try:
            return option.validate(value)
        except ValidationError as e:
            raise argparse.ArgumentTypeError(f"{e} (as {name} in mkdocs.yml)") from None

    return check


if __name__ == "__main__":
    sys.exit(main())
