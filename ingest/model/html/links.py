"""Links, images and embedded frames of an article: made absolute, local where they lead to an
archived article, or given way to their text where the reader's browser must not load them.

Steps of the cleaner (clean.py), on lxml's tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml import etree

from ingest.model.html import htmltree
from ingest.model.html.htmltree import Element, has_text, remove, text_of, unwrap
from ingest.model.html.media_urls import public_image_url
from ingest.text import squash

LinkResolver = Callable[[str, str], "str | None"]  # (url, link text) -> local URL or None
IMAGE_URL = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|avif)(?:$|[?#])", re.IGNORECASE)
FILE_NAME = re.compile(r"[\w.-]+\.(?:png|jpe?g|gif|webp|svg|avif|bmp)", re.IGNORECASE)  # an "alt" that is only a file name


@dataclass(frozen=True)
class LocalImage:
    """The site's own copy of an image: its URL from the article's page, and its size in pixels when known."""

    src: str
    width: int | None = None
    height: int | None = None


ImageResolver = Callable[[str], "LocalImage | None"]  # an image's absolute URL -> the site's copy, or None


def replace_frames(root: Element) -> None:
    """An embedded frame becomes a plain link to what it showed (tweets, videos, slides)."""
    for frame in list(root.iter("iframe")):
        target = embed_target(frame.get("src") or "")
        if target is None:
            remove(frame)
            continue
        url, label = target
        link = etree.Element("a", href=url)
        link.text = label
        htmltree.replace(frame, link)


def fix_links(root: Element, base_url: str | None, resolve_link: LinkResolver | None) -> dict[Element, str]:
    """Links made absolute, and local where they lead to an archived article; returns each local link
    with its absolute URL (keyed by the element itself, which keeps it alive)."""
    originals: dict[Element, str] = {}
    for link in list(root.iter("a")):
        if link.getparent() is None:
            continue
        href = (link.get("href") or "").strip()
        if not href:
            unwrap(link)  # a named anchor or an empty link: keep its text only
            continue
        if not href.startswith("#"):
            if base_url:
                href = absolute_url(base_url, href)
            elif is_relative(href):
                unwrap(link)  # nothing to resolve it against: on our site it would lead nowhere
                continue
        local = resolve_link(href, squash(text_of(link, " "))) if resolve_link else None
        title = link.get("title")
        link.attrib.clear()
        link.set("href", local or href)
        if local:
            originals[link] = href
        if title:
            link.set("title", title)
        if not has_text(link) and next(link.iter("img"), None) is None:
            remove(link)  # an empty link has no name for a screen reader, and no use
    return originals


# An absolute http(s) URL that urljoin gives back as it is: a plain host and port, then a path, query
# and fragment with nothing urllib would change (white space, brackets, ";" params, an empty "?" or "#").
PLAIN_ABSOLUTE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[^\s?#;\[\]]*)?(?:\?[^\s#\[\]]+)?(?:#[^\s\[\]]+)?")


def absolute_url(base_url: str, url: str) -> str:
    """urljoin(base_url, url), without parsing both URLs for a link that is already absolute (most are)."""
    return url if PLAIN_ABSOLUTE_URL.fullmatch(url) else urljoin(base_url, url)


def is_relative(url: str) -> bool:
    """A link with neither scheme nor host ("../a", "img/b.png"): it means something only against a base."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def fix_images(root: Element, base_url: str | None, local_image: ImageResolver | None = None) -> None:
    """Each image: the site's own copy where there is one, else its public https URL, else its alt text."""
    for img in list(root.iter("img")):
        src = (img.get("src") or "").strip()
        if not src:
            remove(img)
            continue
        if base_url:  # without one a relative src is no address: refused below, its alt text kept
            src = absolute_url(base_url, src)
        alt = image_alt(img)
        parent = img.getparent()
        local = local_image(src) if local_image is not None else None
        loadable = local.src if local is not None else public_image_url(src)
        if loadable is None:  # the reader's browser would fetch it from their own network, or not over http(s)
            _replace_with_text(img, image_alt(img, caption=False))  # a caption is on the page already
            if parent is not None and parent.tag == "a" and not has_text(parent) \
                    and next(parent.iter("img"), None) is None:
                remove(parent)
            continue
        img.set("src", loadable)
        img.set("alt", alt)
        if local is not None and local.width and local.height and not (img.get("width") or img.get("height")):
            img.set("width", str(local.width))  # the box is reserved while the image loads
            img.set("height", str(local.height))
        # A link around an image that only opens the image itself adds a link with no name.
        if parent is not None and parent.tag == "a" and not has_text(parent):
            href = parent.get("href") or ""
            if href in (src, loadable) or IMAGE_URL.search(href) or "/image/" in href:
                unwrap(parent)


def image_alt(img: Element, *, caption: bool = True) -> str:
    """The image's own alt text; else its figure's caption or its title; else "" (decorative: a screen
    reader skips it, where a missing alt would make it read the file name)."""
    for text in (img.get("alt"), _caption(img) if caption else "", img.get("title")):
        text = " ".join((text or "").split())
        if text and not FILE_NAME.fullmatch(text):
            return text
    return ""


def _caption(img: Element) -> str:
    """The caption of the figure the image is the only image of."""
    figure = next((a for a in img.iterancestors() if a.tag == "figure"), None)
    if figure is None or sum(1 for _ in figure.iter("img")) != 1:
        return ""
    caption = next(figure.iter("figcaption"), None)
    return text_of(caption, " ") if caption is not None else ""


def _replace_with_text(element: Element, text: str) -> None:
    """The element gives way to `text` (an image's alt text) in a <span> of its own, or to nothing."""
    if not text:
        remove(element)
        return
    span = etree.Element("span")
    span.text = text
    htmltree.replace(element, span)


def embed_target(src: str) -> tuple[str, str] | None:
    parts = urlsplit(src.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.removeprefix("www.")
    if host.endswith("youtube.com") and parts.path.startswith("/embed/"):
        video = parts.path.split("/")[2]
        return f"https://www.youtube.com/watch?v={video}", "Watch the embedded video on YouTube"
    if host == "platform.twitter.com":
        tweet = parse_qs(parts.query).get("id", [""])[0]
        if tweet.isdigit():
            return f"https://twitter.com/i/web/status/{tweet}", "View the embedded tweet"
    return src.strip(), f"Open the embedded content from {host}"
