"""The one base class of every error a user can cause.

Library code raises a specific subclass (a bad feed, a broken archive, a wrong
checklist file, a bad command line) whose message is one line naming the file
or feed, the cause and the fix. The edges catch `KBError` once: the CLI prints
the message and exits with `exit_status`, the MkDocs plugin turns it into a
`PluginError`.
"""

from __future__ import annotations

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
