"""The SAX driver feedparser uses: the standard expat reader, with character data buffered.

By default expat reports text in pieces, one per line and per entity reference,
and feedparser handles each piece in Python. Article HTML in a feed is escaped
(`&lt;p&gt;…`), so a 50 KB description arrives as tens of thousands of pieces.
Buffered, it arrives in a few, which halves the time a large feed takes to parse;
what feedparser builds from it is the same.

feedparser looks this module up by name (`feedparser.api.PREFERRED_XML_PARSERS`,
set in feeds.py), as `xml.sax.make_parser` does for any driver.
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
