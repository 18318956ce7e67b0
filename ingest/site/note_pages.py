"""Pages of notes gathered across the archive: patterns, launches, biases, lessons, failure injections.

Each note links back to its article, to the very passage when it has one.
"""

from __future__ import annotations

from urllib.parse import quote

from ingest.model.incident_index import IncidentIndex
from ingest.model.knowledge import Knowledge, PatternEntry
from ingest.text import escape_html, escape_markdown
from ingest.site.incident_sections import Rated, add_bias_incidents, add_pattern_sections, add_unlisted_biases
from ingest.site.markdown import HTMLPage, Page, count, front_matter
from ingest.site import urls

MAX_IN_PASSING = 30  # articles named as mentioning a pattern in passing; the page says how many more
MAX_NAMED_IN = 20  # articles listed under a bias
FULL_SOURCES = 5  # articles shown in full on an index of notes; older ones get a link
EARLIER_LINKS = 100


def render_note_pages(knowledge: Knowledge, directory_urls: bool = True, incidents: IncidentIndex | None = None,
                      rated: Rated | None = None) -> list[Page]:
    """With `incidents` and `rated` (each where enabled), the pattern pages show our incidents and reviews
    too, and the biases page our incidents."""
    pages = [render_patterns_index(knowledge, directory_urls)]
    pages += [render_pattern(entry, knowledge, directory_urls, incidents, rated) for entry in knowledge.patterns]
    pages += render_launches(knowledge, directory_urls)
    pages += [render_biases(knowledge, directory_urls, incidents), *render_lessons(knowledge, directory_urls),
              *render_injections(knowledge, directory_urls)]
    return pages


def render_patterns_index(knowledge: Knowledge, directory_urls: bool = True) -> Page:
    page = HTMLPage(urls.PATTERNS, directory_urls)
    page.heading(1, "Resilience patterns")
    mentioned = [e for e in knowledge.patterns if e.mentions]
    page.paragraph(
        f"The vocabulary has {count(len(knowledge.patterns), 'pattern')}; "
        f"{len(mentioned)} are mentioned in the archive. Each page quotes the best few passages of the "
        "articles that say most about the pattern, ranked, each linked to its place in the article.")
    # A list of terms, not a table: a definition keeps the width of the page on a phone.
    terms = []
    for entry in sorted(knowledge.patterns, key=lambda e: e.pattern.name.casefold()):
        quoted = sum(len(a.passages) for a in entry.quoted)
        found = (f"{count(len(entry.articles), 'article')}, {count(quoted, 'passage')} quoted"
                 if entry.mentions else "not mentioned yet")
        terms.append(f"<dt>{page.a(urls.pattern_path(entry.pattern.id), entry.pattern.name)} "
                     f'<span class="rkb-count">{found}</span></dt>\n<dd>{escape_markdown(entry.pattern.definition)}</dd>')
    page.html('<dl class="rkb-pattern-index">\n' + "\n".join(terms) + "\n</dl>")
    return page.page(front_matter(title="Resilience patterns"), in_nav=True)


def render_pattern(entry: PatternEntry, knowledge: Knowledge, directory_urls: bool = True,
                   incidents: IncidentIndex | None = None, rated: Rated | None = None) -> Page:
    pattern = entry.pattern
    page = HTMLPage(urls.pattern_path(pattern.id), directory_urls)
    page.heading(1, pattern.name)
    page.quote(pattern.definition)
    names = knowledge.vocabulary.pattern_by_id
    if pattern.related:
        related = ", ".join(page.a(urls.pattern_path(r), names[r].name) for r in pattern.related)
        page.paragraph(f"<strong>Related patterns:</strong> {related}")
    page.paragraph(f"<strong>Also written as:</strong> {', '.join(escape_markdown(t) for t in pattern.terms)}")
    if entry.questions:
        titles = {e.checklist.id: e.checklist.title for e in knowledge.curated}
        page.heading(2, ours=f"Checklist questions ({len(entry.questions)})")
        page.items([f"“{escape_markdown(item.text)}” "
                    f"({page.a(urls.checklist_path(checklist_id), titles[checklist_id], item.id)})"
                    for checklist_id, item in entry.questions])
    front = front_matter(title=pattern.name, description=pattern.definition)
    if not entry.mentions:
        page.paragraph("No article in the archive mentions it yet.")
    else:
        _quoted_passages(page, entry, knowledge)
    if incidents is not None or rated is not None:  # after the knowledge base's own content, never above it
        add_pattern_sections(page, entry, knowledge, incidents, rated or {})
    return page.page(front)


def _quoted_passages(page: HTMLPage, entry: PatternEntry, knowledge: Knowledge) -> None:
    """The articles that say most about the pattern, listed, then their best passages in the same order."""
    quoted = entry.quoted
    groups = [f"passages-{n}" for n in range(1, len(quoted) + 1)]
    if quoted:
        page.heading(2, ours="Articles that discuss it most")
        page.items([f"{page.a(urls.article_path(a.article), knowledge.article(a.article).title)} — "
                    f'<a href="#{group}">{count(len(a.passages), "passage")}</a>'
                    for a, group in zip(quoted, groups)], tag="ol")
        page.heading(2, ours="Passages")
    for article, group in zip(quoted, groups):
        page.heading(3, knowledge.article(article.article).title, id=group)
        page.items([f"“{escape_markdown(p.mention.text)}” ({_in_context(page, article.article, p.mention)})"
                    for p in article.passages])
    passing = entry.in_passing
    if passing:
        names = ", ".join(page.a(urls.article_path(a), knowledge.article(a).title, mention.anchor)
                          for a, mention in passing[:MAX_IN_PASSING])
        more = f", and {len(passing) - MAX_IN_PASSING} more" if len(passing) > MAX_IN_PASSING else ""
        page.paragraph(f"{'Also named' if quoted else 'Named'} in passing in {names}{more}.")


def _in_context(page: HTMLPage, article_id: str, mention) -> str:
    """A link to the passage's block, with a text fragment that has the browser mark the sentence itself."""
    to = urls.article_path(article_id)
    page.link.targets.append((to, mention.anchor))  # checked by the plugin like every other link
    url = urls.href(page.uri, to, page.link.directory_urls, mention.anchor)
    url += ("" if mention.anchor else "#") + text_fragment(mention.text)
    return f'<a class="rkb-in-context" href="{escape_html(url)}">in context</a>'


def text_fragment(text: str) -> str:
    """A text fragment directive (`:~:text=…`) naming the whole passage, which the browser scrolls to and
    marks; percent-encoded, "," and "-" included. Where the page's text differs, the browser goes to the block."""
    spoken = " ".join(text.split())
    return ":~:text=" + quote(spoken, safe="").replace("-", "%2D") if spoken else ""


def render_launches(knowledge: Knowledge, directory_urls: bool = True) -> list[Page]:
    digests = knowledge.with_notes(lambda n: n.launches)
    total = sum(len(launches) for _, launches in digests)
    intro = (f"{count(total, 'launch', 'launches')} from {count(len(digests), 'digest')}. "
             "A headline launch has its own section in its digest; the others were listed.")

    def section(page: HTMLPage, article, launches) -> None:
        page.paragraph(page.a(urls.article_path(article.id), article.title))
        page.items([f"{_launch_title(launch)} — {'<strong>headline</strong>' if launch.notable else 'listed'}"
                    for launch in launches])

    index = _source_index(urls.LAUNCH_NOTES, "Launches", intro, digests, section, directory_urls)
    return [index.page(front_matter(title="Launches"), in_nav=True)] + [
        _digest_page(urls.notes_path(urls.LAUNCH_NOTES, article.id), article, launches, directory_urls)
        for article, launches in digests]


def _source_index(base: str, title: str, intro: str, sources: list, section, directory_urls: bool) -> HTMLPage:
    """An index of notes gathered by article: the newest in full, the older as links to their own pages.

    Its size does not grow with the archive: at most FULL_SOURCES sections and
    EARLIER_LINKS links; the rest is reached through the articles' own pages.
    """
    page = HTMLPage(urls.notes_index_path(base), directory_urls)
    page.heading(1, title)
    page.paragraph(intro)
    for article, notes in sources[:FULL_SOURCES]:
        page.heading(2, article.title, id=article.id)
        section(page, article, notes)
    earlier = sources[FULL_SOURCES:]
    if earlier:
        page.heading(2, ours=f"Earlier ({len(earlier)})")
        page.items([f"{page.a(urls.notes_path(base, article.id), article.title)} ({len(notes)})"
                    for article, notes in earlier[:EARLIER_LINKS]])
        if len(earlier) > EARLIER_LINKS:
            page.paragraph(f"… and {len(earlier) - EARLIER_LINKS} more; each article's page links to its notes.")
    return page


def _source_pages(base: str, title: str, sources: list, section, directory_urls: bool) -> list[Page]:
    """One page per article with its notes of one kind."""
    pages = []
    for article, notes in sources:
        heading = f"{title} in {article.title}"
        page = HTMLPage(urls.notes_path(base, article.id), directory_urls)
        page.heading(1, heading)
        section(page, article, notes)
        # The article's own page is what search should find; this page would only echo it.
        pages.append(page.page(front_matter(title=heading, searchable=False)))
    return pages


def _digest_page(uri: str, article, launches, directory_urls: bool) -> Page:
    title = f"Launches in {article.title}"
    page = HTMLPage(uri, directory_urls)
    page.heading(1, title)
    page.paragraph(f"From {page.a(urls.article_path(article.id), article.title)}.")
    headline = [launch for launch in launches if launch.notable]
    listed = [launch for launch in launches if not launch.notable]
    if headline:
        page.heading(2, ours="Headline launches")
        for launch in headline:
            page.heading(3, launch.title)
            if launch.summary:
                page.quote(launch.summary)
            page.paragraph(_launch_links(page, article.id, launch))
    if listed:
        page.heading(2, ours="Also launched")
        page.items([f"{_launch_title(launch)}{f': {escape_markdown(launch.summary)}' if launch.summary else ''} "
                    f"({page.a(urls.article_path(article.id), 'in the digest', launch.anchor)})"
                    for launch in listed])
    return page.page(front_matter(title=title))


def _launch_title(launch) -> str:
    if launch.url:
        return f'<a href="{escape_html(launch.url)}" rel="noopener noreferrer">{escape_markdown(launch.title)}</a>'
    return escape_markdown(launch.title)


def _launch_links(page: HTMLPage, article_id: str, launch) -> str:
    parts = [page.a(urls.article_path(article_id), "in the digest", launch.anchor)]
    if launch.url:
        parts.insert(0, f'<a href="{escape_html(launch.url)}" rel="noopener noreferrer">the announcement</a>')
    return "Read " + " or ".join(parts) + "."


def render_biases(knowledge: Knowledge, directory_urls: bool = True, incidents: IncidentIndex | None = None) -> Page:
    page = HTMLPage(urls.BIASES, directory_urls)
    page.heading(1, "Cognitive biases and heuristics")
    page.paragraph(f"{count(len(knowledge.biases), 'bias', 'biases')} named in "
                   f"{count(len({a for b in knowledge.biases for a in b.articles}), 'article')}. "
                   "Each has a short definition in our words; where articles define it, their words follow, "
                   "each article named once.")
    for entry in knowledge.biases:
        page.heading(2, entry.name, id=entry.id)
        if entry.meaning:
            page.paragraph(escape_markdown(entry.meaning))
        _bias_sources(page, entry, knowledge)
        if incidents is not None:
            add_bias_incidents(page, entry.id, incidents)
    if incidents is not None:
        add_unlisted_biases(page, knowledge, incidents)
    return page.page(front_matter(title="Cognitive biases and heuristics"), in_nav=True)


def _bias_sources(page: HTMLPage, entry, knowledge: Knowledge) -> None:
    """The articles naming a bias, each once: under the definition it gives, or among those that only name it."""
    def source(article_id: str, note) -> str:
        return page.a(urls.article_path(article_id), knowledge.article(article_id).title, note.anchor)

    shown = entry.notes[:MAX_NAMED_IN]
    definitions: dict[str, list[str]] = {}
    for article_id, note in shown:
        if note.definition:
            definitions.setdefault(note.definition, []).append(source(article_id, note))
    quoted = []  # one blockquote: Markdown joins quotes that follow each other
    for definition, sources in definitions.items():
        quoted += [f"“{escape_markdown(definition)}”", f"— {', '.join(sources)}"]
    if quoted:
        page.quotes(quoted)
    named = [source(article_id, note) for article_id, note in shown if not note.definition]
    if len(entry.notes) > MAX_NAMED_IN:
        named.append(count(len(entry.notes) - MAX_NAMED_IN, "more article"))
    if named:
        page.paragraph(f"{'Also named in' if quoted else 'Named in'}: {', '.join(named)}")


def render_lessons(knowledge: Knowledge, directory_urls: bool = True) -> list[Page]:
    sources = knowledge.with_notes(lambda n: n.lessons)
    intro = (f"{count(sum(len(l) for _, l in sources), 'numbered lesson')} from {count(len(sources), 'article')}, "
             "each with its key sentences in the author's words.")

    def section(page: HTMLPage, article, lessons) -> None:
        for lesson in lessons:
            page.heading(3, lesson.title, ours=f"#{lesson.number} — ")
            if lesson.summary:
                page.quote(lesson.summary)
            page.paragraph(page.a(urls.article_path(article.id), "Read the lesson", lesson.anchor))

    index = _source_index(urls.LESSON_NOTES, "Lessons", intro, sources, section, directory_urls)
    return ([index.page(front_matter(title="Lessons"), in_nav=True)]
            + _source_pages(urls.LESSON_NOTES, "Lessons", sources, section, directory_urls))


def render_injections(knowledge: Knowledge, directory_urls: bool = True) -> list[Page]:
    sources = knowledge.with_notes(lambda n: n.injections)
    experiments = {article.id: items for article, items in knowledge.with_notes(lambda n: n.experiments)}
    intro = (f"{count(sum(len(i) for _, i in sources), 'failure injection')} catalogued in "
             f"{count(len(sources), 'article')}, and the chaos experiments the articles write up.")

    def section(page: HTMLPage, article, injections) -> None:
        page.table(["Injection", "What it does"],
                   [[page.a(urls.article_path(article.id), item.name, item.anchor),
                     escape_markdown(item.description or "—")] for item in injections])
        for experiment in experiments.get(article.id, ()):
            _experiment(page, article, experiment)

    index = _source_index(urls.INJECTION_NOTES, "Failure injections", intro, sources, section, directory_urls)
    # Experiments written up in articles without a catalogue go on the index too.
    alone = [(a, items) for a, items in knowledge.with_notes(lambda n: n.experiments) if a.id not in {s.id for s, _ in sources}]
    if alone:
        index.heading(2, ours="Experiments")
        for article, items in alone[:FULL_SOURCES]:
            for experiment in items:
                _experiment(index, article, experiment)
    return ([index.page(front_matter(title="Failure injections"), in_nav=True)]
            + _source_pages(urls.INJECTION_NOTES, "Failure injections", sources, section, directory_urls))


def _experiment(page: HTMLPage, article, experiment) -> None:
    page.heading(3, experiment.title, ours="Experiment: ")
    page.paragraph(f"From {page.a(urls.article_path(article.id), article.title, experiment.anchor)}.")
    for label, value in (("Hypothesis", experiment.hypothesis), ("Injection", experiment.injection),
                         ("Load", experiment.load), ("Outcome", experiment.outcome)):
        if value:
            page.paragraph(f"<strong>{label}:</strong> {escape_markdown(value)}")
