"""Pages of notes gathered across the archive: patterns, launches, biases, lessons, failure injections.

Each note links back to its article, to the very passage when it has one.
"""

from __future__ import annotations

from collections import Counter

from ingest.model.knowledge import Knowledge, PatternEntry
from ingest.text import escape_html, escape_markdown
from ingest.site.markdown import Page, count, front_matter, link, quote
from ingest.site import urls

MAX_PASSAGES = 100  # per pattern page; the page says how many more there are
MAX_NAMED_IN = 20  # articles listed under a bias
FULL_SOURCES = 5  # articles shown in full on an index of notes; older ones get a link
EARLIER_LINKS = 100


def render_note_pages(knowledge: Knowledge) -> list[Page]:
    pages = [render_patterns_index(knowledge)]
    pages += [render_pattern(entry, knowledge) for entry in knowledge.patterns]
    pages += render_launches(knowledge)
    pages += [render_biases(knowledge), *render_lessons(knowledge), *render_injections(knowledge)]
    return pages


def render_patterns_index(knowledge: Knowledge) -> Page:
    uri = urls.PATTERNS
    lines = [front_matter(title="Resilience patterns"), "", "# Resilience patterns", ""]
    mentioned = [e for e in knowledge.patterns if e.mentions]
    lines += [
        f"The vocabulary has {count(len(knowledge.patterns), 'pattern')}; "
        f"{len(mentioned)} are mentioned in the archive. Each page quotes every passage that names the "
        "pattern and links to the place in the article.",
        "",
        "| Pattern | What it is | Articles | Passages |",
        "|---|---|---:|---:|",
    ]
    for entry in sorted(knowledge.patterns, key=lambda e: e.pattern.name.casefold()):
        name = link(uri, urls.pattern_path(entry.pattern.id), entry.pattern.name)
        definition = escape_markdown(entry.pattern.definition)
        lines.append(f"| {name} | {definition} | {len(entry.articles)} | {len(entry.mentions)} |")
    lines.append("")
    return Page(uri, "\n".join(lines), in_nav=True)


def render_pattern(entry: PatternEntry, knowledge: Knowledge) -> Page:
    pattern = entry.pattern
    uri = urls.pattern_path(pattern.id)
    lines = [front_matter(title=pattern.name, description=pattern.definition), "",
             f"# {escape_markdown(pattern.name)}", "", quote(pattern.definition), ""]
    names = knowledge.vocabulary.pattern_by_id
    if pattern.related:
        related = ", ".join(link(uri, urls.pattern_path(r), names[r].name) for r in pattern.related)
        lines += [f"**Related patterns:** {related}", ""]
    lines += [f"**Also written as:** {', '.join(escape_markdown(t) for t in pattern.terms)}", ""]
    if entry.questions:
        titles = {e.checklist.id: e.checklist.title for e in knowledge.curated}
        lines += [f"## Checklist questions ({len(entry.questions)})", ""]
        for checklist_id, item in entry.questions:
            target = link(uri, urls.checklist_path(checklist_id), titles[checklist_id], item.id)
            lines.append(f"- “{escape_markdown(item.text)}” ({target})")
        lines.append("")
    if not entry.mentions:
        lines += ["No article in the archive mentions it yet.", ""]
        return Page(uri, "\n".join(lines))
    counts = Counter(article_id for article_id, _ in entry.mentions)
    lines += ["## Articles that discuss it most", ""]
    for number, article_id in enumerate(entry.articles[:10], start=1):
        article = knowledge.article(article_id)
        lines.append(f"{number}. {link(uri, urls.article_path(article_id), article.title)} — "
                     f"{count(counts[article_id], 'passage')}")
    lines += ["", f"## Passages ({len(entry.mentions)})", ""]
    current = None
    for article_id, mention in entry.mentions[:MAX_PASSAGES]:
        if article_id != current:
            current = article_id
            lines += [f"### {escape_markdown(knowledge.article(article_id).title)}", ""]
        target = link(uri, urls.article_path(article_id), "in context", mention.anchor)
        lines += [f"- “{escape_markdown(mention.text)}” ({target})"]
    if len(entry.mentions) > MAX_PASSAGES:
        lines += ["", f"… and {len(entry.mentions) - MAX_PASSAGES} more passages, in the articles above."]
    lines.append("")
    return Page(uri, "\n".join(lines))


def render_launches(knowledge: Knowledge) -> list[Page]:
    digests = knowledge.with_notes(lambda n: n.launches)
    total = sum(len(launches) for _, launches in digests)
    intro = (f"{count(total, 'launch', 'launches')} from {count(len(digests), 'digest')}. "
             "A headline launch has its own section in its digest; the others were listed.")

    def section(uri: str, article, launches) -> list[str]:
        lines = [link(uri, urls.article_path(article.id), article.title), ""]
        for launch in launches:
            marker = "**headline**" if launch.notable else "listed"
            lines.append(f"- {_launch_title(uri, launch)} — {marker}")
        return lines + [""]

    index = _source_index(urls.LAUNCH_NOTES, "Launches", intro, digests, section, knowledge)
    return [index] + [_digest_page(urls.notes_path(urls.LAUNCH_NOTES, article.id), article, launches) for article, launches in digests]


def _source_index(base: str, title: str, intro: str, sources: list, section, knowledge: Knowledge) -> Page:
    """An index of notes gathered by article: the newest in full, the older as links to their own pages.

    Its size does not grow with the archive: at most FULL_SOURCES sections and
    EARLIER_LINKS links; the rest is reached through the articles' own pages.
    """
    uri = urls.notes_index_path(base)
    lines = [front_matter(title=title), "", f"# {escape_markdown(title)}", "", intro, ""]
    for article, notes in sources[:FULL_SOURCES]:
        lines += [f"## {escape_markdown(article.title)} {{ #{article.id} }}", ""] + section(uri, article, notes)
    earlier = sources[FULL_SOURCES:]
    if earlier:
        lines += [f"## Earlier ({len(earlier)})", ""]
        lines += [f"- {link(uri, urls.notes_path(base, article.id), article.title)} ({len(notes)})"
                  for article, notes in earlier[:EARLIER_LINKS]]
        if len(earlier) > EARLIER_LINKS:
            lines += ["", f"… and {len(earlier) - EARLIER_LINKS} more; each article's page links to its notes."]
        lines.append("")
    return Page(uri, "\n".join(lines), in_nav=True)


def _source_pages(base: str, title: str, sources: list, section) -> list[Page]:
    """One page per article with its notes of one kind."""
    pages = []
    for article, notes in sources:
        uri = urls.notes_path(base, article.id)
        heading = f"{title} in {article.title}"
        # The article's own page is what search should find; this page would only echo it.
        lines = [front_matter(title=heading, searchable=False), "", f"# {escape_markdown(heading)}", ""]
        pages.append(Page(uri, "\n".join(lines + section(uri, article, notes))))
    return pages


def _digest_page(uri: str, article, launches) -> Page:
    title = f"Launches in {article.title}"
    lines = [front_matter(title=title), "", f"# {escape_markdown(title)}", ""]
    lines += [f"From {link(uri, urls.article_path(article.id), article.title)}.", ""]
    headline = [launch for launch in launches if launch.notable]
    listed = [launch for launch in launches if not launch.notable]
    if headline:
        lines += ["## Headline launches", ""]
        for launch in headline:
            lines += [f"### {escape_markdown(launch.title)}", ""]
            if launch.summary:
                lines += [quote(launch.summary), ""]
            lines += [_launch_links(uri, article.id, launch), ""]
    if listed:
        lines += ["## Also launched", ""]
        for launch in listed:
            summary = f": {escape_markdown(launch.summary)}" if launch.summary else ""
            lines.append(f"- {_launch_title(uri, launch)}{summary} "
                         f"({link(uri, urls.article_path(article.id), 'in the digest', launch.anchor)})")
        lines.append("")
    return Page(uri, "\n".join(lines))


def _launch_title(from_uri: str, launch) -> str:
    if launch.url:
        return f'<a href="{escape_html(launch.url)}" rel="noopener noreferrer">{escape_markdown(launch.title)}</a>'
    return escape_markdown(launch.title)


def _launch_links(uri: str, article_id: str, launch) -> str:
    parts = [link(uri, urls.article_path(article_id), "in the digest", launch.anchor)]
    if launch.url:
        parts.insert(0, f'<a href="{escape_html(launch.url)}" rel="noopener noreferrer">the announcement</a>')
    return "Read " + " or ".join(parts) + "."


def render_biases(knowledge: Knowledge) -> Page:
    uri = urls.BIASES
    lines = [front_matter(title="Cognitive biases and heuristics"), "", "# Cognitive biases and heuristics", ""]
    lines += [f"{count(len(knowledge.biases), 'bias', 'biases')} named in "
              f"{count(len({a for b in knowledge.biases for a in b.articles}), 'article')}. "
              "Where two articles name the same bias, it appears once with both.", ""]
    for entry in knowledge.biases:
        lines += [f"## {escape_markdown(entry.name)} {{ #{entry.id} }}", ""]
        definitions: dict[str, list[str]] = {}
        for article_id, note in entry.notes:
            if note.definition:
                definitions.setdefault(note.definition, []).append(article_id)
        for definition, article_ids in definitions.items():
            sources = ", ".join(link(uri, urls.article_path(a), knowledge.article(a).title) for a in article_ids[:5])
            more = f", and {len(article_ids) - 5} more" if len(article_ids) > 5 else ""
            lines += [quote(definition), ">", f"> — {sources}{more}", ""]
        mentioned = ", ".join(link(uri, urls.article_path(a), knowledge.article(a).title, note.anchor)
                              for a, note in entry.notes[:MAX_NAMED_IN])
        more = f", and {len(entry.notes) - MAX_NAMED_IN} more articles" if len(entry.notes) > MAX_NAMED_IN else ""
        lines += [f"Named in: {mentioned}{more}", ""]
    return Page(uri, "\n".join(lines), in_nav=True)


def render_lessons(knowledge: Knowledge) -> list[Page]:
    sources = knowledge.with_notes(lambda n: n.lessons)
    intro = (f"{count(sum(len(l) for _, l in sources), 'numbered lesson')} from {count(len(sources), 'article')}, "
             "each with its key sentences in the author's words.")

    def section(uri: str, article, lessons) -> list[str]:
        lines = []
        for lesson in lessons:
            lines += [f"### #{lesson.number} — {escape_markdown(lesson.title)}", ""]
            if lesson.summary:
                lines += [quote(lesson.summary), ""]
            lines += [link(uri, urls.article_path(article.id), "Read the lesson", lesson.anchor), ""]
        return lines

    return ([_source_index(urls.LESSON_NOTES, "Lessons", intro, sources, section, knowledge)]
            + _source_pages(urls.LESSON_NOTES, "Lessons", sources, section))


def render_injections(knowledge: Knowledge) -> list[Page]:
    sources = knowledge.with_notes(lambda n: n.injections)
    experiments = {article.id: items for article, items in knowledge.with_notes(lambda n: n.experiments)}
    intro = (f"{count(sum(len(i) for _, i in sources), 'failure injection')} catalogued in "
             f"{count(len(sources), 'article')}, and the chaos experiments the articles write up.")

    def section(uri: str, article, injections) -> list[str]:
        lines = ["| Injection | What it does |", "|---|---|"]
        for item in injections:
            name = link(uri, urls.article_path(article.id), item.name, item.anchor)
            lines.append(f"| {name} | {escape_markdown(item.description or '—')} |")
        lines.append("")
        for experiment in experiments.get(article.id, ()):
            lines += _experiment(uri, article, experiment)
        return lines

    pages = [_source_index(urls.INJECTION_NOTES, "Failure injections", intro, sources, section, knowledge)]
    pages += _source_pages(urls.INJECTION_NOTES, "Failure injections", sources, section)
    # Experiments written up in articles without a catalogue go on the index too.
    alone = [(a, items) for a, items in knowledge.with_notes(lambda n: n.experiments) if a.id not in {s.id for s, _ in sources}]
    if alone:
        index = pages[0]
        extra = ["## Experiments", ""]
        for article, items in alone[:FULL_SOURCES]:
            for experiment in items:
                extra += _experiment(index.src_uri, article, experiment)
        pages[0] = Page(index.src_uri, index.markdown + "\n".join(extra) + "\n", in_nav=True)
    return pages


def _experiment(uri: str, article, experiment) -> list[str]:
    lines = [f"### Experiment: {escape_markdown(experiment.title)}", "",
             f"From {link(uri, urls.article_path(article.id), article.title, experiment.anchor)}.", ""]
    for label, value in (("Hypothesis", experiment.hypothesis), ("Injection", experiment.injection),
                         ("Load", experiment.load), ("Outcome", experiment.outcome)):
        if value:
            lines += [f"**{label}:** {escape_markdown(value)}", ""]
    return lines
