"""Code that a blog's syntax highlighter wrote out as tables, lists and toolbars, made one code block again.

Highlighter plugins of the 2000s and 2010s did not leave the author's code in a `<pre>`:
- a table of one row, a gutter cell of line numbers beside a cell of lines
  (SyntaxHighlighter's `td.gutter` and `td.code` of `div.line`s, WP-Syntax's two `<pre>`s),
  or a row per line with the number in its first cell;
- an ordered list with an item per line, in a monospace or highlighter container
  (GeSHi, WP-Syntax, iG:Syntax Hiliter, SyntaxHighlighter 1.5);
- a `<pre class="brush: sql">`, which is a code block already, named by the plugin's convention;
with bars of a few words around them: "view plain | copy to clipboard | print | ?",
"PLAIN TEXT", "SQL:". On a page of our own that becomes a numbered list of proportional text,
where an ASCII result table no longer lines up.

Each is recognised by its shape (a gutter of consecutive integers beside lines of text; list
items one per line in a container the markup calls code; a bar whose every word is a
toolbar's or a language's name), not by one plugin's class names, and becomes one
`<pre><code>` of the lines, spaces kept, with `language-…` where the markup names a language.
"""

from __future__ import annotations

import re

from lxml import etree

from ingest.model.html.htmltree import Element, remove, replace, text_of

# Language names as highlighters spell them (brush aliases, GeSHi names), and the name the page uses.
LANGUAGES = {
    "sql": "sql", "mysql": "sql", "tsql": "sql", "plsql": "sql", "pgsql": "sql", "postgresql": "sql",
    "python": "python", "py": "python", "ruby": "ruby", "rb": "ruby", "rails": "ruby", "perl": "perl", "pl": "perl",
    "php": "php", "java": "java", "javascript": "javascript", "js": "javascript", "jscript": "javascript",
    "typescript": "typescript", "ts": "typescript", "c": "c", "cpp": "cpp", "c++": "cpp", "csharp": "csharp",
    "c#": "csharp", "c-sharp": "csharp", "objc": "objectivec", "objectivec": "objectivec", "go": "go",
    "golang": "go", "rust": "rust", "swift": "swift", "scala": "scala", "kotlin": "kotlin", "bash": "bash",
    "shell": "bash", "sh": "bash", "console": "bash", "powershell": "powershell", "ps": "powershell",
    "xml": "xml", "html": "html", "xhtml": "html", "xslt": "xml", "css": "css", "json": "json", "yaml": "yaml",
    "yml": "yaml", "ini": "ini", "diff": "diff", "patch": "diff", "lua": "lua", "haskell": "haskell",
    "erlang": "erlang", "lisp": "lisp", "clojure": "clojure", "vb": "vbnet", "vbnet": "vbnet", "delphi": "delphi",
    "pascal": "delphi", "groovy": "groovy", "actionscript3": "actionscript", "as3": "actionscript",
    "actionscript": "actionscript", "apache": "apache", "nginx": "nginx", "dockerfile": "dockerfile",
    "makefile": "makefile", "make": "makefile", "r": "r", "matlab": "matlab", "tex": "latex", "latex": "latex",
}
NOT_A_LANGUAGE = {"plain", "text", "plaintext", "txt", "none", "code", "source"}
CODE_LANGUAGES = frozenset(f"language-{name}" for name in set(LANGUAGES.values()))
# Every word a highlighter's bar says: its commands and its labels ("PLAIN TEXT", "SQL:", "Copy code").
TOOLBAR_WORDS = frozenset((
    "view", "plain", "text", "plaintext", "source", "copy", "code", "to", "clipboard", "print", "?", "about",
    "expand", "collapse", "toggle", "raw", "show", "hide", "line", "numbers", "wrap", "select", "all", "download",
    "open", "in", "new", "window", "popup", "help", "highlighter", "syntax", "snippet", "|",
))
TOOLBAR_MAX_WORDS = 8
# A container the markup calls code: by class ("syntaxhighlighter", "wp_syntax", "geshi", "igBar",
# "dp-highlighter", "brush: sql", "sourcecode", "code") or by a monospace font.
CODE_CLASS = re.compile(r"syntax|geshi|hilite|sourcecode|brush|codeblock|highlighter|(?<![a-z])highlight(?![a-z])|"
                        r"(?<![a-z])code(?![a-z])|(?<![a-z])dp-", re.IGNORECASE)
MONOSPACE = re.compile(r"font(?:-family)?\s*:[^;]*\b(?:monospace|courier|consolas|monaco|menlo)", re.IGNORECASE)
NUMBER = re.compile(r"^\s*(\d{1,6})\.?\s*$")
LINE_TAGS = ("div", "li", "p")
# What may wrap a highlighter: its boxes, and a table of one cell (WP-Syntax's, without line numbers).
CLIMB_TAGS = frozenset(("div", "span", "pre", "code", "figure", "td", "tr", "tbody", "table"))
WORD = re.compile(r"[^\s|:;,()\[\]]+|\?")
# The elements whose class may name the code's language; a token's span may not (Pygments' "c" is a
# comment, its "go" a program's output).
LANGUAGE_HOLDERS = ("div", "pre", "ol", "ul", "table", "td", "figure", "code")
PREFIXED = re.compile(r"^(?:language|lang|highlight|brush|source)-", re.IGNORECASE)
SPACES = {"\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " "}


def rebuild_code_blocks(root: Element) -> int:
    """Turn highlighter markup in the tree into `<pre><code>` blocks, in place; returns how many."""
    made = 0
    for table in list(root.iter("table")):
        if _attached(table, root) and (lines := _numbered_table(table)) is not None:
            _put_code(table, lines, root)
            made += 1
    for listing in list(root.iter("ol", "ul")):
        if _attached(listing, root) and (lines := _listed_lines(listing, root)) is not None:
            _put_code(listing, lines, root)
            made += 1
    for pre in list(root.iter("pre")):
        if _attached(pre, root) and pre.get("data-rkb-code") is None:
            language = _language_of(pre) or _wrapper_language(pre, root)
            if language:
                _put_code(pre, _split(_text_lines(pre)), root, language)
                made += 1
    for pre in root.iter("pre"):
        pre.attrib.pop("data-rkb-code", None)
    return made


def _attached(element: Element, root: Element) -> bool:
    """Whether `element` is still in the tree (an earlier replacement may have taken it out)."""
    return any(ancestor is root for ancestor in element.iterancestors())


def _numbered_table(table: Element) -> list[str] | None:
    """The code lines of a table with a line-number column, or None when it is not one."""
    rows = [row for row in table.iter("tr") if next(row.iterancestors("table")) is table]
    if len(rows) == 1:
        cells = [cell for cell in rows[0] if cell.tag in ("td", "th")]
        if len(cells) != 2:
            return None
        numbers, code = _cell_lines(cells[0]), _cell_lines(cells[1])
        if len(numbers) >= 2 and _consecutive(numbers) and 0 < len(code) <= len(numbers) + 1:
            return code
        return None
    cells = [[cell for cell in row if cell.tag in ("td", "th")] for row in rows]
    if len(rows) < 2 or any(len(row) != 2 for row in cells) or not _consecutive([text_of(row[0]) for row in cells]):
        return None
    if not _code_container(table, depth=2) and not any(_code_container(row[1], depth=0) for row in cells):
        return None  # a ranked table ("1 | Alice") is numbered too: only one the markup calls code
    return ["".join(_text_lines(row[1])) for row in cells]


def _listed_lines(listing: Element, root: Element) -> list[str] | None:
    """The code lines of a list with an item per line in a code container, or None."""
    items = [item for item in listing if item.tag == "li"]
    if not items or len(items) != len([child for child in listing if isinstance(child.tag, str)]):
        return None
    if any(item.find(".//li") is not None or item.find(".//p") is not None for item in items):
        return None  # nested lists and paragraphs: prose, not lines
    inside_pre = next(listing.iterancestors("pre", "code"), None) is not None
    if not (inside_pre or _code_container(listing, depth=3, root=root) or all(_code_container(i, 1) for i in items)):
        return None
    return ["".join(_text_lines(item)) for item in items]


def _code_container(element: Element, depth: int, root: Element | None = None) -> bool:
    """Whether the element, or one of its `depth` nearest ancestors, is marked as code by class or font."""
    current: Element | None = element
    for _ in range(depth + 1):
        if current is None or current is root:
            return False
        if CODE_CLASS.search(current.get("class") or "") or MONOSPACE.search(current.get("style") or "") \
                or current.tag in ("pre", "code"):
            return True
        for child in current.iterchildren("div", "span", "code"):
            if MONOSPACE.search(child.get("style") or ""):
                return True
        current = current.getparent()
    return False


def _cell_lines(cell: Element) -> list[str]:
    """A table cell's lines: those of a <pre> in it, else one per innermost line element, else by line break."""
    pre = next(cell.iter("pre"), None)
    if pre is not None:
        return _split(_text_lines(pre))
    leaves = [e for e in cell.iter(*LINE_TAGS) if e is not cell and len(list(e.iter(*LINE_TAGS))) == 1]
    if leaves:
        return ["".join(_text_lines(leaf)) for leaf in leaves]
    return _split(_text_lines(cell))


def _text_lines(element: Element) -> list[str]:
    """The element's text with each <br> as a line break, hard spaces made spaces."""
    out: list[str] = [element.text or ""] if isinstance(element.tag, str) else []
    for child in element:
        if child.tag == "br":
            out.append("\n")
        elif isinstance(child.tag, str):
            out.extend(_text_lines(child))
        out.append(child.tail or "")
    text = "".join(out)
    for hard, soft in SPACES.items():
        text = text.replace(hard, soft)
    return [text]


def _split(pieces: list[str]) -> list[str]:
    lines = "".join(pieces).split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


def _consecutive(values: list[str]) -> bool:
    numbers = [NUMBER.match(v) for v in values]
    if not numbers or not all(numbers):
        return False
    first = int(numbers[0].group(1))
    return [int(m.group(1)) for m in numbers] == list(range(first, first + len(numbers)))


def _put_code(element: Element, lines: list[str], root: Element, language: str | None = None) -> None:
    """Replace the highlighter around `element` (its bars with it) by one code block of `lines`."""
    top = _highlighter(element, root)
    language = language or _language_of(top) or _label_language(top)
    for sibling in (top.getprevious(), top.getnext()):
        if sibling is not None and sibling.tag in ("div", "span") and _toolbar(sibling):
            language = language or _label_language(sibling)
            remove(sibling)
    pre = etree.Element("pre", {"data-rkb-code": ""})
    code = etree.SubElement(pre, "code")
    if language:
        code.set("class", f"language-{language}")
    code.text = "\n".join(line.rstrip() for line in lines)
    replace(top, pre)


def _highlighter(element: Element, root: Element) -> Element:
    """The outermost element around `element` that holds nothing else but highlighter bars."""
    top = element
    while True:
        parent = top.getparent()
        if parent is None or parent is root or parent.tag not in CLIMB_TAGS:
            return top
        if (parent.text or "").strip() and not _toolbar_words(parent.text):
            return top
        others = [child for child in parent if child is not top]
        if any(isinstance(o.tag, str) and o.tag != "br" and not _toolbar(o) for o in others):
            return top
        if any((o.tail or "").strip() and not _toolbar_words(o.tail) for o in [top, *others]):
            return top
        top = parent


def _toolbar(element: Element) -> bool:
    """A bar of a highlighter: a few words, each a toolbar command or a language's name."""
    if element.tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "ol", "ul", "img"):
        return False
    if next(element.iter("img", "pre", "table"), None) is not None:
        return False
    return _toolbar_words(text_of(element, " "))


def _toolbar_words(text: str) -> bool:
    words = [w.casefold() for w in WORD.findall(text)]
    return len(words) <= TOOLBAR_MAX_WORDS and all(w in TOOLBAR_WORDS or w in LANGUAGES for w in words)


def _language_of(element: Element) -> str | None:
    """The language the markup names in a class of the element or of anything inside it."""
    for node in element.iter(*LANGUAGE_HOLDERS):
        if node.tag == "code" and (node.getparent() is None or node.getparent().tag != "pre"):
            continue  # a highlighter's token ("sql keyword"): its container names the language first
        found = _language_in_class(node.get("class") or "")
        if found:
            return found
    return None


def _wrapper_language(pre: Element, root: Element) -> str | None:
    """The language a box around a <pre> names with a prefix ("highlight-python", "language-sql"), two levels up."""
    for ancestor in list(pre.iterancestors("div", "figure"))[:2]:
        if ancestor is root:
            break
        prefixed = [c for c in (ancestor.get("class") or "").split() if PREFIXED.match(c)]
        found = _language_in_class(" ".join(prefixed))
        if found:
            return found
    return None


def _language_in_class(classes: str) -> str | None:
    brush = re.search(r"\bbrush\s*:\s*([\w#+-]+)", classes, re.IGNORECASE)
    tokens = [brush.group(1)] if brush else classes.split()
    for token in tokens:
        name = re.sub(r"^(?:language-|lang-|dp-|brush-|highlight-|source-)", "", token.casefold()).strip(";:")
        if name in LANGUAGES and name not in NOT_A_LANGUAGE:
            return LANGUAGES[name]
    return None


def _label_language(element: Element) -> str | None:
    """The language a bar names in words ("SQL:")."""
    for word in WORD.findall(text_of(element, " ")):
        if word.casefold() in LANGUAGES:
            return LANGUAGES[word.casefold()]
    return None
