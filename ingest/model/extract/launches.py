"""Launches in a digest of product launches.

Five shapes, all found by structure:
- a headline launch has its own heading, at the level where the digest's
  headings link to launches; its summary is the paragraph under it that opens
  with the launch (shares the most words with its title, early on);
- a listed launch is an item of a list made of links ("Other noticeable launches");
- an inline launch is a link in running text to the same kind of page as the
  other launches (the URL folder most launches share);
- a labelled launch is an item that leads with a link, in a list under a heading,
  bold line or label naming launches ("Last week's launches", "What's new"): the
  shape of weekly roundups, which have no launch headings at all;
- a feature of release notes has its own heading, with or without a link
  (releases.py), or is an item of a list of highlights or changes (changes.py).
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from ingest.model.html.document import Block, Document
from ingest.model.extract.notes import Launch
from ingest.model.extract.changes import change_launches
from ingest.model.extract.releases import release_launches
from ingest.model.extract.vocabulary import Vocabulary
from ingest.model.extract.shapes import is_link_item, launch_items, leads_with_link, main_link, subtitle
from ingest.model.extract.words import content_words, sentences, word_count

MIN_SUMMARY_WORDS = 8


def extract_launches(document: Document, vocabulary: Vocabulary) -> list[Launch]:
    launches = _headed_launches(document) or _release_launches(document)
    known = {launch.url for launch in launches}
    for block in launch_items(document):
        link = leads_with_link(block)
        if link.href in known:  # already found as a listed launch of a digest with launch headings
            continue
        known.add(link.href)
        extra = block.text[block.text.find(link.text) + len(link.text):].strip(" —–-:,.")
        launches.append(Launch(title=link.text, url=link.href, summary=extra or None, notable=False,
                               anchor=block.anchor))
    return launches


def _release_launches(document: Document) -> list[Launch]:
    """Release notes' feature headings, then the new features of their lists (changes.py)."""
    launches = release_launches(document)
    titles = {launch.title.casefold() for launch in launches}
    return launches + [launch for launch in change_launches(document) if launch.title.casefold() not in titles]


def _headed_launches(document: Document) -> list[Launch]:
    """The launches of a digest whose launches have headings, with its listed and inline ones."""
    level = _launch_level(document)
    if level is None:
        return []
    launches: list[Launch] = []
    top = subtitle(document)
    lists = document.lists()
    listed_ids = {list_id for list_id, items in lists.items()
                  if sum(map(is_link_item, items)) >= max(1, len(items) * 0.6)}
    for block in document.blocks:
        if block.kind == "heading" and block.level == level and block is not top and not block.is_question:
            if _heads_a_link_list(document, block, listed_ids):
                continue
            link = main_link(block)
            launches.append(Launch(title=block.text, url=link.href if link else None,
                                   summary=_summary(document, block), notable=True, anchor=block.anchor))
        elif block.kind == "item" and block.list_id in listed_ids and is_link_item(block):
            link = main_link(block, 0.7)
            extra = block.text.replace(link.text, "", 1).strip(" —–-:,.")
            launches.append(Launch(title=link.text, url=link.href, summary=extra or None, notable=False,
                                   anchor=block.anchor))
    return launches + _inline_launches(document, launches)


def _launch_level(document: Document) -> int | None:
    """The heading level at which headings link to launches; None if fewer than three do."""
    top = subtitle(document)
    levels = Counter(h.level for h in document.headings() if h is not top and main_link(h) is not None)
    if not levels or sum(levels.values()) < 3:
        return None
    return levels.most_common(1)[0][0]


def _heads_a_link_list(document: Document, heading: Block, listed_ids: set[int]) -> bool:
    """A heading such as "Other noticeable launches", whose section is a list of links."""
    if main_link(heading) is not None:
        return False
    body = [b for b in document.under(heading) if b.kind != "heading"]
    return bool(body) and all(b.kind == "item" and b.list_id in listed_ids for b in body if b.kind == "item") \
        and any(b.kind == "item" for b in body) and not any(b.kind == "paragraph" and word_count(b.text) > 12
                                                            for b in body)


def _summary(document: Document, heading: Block) -> str | None:
    """The article's own paragraph about the launch."""
    paragraphs = []
    for block in document.under(heading):
        if block.kind == "heading":
            break
        if block.kind == "paragraph" and word_count(block.text) >= MIN_SUMMARY_WORDS and main_link(block, 0.9) is None:
            paragraphs.append(block)
    if not paragraphs:
        return None
    # The paragraph that describes the launch opens with it: "Amazon Serverless Aurora is …",
    # "And now, Amazon EKS supports …". An aside names it later, if at all ("No secrets
    # here — I love Amazon Aurora"). So the words of the title count in the first sentence,
    # and twice in its first six words. Ties go to the first paragraph.
    title_words = content_words(heading.text)
    scores = []
    for paragraph in paragraphs:
        first = sentences(paragraph.text)[0]
        opening = " ".join(first.split()[:6])
        scores.append(len(title_words & content_words(first)) + 2 * len(title_words & content_words(opening)))
    best = max(range(len(paragraphs)), key=lambda i: (scores[i], -i))
    return paragraphs[best].text if scores[best] >= 2 else paragraphs[0].text


def _inline_launches(document: Document, found: list[Launch]) -> list[Launch]:
    """Links in running text to the folder that most launch URLs share, not already listed."""
    folder = _common_folder([launch.url for launch in found if launch.url])
    if folder is None:
        return []
    known = {launch.url for launch in found}
    best: dict[str, tuple[str, Block]] = {}
    for block in document.blocks:
        if block.kind != "paragraph":
            continue
        for link in block.links:
            if link.href in known or _folder(link.href) != folder or word_count(link.text) < 2:
                continue
            if link.href not in best or len(link.text) > len(best[link.href][0]):
                best[link.href] = (link.text, best.get(link.href, (None, block))[1])
    return [Launch(title=text, url=url, summary=block.text if word_count(block.text) >= MIN_SUMMARY_WORDS else None,
                   notable=False, anchor=block.anchor) for url, (text, block) in best.items()]


def _common_folder(urls: list[str]) -> str | None:
    """The URL folder (host and path without its last segment) shared by most launch URLs."""
    folders = Counter(_folder(url) for url in urls)
    if not folders:
        return None
    folder, count = folders.most_common(1)[0]
    return folder if count >= 3 and count >= len(urls) / 2 else None


def _folder(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    return f"{parts.hostname}{path.rsplit('/', 1)[0]}"
