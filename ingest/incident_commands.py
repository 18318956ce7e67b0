"""The bodies of the incident commands: `incident new`, `incident check` and `incident import` (cli.py adds them).

An incident is a file of the incidents folder (ingest/model/incidents.py): `new` writes one
from the postmortem checklist, `check` reads and checks them, `import` turns other
companies' postmortems (Markdown with front matter, as public collections keep them) into
the public library, incidents/public/.
"""

from __future__ import annotations

import argparse
import logging
from dataclasses import replace
from datetime import date as Date
from pathlib import Path

from ingest.commands import EXIT_FAILED, EXIT_OK
from ingest.config import Project, load_project
from ingest.errors import UsageError, WriteError
from ingest.model.incident_format import INCIDENT_SUFFIX
from ingest.review_commands import iso_date

log = logging.getLogger("resilience_kb")


def _checklists_and_vocabulary(project: Project):
    from ingest.model.checklists import load_checklists
    from ingest.model.extract.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    return load_checklists(project.checklists, vocabulary), vocabulary


def run_incident_new(args: argparse.Namespace) -> int:
    from ingest.atomic import write_atomic
    from ingest.model.incidents import incident_file_name, new_incident, write_incident

    _, project = load_project(args.config_file, archive=args.archive)
    checklists, _ = _checklists_and_vocabulary(project)
    checklist = next((c for c in checklists if c.id == args.checklist), None)
    if checklist is None:
        known = ", ".join(c.id for c in checklists) or "none (run `resilience-kb init-checklists`)"
        raise UsageError(f"no checklist {args.checklist!r} in {project.checklists} (the checklists: {known}); "
                         f"give --checklist ID")
    if not " ".join(args.title.split()):
        raise UsageError("--title is empty: say what happened in a few words")
    incident = new_incident(checklist, title=args.title, day=args.date or Date.today())
    path = project.incidents / incident_file_name(incident)
    if path.exists() or path.is_symlink():
        raise UsageError(f"{path} exists: an incident is never overwritten; edit that file, or give another "
                         f"--title or --date")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, write_incident(incident))
    except OSError as e:
        raise WriteError(path, e) from None
    print(path)
    log.info("incident written to %s: fill it in, then run `resilience-kb incident check %s`", path, path)
    return EXIT_OK


def run_incident_check(args: argparse.Namespace) -> int:
    from ingest.model.incidents import PUBLIC, known_services, load_incident, load_incidents

    _, project = load_project(args.config_file, archive=args.archive)
    if args.apply is not None and len(args.files) != 1:
        raise UsageError("--apply: name the one incident file whose suggestions it accepts, as in "
                         "`resilience-kb incident check FILE --apply 1,3`")
    checklists, vocabulary = _checklists_and_vocabulary(project)
    folder = project.incidents
    services = known_services(project.reviews, project.services)
    if not args.files:
        incidents = load_incidents(folder, checklists, vocabulary, services)
        public = sum(1 for i in incidents if i.public)
        print(f"{len(incidents) - public} incident{'s' if len(incidents) - public != 1 else ''} and {public} "
              f"public in {folder}: no mistake found")
        _print_suggestions([i for i in incidents if not i.public], checklists, vocabulary)
        return EXIT_OK
    incidents = []
    for file in args.files:
        path = file.resolve()
        place = True if path.parent == folder / PUBLIC else False if path.parent == folder else None
        incidents.append(load_incident(path, checklists, vocabulary, services, name=str(file), place=place))
    print(f"{len(args.files)} incident file{'s' if len(args.files) != 1 else ''}: no mistake found")
    if args.apply is not None:
        return _apply(args.files[0], incidents[0], args.apply, checklists, vocabulary, services)
    _print_suggestions(incidents, checklists, vocabulary)
    return EXIT_OK


def _linker(checklists, vocabulary):
    from ingest.model.incident_links import Linker, load_link_data

    return Linker(vocabulary, checklists, load_link_data(vocabulary))


def _print_suggestions(incidents, checklists, vocabulary) -> None:
    """Per file, the links its factors and action items name but do not have, numbered (incident_links.py)."""
    from ingest.model.incident_links import incident_suggestions
    from ingest.model.incident_suggestions import numbered_lines

    linker = _linker(checklists, vocabulary)
    for incident in incidents:
        for line in numbered_lines(incident.path, incident, incident_suggestions(incident, linker)):
            print(line)


def _apply(file: Path, incident, choice: str, checklists, vocabulary, services) -> int:
    """Write the accepted suggestions into the file, whole or not at all; the result is checked first."""
    from ingest.atomic import write_atomic
    from ingest.model.incident_links import incident_suggestions
    from ingest.model.incident_reader import parse_incident
    from ingest.model.incident_suggestions import accept_into_text, accepted
    from ingest.model.incidents import check_incident

    chosen = accepted(choice, incident_suggestions(incident, _linker(checklists, vocabulary)))
    if not chosen:
        print(f"{file}: no suggested link to accept")
        return EXIT_OK
    path = file.resolve()
    try:
        text = path.read_bytes().decode("utf-8")  # read and checked a moment ago
    except OSError as e:
        raise UsageError(f"{file}: cannot be read: {e.strerror or e}") from None
    written = accept_into_text(text, str(file), chosen)
    check_incident(parse_incident(written, str(file)), checklists, vocabulary, services)
    try:
        write_atomic(path, written)
    except OSError as e:
        raise WriteError(path, e) from None
    print(f"{file}: {len(chosen)} link{'s' if len(chosen) != 1 else ''} added: "
          f"{', '.join(f'{s.target} {s.kind} {s.id}' for s in chosen)}")
    return EXIT_OK


def run_incident_import(args: argparse.Namespace) -> int:
    from ingest.atomic import write_atomic
    from ingest.errors import KBError
    from ingest.model.incident_import import read_postmortem
    from ingest.model.incidents import PUBLIC, incident_file_name, read_incident, write_incident
    from ingest.yamlfile import MAX_BYTES

    _, project = load_project(args.config_file, archive=args.archive)
    sources = _postmortem_files(args.paths)
    target = project.incidents / PUBLIC
    known = _imported_sources(target, read_incident)
    problems, imported, skipped = [], [], []
    taken = {p.stem for p in target.glob(f"*{INCIDENT_SUFFIX}")} if target.is_dir() else set()
    for source in sources:
        try:
            with open(source, "rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
            incident = read_postmortem(raw, str(source))
        except KBError as e:
            problems.append(str(e))
            continue
        except OSError as e:
            problems.append(f"{source}: cannot be read: {e.strerror or e}")
            continue
        key = _source_key(incident)
        if key in known:
            skipped.append(f"{source}: already imported as {known[key]}")
            continue
        slug, n = incident.slug, 2
        while slug in taken:
            slug, n = f"{incident.slug}-{n}", n + 1
        taken.add(slug)
        known[key] = f"{slug}{INCIDENT_SUFFIX}"
        imported.append(replace(incident, slug=slug))
    for incident in imported:  # every file readable first; each written whole or not at all
        path = project.incidents / incident_file_name(incident)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, write_incident(incident))
        except OSError as e:
            raise WriteError(path, e) from None
    for line in skipped:
        log.info("%s", line)
    for line in problems:
        log.error("not imported: %s", line)
    print(f"{len(imported)} postmortem{'s' if len(imported) != 1 else ''} imported into {target}, "
          f"{len(skipped)} already there, {len(problems)} not readable")
    return EXIT_FAILED if problems else EXIT_OK


def _postmortem_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.glob(f"*{INCIDENT_SUFFIX}")
                            if p.is_file() and not p.name.lower().startswith("readme"))
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder; give postmortem files (Markdown) or folders of them")
    return files


def _source_key(incident) -> str:
    """What makes two postmortems the same: the collection's uuid, else the source URL, else the slug."""
    extra = dict(incident.extra)
    return extra.get("uuid") or incident.source_url or incident.slug


def _imported_sources(folder: Path, read) -> dict[str, str]:
    """The postmortems already in the public library, by _source_key -> file name (a broken one is skipped)."""
    from ingest.errors import KBError

    known = {}
    for path in sorted(folder.glob(f"*{INCIDENT_SUFFIX}")) if folder.is_dir() else []:
        try:
            known[_source_key(read(path, str(path)))] = path.name
        except KBError:
            continue
    return known


def add_incident_parser(subcommands) -> None:
    """The `incident` command and its `new`, `check` and `import` commands, added to the command line's parser."""
    incident = subcommands.add_parser(
        "incident", help="start, check or import incidents (incidents/<date>-<slug>.md)",
        description="An incident is a postmortem kept in git: facts in a title block, the write-up, contributing "
                    "factors linked to patterns, biases and checklist questions, action items and a timeline.")
    commands = incident.add_subparsers(title="incident commands", metavar="COMMAND", required=True)
    new = commands.add_parser(
        "new", help="write a new incident file to fill in: incidents/<date>-<slug>.md",
        description="Write a new incident made from the curated postmortem checklist under the incidents folder "
                    "(the plugin's reviews.incidents in mkdocs.yml). An existing file is never overwritten.")
    new.add_argument("--title", required=True, help="what happened, in a few words (it makes the file's name)")
    new.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD", help="the day it began (default: today)")
    new.add_argument("--checklist", default="postmortem", metavar="ID",
                     help="the checklist it is made from (default: postmortem)")
    new.set_defaults(run=run_incident_new)
    check = commands.add_parser(
        "check", help="check incident files (default: every incident of the project)",
        description="Stop at the first mistake with its file, line and fix: an unknown pattern, bias, question or "
                    "service, a date or time that is not one, a time without its zone, end before start, a word not "
                    "one of the list, a factor twice or missing. Exits 1 on a mistake. Then it lists, numbered, the "
                    "patterns, biases and checklist questions each factor's and action item's text names but does "
                    "not link; --apply accepts them.")
    check.add_argument("files", nargs="*", type=Path, metavar="FILE", help="the incident files (default: all)")
    check.add_argument("--apply", metavar="N,M|all",
                       help="write the suggested links of that number (as listed, comma-separated), or all of them, "
                            "into the one FILE named")
    check.set_defaults(run=run_incident_check)
    imports = commands.add_parser(
        "import", help="import other companies' postmortems into incidents/public/",
        description="Read postmortems kept as Markdown with front matter (title, company, product, categories, "
                    "start_time, end_time, summary, url), as public collections such as icco/postmortems keep them, "
                    "into the public library. Fields with no place are kept; a file that cannot be read is named "
                    "with the reason and the others are imported (then the exit status is 1); one imported before "
                    "(the same uuid or url) is left as it is.")
    imports.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="postmortem files, or folders of them")
    imports.set_defaults(run=run_incident_import)
