"""Fingerprints of every article's analysis (clean HTML, headings, text, document model, notes).

Taken once from the code before a rewrite of the cleaner, they prove the new
code gives exactly the same output. `python tests/analysis_digest.py OUT.json
[FEED_OR_ARCHIVE ...]` writes them for feed files or archive folders (and, with
`--synthetic N`, the benchmark's first N synthetic articles).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from ingest.archive.feeds import FeedError, entry_key, parse_feed
from ingest.archive.store import Archive, EntryRecord
from ingest.model.articles import LinkIndex, parse_article, resolver
from ingest.model.cache import encode
from ingest.model.knowledge import article_notes
from ingest.site.urls import article_from_article
from ingest.model.extract.vocabulary import load_vocabulary

COMPONENTS = ("html", "headings", "minutes", "document", "notes", "summary", "problem")


def feed_records(path: Path, body: bytes | None = None) -> list[EntryRecord]:
    """A feed file's entries as archive records (ids made from the file's name and position)."""
    parsed = parse_feed(body if body is not None else path.read_bytes())
    return [EntryRecord(id=f"{path.stem}-{n}", key=entry_key(entry) or str(n), feed=path.stem, first_seen="",
                        updated=None, content_hash="", revisions=(), entry=entry)
            for n, entry in enumerate(parsed.entries)]


def analyses(records: list[EntryRecord]) -> dict[str, dict[str, object]]:
    """Each record's analysis, as plain data, by component."""
    index, vocabulary, local = LinkIndex(records), load_vocabulary(), article_from_article(True)
    result = {}
    for record in records:
        article, document = parse_article(record, resolver(index, record.id, local))
        notes = article_notes(article, document, vocabulary)
        body = article.body
        result[record.id] = {"html": body.html, "headings": encode(body.headings), "minutes": article.reading_minutes,
                             "document": encode(document), "notes": encode(notes),
                             "summary": article.summary, "problem": article.problem}
    return result


def fingerprint(value: object) -> str:
    data = json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]


def digest(records: list[EntryRecord]) -> dict[str, dict[str, str]]:
    return {rid: {c: fingerprint(v) for c, v in parts.items()} for rid, parts in analyses(records).items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("sources", nargs="*", type=Path)
    parser.add_argument("--synthetic", type=int, default=0)
    parser.add_argument("--full", action="store_true", help="write the analyses themselves, not their hashes")
    args = parser.parse_args()
    sets: dict[str, list[EntryRecord]] = {}
    for source in args.sources:
        if (source / "entries").is_dir():
            archive = Archive(source)
            sets[source.name] = [archive.read_entry(path) for path in archive.entry_paths()]
            continue
        for path in sorted(source.rglob("*")) if source.is_dir() else [source]:
            if path.is_file():
                try:
                    sets[str(path)] = feed_records(path)
                except (FeedError, ValueError, OSError) as e:
                    print(f"{path}: skipped ({e})", file=sys.stderr)
    if args.synthetic:
        import tempfile
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
        from synthetic import write_feeds
        with tempfile.TemporaryDirectory() as folder:
            records = [r for f in write_feeds(Path(folder), args.synthetic) for r in feed_records(f)]
        sets["synthetic"] = records
    out = {name: (analyses if args.full else digest)(records) for name, records in sets.items()}
    args.output.write_text(json.dumps(out, sort_keys=True, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
