"""Checks on a built site that no feed data became executable content."""

from __future__ import annotations

import html
import re
from pathlib import Path

from bs4 import BeautifulSoup

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcdoc", "data", "background", "poster",
                  "cite", "srcset", "ping")
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript|mocha|data:text/html)", re.IGNORECASE)
FORBIDDEN_IN_CONTENT = ("script", "iframe", "frame", "object", "embed", "applet", "base", "meta", "form", "style",
                        "link", "svg", "math", "template", "noscript")
THEME_SCRIPTS = re.compile(
    r"^(?:/|(?:\.\./)*)(?:assets/(?:javascripts/bundle\.[0-9a-f]+\.min\.js|checklist\.js|review\.js|search\.js|images\.js|incidents\.js)"
    r"|pagefind/pagefind-ui\.js)$")


def executable_content(page: Path) -> list[str]:
    """Everything on `page` by which feed data could run code; empty when the page is safe."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    found = []
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}=…>")
            if name.lower() in URL_ATTRIBUTES:
                for url in value if isinstance(value, list) else [value]:
                    cleaned = re.sub(r"[\x00-\x20]+", "", html.unescape(str(url)))
                    if BAD_SCHEME.match(cleaned):
                        found.append(f"<{tag.name} {name}={url!r}>")
        if tag.name == "meta" and tag.get("http-equiv"):
            # The site's own policy, once, in the head, is the only http-equiv a page may carry.
            ours = (tag["http-equiv"] == "Content-Security-Policy" and tag.parent.name == "head"
                    and tag is soup.head.find("meta", attrs={"http-equiv": True}))
            if not ours:
                found.append(f"<meta http-equiv={tag['http-equiv']!r}>")
        if tag.name == "script":
            source = tag.get("src")
            if source and not THEME_SCRIPTS.match(source):
                found.append(f"<script src={source!r}>")
            if "alert(" in tag.get_text() or "rkb-pwned" in tag.get_text():
                found.append("<script> with feed text")
    content = soup.select_one(".md-content")
    if content is not None:
        for tag in content.find_all(FORBIDDEN_IN_CONTENT):
            found.append(f"<{tag.name}> in the content")
    return found
