"""The project's documents link to each other, and every link lands: the file exists, and so does the heading.

README.md is for users, DESIGN.md says how it works, CONTRIBUTING.md is for
developers; each moved section is reached by a link, so a renamed heading or
file must fail here rather than leave a reader at a dead end.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ("README.md", "DESIGN.md", "CONTRIBUTING.md")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
LINK = re.compile(r"\]\(([^)\s]+)\)")


def heading_anchors(text: str) -> set[str]:
    """The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#{1,6} (.+)$", FENCE.sub("", text), re.M)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def dead_links(root: Path, names: tuple[str, ...]) -> list[str]:
    """'document: target' for every relative link whose file or heading is not there."""
    dead = []
    for name in names:
        for target in LINK.findall(FENCE.sub("", (root / name).read_text(encoding="utf-8"))):
            if re.match(r"[a-z]+:", target):
                continue  # https:, mailto:: not ours to check offline
            path, _, anchor = target.partition("#")
            linked = root / (path or name)
            if not linked.exists():
                dead.append(f"{name}: {target}")
            elif anchor and linked.suffix == ".md" and anchor not in heading_anchors(linked.read_text(encoding="utf-8")):
                dead.append(f"{name}: {target}")
    return dead


def test_every_link_between_the_documents_lands():
    assert dead_links(ROOT, DOCUMENTS) == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_document_links_to_the_others(name):
    targets = {target.partition("#")[0] for target in LINK.findall((ROOT / name).read_text(encoding="utf-8"))}
    assert set(DOCUMENTS) - {name} <= targets


def test_a_dead_link_is_caught(tmp_path):
    (tmp_path / "README.md").write_text("# Use\n\n## Add a feed\n\n[a](#add-a-feed) [b](GONE.md) [c](DESIGN.md#nowhere)\n"
                                        "[d](https://example.com/x) [e](DESIGN.md#speed-and-scale)\n")
    (tmp_path / "DESIGN.md").write_text("# Design\n\n```\n## not a heading\n```\n\n## Speed and scale\n[f](#not-a-heading)\n")
    assert dead_links(tmp_path, ("README.md", "DESIGN.md")) == [
        "README.md: GONE.md", "README.md: DESIGN.md#nowhere", "DESIGN.md: #not-a-heading"]
