"""The review cache (a file read before is not parsed again) and the export's writer of the reviews.

The cache may only save time: a review from it is the review the file gives, a
file that changed is read again, a file with a mistake fails every time with its
line, and the checks beyond the file (its folder, the curated checklists) run on
every load. The export's writer of the reviews must give the document that
knowledge_data describes.
"""

from __future__ import annotations

import io
import json
import shutil
from datetime import date

import pytest

from support import ROOT
from ingest.model import reviews as reviews_module
from ingest.model.checklists import load_checklist
from ingest.model.export import knowledge_data, reviews_data, write_knowledge_json
from ingest.model.extract.vocabulary import load_vocabulary
from ingest.model.knowledge import Knowledge
from ingest.model.review_cache import ReviewCache
from ingest.model.reviews import ActionItem, Answer, ReviewError, load_reviews, new_review, parse_review, write_review

EXAMPLES = ROOT / "examples" / "reviews"
ORR = load_checklist(ROOT / "checklists" / "orr.yml", load_vocabulary())


def whole(review) -> tuple:
    """All a review holds, the line numbers too (they are not compared by ==)."""
    return (review, repr(review), review.lines, [(a.line, [i.line for i in a.actions]) for a in review.answers])


@pytest.fixture
def folder(tmp_path):
    shutil.copytree(EXAMPLES, tmp_path / "reviews")
    return tmp_path / "reviews"


@pytest.fixture
def archive(tmp_path):
    (tmp_path / "archive").mkdir()
    return tmp_path / "archive"


def not_parsed(monkeypatch):
    """Make parsing fail loudly: what loads now came from the cache."""
    def refuse(text, path):
        raise AssertionError(f"{path} was parsed again")
    monkeypatch.setattr(reviews_module, "parse_review", refuse)


def test_a_review_from_the_cache_is_the_review_the_file_gives(folder, archive, monkeypatch):
    read = load_reviews(folder, [ORR])
    assert load_reviews(folder, [ORR], ReviewCache(archive)) == read  # the first load fills the cache
    assert len(list((archive / ".cache" / "reviews").glob("*.json"))) == 4
    not_parsed(monkeypatch)
    cached = load_reviews(folder, [ORR], ReviewCache(archive))
    assert [whole(r) for r in cached] == [whole(r) for r in read]
    assert cached[0].path == "reviews/example-payments/2025-09-15-orr.md"  # where it is now, for messages


def test_a_changed_file_is_read_again_and_the_old_entry_removed(folder, archive, monkeypatch):
    load_reviews(folder, [ORR], ReviewCache(archive))
    before = set((archive / ".cache" / "reviews").iterdir())
    path = folder / "example-search" / "2026-02-10-orr.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Risk: high", "Risk: medium", 1), encoding="utf-8")
    [changed] = [r for r in load_reviews(folder, [ORR], ReviewCache(archive)) if r.path.endswith("2026-02-10-orr.md")]
    assert changed == parse_review(path.read_text(encoding="utf-8"), "reviews/example-search/2026-02-10-orr.md")
    assert changed.answers != load_reviews(EXAMPLES, [ORR])[-1].answers
    after = set((archive / ".cache" / "reviews").iterdir())
    assert len(after) == 4 and len(before - after) == 1  # the old file's entry pruned, the new one there
    not_parsed(monkeypatch)
    load_reviews(folder, [ORR], ReviewCache(archive))


def test_a_file_with_a_mistake_fails_with_its_line_every_time(folder, archive):
    path = folder / "example-search" / "2026-02-10-orr.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("Risk: high"))
    lines[line - 1] = "Risk: severe"
    path.write_text("\n".join(lines), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ReviewError, match=rf"2026-02-10-orr.md:{line}: risk 'severe' is not one of"):
            load_reviews(folder, [ORR], ReviewCache(archive))


def test_the_checks_beyond_the_file_run_on_a_cached_review(folder, archive):
    load_reviews(folder, [ORR], ReviewCache(archive))
    # The same bytes in another service's folder: cached, but in the wrong place.
    moved = folder / "example-search" / "2026-03-02-orr.md"
    (folder / "example-payments" / "2026-03-02-orr.md").rename(moved)
    with pytest.raises(ReviewError, match=r"2026-03-02-orr.md:2: service 'example-payments' does not match"):
        load_reviews(folder, [ORR], ReviewCache(archive))
    moved.rename(folder / "example-payments" / "2026-03-02-orr.md")
    # The curated checklist it names is gone.
    with pytest.raises(ReviewError, match=r"2025-09-15-orr.md:\d+: unknown checklist 'orr'"):
        load_reviews(folder, [], ReviewCache(archive))


def test_a_damaged_entry_is_only_a_miss(folder, archive):
    read = load_reviews(folder, [ORR], ReviewCache(archive))
    for n, entry in enumerate(sorted((archive / ".cache" / "reviews").iterdir())):
        entry.write_text(['{"format": 1', "[]", '{"format": 1, "review": [1, 2]}', "null"][n], encoding="utf-8")
    assert [whole(r) for r in load_reviews(folder, [ORR], ReviewCache(archive))] == [whole(r) for r in read]


def test_a_linked_cache_folder_is_not_used(folder, archive, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (archive / ".cache").symlink_to(elsewhere, target_is_directory=True)
    assert load_reviews(folder, [ORR], ReviewCache(archive)) == load_reviews(folder, [ORR])
    assert not any(elsewhere.rglob("*"))


def test_generated_reviews_come_back_whole_from_the_cache(tmp_path, archive, monkeypatch):
    """Every kind of field: notes, n/a with its reason, actions with and without dates and links."""
    review = new_review(ORR, service="checkout", day=date(2026, 1, 5))
    answers = list(review.answers)
    answers[0] = Answer(answers[0].question, "Yes.\n\nTwo paragraphs.", "n/a", "not used here", "Note",
                        (ActionItem("Do it", "Ada", date(2026, 2, 1), "in progress", "https://t.example.org/1"),
                         ActionItem("Then this")), text=answers[0].text, section=answers[0].section)
    answers[1] = Answer(answers[1].question, "Ünïcode “quotes” & <tags>", "high", text=answers[1].text,
                        section=answers[1].section)
    text = write_review(type(review)(**{**review.__dict__, "answers": tuple(answers)}))
    path = tmp_path / "reviews" / "checkout" / "2026-01-05-orr.md"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    [read] = load_reviews(tmp_path / "reviews", [ORR], ReviewCache(archive))
    not_parsed(monkeypatch)
    [cached] = load_reviews(tmp_path / "reviews", [ORR], ReviewCache(archive))
    assert whole(cached) == whole(read)
    assert cached.answers[0].actions[0].due == date(2026, 2, 1) and write_review(cached) == text


# -- the export's writer ------------------------------------------------------------------------------

def test_the_written_reviews_are_the_documented_data_one_answer_a_line(folder):
    reviews = load_reviews(folder, [ORR])
    knowledge = Knowledge(articles=(), notes={}, vocabulary=load_vocabulary())
    written = io.StringIO()
    write_knowledge_json(knowledge, written, reviews)
    text = written.getvalue()
    document = json.loads(text)
    assert document == json.loads(json.dumps(knowledge_data(knowledge, reviews)))
    assert document["reviews"] == json.loads(json.dumps(reviews_data(reviews, [])))
    answers = sum(len(r.answers) for r in reviews)
    one_line = [line for line in text.split("\n") if line.startswith('        {"actions": [')]
    assert len(one_line) == answers and all(json.loads(line.rstrip(",")) for line in one_line)
    empty = io.StringIO()
    write_knowledge_json(knowledge, empty, [])
    assert json.loads(empty.getvalue())["reviews"] == [] and empty.getvalue().endswith('"reviews": []\n}\n')
    plain = io.StringIO()
    write_knowledge_json(knowledge, plain)
    assert "reviews" not in json.loads(plain.getvalue())
