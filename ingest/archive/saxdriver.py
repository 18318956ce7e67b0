"""The SAX driver feedparser uses: the standard expat reader, with character data buffered
and attributes found by their qualified name in constant time.

By default expat reports text in pieces, one per line and per entity reference,
and feedparser handles each piece in Python. Article HTML in a feed is escaped
(`&lt;p&gt;…`), so a 50 KB description arrives as tens of thousands of pieces.
Buffered, it arrives in a few, which halves the time a large feed takes to parse;
what feedparser builds from it is the same.

feedparser reads every attribute of an element by its qualified name, and the
standard library's attributes object finds a name by walking all of them: one
element with n attributes cost n squared (8,000 attributes, 105 KB, took 1.8 s).
The handler feedparser gives the driver is wrapped so that it is handed the same
attributes with an index by qualified name.

feeds.py imports this module and names it in feedparser's list of SAX drivers
(`feedparser.api.PREFERRED_XML_PARSERS`) for the length of its own parse only;
`xml.sax.make_parser` then loads it by that name, as it does any driver.
"""

from __future__ import annotations

from xml.sax.expatreader import ExpatParser
from xml.sax.xmlreader import AttributesNSImpl

BUFFER_BYTES = 1 << 20


class BufferedExpatParser(ExpatParser):
    def reset(self) -> None:
        super().reset()
        self._parser.buffer_text = True
        self._parser.buffer_size = BUFFER_BYTES

    def setContentHandler(self, handler) -> None:
        super().setContentHandler(_IndexedAttributesHandler(handler))


def create_parser(*args, **kwargs) -> BufferedExpatParser:
    return BufferedExpatParser(*args, **kwargs)


class IndexedAttributes(AttributesNSImpl):
    """Attributes whose value by qualified name is one dictionary look-up, not a walk over all of them."""

    def __init__(self, attrs: dict, qnames: dict) -> None:
        super().__init__(attrs, qnames)
        self._by_qname: dict = {}
        for name, qname in qnames.items():
            self._by_qname.setdefault(qname, attrs[name])  # the first of a name wins, as in the walk

    def getValueByQName(self, name):
        try:
            return self._by_qname[name]
        except KeyError:
            raise KeyError(name) from None


class _IndexedAttributesHandler:
    """A content handler's stand-in that hands it IndexedAttributes; everything else goes to it unchanged."""

    def __init__(self, handler) -> None:
        self._handler = handler

    def __getattr__(self, name: str):
        return getattr(self._handler, name)

    def startElementNS(self, name, qname, attrs) -> None:
        if isinstance(attrs, AttributesNSImpl):
            attrs = IndexedAttributes(attrs._attrs, attrs._qnames)
        self._handler.startElementNS(name, qname, attrs)
