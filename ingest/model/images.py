"""Article images and the media store: which images an entry's page shows, and where the site's copies are.

The store (archive/media.py) is filled by `fetch`, `backfill` and `images`; the
cleaner asks `MediaLookup` for each image's copy as it cleans an article, by the
same absolute URL `shown_images` lists, so the two never disagree on a spelling.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.archive.media import StoredImage, media_key
from ingest.archive.records import EntryRecord
from ingest.model.articles import parse_article
from ingest.model.html.links import LocalImage


def shown_images(record: EntryRecord) -> list[str]:
    """The absolute URLs of the images the entry's page shows (the cleaner's answer, tracking pixels and
    images of cut boilerplate left out), in order."""
    asked: list[str] = []

    def ask(url: str) -> None:
        asked.append(url)

    parse_article(record, local_image=ask)
    return asked


@dataclass(frozen=True)
class MediaLookup:
    """The site's copies of images, for the cleaner: source URL -> its URL from an article's page.

    A plain object, not a closure: it goes to the analysis's worker processes.
    """

    images: dict[str, StoredImage]
    prefix: str  # the media folder's URL from an article's page: "../../media/"

    def __call__(self, url: str) -> LocalImage | None:
        image = self.images.get(media_key(url))
        if image is None:
            return None
        return LocalImage(self.prefix + image.file, image.width, image.height)

    def answer(self, url: str) -> str | None:
        """The lookup of `url` as one string, for the analysis cache to compare."""
        local = self(url)
        return None if local is None else f"{local.src} {local.width or ''} {local.height or ''}"
