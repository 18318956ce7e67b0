"""An article's HTML as lxml's tree, with the few edits the cleaner makes, and its serialisation.

lxml keeps text in an element's `text` (before its first child) and each
child's `tail` (after it). Removing or unwrapping an element would there glue
the texts on either side into one string, where a tree of separate strings
(BeautifulSoup's, which the cleaner used to walk, and whose output this one
keeps) leaves them apart: "foo<!-- -->bar" reads "foo bar" as words, and a
heading's id is made from its words. So an edit that would glue two texts
leaves a CUT element between them: an empty element that holds only a tail,
that no step looks for by name, and that writes out as nothing.

Text pieces are found with `pieces`, which yields each run of text with the
element it is directly inside.

The rare markup lxml's own tree does not model alike (a document type, text
outside the body, a head with content, names lxml refuses) is read by
BeautifulSoup once and copied into the same kind of tree (`body_through_soup`),
so every article goes through the same cleaning steps.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction, Tag
from lxml import etree

CUT = "rkb-cut"  # not a name a parser gives: HTML names have no reason to carry our prefix
VOID = frozenset((
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "menuitem", "meta", "param",
    "source", "track", "wbr", "basefont", "bgsound", "command", "frame", "image", "isindex", "nextid", "spacer",
))
ASCII_SPACE = re.compile(r"[ \t\n\r\f]+")
PRESERVE_SPACE = ("pre", "textarea")

Element = etree._Element


def parse(markup: str, max_depth: int | None = None) -> Element | None:
    """The document's root element (<html>), or None when the markup holds nothing, or (with
    `max_depth`) nests elements deeper than that, counting <html> as the first level."""
    # Built through the parser's events (as BeautifulSoup builds its tree), not by libxml2
    # itself, whose tree builder stops nesting at 255 levels.
    parser = etree.HTMLParser(target=etree.TreeBuilder(), recover=True)
    parser.feed(markup)
    root = parser.close()
    if root is None:
        return None
    # Checked before any walk that looks up an element's ancestors (each costs its depth). One XPath
    # step per level, in libxml2: linear in the size of the tree at any depth.
    if max_depth is not None and _deeper_than(max_depth)(root):
        return None
    _collapse_blank_strings(root)
    return root


@lru_cache(maxsize=4)
def _deeper_than(depth: int) -> etree.XPath:
    """Whether a tree has an element below `depth` levels."""
    return etree.XPath(f"boolean({'/*' * (depth + 1)})")


FOREIGN = "rkb-foreign"  # stands for an element whose name lxml refuses ("svg:svg"): no step looks for it


def body_through_soup(markup: str) -> Element:
    """The markup's body as BeautifulSoup builds it (all of it when it has no body), as a <body> on lxml's tree.

    BeautifulSoup reads the markup with the same parser, and its tree gives each
    run of text and each comment a node of its own (blank runs already made one
    space or line break), so the copy is what the cleaner's steps would have seen
    there. What is not text of the page (a document type, a declaration, a
    processing instruction) and attributes whose names lxml refuses are left out;
    none is anything the cleaner reads or the allow-list keeps.
    """
    soup = BeautifulSoup(markup, "lxml")
    body = etree.Element("body")
    # A walk, not recursion: (the element to fill, the nodes still to copy into it, last first).
    stack = [(body, list(reversed((soup.body or soup).contents)))]
    while stack:
        parent, todo = stack[-1]
        if not todo:
            stack.pop()
            continue
        node = todo.pop()
        if isinstance(node, Tag):
            stack.append((_copy_tag(parent, node), list(reversed(node.contents))))
        elif isinstance(node, Comment):
            parent.append(etree.Comment())  # only where it was matters: the cleaner removes comments first
        elif not isinstance(node, (Doctype, Declaration, ProcessingInstruction)):
            _append_text(parent, str(node))
    return body


def _copy_tag(parent: Element, tag: Tag) -> Element:
    try:
        element = etree.SubElement(parent, tag.name)
    except ValueError:
        element = etree.SubElement(parent, FOREIGN)
    for name, value in tag.attrs.items():
        try:
            element.set(name, " ".join(value) if isinstance(value, list) else value)
        except ValueError:
            pass
    return element


def _append_text(parent: Element, text: str) -> None:
    """A string after what `parent` holds so far: of its own when another string is just before it."""
    last = parent[-1] if len(parent) else None
    if (parent.text if last is None else last.tail):
        parent.append(_cut(text))
    elif last is None:
        parent.text = text
    else:
        last.tail = text


def _collapse_blank_strings(root: Element) -> None:
    """A string of only spaces and line breaks becomes one line break (or one space), outside <pre>."""
    # str.isspace() first: a C test that is true of every string ASCII_SPACE matches (and false of any with a word).
    for element in root.iter():
        text = element.text
        if text and text.isspace() and isinstance(element.tag, str) and ASCII_SPACE.fullmatch(text) \
                and not _inside_any(element, PRESERVE_SPACE):
            element.text = "\n" if "\n" in text else " "
        tail = element.tail
        if tail and tail.isspace() and ASCII_SPACE.fullmatch(tail):
            parent = element.getparent()
            if parent is not None and not _inside_any(parent, PRESERVE_SPACE):
                element.tail = "\n" if "\n" in tail else " "


def _inside_any(element: Element, names: tuple[str, ...]) -> bool:
    """Whether `element` or one of its ancestors is named one of `names`."""
    while element is not None:
        if element.tag in names:
            return True
        element = element.getparent()
    return False


def _cut(tail: str) -> Element:
    cut = etree.Element(CUT)
    cut.tail = tail
    return cut


def remove(element: Element) -> None:
    """Remove an element and all inside it; the text after it stays a string of its own."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        parent.replace(element, _cut(element.tail))
    else:
        parent.remove(element)


def replace(element: Element, new: Element) -> None:
    """Put `new` where `element` is; the text after it stays after it."""
    new.tail = element.tail
    element.getparent().replace(element, new)


def unwrap(element: Element) -> None:
    """Replace an element by what it contains; every string stays a string of its own."""
    parent = element.getparent()
    if parent is None:
        return
    moved = ([_cut(element.text)] if element.text else []) + list(element)
    if element.tail:
        moved.append(_cut(element.tail))
    # Each moved in just before the element (a child's tail goes with it), not at a position counted from
    # the parent's first child: among thousands of siblings, finding that position is a scan each time.
    for child in moved:
        element.addprevious(child)
    parent.remove(element)


def text_of(element: Element, separator: str = "") -> str:
    """The text inside an element, its strings joined by `separator`."""
    return separator.join(element.itertext())


def has_text(element: Element) -> bool:
    """Whether any string inside the element is more than white space."""
    for piece in element.itertext():  # a loop, not any() over a generator: called for most elements
        if piece.strip():
            return True
    return False


def pieces(element: Element) -> Iterator[tuple[str, Element, Element, bool]]:
    """Each string inside `element` in document order: (text, the element it is in, its holder, is_tail).

    The holder is the element whose `text` (or `tail`, when is_tail) the string is.
    """
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            if node.text and node.tag != CUT and isinstance(node.tag, str):
                yield node.text, node, node, False
        elif node is not element and node.tail:
            yield node.tail, node.getparent(), node, True


def set_piece(holder: Element, is_tail: bool, text: str | None) -> None:
    if is_tail:
        holder.tail = text
    else:
        holder.text = text


def previous_string(element: Element) -> tuple[Element, bool] | None:
    """The string just before `element` among its siblings, as (holder, is_tail), or None if a tag is."""
    sibling = element.getprevious()
    while sibling is not None and sibling.tag == CUT and not sibling.tail:
        sibling = sibling.getprevious()
    if sibling is None:
        parent = element.getparent()
        return (parent, False) if parent is not None and parent.text else None
    return (sibling, True) if sibling.tail else None


def next_string(element: Element) -> tuple[Element, bool] | None:
    """The string just after `element` among its siblings, as (holder, is_tail), or None if a tag is."""
    if element.tail:
        return element, True
    sibling = element.getnext()
    while sibling is not None and sibling.tag == CUT and not sibling.tail:
        sibling = sibling.getnext()
    return (sibling, True) if sibling is not None and sibling.tag == CUT else None


def serialize_contents(element: Element) -> str:
    """The HTML of what is inside `element` (its own tags left out)."""
    out: list[str] = [_escape_text(element.text)] if element.text else []
    for child in element:
        _serialize(child, out)
    return "".join(out)


def _serialize(element: Element, out: list[str]) -> None:
    # A walk, not recursion: feed markup may nest thousands of levels deep.
    for event, node in etree.iterwalk(element, events=("start", "end")):
        tag = node.tag
        written = isinstance(tag, str) and tag != CUT
        void = written and tag in VOID and not node.text and len(node) == 0
        if event == "start":
            if written:
                attributes = "".join(f' {name}="{_escape_attribute(value)}"' for name, value in sorted(node.items()))
                out.append(f"<{tag}{attributes}/>" if void else f"<{tag}{attributes}>")
                if node.text:
                    out.append(_escape_text(node.text))
            continue
        if written and not void:
            out.append(f"</{tag}>")
        if node.tail:
            out.append(_escape_text(node.tail))


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    return _escape_text(value).replace('"', "&quot;")
