"""The one base class of every error a user can cause.

Library code raises a specific subclass (a bad feed, a broken archive, a wrong
checklist file, a bad command line) whose message is one line naming the file
or feed, the cause and the fix. The edges catch `KBError` once: the CLI prints
the message and exits with `exit_status`, the MkDocs plugin turns it into a
`PluginError`.
"""

from __future__ import annotations

import errno

from ingest.text import one_line


class KBError(Exception):
    """A problem the user can fix; str() is the one-line message."""

    exit_status = 1  # the run failed

    def __str__(self) -> str:
        # Messages quote what feeds and servers sent: whatever path prints one, it is one inert line.
        return one_line(super().__str__())


class UsageError(KBError):
    """A bad command line or configuration."""

    exit_status = 2


class WriteError(KBError):
    """A file could not be written: "cannot write WHAT: the system's reason", then what to check."""

    def __init__(self, what: object, cause: OSError, hint: str = "") -> None:
        super().__init__(f"cannot write {what}: {cause.strerror or cause}{hint}")
        self.what = what


# What a full disk, a read-only folder or a closed pipe says, and what to do about it. Any other
# OSError that reaches the command line is not the environment's doing: a bug.
_ENVIRONMENT = {
    errno.ENOSPC: "free some space on that disk", errno.EDQUOT: "free some space, or raise the disk quota",
    errno.EFBIG: "the file size limit of this process (ulimit -f) or file system is reached",
    errno.EROFS: "the file system is read-only: write somewhere else",
    errno.EACCES: "check the permissions, or write somewhere else",
    errno.EPERM: "check the permissions, or write somewhere else",
    errno.EPIPE: "the program reading the output stopped before the end",
    errno.EIO: "the disk or terminal reported an input/output error",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n)",
    errno.ENFILE: "too many open files on this machine",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "the path is a folder, not a file",
    errno.ENAMETOOLONG: "the path is too long", errno.ELOOP: "the path has a loop of symbolic links",
}


STANDARD_OUTPUT = "standard output"  # the file name an error writing sys.stdout is given (cli.py)


def environment_error(error: OSError) -> str | None:
    """One line for an error of the machine rather than of resilience-kb (path, cause, what to do), or None."""
    hint = _ENVIRONMENT.get(error.errno)
    if hint is None:
        return None
    path = error.filename2 if error.filename2 is not None else error.filename
    where = path if path is not None else "a file"
    return f"{where}: {error.strerror or type(error).__name__} ({hint})"
