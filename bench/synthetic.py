"""Synthetic feeds for the benchmark: the seed's articles, varied, as many as asked.

Each synthetic article takes one of the seed's twelve articles as its shape (a
digest, a checklist, a talk, a tutorial …), then drops, repeats and reorders
some of its paragraphs, so sizes and structures vary the way real archives do.
"""

from __future__ import annotations

import random
import re
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape

import feedparser

SEED = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "adhorn-devto-feed.xml"
BLOCK = re.compile(r"(<(?:p|ul|ol|h[1-6]|blockquote|pre|div)\b.*?</(?:p|ul|ol|h[1-6]|blockquote|pre|div)>)", re.DOTALL)


def seed_articles() -> list[dict]:
    parsed = feedparser.parse(SEED.read_bytes(), sanitize_html=False)
    return [{"title": e.title, "html": e.summary, "tags": [t.term for t in e.get("tags", [])],
             "author": e.get("author", "")} for e in parsed.entries]


def vary(html: str, rng: random.Random) -> str:
    """Drop about a fifth of the blocks, repeat some, and shuffle a few neighbours."""
    blocks = BLOCK.findall(html)
    if not blocks:
        return html
    out = []
    for block in blocks:
        roll = rng.random()
        if roll < 0.2:
            continue
        out.append(block)
        if roll > 0.85:
            out.append(block)
    for _ in range(len(out) // 10):
        i = rng.randrange(max(1, len(out) - 1))
        out[i:i + 2] = out[i:i + 2][::-1]
    return "\n".join(out)


def write_feeds(folder: Path, count: int, per_file: int = 500, seed: int = 1) -> list[Path]:
    """`count` synthetic entries in RSS files of `per_file` items; returns the files."""
    rng = random.Random(seed)
    templates = seed_articles()
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2016, 1, 1, tzinfo=timezone.utc)
    files = []
    for first in range(0, count, per_file):
        items = []
        for n in range(first, min(count, first + per_file)):
            template = templates[n % len(templates)]
            when = start + timedelta(hours=n * 7)
            title = f"{template['title']} (no. {n})"
            link = f"https://blog.example.org/{n}/{re.sub(r'[^a-z0-9]+', '-', title.lower()).strip('-')}"
            items.append(
                f"<item><title>{escape(title)}</title><link>{link}</link><guid>{link}</guid>"
                f"<dc:creator>{escape(template['author'])}</dc:creator>"
                f"<pubDate>{format_datetime(when)}</pubDate>"
                + "".join(f"<category>{escape(t)}</category>" for t in template["tags"])
                + f"<description>{escape(vary(template['html'], rng))}</description></item>"
            )
        path = folder / f"synthetic-{first // per_file:04d}.xml"
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>Synthetic</title><link>https://blog.example.org/</link>{''.join(items)}</channel></rss>",
            encoding="utf-8",
        )
        files.append(path)
    return files
