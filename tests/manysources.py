"""A site of many real sources, as the site's listings and pages meet it when a team adds blogs:
the bundled archive with its checklists, plus real feeds of other platforms from `tests/corpus/`
and `tests/fixtures/` (provenance in `tests/corpus/PROVENANCE.md`).

Used by the tests of listings, search and wayfinding, and run as a script it builds that site
for a look in the browser:

    .venv/bin/python tests/manysources.py /tmp/many      # project in /tmp/many/project, site in /tmp/many/site
"""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))

from support import make_project, run_cli  # noqa: E402

# Engineering and product blogs of eleven shapes (Ghost, WordPress, Blogger, Atom-only personal
# blogs, Jekyll releases, a vendor news blog, Squarespace, Medium, DEV, Typepad).
FEEDS = (
    "corpus/ghost_cloudflare_2020.rss.xml",
    "corpus/ghost_element_2021.rss.xml",
    "corpus/google_cloudblog_2019.rss.xml",
    "corpus/atom_research_swtch_2019.atom.xml",
    "corpus/atom_ongoing_tbray_2006.atom.xml",
    "corpus/atom_yakubin_notes_2025.atom.xml",
    "corpus/jekyll_qemu_2025.atom.xml",
    "corpus/wordpress_allthis_2017.atom.xml",
    "corpus/wordpress_natasha_2016.rss.xml",
    "corpus/blogger_4fsodonline_2008.atom.xml",
    "corpus/squarespace_katiefloyd_2016.rss.xml",
    "fixtures/aws_blog_typepad_2009.atom.xml",
    "fixtures/devto_gautamkrishnar_2020.rss.xml",
)


def many_sources_project(root: Path) -> Path:
    """The bundled project in `root`/project with every feed of FEEDS fetched into its archive."""
    project = make_project(root)
    for feed in FEEDS:
        result = run_cli("fetch", "--feed", str(TESTS / feed), cwd=project)
        assert result.returncode == 0, (feed, result.stderr)
    return project


def build_many_sources_site(root: Path) -> Path:
    """Build the many-source site into `root`/site and return that folder."""
    project = many_sources_project(root)
    site = root / "site"
    result = run_cli("build", "--site-dir", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    return site


if __name__ == "__main__":
    folder = Path(sys.argv[1]).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    print(build_many_sources_site(folder))
