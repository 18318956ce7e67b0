"""Resilience KB: turn resilience-engineering feeds into a searchable knowledge base.

The pipeline, one module per stage:

    fetch    -> HTTP or local file to bytes            (fetch.py)
    feeds    -> bytes to raw entries with feedparser   (feeds.py)
    archive  -> one JSON file per entry, kept forever  (archive.py)
    collect  -> the three above for every feed         (collect.py)
    clean    -> untrusted feed HTML to safe HTML       (clean.py)
    articles -> archived entry to an Article           (articles.py)
    pages    -> Articles to Markdown pages             (pages.py)
    plugin   -> the pages handed to MkDocs             (plugin.py)
"""

__version__ = "0.1.0"
