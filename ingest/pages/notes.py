"""Pages of notes gathered across the archive: patterns, launches, biases, lessons, failure injections.

Each note links back to its article, to the very passage when it has one.
"""

from __future__ import annotations

from ..knowledge import Knowledge, PatternEntry
from ..text import escape_html, escape_markdown
from .articles import article_uri
from .markdown import Page, count, front_matter, link, quote

MAX_PASSAGES = 400  # per pattern page; the page says how many more there are


def render_note_pages(knowledge: Knowledge) -> list[Page]:
    pages = [render_patterns_index(knowledge)]
    pages += [render_pattern(entry, knowledge) for entry in knowledge.patterns]
    pages += render_launches(knowledge)
    pages += [render_biases(knowledge), render_lessons(knowledge), render_injections(knowledge)]
    return pages


def render_patterns_index(knowledge: Knowledge) -> Page:
    uri = "patterns/index.md"
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
        name = link(uri, f"patterns/{entry.pattern.id}.md", entry.pattern.name)
        definition = escape_markdown(entry.pattern.definition)
        lines.append(f"| {name} | {definition} | {len(entry.articles)} | {len(entry.mentions)} |")
    lines.append("")
    return Page(uri, "\n".join(lines), in_nav=True)


def render_pattern(entry: PatternEntry, knowledge: Knowledge) -> Page:
    pattern = entry.pattern
    uri = f"patterns/{pattern.id}.md"
    lines = [front_matter(title=pattern.name, description=pattern.definition), "",
             f"# {escape_markdown(pattern.name)}", "", quote(pattern.definition), ""]
    names = knowledge.vocabulary.pattern_by_id
    if pattern.related:
        related = ", ".join(link(uri, f"patterns/{r}.md", names[r].name) for r in pattern.related)
        lines += [f"**Related patterns:** {related}", ""]
    lines += [f"**Also written as:** {', '.join(escape_markdown(t) for t in pattern.terms)}", ""]
    if entry.questions:
        titles = {e.checklist.id: e.checklist.title for e in knowledge.curated}
        lines += [f"## Checklist questions ({len(entry.questions)})", ""]
        for checklist_id, item in entry.questions:
            target = link(uri, f"checklists/{checklist_id}.md", titles[checklist_id], item.id)
            lines.append(f"- “{escape_markdown(item.text)}” ({target})")
        lines.append("")
    if not entry.mentions:
        lines += ["No article in the archive mentions it yet.", ""]
        return Page(uri, "\n".join(lines))
    counts = {a: sum(1 for article_id, _ in entry.mentions if article_id == a) for a in entry.articles}
    lines += ["## Articles that discuss it most", ""]
    for number, article_id in enumerate(entry.articles[:10], start=1):
        article = knowledge.article(article_id)
        lines.append(f"{number}. {link(uri, article_uri(article_id), article.title)} — "
                     f"{count(counts[article_id], 'passage')}")
    lines += ["", f"## Passages ({len(entry.mentions)})", ""]
    current = None
    for article_id, mention in entry.mentions[:MAX_PASSAGES]:
        if article_id != current:
            current = article_id
            lines += [f"### {escape_markdown(knowledge.article(article_id).title)}", ""]
        target = link(uri, article_uri(article_id), "in context", mention.anchor)
        lines += [f"- “{escape_markdown(mention.text)}” ({target})"]
    if len(entry.mentions) > MAX_PASSAGES:
        lines += ["", f"… and {len(entry.mentions) - MAX_PASSAGES} more passages, in the articles above."]
    lines.append("")
    return Page(uri, "\n".join(lines))


def render_launches(knowledge: Knowledge) -> list[Page]:
    index = "launches/index.md"
    digests = knowledge.with_notes("launches")
    total = sum(len(launches) for _, launches in digests)
    lines = [front_matter(title="Launches"), "", "# Launches", ""]
    lines += [f"{count(total, 'launch', 'launches')} from {count(len(digests), 'digest')}. "
              "A headline launch has its own section in its digest; the others were listed.", ""]
    pages = []
    for article, launches in digests:
        uri = f"launches/{article.id}.md"
        lines += [f"## {link(index, uri, article.title)}", ""]
        for launch in launches:
            marker = "**headline**" if launch.notable else "listed"
            lines.append(f"- {_launch_title(index, launch)} — {marker}")
        lines.append("")
        pages.append(_digest_page(uri, article, launches))
    return [Page(index, "\n".join(lines), in_nav=True)] + pages


def _digest_page(uri: str, article, launches) -> Page:
    title = f"Launches in {article.title}"
    lines = [front_matter(title=title), "", f"# {escape_markdown(title)}", ""]
    lines += [f"From {link(uri, article_uri(article.id), article.title)}.", ""]
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
                         f"({link(uri, article_uri(article.id), 'in the digest', launch.anchor)})")
        lines.append("")
    return Page(uri, "\n".join(lines))


def _launch_title(from_uri: str, launch) -> str:
    if launch.url:
        return f'<a href="{escape_html(launch.url)}" rel="noopener noreferrer">{escape_markdown(launch.title)}</a>'
    return escape_markdown(launch.title)


def _launch_links(uri: str, article_id: str, launch) -> str:
    parts = [link(uri, article_uri(article_id), "in the digest", launch.anchor)]
    if launch.url:
        parts.insert(0, f'<a href="{escape_html(launch.url)}" rel="noopener noreferrer">the announcement</a>')
    return "Read " + " or ".join(parts) + "."


def render_biases(knowledge: Knowledge) -> Page:
    uri = "biases.md"
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
            sources = ", ".join(link(uri, article_uri(a), knowledge.article(a).title) for a in article_ids)
            lines += [quote(definition), ">", f"> — {sources}", ""]
        mentioned = ", ".join(link(uri, article_uri(a), knowledge.article(a).title, note.anchor)
                              for a, note in entry.notes)
        lines += [f"Named in: {mentioned}", ""]
    return Page(uri, "\n".join(lines), in_nav=True)


def render_lessons(knowledge: Knowledge) -> Page:
    uri = "lessons.md"
    lines = [front_matter(title="Lessons"), "", "# Lessons", ""]
    sources = knowledge.with_notes("lessons")
    lines += [f"{count(sum(len(l) for _, l in sources), 'numbered lesson')} from {count(len(sources), 'article')}, "
              "each with its key sentences in the author's words.", ""]
    for article, lessons in sources:
        lines += [f"## {escape_markdown(article.title)} {{ #{article.id} }}", ""]
        for lesson in lessons:
            lines += [f"### #{lesson.number} — {escape_markdown(lesson.title)}", ""]
            if lesson.summary:
                lines += [quote(lesson.summary), ""]
            lines += [link(uri, article_uri(article.id), "Read the lesson", lesson.anchor), ""]
    return Page(uri, "\n".join(lines), in_nav=True)


def render_injections(knowledge: Knowledge) -> Page:
    uri = "failure-injections.md"
    lines = [front_matter(title="Failure injections"), "", "# Failure injections", ""]
    sources = knowledge.with_notes("injections")
    lines += [f"{count(sum(len(i) for _, i in sources), 'failure injection')} catalogued in "
              f"{count(len(sources), 'article')}, and the chaos experiments the articles write up.", ""]
    for article, injections in sources:
        lines += [f"## {escape_markdown(article.title)} {{ #{article.id} }}", "",
                  "| Injection | What it does |", "|---|---|"]
        for item in injections:
            name = link(uri, article_uri(article.id), item.name, item.anchor)
            lines.append(f"| {name} | {escape_markdown(item.description or '—')} |")
        lines.append("")
    experiments = knowledge.with_notes("experiments")
    if experiments:
        lines += ["## Experiments", ""]
    for article, items in experiments:
        for experiment in items:
            lines += [f"### {escape_markdown(experiment.title)}", "",
                      f"From {link(uri, article_uri(article.id), article.title, experiment.anchor)}.", ""]
            for label, value in (("Hypothesis", experiment.hypothesis), ("Injection", experiment.injection),
                                 ("Load", experiment.load), ("Outcome", experiment.outcome)):
                if value:
                    lines += [f"**{label}:** {escape_markdown(value)}", ""]
    return Page(uri, "\n".join(lines), in_nav=True)

