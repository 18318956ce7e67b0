"""The bodies of the review commands: `review new`, `review check` and `checklist` (cli.py declares them).

A review file and the fillable checklist are one document (ingest/model/reviews.py):
`checklist` writes it where it is asked (standard output or -o), `review new` files it
under the project's reviews folder as <service>/<date>-<checklist>.md.
"""

from __future__ import annotations

import argparse
import logging
from datetime import date as Date
from pathlib import Path

from ingest.commands import EXIT_OK, _knowledge, _output_path, _write_output
from ingest.config import Project, load_project
from ingest.errors import UsageError, WriteError
from ingest.model.reviews import load_review, load_reviews, new_review, review_file_name, service_problem, write_review

log = logging.getLogger("resilience_kb")


def run_checklist(args: argparse.Namespace) -> int:
    config, project = load_project(args.config_file, archive=args.archive)
    output = _output_path(args, project)
    _, document = _new_review(args, config, project)
    return _write_output(document, output, f"checklist {args.id} for {args.service}")


def run_review_new(args: argparse.Namespace) -> int:
    from ingest.atomic import write_atomic

    config, project = load_project(args.config_file, archive=args.archive)
    folder = project.reviews
    review, document = _new_review(args, config, project)
    path = folder / review_file_name(review)
    if path.exists() or path.is_symlink():
        raise UsageError(f"{path} exists: a review is never overwritten; edit that file, or give another --date")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, document)
    except OSError as e:
        raise WriteError(path, e) from None
    print(path)
    log.info("review of %s written to %s: fill it in, then run `resilience-kb review check %s`",
             review.service, path, path)
    return EXIT_OK


def run_review_check(args: argparse.Namespace) -> int:
    from ingest.model.checklists import load_checklists
    from ingest.model.extract.vocabulary import load_vocabulary

    _, project = load_project(args.config_file, archive=args.archive)
    from ingest.model.review_cache import ReviewCache

    checklists = load_checklists(project.checklists, load_vocabulary())
    folder = project.reviews
    cache = ReviewCache(project.archive)  # the build's: files read before by this code are not parsed again
    if not args.files:
        reviews = load_reviews(folder, checklists, cache)
        print(f"{len(reviews)} review{'s' if len(reviews) != 1 else ''} in {folder}: no mistake found")
        return EXIT_OK
    for file in args.files:
        path = file.resolve()
        inside = path.parent.parent == folder
        load_review(path, checklists, name=str(file), folder_checks=inside, cache=cache)
    print(f"{len(args.files)} review file{'s' if len(args.files) != 1 else ''}: no mistake found")
    return EXIT_OK


def _new_review(args: argparse.Namespace, config, project: Project):
    from ingest.model.curation import curated_entry
    from ingest.site.fillable import question_hints
    from ingest.text import is_http_url

    if problem := service_problem(args.service):
        raise UsageError(f"--service: {problem}")
    site_url = getattr(args, "site_url", None)
    if site_url is not None and not is_http_url(site_url):
        raise UsageError(f"--site-url {site_url!r}: give the site's http(s) address, such as https://kb.example.org/")
    knowledge = _knowledge(project)
    entry = curated_entry(knowledge, args.id, project.checklists)
    hints = question_hints(entry, knowledge, site_url=site_url or config.site_url)
    review = new_review(entry.checklist, service=args.service, day=args.date or Date.today(), hints=hints)
    return review, write_review(review)


def iso_date(text: str) -> Date:
    """--date: a day written YYYY-MM-DD."""
    try:
        if len(text) == 10:
            return Date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"expected a date such as 2026-03-02 (YYYY-MM-DD), got {text!r}")


def add_review_parser(subcommands) -> None:
    """The `review` command and its `new` and `check` commands, added to the command line's parser."""
    review = subcommands.add_parser(
        "review", help="start or check readiness reviews (reviews/<service>/<date>-<checklist>.md)",
        description="A review is a checklist answered for a service, kept in git: per question an answer, "
                    "a risk (high, medium, none, n/a with a reason, or empty while unanswered), notes and actions.")
    review_commands_ = review.add_subparsers(title="review commands", metavar="COMMAND", required=True)
    new = review_commands_.add_parser(
        "new", help="write a new review file to fill in: reviews/<service>/<date>-<checklist>.md",
        description="Write a new review of the service, made from the curated checklist, under the reviews folder "
                    "(the plugin's reviews.folder in mkdocs.yml). An existing file is never overwritten.",
    )
    review_arguments(new)
    new.set_defaults(run=run_review_new)
    check = review_commands_.add_parser(
        "check", help="check review files (default: every review of the project)",
        description="Stop at the first mistake with its file, line and fix: an unknown question id, a risk or "
                    "status not one of the words, n/a without a reason, a bad date, a question twice, a file in the "
                    "wrong folder or under the wrong name (a question left out is unanswered). Exits 1 on a mistake.",
    )
    check.add_argument("files", nargs="*", type=Path, metavar="FILE", help="the review files (default: all)")
    check.set_defaults(run=run_review_check)


def review_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of a command that writes a review: the checklist, the service, the day, the site."""
    parser.add_argument("id", metavar="CHECKLIST", help="the checklist's id, e.g. orr or postmortem")
    parser.add_argument("--service", required=True, metavar="NAME",
                        help="the service under review: lowercase letters, digits and hyphens (e.g. payments-api)")
    parser.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD",
                        help="the day of the review (default: today)")
    parser.add_argument("--site-url", metavar="URL", help="the published site, for links (default: its site_url)")
