"""The media store: copies of article images, kept in the archive folder and published with the site.

Layout (relative to the archive folder):

    media/<h[:2]>/<h>.<ext>   an image's bytes, named by their SHA-256 (h): the same
                              image linked from two articles or two URLs is kept once
    media/index.json          source URL -> the file, its type and size in pixels; the
                              URLs that failed for good (and why); the entries whose
                              images have all been tried (by content hash)

The entries are never touched: a site built without the store hot-links the
images as before. Every file is written atomically; the index is merged and
written under the archive's lock, the images themselves without it (a file
named by its content is the same whoever writes it).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.archive.imagetypes import ImageType
from ingest.archive.records import ArchiveError, refuse_symlink
from ingest.atomic import dump_json, write_atomic

MEDIA = "media"
INDEX = "index.json"
FILE = re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}\.(?:png|jpg|gif|webp|avif)")
IGNORED = re.compile(r"[\t\n\r]")


def media_key(url: str) -> str:
    """A source URL as the index spells it: without white space a browser ignores, or its fragment."""
    return IGNORED.sub("", url).strip().partition("#")[0]


@dataclass(frozen=True)
class StoredImage:
    file: str  # relative to media/: "ab/ab12….png"
    type: str  # its MIME type, from its bytes
    bytes: int
    width: int | None = None
    height: int | None = None


@dataclass
class MediaIndex:
    """What the store holds; `images` in the order they were first kept (a site's budget takes the first)."""

    images: dict[str, StoredImage] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # URL -> why, for failures that will not change
    entries: dict[str, str] = field(default_factory=dict)  # entry id -> content hash whose images were all tried

    def find(self, url: str) -> StoredImage | None:
        return self.images.get(media_key(url))

    def total_bytes(self) -> int:
        return sum(image.bytes for image in {i.file: i for i in self.images.values()}.values())

    def merged(self, newer: "MediaIndex") -> "MediaIndex":
        """This index with `newer`'s findings added (a run's, onto the index as it is now on disk)."""
        images = {**self.images, **{k: v for k, v in newer.images.items() if k not in self.images}}
        failed = {k: v for k, v in {**self.failed, **newer.failed}.items() if k not in images}
        return MediaIndex(images, failed, {**self.entries, **newer.entries})


class MediaStore:
    """The media folder of an archive."""

    def __init__(self, archive_root: Path) -> None:
        self.folder = Path(archive_root) / MEDIA
        self.index_path = self.folder / INDEX

    def read_index(self) -> MediaIndex:
        """The index; an empty one when there is none. ArchiveError, naming the file, when it is damaged."""
        refuse_symlink(self.folder)
        try:
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return MediaIndex()
        except (OSError, UnicodeDecodeError, ValueError) as e:
            raise ArchiveError(f"{self.index_path}: cannot read the media index ({e}); restore it from git, "
                               f"or delete it and run `resilience-kb images` again") from None
        try:
            images = {str(url): _stored(value) for url, value in data.get("images", {}).items()}
            order = [url for url in data.get("order", []) if url in images]
            images = {url: images[url] for url in [*order, *sorted(set(images) - set(order))]}
            failed = {str(url): str(why) for url, why in data.get("failed", {}).items()}
            entries = {str(k): str(v) for k, v in data.get("entries", {}).items()}
        except (AttributeError, TypeError, ValueError) as e:
            raise ArchiveError(f"{self.index_path}: the media index is malformed ({e}); restore it from git, "
                               f"or delete it and run `resilience-kb images` again") from None
        return MediaIndex(images, failed, entries)

    def write_index(self, index: MediaIndex) -> None:
        data = {"images": {url: {k: v for k, v in asdict(image).items() if v is not None}
                           for url, image in index.images.items()},
                "failed": index.failed, "entries": index.entries}
        self.folder.mkdir(parents=True, exist_ok=True)
        # Sorted keys make a diff-friendly file; the order the images were kept in is in "order".
        data["order"] = list(index.images)
        write_atomic(self.index_path, dump_json(data))

    def keep(self, body: bytes, kind: ImageType) -> StoredImage:
        """Store `body` (already sniffed as `kind`) under its hash, unless it is there already."""
        digest = hashlib.sha256(body).hexdigest()
        name = f"{digest[:2]}/{digest}.{kind.extension}"
        path = self.folder / name
        if not (path.is_file() and path.stat().st_size == len(body)):
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, body)
        return StoredImage(name, kind.mime, len(body), kind.width, kind.height)

    def path_of(self, image: StoredImage) -> Path:
        return self.folder / image.file


def _stored(value: dict) -> StoredImage:
    image = StoredImage(file=str(value["file"]), type=str(value["type"]), bytes=int(value["bytes"]),
                        width=_side(value.get("width")), height=_side(value.get("height")))
    if not FILE.fullmatch(image.file):  # never a path out of the media folder
        raise ValueError(f"{image.file!r} is not a media file name")
    return image


def _side(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 100_000 else None

