"""Measure the media store of the many-source site: how many images its articles show, and their bytes.

    python bench/image_sizes.py --pool DIR      # DIR: a folder of real PNG and JPEG files (searched deeply)

The bundled archive and the 13 real feeds of tests/manysources.py are archived in a
temporary folder; every image their pages show (as the cleaner lists them) is
downloaded by the real downloader (archive/images.py) from an HTTP server on
127.0.0.1, which answers each URL with one of the pool's real images, chosen by
the URL's hash, so that no byte comes from the internet. Without --pool, each image
is a generated PNG of the size in pixels the article gives it (800 x 450 when it
gives none), with noise that compresses as a screenshot does (about 0.4 bytes a pixel).
It prints a line per feed and the total; nothing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from manysources import many_sources_project  # noqa: E402
from support import FeedServer, Response, png_image  # noqa: E402

from ingest.archive.images import fill_images  # noqa: E402
from ingest.archive.imagetypes import NotAnImage, sniff_image  # noqa: E402
from ingest.archive.media import MediaStore  # noqa: E402
from ingest.model.images import shown_images  # noqa: E402
from ingest.sources import FetchOptions, ImageOptions  # noqa: E402

UNLIMITED = ImageOptions(max_image_bytes=100_000_000, max_feed_bytes=10**12, max_run_bytes=10**12,
                         max_site_bytes=10**12, max_seconds=86_400)


def pool_of(folder: Path | None) -> list[bytes]:
    if folder is None:
        return []
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".png", ".jpg", ".jpeg")
                   and p.is_file() and p.stat().st_size > 2000)
    return [body for body in (p.read_bytes() for p in files) if _kept(body)]


def _kept(body: bytes) -> bool:
    try:
        sniff_image(body)
    except NotAnImage:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=Path, help="a folder of real PNG and JPEG images to serve")
    args = parser.parse_args()
    pool = pool_of(args.pool)
    server = FeedServer()
    server.thread.start()
    noise = os.urandom(4096)
    served: dict[str, str] = {}

    def local_images(record):
        urls = []
        for url in shown_images(record):
            path = "/" + hashlib.sha256(url.encode()).hexdigest()[:24]
            if path not in server.routes:
                digest = int(path[1:], 16)
                body = pool[digest % len(pool)] if pool else png_image(800, 450, noise=noise[: 1024 + digest % 2048])
                server.routes[path] = Response(body=body, headers={"Content-Type": "application/octet-stream"})
                served[path] = url
            urls.append(server.url(path))
        return urls

    with tempfile.TemporaryDirectory() as tmp:
        project = many_sources_project(Path(tmp))
        archive = project / "archive"
        started = time.perf_counter()
        reports = fill_images(archive, local_images, UNLIMITED, FetchOptions(allow_private=("127.0.0.0/8",)))
        seconds = time.perf_counter() - started
        index = MediaStore(archive).read_index()
        entries = len(list((archive / "entries").glob("*.json")))
        pool_note = f"{len(pool)} real images from {args.pool}" if pool else "generated PNGs of 800 x 450"
        print(f"images served: {pool_note}")
        print(f"{'feed':<28} {'images':>7} {'MB':>7}")
        for report in reports:
            print(f"{report.feed:<28} {report.kept + report.known:>7} {report.bytes / 1e6:>7.2f}")
        # Each URL counted as a distinct image, as on the real blogs (the pool repeats itself).
        sizes = sorted(len(server.routes[path].body) for path in served)
        total = sum(sizes)
        print(f"total: {entries} entries, {len(index.images)} images, {total / 1e6:.1f} MB "
              f"({total / max(entries, 1) / 1e3:.0f} KB an entry), median {sizes[len(sizes) // 2] / 1e3:.0f} KB, "
              f"90th percentile {sizes[len(sizes) * 9 // 10] / 1e3:.0f} KB, largest {sizes[-1] / 1e3:.0f} KB; "
              f"downloaded in {seconds:.1f} s")
    server.httpd.shutdown()


if __name__ == "__main__":
    main()
