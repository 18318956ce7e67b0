"""The document model: an article's clean HTML as a flat list of blocks.

Feed HTML is inconsistent: headings at any level, bold paragraphs used as
headings or questions, `<br>`-separated prompts, hair spaces around dashes,
bold text broken by links. Extractors do not read HTML; they read this model,
in which every block carries its tidy text, the bold text it starts with, its
`<br>`-separated lines, its links (as the author wrote them: a link the page
shows as a local one keeps its original URL here, so what is read from the
model does not depend on what else is archived), and the id of its element on the page (so a
note can link to the exact place it came from).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Collection, Iterator, Mapping

from lxml import etree

from ingest.model.html.htmltree import CUT
from ingest.text import squash

BOLD = ("strong", "b")
EMPHASIS = ("em", "i", "strong", "b")
BLOCK_TAGS = frozenset(("h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "dt", "dd", "figcaption", "td", "th"))
CONTAINERS = frozenset(("li", "p", "pre", "td", "th", "dd", "dt"))


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True, eq=False)  # a block is itself: compared by identity, as extractors need
class Block:
    """One heading, paragraph, list item or code block."""

    kind: str  # "heading", "paragraph", "item", "code"
    text: str
    anchor: str | None = None  # the id of the element (or of the nearest element before it that has one)
    level: int = 0  # 2..6 for headings
    lead: str = ""  # the bold text the block starts with, if any
    rest: str = ""  # the text after the lead
    lines: tuple[str, ...] = ()  # the text split at <br>
    links: tuple[Link, ...] = ()
    list_id: int | None = None  # items of the same list share it
    ordered: bool = False
    quoted: bool = False  # inside a blockquote
    emphasised: bool = False  # all its text is italic or bold

    @property
    def is_question(self) -> bool:
        return self.text.rstrip().endswith("?")


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        return " ".join(b.text for b in self.blocks)

    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "heading"]

    def sections(self) -> Iterator[tuple[Block | None, list[Block]]]:
        """Each heading with the blocks up to the next heading (of any level); None for the preamble."""
        heading: Block | None = None
        body: list[Block] = []
        for block in self.blocks:
            if block.kind == "heading":
                if heading is not None or body:
                    yield heading, body
                heading, body = block, []
            else:
                body.append(block)
        if heading is not None or body:
            yield heading, body

    def index(self, block: Block) -> int:
        return self._positions[id(block)]

    @cached_property
    def _positions(self) -> dict[int, int]:
        return {id(block): position for position, block in enumerate(self.blocks)}

    def under(self, heading: Block) -> list[Block]:
        """The blocks under `heading`, sub-headings included, up to the next heading of its level or above."""
        blocks = self.blocks
        result = []
        for position in range(self.index(heading) + 1, len(blocks)):  # no copy of the rest of the document
            block = blocks[position]
            if block.kind == "heading" and block.level <= heading.level:
                break
            result.append(block)
        return result

    def lists(self) -> dict[int, list[Block]]:
        """Items grouped by the list they belong to, in document order."""
        groups: dict[int, list[Block]] = {}
        for block in self.blocks:
            if block.kind == "item" and block.list_id is not None:
                groups.setdefault(block.list_id, []).append(block)
        return groups

    def before(self, block: Block, count: int = 1) -> list[Block]:
        """Up to `count` blocks just before `block`, nearest last."""
        index = self.index(block)
        return list(self.blocks[max(0, index - count):index])


# A space before closing punctuation, or after an opening bracket. Once whitespace is squashed, every
# space is a single " " between two other characters, so one pass removes what two would, and the
# regex opens with that space: the engine skips to each space instead of trying every character.
_SPACE_BY_PUNCTUATION = re.compile(r" (?:(?=[,.;:?!)\]])|(?<=[(\[] ))")


def tidy(text: str) -> str:
    """Collapse whitespace and drop the spaces that feeds leave before punctuation ("failure ." -> "failure.")."""
    return _SPACE_BY_PUNCTUATION.sub("", squash(text))


def build_document(root: etree._Element, originals: Mapping[etree._Element, str] | None = None) -> Document:
    """The blocks of a cleaned lxml tree (as clean.py leaves it), in reading order; `originals` gives
    the URL that each link made local had, which the model keeps instead of the local one.

    A string is a run of text, with the element it is directly inside (htmltree's
    marker elements keep apart the strings that a removal would have glued).
    """
    blocks: list[Block] = []
    list_ids: dict[etree._Element, int] = {}  # keyed by the element itself, which keeps it (and its key) alive
    anchor: str | None = None
    for element in root.iterdescendants(*BLOCK_TAGS):
        if element.tag != "li" and _inside(element, root, CONTAINERS):
            continue  # its text belongs to the enclosing block
        anchor = element.get("id") or anchor
        block = _block(element, anchor, list_ids, originals or {})
        if block is not None:
            blocks.append(block)
    return Document(tuple(blocks))


def _block(element: etree._Element, anchor: str | None, list_ids: dict,
           originals: Mapping[etree._Element, str]) -> Block | None:
    name = element.tag
    if name == "pre":
        return Block("code", "".join(element.itertext()), anchor=anchor)
    pieces = _pieces(element)
    strings = [p for p in pieces if p is not None]
    text = tidy("".join([s for s, _ in strings]))
    if not text:
        return None
    lead, rest = _lead(strings, element, text)
    lines = _lines(pieces) if len(strings) < len(pieces) else ()
    links = tuple([Link(tidy("".join(a.itertext())), originals.get(a, href)) for a in element.iterdescendants("a")
                   if (href := a.get("href"))]) if len(element) else ()
    quoted = next(element.iterancestors("blockquote"), None) is not None
    emphasised = all(_inside(inside, element, EMPHASIS, itself=True) for s, inside in strings if s.strip())
    kind, level, list_id, ordered = "paragraph", 0, None, False
    if name in ("h2", "h3", "h4", "h5", "h6"):
        kind, level = "heading", int(name[1])
    elif name == "li":
        parent = next(element.iterancestors("ul", "ol"), None)
        kind, ordered = "item", parent is not None and parent.tag == "ol"
        list_id = list_ids.setdefault(parent, len(list_ids)) if parent is not None else None
    return Block(kind, text, anchor, level=level, lead=lead, rest=rest, lines=lines, links=links, list_id=list_id,
                 ordered=ordered, quoted=quoted, emphasised=emphasised)


def _pieces(element: etree._Element) -> list:
    """The element's strings, each with the element it is directly in, and None for each <br>;
    nested lists are left out (their items are blocks of their own)."""
    pieces: list = []
    walk = etree.iterwalk(element, events=("start", "end"))
    for event, node in walk:
        name = node.tag
        if event == "start":
            if node is not element and name in ("ul", "ol", "br"):
                if name == "br":
                    pieces.append(None)
                walk.skip_subtree()
            elif node.text and name != CUT:
                pieces.append((node.text, node))
        elif node is not element and node.tail:
            pieces.append((node.tail, node.getparent()))
    return pieces


def _lead(strings: list[tuple[str, etree._Element]], element: etree._Element, text: str) -> tuple[str, str]:
    """Split the block's tidy text `text` into the bold run it starts with (bold may be broken by links)
    and the rest; `strings` are its strings, each with the element it is directly inside."""
    lead: list[str] = []
    start = len(strings)  # where the rest begins: every string from the first one outside the bold run
    for position, (piece, inside) in enumerate(strings):
        if _inside(inside, element, BOLD, itself=True) or (not piece.strip() and lead):
            lead.append(piece)
        elif piece.strip():
            start = position
            break
    lead_text = tidy("".join(lead))
    if not lead_text:
        return "", text  # no bold run (most blocks): only white space comes before the rest, which is all the text
    rest_text = tidy("".join(piece for piece, _ in strings[start:]))
    if lead_text.endswith("("):  # "…your services? (</strong>e.g. …)": the bracket opens the rest
        lead_text, rest_text = lead_text[:-1].rstrip(), "(" + rest_text
    return lead_text, rest_text


def _inside(node: etree._Element, stop: etree._Element, names: Collection[str], itself: bool = False) -> bool:
    """Whether `node` (with `itself`, counting the node too) is inside an element named one of `names`, below `stop`."""
    current = node if itself else node.getparent()
    while current is not None:
        if current is stop:
            return False
        if current.tag in names:
            return True
        current = current.getparent()
    return False


def _lines(pieces: list) -> tuple[str, ...]:
    if not any(p is None for p in pieces):
        return ()
    lines, current = [], []
    for piece in pieces:
        if piece is None:
            lines.append(tidy("".join(current)))
            current = []
        else:
            current.append(piece[0])
    lines.append(tidy("".join(current)))
    return tuple(line for line in lines if line)
