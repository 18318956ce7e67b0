"""The site's search index, built by Pagefind over the finished site.

Material's own search ships one index with the text of every page: 12 MB at
2,000 pages. Pagefind splits its index into chunks and a reader's browser
fetches only those a query needs, so the first search stays small at any size.
It indexes what the theme override marks with data-pagefind-body: each page's
content, not its navigation.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

OUTPUT = "pagefind"


class SearchIndexError(PluginError):
    """Pagefind could not index the site."""


def build_search_index(site_dir: Path) -> str:
    """Index the built site into site_dir/pagefind; return Pagefind's summary line."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", OUTPUT]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise SearchIndexError(f"resilience-kb: cannot run Pagefind to index the site: {e}") from None
    if done.returncode != 0 or not (site_dir / OUTPUT / "pagefind.js").exists():
        detail = " ".join((done.stderr or done.stdout).split())[-500:]
        raise SearchIndexError(f"resilience-kb: Pagefind could not index {site_dir}: {detail} "
                               f"(is the pagefind[bin] package installed?)")
    pages = re.search(r"Indexed (\d+) pages", done.stdout)
    return f"search index of {pages.group(1) if pages else 'the'} pages in {OUTPUT}/"
