"""Resilience KB: turn resilience-engineering feeds into a searchable knowledge base.

Three stages, three packages, stacked one way: the site uses the model, the
model uses the archive, none imports one above it (tests/test_layers.py checks).

    archive/  feeds in, the archive kept forever (network and disk)
        fetch       HTTP(S) or a local file to bytes (netguard: address policy, deadline)
        xmlguard    DTDs cut from a feed before it is parsed
        feeds       bytes to raw entries with feedparser (saxdriver: its expat driver)
        store       the Archive: one JSON file per entry, atomic batches, the lock
        records     an entry record and a feed state: their JSON, reading one file
        ids         entry ids: a readable slug (guid, or title when it is opaque) + hash
        collect     fetch, parse and store every feed, a report per feed
        backfill    a feed's older pages, filed the same way (forem: the Forem API's JSON;
                    paging: where the older pages are)
        report      the latest fetch's report, kept beside the archive
    model/    the archive read into the knowledge base (pure, but for load and cache), in three areas
      html/     untrusted feed HTML to safe HTML and the document model
        clean       untrusted feed HTML to safe HTML, on lxml's tree (htmltree; depth: nesting cut
                    before parsing; clean_soup: the BeautifulSoup path for rare markup)
        document    clean HTML to the document model the extractors read
      extract/  one extractor per kind of note; notes: their types; vocabulary + vocab/*.yml
      (core)    the knowledge base itself
        articles    an archived entry to an Article; language: its language and direction
        knowledge   notes gathered across articles; checklists, curation, onboarding
        analysis    entries to articles and notes, in parallel (cache: from disk)
        load        archive + vocabularies + checklists -> Knowledge
        history     arrivals and changes; export: knowledge.json
    site/     the knowledge base as MkDocs pages
        pages       every generated page (article_pages, note_pages, checklist_pages,
                    status_pages, start_here, markdown, info)
        urls        the URL scheme: where every page lives (the model knows only ids)
        plugin      the MkDocs plugin that hands them to MkDocs (fragments: the theme's parts
                    that pages side by side share, rendered once)
        syndication the site's RSS and JSON feeds; accessibility
        search      Pagefind, in shards (search_cache: each shard's bundle, kept by content)
        fillable    a checklist as a Markdown document to fill in
        csp         every page's Content-Security-Policy

At the top: cli and commands (the resilience-kb command's arguments, and what each
command does: the only modules above the site),
and the helpers every stage may use: config (mkdocs.yml), errors (KBError, the
base of every error a user can cause), text, atomic, yamlfile, logs, outputs
(where a command may write: never on the project's own data).
"""

__version__ = "0.1.0"
