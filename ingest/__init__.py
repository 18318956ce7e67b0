"""Resilience KB: turn resilience-engineering feeds into a searchable knowledge base.

Three stages, three packages, stacked one way: the site uses the model, the
model uses the archive, none imports one above it (tests/test_layers.py checks).
Above them sit cli and commands (the only modules that may call the site);
below them, the helpers every stage may use.

This is the project's one map of its modules: README.md, DESIGN.md and
CONTRIBUTING.md point here instead of copying it, and tests/test_layers.py
fails when a module or folder of ingest/ is missing from it or it names one
that is gone. A name ending in "/" is a folder; any other is a module (.py).

    archive/                stage 1, feeds in: the archive, kept forever (network and disk)
        fetch               HTTP(S) or a local file to bytes (timeouts, size cap, conditional GET)
        netguard            every connection: resolved, each address checked against the network
                            policy, then connected to; a deadline for the whole download
        proxy               the environment's HTTP proxy, used only as a tunnel to a checked address
        xmlguard            DTDs cut from a feed, and character references to forbidden code points
                            made U+FFFD, before anything parses it
        feeds               bytes to raw entries, with feedparser
        deadline            a pure function run in a forked child, stopped at a deadline (parsing)
        saxdriver           the expat driver feedparser uses, with character data buffered (speed)
        store               the Archive: one JSON file per entry, atomic batches, the lock
        records             an entry record and a feed state: their JSON, reading and checking one file
        ids                 entry ids: a readable slug (from the guid, or from the title when the guid
                            is opaque) + a hash
        collect             fetch, parse and store every feed, with a report per feed
        backfill            a feed's older pages (RFC 5005, WordPress, Forem) into the archive, filed
                            the same way
        paging              where a feed's older pages are, and which a backfill may go to (pure)
        forem               the Forem articles API's JSON as feed entries (pure)
        report              the latest fetch's report, kept beside the archive (git-ignored)
        media               the media store: copies of article images by content hash, and their index
        images              the images of archived entries downloaded into the media store, within caps
        imagetypes          an image's format and size in pixels from its first bytes (SVG refused)
    model/                  stage 2, the archive read into the knowledge base (pure, but for load and
                            cache), in three areas: html/, extract/ and the knowledge core (the
                            modules directly in model/), each using only the ones before it
        html/               untrusted feed HTML to safe HTML and the document model
            clean           untrusted HTML to safe, tidy HTML, on lxml's tree
            links           its links, images and frames: absolute, local, or given way to their text
            boilerplate     what a blogging platform adds to every entry (footers, share buttons,
                            tracking pixels), recognised by shape and cut
            codeblocks      a syntax highlighter's tables, numbered lists and bars made one code block
            entities        character references left spelled out in the text, decoded once
            excerpt         whether the body is only the feed's excerpt of the article, by its ending
            htmltree        lxml's tree with the cleaner's edits, strings kept apart, written out;
                            for the rare markup whose lxml tree differs, BeautifulSoup's copied into it
            depth           cuts the nesting of untrusted HTML to 64 levels, in one linear pass
            media_urls      which image URLs a page may load: http(s) to a public host, read as a
                            browser reads them
            document        clean HTML to the document model the extractors read
        extract/            one extractor per kind of note, and the kind classifier (the registry
                            in its __init__ says which kinds each runs on)
            kinds           what kind of article this is, from its shape and wording
            launches        launches in a digest of product launches
            releases        release notes: a heading per feature, then a list of fixes
            changes         release notes as lists: highlights, new features, a release's changes
            patterns        mentions of resilience patterns: each sentence that names one in its sense
            senses          a term's sense where it is used: the pattern's, or another topic's
            biases          cognitive biases: the lists articles give, and known biases named in passing
            lessons         numbered lessons, each with its key sentences
            injections      failure injections and written-up chaos experiments
            questions       the sections and questions of a checklist template (an ORR, a postmortem)
            shapes          the shapes of blocks that the classifier and the extractors share
            titles          titles, not prose: headings and their copies, contents, labels
            words           sentences and content words
            notes           the notes' types
            vocabulary      the vocabularies in vocab/, loaded and turned into regexes
            vocab/          the vocabularies as data: patterns.yml, biases.yml, operations.yml,
                            senses.yml
        articles            an archived entry to an Article (the richest body, the author's name)
        language            an article's language and direction: declared, else from its script
        analysis            entries to articles and notes, in parallel, from the cache where it can
        cache               the analysis cache (JSON, git-ignored)
        fingerprint         the code and vocabularies the analysis runs, found by following its
                            imports: the analysis cache's key (stdlib only)
        knowledge           notes gathered across articles (merged, cross-referenced)
        passages            which passages a pattern page quotes: scored, deduplicated, ranked
        tags                tags merged by case, spacing and plural; each with its slug and articles
        checklists          curated checklist files: schema check, drift, generation
        lens_choices        a checklist question's choices and risk rules for the Well-Architected lens
        review_format       a review file's format: its types, and the writer of its canonical text
        review_reader       a review file's text to a Review, each mistake with its line and fix
        review_cache        parsed review files kept by their bytes (archive/.cache/reviews/): a rebuild reads only changed ones
        review_history      what changed between a service's reviews; which services rate a question risky
        reviews             readiness reviews: new ones, checked against the checklists (older versions
                            too), what the site and the export read from them
        incident_types      an incident's types: facts, write-up, factors, action items, timeline
        incident_format     an incident file's format: the writer of its canonical text
        incident_reader     an incident file's text to an Incident, each mistake with its line and fix
        incidents           incidents: new ones from the postmortem checklist, checked against the
                            vocabularies, checklists and known services; the folder loaded
        incident_import     other companies' postmortems (Markdown with front matter) to public incidents
        incident_links      suggested links of an incident's factors and action items: the patterns,
                            biases and questions their text names (data: incident_links.yml)
        incident_suggestions  an incident file's suggested links numbered, and the accepted ones written in
        incident_index      which incidents name each pattern, bias and question; the reviews' blind spots
        curation            init-checklists and accept-upstream: writing those files
        onboarding          the onboarding path: schema and id checks
        history             the archive's history: arrivals and changes
        load                archive + vocabularies + checklists -> Knowledge (the one place the
                            stages are strung together)
        export              knowledge.json
        images              which images an entry's page shows; the media store's copies, for the cleaner
    site/                   stage 3, the knowledge base as MkDocs pages
        plugin              the MkDocs plugin: wiring only, hands MkDocs the generated pages
        loading             a project's knowledge base (and its reviews, when enabled), loaded one way
                            for the site and the commands
        structure           the pages made as HTML as MkDocs pages: toc, ids, link checks
        pages               every generated page, from the modules below (pure)
        urls                the URL scheme: every page's path, and links between pages (the model
                            knows only ids)
        article_pages       articles and the items of the listings
        listing_pages       the listings: Articles index, all articles, by source, year, kind and tag
        overview_pages      the pages that route a reader: the home page's generated part, the Notes index
        note_pages          patterns, launches, lessons, failure injections, biases
        checklist_pages     the curated checklists
        status_pages        What's new and Sources
        start_here          the onboarding path's page
        markdown            the pieces the pages share: links between pages, escaping
        info                what the pages know of the site beyond the knowledge base
        wayfinding          each generated page in its section of the navigation: sidebar, tab, breadcrumb
        fragments           the theme's parts that pages side by side share, rendered once
        syndication         the site's RSS and JSON feeds
        search              Pagefind over the built site, in shards
        search_cache        the search index's cache: one bundle per shard, kept by content
        search_marks        what of each page search indexes, how it weighs, and each result's label
        accessibility       accessible names for the theme's markup
        csp                 every page's Content-Security-Policy, with the theme's script hashes
        media               the media store's images the site publishes (within its budget), and their URLs
        fillable            the guidance a review file quotes under each question (detail, pattern links)
        review_pages        the Reviews pages (only where enabled): every service, the action items
        review_service      a service's Reviews page: risks, how to improve, action items, history
        review_parts        the pieces the Reviews pages share: counts with their words, trend, action rows
        incident_pages      the Incidents pages (only where loaded): the list with its filter, the public library
        incident_page       an incident's page: facts, write-up, factors, items, timeline, questions and reviews
        incident_parts      times to detect and resolve, their trend, the open items month by month
        incident_sections   our incidents and reviews on the pattern, biases and checklist pages
        lens                a curated checklist as an AWS Well-Architected custom lens (export-lens)
        lens_check          the lens format's limits, checked with a message that says what to change
    cli                     the resilience-kb command's arguments and help (above the three stages)
    commands                what each command does: load mkdocs.yml, call one function of a stage,
                            print
    review_commands         the same for `review new`, `review check` and `checklist`
    incident_commands       the same for `incident new`, `incident check` and `incident import`
    config                  the plugin's options in mkdocs.yml, loading that file into one Project
    review_config           the `reviews` option in mkdocs.yml (enabled, folder, as_of), for config
    image_config            the `images` option in mkdocs.yml (local or remote, and the caps), for config
    sources                 the configured feeds and fetch options as plain data (no MkDocs)
    errors                  KBError: the base of every error a user can cause
    outputs                 where a command may write: never on the project's own data
    atomic                  file writes a reader, or a killed run, sees whole or not at all
    memory                  what a run keeps, set aside from full garbage collections (gc.freeze)
    yamlfile                reading a hand-edited YAML file, each error naming the file, line and fix
    text                    small text functions: slugs, whitespace, escaping feed text
    logs                    the command line's log output, one line per record in MkDocs' look
"""

__version__ = "0.1.0"
