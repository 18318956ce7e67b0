"""A project whose site shows reviews: the example reviews and generated ones (bench/reviews_site.py), enabled."""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from support import ROOT, make_project
from ingest.model.checklists import load_checklist
from ingest.model.extract.vocabulary import load_vocabulary

sys.path.insert(0, str(ROOT / "bench"))
from reviews_site import generate_reviews  # noqa: E402


def reviews_project(tmp_path: Path, *, services: int = 3, reviews: int = 2) -> Path:
    """The project with the example reviews and generated ones, reviews enabled, overdue as of 2026-04-01."""
    project = make_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - resilience-kb:\n", "  - resilience-kb:\n      reviews:\n        enabled: true\n        as_of: 2026-04-01\n",
        1), encoding="utf-8")
    shutil.copytree(ROOT / "examples" / "reviews", project / "reviews")
    checklist = load_checklist(project / "checklists" / "orr.yml", load_vocabulary())
    generate_reviews(project / "reviews", checklist, services=services, reviews=reviews)
    return project


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` served over HTTP on 127.0.0.1, as a reader gets a site; its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
