"""Where a command may write: outputs never land on the project's own data.

MkDocs empties the site folder before it builds, and `-o FILE` replaces FILE.
Pointed at the archive, the checklists, docs/ or the project folder itself,
either would destroy what the project holds. These checks run first and
refuse with a message; nothing is written or deleted before them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ingest.errors import UsageError, WriteError

SITE_MARK = ".resilience-kb-site"  # left in a site folder; MkDocs keeps hidden files when it empties it
# What the mark says: a file of that name holding anything else is not ours, and proves nothing.
SITE_MARK_TEXT = "Built by resilience-kb; the next build empties this folder.\n"


class OutputError(UsageError):
    """An output path would overwrite or delete something it must not; the message says what to do."""


class UnwritableOutput(WriteError, OutputError):
    """An output path that cannot even be looked at (a bad path given, as every OutputError)."""


def _overlap(path: Path, protected: Path) -> str | None:
    if path == protected:
        return "is"
    if path.is_relative_to(protected):
        return "is inside"
    if protected.is_relative_to(path):
        return "contains"
    return None


def check_site_dir(site_dir: Path, project_root: Path, protected: dict[str, Path]) -> Path:
    """The resolved site folder, if building there deletes nothing of the project's; else OutputError."""
    site = site_dir.resolve()
    root = project_root.resolve()
    if site == root or root.is_relative_to(site):
        raise OutputError(f"the site folder {site} {'is' if site == root else 'contains'} the project folder "
                          f"{root}, whose files MkDocs would delete: pick a folder of its own, such as {root / 'site'}")
    for label, path in protected.items():
        relation = _overlap(site, path.resolve())
        if relation:
            raise OutputError(f"the site folder {site} {relation} {label} ({path}), which MkDocs would empty "
                              f"before building: pick a folder of its own, such as {root / 'site'}")
    if site.is_symlink() or (site.exists() and not site.is_dir()):
        raise OutputError(f"the site folder {site} exists and is not a folder: pick another path")
    if site.is_dir() and not _replaceable_site(site):
        if {"sitemap.xml", "sitemap.xml.gz"} & set(os.listdir(site)):  # what every MkDocs build writes
            raise OutputError(f"the site folder {site} looks like a built site but has no {SITE_MARK} file, "
                              f"which every resilience-kb build leaves: MkDocs would delete all it holds. If it "
                              f"is a site built here, delete the folder and build again; else pick a new folder")
        raise OutputError(f"the site folder {site} holds files that are not a site built here, and MkDocs "
                          f"would delete them: pick an empty or new folder")
    return site


def check_archive_dir(archive: Path, project_root: Path, published: dict[str, Path]) -> None:
    """OutputError when the archive folder is the project folder (or holds it), or shares a folder with
    what the site publishes or MkDocs empties (`published`: docs, the theme overrides, the site folder):
    the raw archive, unsanitised feed HTML included, would be published, or deleted, or mixed with pages."""
    folder, root = archive.resolve(), project_root.resolve()
    fix = "the archive needs a folder of its own ('archive:' in mkdocs.yml, or --archive), such as 'archive'"
    if folder == root or root.is_relative_to(folder):
        raise OutputError(f"the archive folder {folder} {'is' if folder == root else 'contains'} the project "
                          f"folder: {fix}")
    for label, path in published.items():
        relation = _overlap(folder, path.resolve())
        if relation:
            raise OutputError(f"the archive folder {folder} {relation} {label} ({path}), whose files the site "
                              f"publishes or MkDocs deletes: {fix}")


def _replaceable_site(folder: Path) -> bool:
    """True for an empty folder, or one that holds a site a resilience-kb build made (it left its mark)."""
    names = os.listdir(folder)
    return not names or (SITE_MARK in names and _is_mark(folder / SITE_MARK))


def _is_mark(path: Path) -> bool:
    """The mark a build leaves: a regular file (not a link) holding exactly the mark's text."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(SITE_MARK_TEXT.encode("utf-8")):
            return False
        return path.read_text(encoding="utf-8") == SITE_MARK_TEXT
    except (OSError, UnicodeError):
        return False


def mark_site_dir(site: Path) -> None:
    """Create the site folder with the mark that says a later build may empty it (OSError if it cannot)."""
    site.mkdir(parents=True, exist_ok=True)
    (site / SITE_MARK).write_text(SITE_MARK_TEXT, encoding="utf-8")


def check_output_file(output: Path, protected: dict[str, Path], *, force: bool) -> Path:
    """The path to write `-o` to, if writing there destroys nothing; else OutputError."""
    target = output.resolve()  # a symlink is judged by where it leads
    for label, path in protected.items():
        relation = _overlap(target, path.resolve())
        if relation in ("is", "is inside"):
            raise OutputError(f"{output} {relation} {label} ({path}): the project's own files are never "
                              f"overwritten; write the output elsewhere")
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as e:
        raise UnwritableOutput(output, e) from None
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{output} exists and is not a regular file (a folder, FIFO or device): "
                          f"it is not replaced; write to a file path")
    if not force:
        raise OutputError(f"{output} exists; add --force to replace it, or write to a new file")
    return target
