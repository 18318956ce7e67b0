"""What an image's bytes are, read from their first bytes, never from a server's Content-Type.

Only the raster formats a browser shows and nothing runs in are kept: PNG, JPEG,
GIF, WebP and AVIF. SVG is refused: it is XML that can carry script, and a copy
served from the site's own origin would run it there when opened. The size in
pixels, when the header says it, lets a page reserve the image's box.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

MAX_SIDE = 100_000  # pixels; a larger number in a header is not believed
SVG = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]", re.S | re.I)
AVIF_BRANDS = (b"avif", b"avis")


class NotAnImage(ValueError):
    """The bytes are not one of the kept formats; the message says what they look like."""


@dataclass(frozen=True)
class ImageType:
    mime: str
    extension: str
    width: int | None = None
    height: int | None = None


def sniff_image(body: bytes) -> ImageType:
    """The format (and size in pixels, when known) of `body`; NotAnImage when it is none of the kept ones."""
    head = body[:32]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _sized(ImageType("image/png", "png"), _png_size(body))
    if head.startswith(b"\xff\xd8\xff"):
        return _sized(ImageType("image/jpeg", "jpg"), _jpeg_size(body))
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _sized(ImageType("image/gif", "gif"), struct.unpack("<HH", body[6:10]) if len(body) >= 10 else None)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _sized(ImageType("image/webp", "webp"), _webp_size(body))
    if head[4:8] == b"ftyp" and _avif_brand(body):
        return _sized(ImageType("image/avif", "avif"), _avif_size(body))
    raise NotAnImage(_describe(body))


def _describe(body: bytes) -> str:
    if not body:
        return "the response is empty"
    if SVG.match(body[:4096].lstrip(b"\xef\xbb\xbf")):
        return "an SVG image (SVG can carry script): not kept"
    start = body[:16].decode("latin-1")
    shown = "".join(c if c.isprintable() and c.isascii() else "." for c in start)
    return f"not a PNG, JPEG, GIF, WebP or AVIF image (it starts {shown!r})"


def _sized(kind: ImageType, size) -> ImageType:
    if not size:
        return kind
    width, height = size
    if 0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE:
        return ImageType(kind.mime, kind.extension, width, height)
    return kind


def _png_size(body: bytes) -> tuple[int, int] | None:
    if len(body) >= 24 and body[12:16] == b"IHDR":
        return struct.unpack(">II", body[16:24])
    return None


# Start-of-frame markers carry the size; C4 (Huffman tables), C8 (reserved) and CC (arithmetic) do not.
SOF = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(body: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 < len(body):
        if body[at] != 0xFF:
            return None
        marker = body[at + 1]
        if marker == 0xFF:  # padding
            at += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD9)):  # markers without a length
            at += 2
            continue
        length = struct.unpack(">H", body[at + 2:at + 4])[0]
        if marker in SOF:
            height, width = struct.unpack(">HH", body[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


def _webp_size(body: bytes) -> tuple[int, int] | None:
    chunk = body[12:16]
    if chunk == b"VP8 " and len(body) >= 30:
        width, height = struct.unpack("<HH", body[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(body) >= 25:
        bits = int.from_bytes(body[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(body) >= 30:
        return int.from_bytes(body[24:27], "little") + 1, int.from_bytes(body[27:30], "little") + 1
    return None


def _avif_brand(body: bytes) -> bool:
    size = struct.unpack(">I", body[:4])[0] if len(body) >= 4 else 0
    box = body[8:min(max(size, 16), 256)]
    return any(box[i:i + 4] in AVIF_BRANDS for i in range(0, len(box) - 3, 4))


def _avif_size(body: bytes) -> tuple[int, int] | None:
    at = body.find(b"ispe", 0, 65536)  # the image's spatial extents: version and flags, then width and height
    if at < 0 or at + 16 > len(body):
        return None
    return struct.unpack(">II", body[at + 8:at + 16])
