"""The pages that route a reader to the rest: the home page's generated part, and the Notes index.

The home page (docs/index.md, hand-written) holds a marker that the plugin
fills with `render_summary`: four routes for four kinds of reader (new here,
browse a pattern, run a review, what's new) as Material's grid cards, the
latest articles (not product launches, one per source), and what the archive
holds. It stays a short page at any size: counts and a few links, never a list
of everything.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from ingest.model.articles import Article
from ingest.model.history import last_changed
from ingest.model.knowledge import Knowledge
from ingest.site import urls
from ingest.site.article_pages import listing_item
from ingest.site.info import SiteInfo
from ingest.site.markdown import HTMLPage, Page, count, date, front_matter, link
from ingest.text import escape_markdown

LATEST = 5  # latest articles on the home page
TOP_PATTERNS = 5
NAMED_SOURCES = 6  # sources named by title on the home page; the rest are counted
LAUNCH_KINDS = frozenset({"digest"})  # kinds of article that list product launches


def render_summary(knowledge: Knowledge, info: SiteInfo, page_uri: str = urls.HOME) -> str:
    """The home page's generated Markdown: the routes, the latest articles, what the archive holds."""
    if not knowledge.articles:
        return "The archive is empty: run `resilience-kb fetch` to fill it.\n"
    titles = source_titles(knowledge, info)
    parts = [_routes(knowledge, info, titles, page_uri), _latest(knowledge, titles, page_uri),
             _holdings(knowledge, titles, page_uri)]
    return "\n".join(parts)


def source_titles(knowledge: Knowledge, info: SiteInfo) -> dict[str, str]:
    """Each source's title as its feed gives it (else its name in mkdocs.yml), the most articles first."""
    counts = Counter(article.feed for article in knowledge.articles)
    names = sorted(set(counts) | {f.name for f in info.feeds} | set(info.feed_states),
                   key=lambda name: (-counts[name], name))
    return {name: _title(name, info) for name in names}


def _title(name: str, info: SiteInfo) -> str:
    state = info.feed_states.get(name)
    return state.title.strip() if state and state.title and state.title.strip() else name


def _routes(knowledge: Knowledge, info: SiteInfo, titles: dict[str, str], here: str) -> str:
    """Four cards: new here, browse a pattern, run a review, what's new."""
    top = sorted((e for e in knowledge.patterns if e.articles),
                 key=lambda e: (-len(e.articles), e.pattern.name.casefold()))[:TOP_PATTERNS]
    patterns = (", ".join(f"{link(here, urls.pattern_path(e.pattern.id), e.pattern.name)} "
                          f"({count(len(e.articles), 'article')})" for e in top)
                if top else "No article names a pattern yet.")
    checklists = [link(here, urls.checklist_path(e.checklist.id), e.checklist.title) for e in knowledge.curated]
    review = (f"Before a launch or after an incident: {' or '.join(checklists)}. Fill one in on screen, "
              "download it as a review file, or print it for the meeting." if checklists
              else "No checklists yet: `resilience-kb init-checklists` makes them.")
    path = info.onboarding
    start = (f"{count(len(path.stops), 'stop')} from why systems fail to the patterns, experiments and reviews "
             "that keep them up." if path is not None and path.stops else "A reading path through the archive.")
    cards = [
        ("New here?", start, link(here, urls.START_HERE, "Start here")),
        ("Browse a pattern", f"Most written about: {patterns}.",
         link(here, urls.PATTERNS, f"All {count(len(knowledge.patterns), 'pattern')}")),
        ("Run a review", review, link(here, urls.CHECKLISTS, "All checklists")),
        ("What's new", _additions(knowledge, titles), link(here, urls.WHATS_NEW, "What's new")),
    ]
    # Material's grid cards (attr_list and md_in_html); rkb-routes sets them two a row (extra.css).
    lines = ["## Where to start", "", '<div class="grid cards rkb-routes" markdown>', ""]
    for title, text, more in cards:
        lines += [f"-   **{title}**", "", "    ---", "", f"    {text}", "", f"    {more} &rarr;", ""]
    return "\n".join(lines + ["</div>", ""])


def _additions(knowledge: Knowledge, titles: dict[str, str]) -> str:
    """The latest day articles arrived, and from which sources (the most first)."""
    day = max(a.first_seen[:10] for a in knowledge.articles)  # ISO dates: the latest sorts last
    arrived = Counter(a.feed for a in knowledge.articles if a.first_seen.startswith(day))
    ranked = sorted(arrived.items(), key=lambda item: (-item[1], item[0]))
    named = [f"{count(n, 'article') if i == 0 else f'{n:,}'} from {escape_markdown(titles.get(feed, feed))}"
             for i, (feed, n) in enumerate(ranked[:3])]
    rest = ranked[3:]
    more = f" and {sum(n for _, n in rest):,} from {count(len(rest), 'other source')}" if rest else ""
    when = date(datetime.fromisoformat(day))
    return f"Added on {when}: {', '.join(named)}{more}."


def _latest(knowledge: Knowledge, titles: dict[str, str], here: str) -> str:
    """The latest articles that are not launch digests, one per source while there are sources to go round."""
    launches = [a for a in knowledge.articles if _lists_launches(a, knowledge)]
    others = [a for a in knowledge.articles if not _lists_launches(a, knowledge)]
    chosen: list[Article] = []
    sources: set[str] = set()
    for article in others:
        if article.feed not in sources:
            chosen.append(article)
            sources.add(article.feed)
        if len(chosen) == LATEST:
            break
    for article in others:  # fewer sources than places: the next newest
        if len(chosen) >= LATEST:
            break
        if article not in chosen:
            chosen.append(article)
    chosen.sort(key=lambda a: a.sort_key, reverse=True)
    lines = ["## Latest articles", ""]
    several = len({a.feed for a in knowledge.articles}) > 1  # then each says where it is from
    lines += [listing_item(here, a) + (f" · {escape_markdown(titles.get(a.feed, a.feed))}" if several else "")
              for a in chosen]
    if launches:
        total = sum(len(knowledge.notes[a.id].launches) for a in launches)
        lines += ["", f"Product launches are gathered apart: {count(len(launches), 'launch digest')} "
                      f"with {count(total, 'launch', 'launches')}, the latest "
                      f"{link(here, urls.article_path(launches[0].id), launches[0].title)}"
                      f"{' (' + date(launches[0].published) + ')' if launches[0].published else ''}; "
                      f"see {link(here, urls.notes_index_path(urls.LAUNCH_NOTES), 'Launches')}."]
    lines += ["", f"More: {link(here, urls.ARTICLES, 'all articles')}, by kind and by year."]
    return "\n".join(lines) + "\n"


def _lists_launches(article: Article, knowledge: Knowledge) -> bool:
    notes = knowledge.notes[article.id]
    return notes.kind in LAUNCH_KINDS or bool(notes.launches)


def _holdings(knowledge: Knowledge, titles: dict[str, str], here: str) -> str:
    """Counts, the sources by title (a few, then how many more), the notes drawn from them."""
    articles = knowledge.articles
    dated = [a.published for a in articles if a.published]
    span = f", published {date(min(dated))} to {date(max(dated))}" if dated else ""
    named = [escape_markdown(t) for t in list(titles.values())[:NAMED_SOURCES]]
    if len(titles) > NAMED_SOURCES:
        named.append(f"{count(len(titles) - NAMED_SOURCES, 'more', 'more')}")
    sources = f"{', '.join(named[:-1])} and {named[-1]}" if len(named) > 1 else named[0]
    mentioned = sum(1 for entry in knowledge.patterns if entry.mentions)
    notes = [
        link(here, urls.PATTERNS, f"{mentioned} resilience patterns"),
        link(here, urls.notes_index_path(urls.LAUNCH_NOTES),
             count(sum(len(n) for _, n in knowledge.with_notes(lambda n: n.launches)), "launch", "launches")),
        link(here, urls.BIASES, count(len(knowledge.biases), "cognitive bias", "cognitive biases")),
        link(here, urls.notes_index_path(urls.LESSON_NOTES),
             count(sum(len(n) for _, n in knowledge.with_notes(lambda n: n.lessons)), "lesson")),
        link(here, urls.notes_index_path(urls.INJECTION_NOTES),
             count(sum(len(n) for _, n in knowledge.with_notes(lambda n: n.injections)), "failure injection")),
    ]
    return "\n".join([
        "## What is in it", "",
        f"The archive holds **{count(len(articles), 'article')}** from **{count(len(titles), 'source')}** "
        f"({sources}; see {link(here, urls.SOURCES, 'Sources')}){span}, with "
        f"{link(here, urls.TAGS, count(len(knowledge.tag_slugs), 'tag'))}. From them the knowledge base has "
        f"drawn {', '.join(notes[:-1])} and {notes[-1]}.", "",
        *_last_change(knowledge, here),
    ])


def _last_change(knowledge: Knowledge, here: str) -> list[str]:
    """When the archive last changed, with the ways to what changed and to each source's health."""
    changed = last_changed(knowledge.articles)
    if not changed:
        return []
    return [f"The archive last changed on {date(datetime.fromisoformat(changed.rstrip('Z')))} "
            f"({link(here, urls.WHATS_NEW, 'what changed')}; {link(here, urls.SOURCES, 'the state of each source')}).",
            ""]


def render_notes_index(knowledge: Knowledge, directory_urls: bool = True) -> Page:
    """The Notes section's index: each kind of note, what it is, and how many there are."""
    page = HTMLPage(urls.NOTES, directory_urls)
    page.heading(1, "Notes")
    page.paragraph("What the knowledge base draws out of the articles, gathered by kind. Each note links back to "
                   "the passage of the article it comes from.")
    launches = knowledge.with_notes(lambda n: n.launches)
    lessons = knowledge.with_notes(lambda n: n.lessons)
    injections = knowledge.with_notes(lambda n: n.injections)
    page.items([
        f"{page.a(urls.notes_index_path(urls.LAUNCH_NOTES), 'Launches')}: the product launches listed in "
        f"digests, {count(sum(len(n) for _, n in launches), 'launch', 'launches')} from "
        f"{count(len(launches), 'digest')}.",
        f"{page.a(urls.BIASES, 'Biases')}: the cognitive biases and heuristics articles name, "
        f"{count(len(knowledge.biases), 'bias', 'biases')}.",
        f"{page.a(urls.notes_index_path(urls.LESSON_NOTES), 'Lessons')}: numbered lessons in the author's words, "
        f"{count(sum(len(n) for _, n in lessons), 'lesson')} from {count(len(lessons), 'article')}.",
        f"{page.a(urls.notes_index_path(urls.INJECTION_NOTES), 'Failure injections')}: the faults articles inject "
        f"and the chaos experiments they write up, {count(sum(len(n) for _, n in injections), 'injection')} "
        f"from {count(len(injections), 'article')}.",
        f"{page.a(urls.PATTERNS, 'Patterns')} have their own tab: each pattern with the passages that discuss it.",
    ])
    return page.page(front_matter(title="Notes"), in_nav=True)
