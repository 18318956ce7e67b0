"""The SAX driver feedparser uses: the standard expat reader, with character data buffered.

By default expat reports text in pieces, one per line and per entity reference,
and feedparser handles each piece in Python. Article HTML in a feed is escaped
(`&lt;p&gt;…`), so a 50 KB description arrives as tens of thousands of pieces.
Buffered, it arrives in a few, which halves the time a large feed takes to parse;
what feedparser builds from it is the same.

feeds.py imports this module and names it in feedparser's list of SAX drivers
(`feedparser.api.PREFERRED_XML_PARSERS`) for the length of its own parse only;
`xml.sax.make_parser` then loads it by that name, as it does any driver.
"""

from __future__ import annotations

from xml.sax.expatreader import ExpatParser

BUFFER_BYTES = 1 << 20


class BufferedExpatParser(ExpatParser):
    def reset(self) -> None:
        super().reset()
        self._parser.buffer_text = True
        self._parser.buffer_size = BUFFER_BYTES


def create_parser(*args, **kwargs) -> BufferedExpatParser:
    return BufferedExpatParser(*args, **kwargs)
