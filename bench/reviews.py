"""Times `resilience-kb review check` over 50 services x 4 reviews x 93 answers (prints numbers; asserts nothing).

    .venv/bin/python bench/reviews.py [--services 50] [--reviews 4]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.model.checklists import load_checklist  # noqa: E402
from ingest.model.extract.vocabulary import load_vocabulary  # noqa: E402
from ingest.model.reviews import ActionItem, new_review, review_file_name, write_review  # noqa: E402


def answered(review, rng: random.Random):
    answers = []
    for answer in review.answers:
        risk = rng.choice(["high", "medium", "none", "none", "n/a", None])
        actions = (ActionItem(title="Fix the thing the review found", owner="Ada Example", status="open",
                              due=review.date + timedelta(days=rng.randint(10, 90)),
                              link="https://tracker.example.org/X-1", question=answer.question),) \
            if risk in ("high", "medium") else ()
        answers.append(dataclasses.replace(answer, answer="We do this today, as follows:\n\n- one\n- two", risk=risk,
                                           reason="it does not apply" if risk == "n/a" else None,
                                           notes="Some notes." if rng.random() < 0.3 else "", actions=actions))
    return dataclasses.replace(review, answers=tuple(answers), owner="Ada Example", participants=("Ada", "Grace"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=50)
    parser.add_argument("--reviews", type=int, default=4)
    args = parser.parse_args()
    checklist = load_checklist(ROOT / "checklists" / "orr.yml", load_vocabulary())
    rng = random.Random(50)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copy(ROOT / "mkdocs.yml", project)
        shutil.copytree(ROOT / "checklists", project / "checklists")
        (project / "docs").mkdir()
        shutil.copytree(ROOT / "overrides", project / "overrides")
        total = 0
        for s in range(args.services):
            for n in range(args.reviews):
                review = answered(new_review(checklist, service=f"service-{s:03}", day=date(2025, 1, 1)
                                             + timedelta(days=90 * n)), rng)
                path = project / "reviews" / review_file_name(review)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(write_review(review), encoding="utf-8")
                total += path.stat().st_size
        command = [str(ROOT / ".venv" / "bin" / "resilience-kb"), "review", "check"]
        best = None
        for _ in range(3):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run(command, cwd=project, capture_output=True, text=True, check=True)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            best = min(best or (wall, cpu), (wall, cpu))
        print(done.stdout.strip())
        print(f"{args.services * args.reviews} reviews, {total / 1e6:.1f} MB: review check {best[0]:.2f} s wall, "
              f"{best[1]:.2f} s CPU (best of 3)")


if __name__ == "__main__":
    main()
