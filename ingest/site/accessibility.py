"""Accessible names the theme's markup lacks, added to every page as it is written.

Material for MkDocs renders two hidden toggles (the drawer's and search's)
without an accessible name (axe-core: `label`). (Its search dialog lacks one
too, but the site does not render it: search is Pagefind's.) Rather than copy
the theme's templates, the plugin adds the names to the finished HTML; each
fix names the exact markup it expects, and the browser tests run axe-core on
the built site, so a theme update that changes the markup is noticed.
"""

from __future__ import annotations

FIXES = (
    ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">',
     '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off" '
     'aria-label="Navigation menu">'),
    ('<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">',
     '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off" '
     'aria-label="Search">'),
)


def add_accessible_names(html: str) -> str:
    for before, after in FIXES:
        html = html.replace(before, after, 1)
    return html
