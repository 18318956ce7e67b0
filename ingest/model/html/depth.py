"""Cut the nesting of untrusted HTML to a bounded depth before it is parsed.

Every step that walks up from an element to its ancestors (BeautifulSoup's own
tree edits among them) costs the depth of the element; an article of 30,000
nested `<div>`s (any feed can send one) makes the whole pipeline quadratic.
Real articles nest a dozen levels, and the cleaner parses them as they are; a
markup whose tree is deeper than MAX_DEPTH (checked on the tree before any walk,
htmltree.parse) comes here first. This pass reads the tags in one linear scan
and leaves out the start and end tags of elements deeper than MAX_DEPTH; their
text and their void elements (images, line breaks) stay where they were.

It only ever removes tags, and its output is then parsed and sanitised like
any other input, so a wrong guess here can cost structure, never safety.
"""

from __future__ import annotations

import re

MAX_DEPTH = 64
_SEARCH = 4 * MAX_DEPTH  # how far down the open elements an end tag looks for its start: bounded, so linear
# A tag that never closes (no '>' before the end, or an unclosed quote) matches as far as it goes and
# is then kept as text: were it left unmatched, the scan would try again from each '<' inside it, each
# time to the same end (quadratic in "<b c<b c<b c…").
TOKEN = re.compile(
    r"<!--.*?(?:-->|$)"  # a comment, possibly unterminated
    r"|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)(>?)",
    re.S,
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
        "wbr", "frame", "keygen"}
RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
            "plaintext"}
# A start tag of these closes an open <p> (HTML's implied end tags), so unclosed paragraphs do not pile up.
CLOSES_P = {"address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption",
            "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav",
            "ol", "p", "pre", "section", "table", "ul"}
SIBLINGS = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr", "td", "th"},
            "td": {"td", "th"}, "th": {"td", "th"}, "option": {"option"}}


def limit_depth(html: str) -> tuple[str, int | None]:
    """`html` with elements below MAX_DEPTH unwrapped, and the depth it had; (html, None) if within bounds."""
    if html.count("<") <= MAX_DEPTH:
        return html, None
    stack: list[tuple[str, bool]] = []  # open elements: (name, kept)
    kept = deepest = 0
    out: list[str] = []
    position = 0
    dropped_any = False
    for match in TOKEN.finditer(html):
        if match.start() < position:
            continue  # inside a raw-text element skipped below
        slash, name = match.group(1), (match.group(2) or "").lower()
        keep = True
        if not name or not match.group(4):
            pass  # a comment, or a tag that never closes: text
        elif not slash:
            if name in CLOSES_P and stack and stack[-1][0] == "p":
                kept -= stack.pop()[1]
            if name in SIBLINGS and stack and stack[-1][0] in SIBLINGS[name]:
                kept -= stack.pop()[1]
            if name not in VOID and not match.group(3).rstrip().endswith("/"):
                keep = kept < MAX_DEPTH
                stack.append((name, keep))
                kept += keep
                deepest = max(deepest, len(stack))
        else:
            for index in range(len(stack) - 1, max(len(stack) - _SEARCH, 0) - 1, -1):
                if stack[index][0] == name:
                    keep = stack[index][1]
                    for _, was_kept in stack[index:]:
                        kept -= was_kept
                    del stack[index:]
                    break
        out.append(html[position:match.start()])
        if keep:
            out.append(match.group(0))
        else:
            dropped_any = True
        position = match.end()
        if name in RAW_TEXT and not slash and match.group(4):
            end = re.compile(rf"</{name}\s*>", re.I).search(html, position)
            position = end.start() if end else len(html)
            out.append(html[match.end():position])
    out.append(html[position:])
    if not dropped_any:
        return html, None
    return "".join(out), deepest
