"""The site's copies of article images: which of the media store's images it publishes, and at what URL.

With `images: local` (the default) every image in the archive's media store
(archive/media.py) is published under media/ and the article pages name it
there; an image the store lacks is hot-linked over https, as with `images:
remote`. The store is published in the order it was filled up to `max_site_bytes`;
the images beyond are hot-linked, and the build says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from ingest.archive.media import MediaStore, StoredImage
from ingest.model.images import MediaLookup
from ingest.sources import ImageOptions

MEDIA_URI = "media"
log = logging.getLogger(f"mkdocs.plugins.{__name__}")


@dataclass(frozen=True)
class SiteMedia:
    """The images a build publishes: the lookup the cleaner asks, and each file with its place in the site."""

    lookup: MediaLookup | None
    files: tuple[tuple[Path, str], ...] = ()  # (the file in the store, its path in the site)

    def add_to(self, files: Files, config: MkDocsConfig) -> None:
        """Each copy added to the build's files, copied from the store as MkDocs writes the site."""
        for path, uri in self.files:
            files.append(File.generated(config, uri, abs_src_path=str(path)))


def site_media(archive_root: Path, options: ImageOptions, directory_urls: bool) -> SiteMedia:
    """What of the store at `archive_root` the site publishes (nothing with `images: remote`).

    Read under the archive's reading lock (loading.py). ArchiveError when the index is damaged.
    """
    if options.mode != "local":
        return SiteMedia(None)
    store = MediaStore(archive_root)
    index = store.read_index()
    published: dict[str, StoredImage] = {}
    files: dict[str, Path] = {}
    total = over = missing = 0
    for url, image in index.images.items():
        if image.file not in files:
            path = store.path_of(image)
            if not path.is_file():
                missing += 1
                continue
            if total + image.bytes > options.max_site_bytes:
                over += 1
                continue
            total += image.bytes
            files[image.file] = path
        published[url] = image
    if over:
        log.info("resilience-kb: the media store holds %.1f MB of images, over the site's max_site_bytes "
                 "(%.1f MB): %d images are hot-linked from their blogs instead", index.total_bytes() / 1e6,
                 options.max_site_bytes / 1e6, over)
    if missing:
        log.info("resilience-kb: %d images of %s are missing from the store; they are hot-linked (run "
                 "`resilience-kb images --retry` to fetch them again)", missing, store.index_path)
    prefix = "../../media/" if directory_urls else "../media/"
    return SiteMedia(MediaLookup(published, prefix),
                     tuple((path, f"{MEDIA_URI}/{name}") for name, path in sorted(files.items())))
