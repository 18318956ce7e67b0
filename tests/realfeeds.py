"""The real-feed corpus measured against its hand labels (tests/expectations/real_feeds.yml).

Used by tests/test_real_feeds.py, and run as a script it prints DESIGN.md's table of real-world feeds:

    .venv/bin/python tests/realfeeds.py
"""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import yaml

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS.parent))

from ingest.archive.collect import FetchOptions, collect_source  # noqa: E402
from ingest.archive.store import Archive  # noqa: E402
from ingest.model.html.clean import plain_text  # noqa: E402
from ingest.model.load import load_knowledge  # noqa: E402

LABELS = TESTS / "expectations" / "real_feeds.yml"


@dataclass
class FeedMeasures:
    file: str
    held_out: bool
    entries: int = 0
    articles: int = 0
    body_kept: float = 1.0  # the smallest share, over the feed's articles, of the richest body text on the page
    mentions_true: int = 0
    mentions_right: list[str] = field(default_factory=list)  # "pattern: passage" of each found in its sense
    mentions_false: list[str] = field(default_factory=list)  # found in another sense, or not labelled
    mentions_missed: int = 0  # labelled true, not found
    labelled_true: int = 0  # passages labelled as naming a pattern in its sense
    labelled_false: int = 0  # passages labelled as using a pattern's term in another sense
    launches: int = 0
    launches_labelled: int = 0  # launches of the feed's labelled release notes and roundups
    launches_found: int = 0  # of those, the ones the notes list
    launches_missed: list[str] = field(default_factory=list)
    launches_unlabelled: list[str] = field(default_factory=list)  # listed where no launch is labelled
    kinds_right: int = 0
    kinds_wrong: list[str] = field(default_factory=list)
    languages_wrong: list[str] = field(default_factory=list)
    authors_wrong: list[str] = field(default_factory=list)

    @property
    def mentions_found(self) -> int:
        return self.mentions_true + len(self.mentions_false)

    @property
    def precision(self) -> float | None:
        return self.mentions_true / self.mentions_found if self.mentions_found else None

    @property
    def recall(self) -> float | None:
        return self.mentions_true / self.labelled_true if self.labelled_true else None


def labels() -> list[dict]:
    return yaml.safe_load(LABELS.read_text(encoding="utf-8"))["feeds"]


def measure_all(folder: Path) -> list[FeedMeasures]:
    """Ingest every labelled feed into a fresh archive in `folder` and measure each against its labels."""
    archive = Archive(folder / "archive")
    feeds = labels()
    names = {}
    for feed in feeds:
        report = collect_source(archive, str(TESTS / feed["file"]), [], FetchOptions())
        assert not report.failed, (feed["file"], report.error)
        names[feed["file"]] = report.feed
    knowledge, _ = load_knowledge(archive.root, cache=False)
    records = {record.id: record for record in [archive.read_entry(path) for path in archive.entry_paths()]}
    return [measure(feed, names[feed["file"]], knowledge, records) for feed in feeds]


def measure(feed: dict, name: str, knowledge, records) -> FeedMeasures:
    result = FeedMeasures(file=feed["file"], held_out=feed["held_out"], entries=feed["entries"])
    articles = [a for a in knowledge.articles if a.feed == name]
    result.articles = len(articles)
    labelled = [dict(m, used=False) for m in feed["mentions"]]
    launch_labels = feed.get("launches") or {}
    exceptions = feed.get("language_exceptions") or {}
    for article in articles:
        notes = knowledge.notes[article.id]
        kept = _body_kept(article, records[article.id].entry, feed.get("footer"))
        result.body_kept = min(result.body_kept, kept)
        result.launches += len(notes.launches)
        _grade_launches(result, article.title, launch_labels.get(article.title, []), notes.launches)
        kind = (feed.get("kinds") or {}).get(article.title, "article")
        if notes.kind == kind:
            result.kinds_right += 1
        else:
            result.kinds_wrong.append(f"{article.title}: {notes.kind}, not {kind}")
        allowed = exceptions.get(article.title, [feed["language"]])
        if article.language not in allowed or article.direction != feed["direction"]:
            result.languages_wrong.append(f"{article.title}: {article.language}/{article.direction}")
        if not _author_shown(article.author, feed["authors"]) or "@" in (article.author or ""):
            result.authors_wrong.append(f"{article.title}: {article.author!r}")
        for mention in notes.mentions:
            label = _label_for(labelled, mention.pattern, mention.text)
            if label is not None and label["sense"]:
                result.mentions_true += 1
                result.mentions_right.append(f"{mention.pattern}: {mention.text[:90]}")
            else:
                result.mentions_false.append(f"{mention.pattern}: {mention.text[:90]}")
    result.mentions_missed = sum(1 for m in labelled if m["sense"] and not m["used"])
    result.labelled_true = sum(1 for m in labelled if m["sense"])
    result.labelled_false = len(labelled) - result.labelled_true
    return result


def _author_shown(author: str | None, labelled: list[str]) -> bool:
    """The author is one of the labelled names, or a long list of them cut short with an ellipsis."""
    if not author:
        return not labelled or None in labelled  # null: some entries of the feed name no author
    return author in labelled or (author.endswith("…") and any(name.startswith(author[:-1]) for name in labelled))


def _grade_launches(result: FeedMeasures, title: str, expected: list[str], launches) -> None:
    """Each labelled launch is found when a launch of the article's notes is titled by it (or starts with it)."""
    found = [_launch_key(launch.title) for launch in launches]
    result.launches_labelled += len(expected)
    for name in expected:
        key = _launch_key(name)
        match = next((i for i, title_found in enumerate(found) if title_found.startswith(key)), None)
        if match is None:
            result.launches_missed.append(f"{title}: {name}")
        else:
            found.pop(match)
            result.launches_found += 1
    if not expected:
        result.launches_unlabelled.extend(f"{title}: {launch.title}" for launch in launches)


def _launch_key(title: str) -> str:
    return " ".join(title.split()).strip(" .:;—–-").casefold()


def _label_for(labelled: list[dict], pattern: str, passage: str) -> dict | None:
    passage = " ".join(passage.split())
    for label in labelled:
        if label["pattern"] == pattern and not label["used"] and passage.startswith(" ".join(label["text"].split())):
            label["used"] = True
            return label
    return None


def _body_kept(article, entry: dict, footer: str | None = None) -> float:
    """The share of the richest of the entry's bodies (by text) that the page shows.

    `footer` is a phrase of the feed's labels naming the paragraph its platform adds to every
    body ("appeared first on"); that paragraph is meant to leave the page and is not counted.
    """
    values = [c.get("value") for c in entry.get("content") or [] if isinstance(c, dict)] + [entry.get("summary")]
    bodies = [_without_footer(v, footer) if footer else v for v in values if isinstance(v, str)]
    richest = max((len(_words(plain_text(v))) for v in bodies), default=0)
    shown = len(_words(plain_text(article.body.html)))
    return min(1.0, shown / richest) if richest else 1.0


def _without_footer(html: str, phrase: str) -> str:
    """The body without the innermost paragraphs whose text holds `phrase`."""
    if phrase not in html:
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    blocks = [el for el in root.iter("p", "div") if el is not root and phrase in el.text_content()]
    for el in [b for b in blocks if not any(inner is not b and phrase in inner.text_content()
                                            for inner in b.iter("p", "div"))]:
        el.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def precision_by_pattern(results: list[FeedMeasures]) -> dict[str, tuple[int, int]]:
    """Per pattern id: (passages found in its sense, passages found), over the feeds given."""
    counts: dict[str, list[int]] = {}
    for r in results:
        for passage, right in [(p, 1) for p in r.mentions_right] + [(p, 0) for p in r.mentions_false]:
            pair = counts.setdefault(passage.split(":", 1)[0], [0, 0])
            pair[0] += right
            pair[1] += 1
    return {pattern: (right, found) for pattern, (right, found) in sorted(counts.items())}


def markdown_table(results: list[FeedMeasures]) -> str:
    rows = ["| feed | held out | articles | body kept (least) | pattern mentions (right / found) | precision |"
            " launches | kinds right | languages right | authors right |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        precision = f"{r.precision:.2f}" if r.precision is not None else "–"
        rows.append(f"| `{r.file.split('/')[-1]}` | {'yes' if r.held_out else 'no'} | {r.articles} | "
                    f"{r.body_kept:.0%} | {r.mentions_true} / {r.mentions_found} | {precision} | {r.launches} | "
                    f"{r.kinds_right}/{r.articles} | {r.articles - len(r.languages_wrong)}/{r.articles} | "
                    f"{r.articles - len(r.authors_wrong)}/{r.articles} |")
    for group, held in (("tuned on", False), ("held out", True)):
        part = [r for r in results if r.held_out == held]
        found = sum(r.mentions_found for r in part)
        right = sum(r.mentions_true for r in part)
        articles = sum(r.articles for r in part)
        kinds = sum(r.kinds_right for r in part)
        rows.append(f"| **all {group}** | | {articles} | {min(r.body_kept for r in part):.0%} | {right} / {found} | "
                    f"{right / found if found else 1:.2f} | {sum(r.launches for r in part)} | {kinds}/{articles} | "
                    f"{articles - sum(len(r.languages_wrong) for r in part)}/{articles} | "
                    f"{articles - sum(len(r.authors_wrong) for r in part)}/{articles} |")
    return "\n".join(rows)


README_START = "<!-- real-world table: made by `python tests/realfeeds.py --readme`, checked by tests/test_real_feeds.py -->"
README_END = "<!-- end of the real-world table -->"


def passages_table(results: list[FeedMeasures]) -> str:
    """README's table of pattern passages: per feed with a labelled or found passage, then overall."""
    rows = ["| feed | held out | passages labelled (pattern / other sense) | right / found | precision | recall |",
            "|---|---|---|---|---|---|"]

    def row(name: str, held: str, part: list[FeedMeasures]) -> str:
        true, false = sum(r.labelled_true for r in part), sum(r.labelled_false for r in part)
        right, found = sum(r.mentions_true for r in part), sum(r.mentions_found for r in part)
        precision = f"{right / found:.2f}" if found else "–"
        recall = f"{right / true:.2f}" if true else "–"
        return f"| {name} | {held} | {true + false} ({true} / {false}) | {right} / {found} | {precision} | {recall} |"

    for r in results:
        if r.labelled_true or r.labelled_false or r.mentions_found:
            rows.append(row(f"`{r.file.split('/')[-1]}`", "yes" if r.held_out else "no", [r]))
    quiet = [r for r in results if not (r.labelled_true or r.labelled_false or r.mentions_found)]
    rows.append(f"| {len(quiet)} other feeds (games, news, fiction, personal blogs …) | | 0 | 0 / 0 | – | – |")
    rows.append(row("**all tuned on**", "no", [r for r in results if not r.held_out]))
    rows.append(row("**all held out**", "yes", [r for r in results if r.held_out]))
    rows.append(row("**all**", "", results))
    return "\n".join(rows)


def readme_table(readme: str) -> str | None:
    """The real-world table as README.md has it, between its markers."""
    start, end = readme.find(README_START), readme.find(README_END)
    return readme[start + len(README_START):end].strip() if 0 <= start < end else None


def problems(results: list[FeedMeasures]) -> list[str]:
    """What the tuned-on feeds get wrong; of the held-out feeds only how many (they are never looked at)."""
    shown = [f"{r.file}: {problem}" for r in results if not r.held_out
             for problem in r.mentions_false + r.kinds_wrong + r.languages_wrong + r.authors_wrong]
    hidden = sum(len(r.mentions_false + r.kinds_wrong + r.languages_wrong + r.authors_wrong)
                 for r in results if r.held_out)
    return shown + ([f"held-out feeds: {hidden} problems (not shown)"] if hidden else [])


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as scratch:
        measured = measure_all(Path(scratch))
    if sys.argv[1:] == ["--readme"]:
        path = TESTS.parent / "README.md"
        text = path.read_text(encoding="utf-8")
        start, end = text.find(README_START), text.find(README_END)
        if not 0 <= start < end:
            raise SystemExit(f"{path}: no real-world table between its markers; add the two marker lines")
        text = text[:start + len(README_START)] + "\n" + passages_table(measured) + "\n" + text[end:]
        path.write_text(text, encoding="utf-8")
        print(passages_table(measured))
    else:
        print(markdown_table(measured))
    for problem in problems(measured):
        print(problem, file=sys.stderr)
