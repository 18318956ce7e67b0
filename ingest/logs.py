"""The command line's log output: one line per record, in MkDocs' look (`INFO    -  message`)."""

from __future__ import annotations

import logging
import sys

from ingest.text import one_line


class _Formatter(logging.Formatter):
    """MkDocs' look: `INFO    -  message`, one line per record; with -v, a record's traceback follows it.

    Every record passes here, whoever logged it: what a feed or server sent in a message
    is escaped to one inert line (see `one_line`), so it cannot write to the terminal or
    the CI job log as anything but text; a traceback's lines are escaped the same way.
    """

    def __init__(self, tracebacks: bool) -> None:
        super().__init__()
        self.tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and record.levelno >= logging.ERROR and not self.tracebacks:
            message += f" ({record.exc_info[1]})"
        line = f"{record.levelname:<7} -  {one_line(message)}"
        if record.exc_info and self.tracebacks:
            line += "".join("\n" + one_line(text) for text in self.formatException(record.exc_info).splitlines())
        return line


def configure_logging(verbosity: int) -> None:
    """Log to stderr: debug with -v, warnings and errors only with -q; quiet the chatty libraries."""
    level = logging.DEBUG if verbosity > 0 else logging.WARNING if verbosity < 0 else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(tracebacks=verbosity > 0))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("markdown", "MARKDOWN", "urllib3", "watchdog"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
