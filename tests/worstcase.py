"""Generated worst cases for each step of analysis: article HTML that makes a step work hardest per byte.

Each generator takes a size `n` and returns the body HTML of one article (or, for the
steps that work across articles, what that step reads). An attacker controls every
byte of a feed's HTML; these are the shapes that once made a step quadratic, or
could: long runs of lists, deep nesting, many headings alike, huge paragraphs, many
links, words without spaces, many bias-like items. tests/test_linear_analysis.py
feeds each at two sizes and checks that the time grows linearly; bench/worstcase.py
prints the times.
"""

from __future__ import annotations

import sys
import time
from typing import Callable

Generator = Callable[[int], str]


def consecutive_lists(n: int) -> str:
    """n one-item lists in a row under a label naming launches (the launch-label scan walked back over all)."""
    return "<p>Last week's launches:</p>" + "".join(
        f"<ul><li><a href='https://example.com/l/{i}'>Launch number {i}</a> does things</li></ul>" for i in range(n))


def nested_lists(n: int) -> str:
    """Lists nested 60 deep, again and again, each item leading with a link."""
    depth = 60
    one = "".join(f"<ul><li><a href='https://example.com/n/{i}'>Nested launch {i}</a> text" for i in range(depth)) \
        + "</li></ul>" * depth
    return "<h2>New launches</h2>" + one * max(1, n // depth)


def deep_nesting(n: int) -> str:
    """Elements nested n deep: the depth cut's pass."""
    return "<div>" * n + "<p>the deepest words</p>" + "</div>" * n


def deep_then_open_tags(n: int) -> str:
    """Deep enough to be cut, then tags that never close (a tag scan that looks for each '>' to the end)."""
    return "<div>" * 70 + "<b c " * n


def same_headings(n: int) -> str:
    """n headings with the same words: their anchors (section, section-2, …)."""
    return "".join(f"<h2>Introduction</h2><p>Words {i} here.</p>" for i in range(n))


def link_headings(n: int) -> str:
    """A digest: n headings that link to launches, each with a paragraph, and inline links to the same folder."""
    return "".join(
        f"<h3><a href='https://example.com/news/{i}'>Amazon thing {i} launches</a></h3>"
        f"<p>Amazon thing {i} launches today with support for many things you want "
        f"(<a href='https://example.com/news/x{i}'>read about thing {i}</a>).</p>" for i in range(n))


def short_sentences(n: int) -> str:
    """One paragraph of n short sentences naming patterns: each joined to the passage before it."""
    return "<p>" + " ".join(f"Retries help {i}. Use a circuit breaker." for i in range(n)) + "</p>"


def one_huge_sentence(n: int) -> str:
    """One sentence with n mentions of ambiguous and excluded terms (no sentence break)."""
    return "<p>We deploy services and the Monitor watches " + \
        " ".join("the Cell isolation monitor retry cache and timeout" for _ in range(n)) + "</p>"


def many_links(n: int) -> str:
    """One paragraph of n links, glued to the words around them."""
    return "<p>" + "".join(f"word<a href='https://example.com/p/{i}'>link {i}</a>glued" for i in range(n)) + "</p>"


def relative_links(n: int) -> str:
    """n relative links and images to resolve against the entry's link."""
    return "".join(f"<p><a href='../p/{i}?a=b#c'>link {i}</a> <img src='img/{i}.png' alt='x'></p>"
                   for i in range(n))


def long_word(n: int) -> str:
    """One word of n letters, no space, in a paragraph and a heading."""
    return f"<h2>{'b' * n}</h2><p>{'a' * n}</p>"


def bias_lists(n: int) -> str:
    """A list of n bias-like items, then n paragraphs naming known biases."""
    items = "".join(f"<li><strong>Name {i} bias</strong> — the tendency {i}</li>" for i in range(n))
    paragraphs = "".join(f"<p>Confirmation bias and the sunk cost fallacy {i}.</p>" for i in range(n))
    return f"<p>Cognitive biases:</p><ul>{items}</ul>{paragraphs}"


def lessons(n: int) -> str:
    """n numbered lessons, each with a few sentences."""
    return "".join(f"<h2>#{min(i + 1, 99)} — Invest in people {i}</h2><p>People are the key to this. "
                   f"Always invest in people {i}. It pays.</p>" for i in range(n))


def injections(n: int) -> str:
    """A catalogue of n failure injections, and a paragraph of n <br>-separated ones."""
    items = "".join(f"<li><strong>Fault {i}</strong>: injects latency {i}</li>" for i in range(n))
    lines = "<br>".join(f"Attack {i}: stops the host" for i in range(n))
    return f"<p>The fault injections available:</p><ul>{items}</ul><p>The attacks available:</p><p>{lines}</p>"


def experiments(n: int) -> str:
    """n experiment headings with labelled parts and no outcome heading (each looked for one to the end)."""
    return "".join(f"<h2>Experiment {i}</h2><ul><li><strong>Hypothesis</strong>: it holds {i}</li>"
                   f"<li><strong>Failure injection</strong>: kill {i}</li></ul>" for i in range(n))


def checklist(n: int) -> str:
    """A template of n sections of bold prompts."""
    return "".join(f"<h2>Section {i}</h2><p><strong>What is the SLA of service {i}?</strong></p>"
                   f"<p><strong>Who owns service {i}?</strong></p><ul><li>Item {i}</li></ul>" for i in range(n))


def prompt_lines(n: int) -> str:
    """An all-italic paragraph of n <br>-separated prompts, under a label heading."""
    return "<h2>Summary:</h2><p><em>" + "<br>".join(f"What happened {i}?" for i in range(n)) + "</em></p>"


def empty_elements(n: int) -> str:
    """n empty wrappers and comments, siblings and a little nested."""
    return "".join(f"<div><span> </span><!-- c {i} --><p><b></b></p></div>" for i in range(n)) + "<p>text</p>"


def mixed_scripts(n: int) -> str:
    """Text in several scripts: the language detection."""
    return "<p>" + " ".join(f"word слово كلمة 単語 {i}" for i in range(n)) + "</p>"


def blockquotes(n: int) -> str:
    """n quoted, emphasised paragraphs with bold leads."""
    return "".join(f"<blockquote><p><em><strong>Lead {i}</strong> rest of it</em></p></blockquote>"
                   for i in range(n))


def flat_comments(n: int) -> str:
    """n comments among the words of one paragraph (each removed from among thousands of siblings)."""
    return "<p>" + "".join(f"word {i}<!-- c -->" for i in range(n)) + "</p>"


def empty_links(n: int) -> str:
    """n links without an address (unwrapped) and n without text (removed), siblings in one paragraph."""
    return "<p>" + "".join(f"<a>text {i}</a> <a href='https://example.com/{i}'></a> " for i in range(n)) + "</p>"


def empty_headings(n: int) -> str:
    """n empty headings, each followed by words, siblings."""
    return "<div>" + "".join(f"<h2> </h2>words {i} " for i in range(n)) + "</div>"


def script_residue(n: int) -> str:
    """n lines of script left as text, <br>-separated in one element."""
    return "<div>" + "".join(f"// step {i}\ndocument.write({i})<br>" for i in range(n)) + "<p>kept</p></div>"


ARTICLE_CASES: dict[str, Generator] = {
    "consecutive lists": consecutive_lists,
    "nested lists": nested_lists,
    "deep nesting": deep_nesting,
    "deep then open tags": deep_then_open_tags,
    "same headings": same_headings,
    "link headings": link_headings,
    "short sentences": short_sentences,
    "one huge sentence": one_huge_sentence,
    "many links": many_links,
    "relative links": relative_links,
    "long word": long_word,
    "bias lists": bias_lists,
    "lessons": lessons,
    "injections": injections,
    "experiments": experiments,
    "checklist": checklist,
    "prompt lines": prompt_lines,
    "empty elements": empty_elements,
    "mixed scripts": mixed_scripts,
    "blockquotes": blockquotes,
    "flat comments": flat_comments,
    "empty links": empty_links,
    "empty headings": empty_headings,
    "script residue": script_residue,
}


def through_soup(generator: Generator) -> Generator:
    """The same case with a comment before the content: the cleaner's BeautifulSoup path takes it."""
    return lambda n: "<!-- a comment first -->" + generator(n)


def analysis_seconds(html: str, runs: int = 3) -> float:
    """The CPU seconds (the least of `runs`) to analyse one article of this body: cleaning, document, notes."""
    from ingest.archive.records import EntryRecord
    from ingest.model.articles import parse_article
    from ingest.model.extract.vocabulary import load_vocabulary
    from ingest.model.knowledge import article_notes

    vocabulary = load_vocabulary()
    record = EntryRecord(id="worst-case", key="urn:worst-case", feed="worst", first_seen="2024-01-01T00:00:00Z",
                         updated=None, content_hash="sha256:0", revisions=(),
                         entry={"title": "Worst case", "link": "https://example.com/a/worst-case",
                                "summary": html, "summary_detail": {"type": "text/html"}})
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        article, document = parse_article(record)
        article_notes(article, document, vocabulary)
        best = min(best, time.process_time() - start)
    return best


if __name__ == "__main__":  # python tests/worstcase.py [N]: each case's time at N and 4N, and the ratio
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    for name, generator in ARTICLE_CASES.items():
        small, large = analysis_seconds(generator(size)), analysis_seconds(generator(4 * size))
        print(f"{name:24} {small:8.3f} s {large:8.3f} s  x{large / max(small, 1e-9):5.1f}", flush=True)
