"""A Content-Security-Policy on every page, as a <meta http-equiv> (GitHub Pages sends no headers of ours).

Scripts run only from the site itself and, inline, only the theme's own: each
inline script outside the article gets its SHA-256 in the policy, computed from
the page as it is written. An article body never holds a script (the sanitiser
removes them), and one planted in a built page later has no hash: the browser
refuses it. No plugins (`object-src`), no `<base>` to re-point relative URLs,
no form submits anywhere. Pagefind's search runs WebAssembly, hence
'wasm-unsafe-eval' (WebAssembly only; JavaScript's eval stays forbidden).
Images load from the site (the theme draws its icons from data: URLs; the
article images the media store holds are copied into it, site/media.py) and,
on an article page, from the https origins of the images it hot-links, named
one by one (those images were judged at build time, media_urls.py); no other
page loads an image from elsewhere. No audio or video loads at all (the
sanitiser keeps none).
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Iterable

INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
# An article, from its start to the first end tag after it (as `<article\b.*?</article\s*>`, re.S | re.I,
# which tried its end at every character: a tenth of the time on a page of 90 KB, searched in two steps).
ARTICLE_START = re.compile(r"<article\b", re.I)
ARTICLE_END = re.compile(r"</article\s*>", re.I)
HEAD = re.compile(r"<head\b[^>]*>(\s*<meta charset=[^>]*>)?", re.I)
NOT_SCRIPT_TYPES = ("application/json", "application/ld+json", "text/template")
POLICY = ("script-src 'self' 'wasm-unsafe-eval'{hashes}; img-src 'self' data:{images}; media-src 'none'; "
          "object-src 'none'; base-uri 'none'; form-action 'none'")
# The origin of each image an article body hot-links: the sanitiser writes every <img> with its own
# attributes only, and a feed's quote inside an attribute as &quot;, so a src= here is the image's.
IMAGE_ORIGIN = re.compile(r'<img\b(?:[^>"]|"[^"]*")*?\ssrc="(https://[A-Za-z0-9.:\[\]-]+)[/"?#]')


def inline_script_hashes(html: str) -> list[str]:
    """'sha256-…' of each inline script the page runs, outside its article, in order, without repeats."""
    outside = _outside_articles(html)
    hashes: dict[str, None] = {}
    for match in INLINE_SCRIPT.finditer(outside):
        attributes, body = match.group(1), match.group(2)
        if "src=" in attributes.lower() or any(t in attributes.lower() for t in NOT_SCRIPT_TYPES):
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        hashes[f"'sha256-{digest}'"] = None
    return list(hashes)


def _outside_articles(html: str) -> str:
    """The page without its articles: each from `<article` to the first `</article>` after it (none unclosed)."""
    kept, position = [], 0
    while (start := ARTICLE_START.search(html, position)) and (end := ARTICLE_END.search(html, start.end())):
        kept.append(html[position:start.start()])
        position = end.end()
    kept.append(html[position:])
    return "".join(kept)


def image_origins(body_html: str) -> list[str]:
    """The https origins an article body loads images from, sorted, each once."""
    return sorted(set(IMAGE_ORIGIN.findall(body_html)))


def policy_for(html: str, images: Iterable[str] = ()) -> str:
    hashes = inline_script_hashes(html)
    return POLICY.format(hashes="".join(f" {h}" for h in hashes), images="".join(f" {o}" for o in images))


def add_content_security_policy(html: str, images: Iterable[str] = ()) -> str:
    """The page with its policy as the first thing in <head> after the charset; unchanged if it has no head.

    `images` are the origins (https://host[:port]) the page may load images from besides its own.
    """
    match = HEAD.search(html)
    if match is None:
        return html
    meta = f'\n    <meta http-equiv="Content-Security-Policy" content="{policy_for(html, images)}">'
    return html[:match.end()] + meta + html[match.end():]
