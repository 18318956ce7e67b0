"""Benchmark of readiness reviews: many services' reviews checked and built into the site.

    python bench/reviews_site.py                           # 50 services x 4 reviews of the ORR's 93 questions
    python bench/reviews_site.py --services 10 --reviews 2 # smaller

It copies the project (the bundled archive, the curated checklists) into a work
folder, writes SERVICES x REVIEWS review files of every question of the ORR with
generate_reviews() (answers, risks, notes and action items, the same for the same
seed), then measures:

- `resilience-kb review check` of every review (wall and CPU seconds), without
  and then with the review cache of the first;
- `resilience-kb build` of the same site without reviews and with them enabled
  (two copies of the project, each with its own caches), cold (the archive's
  .cache removed: no analysis, search or review cache) and warm (after a build
  of the same files: the scheduled job's steady state), alternated, each RUNS
  times into a new site folder (the minimum of each, wall and CPU: the CPU
  seconds are the build process's and its children's, user + system);
- the size of every page of the site with reviews, the largest overall and the
  largest of the Reviews pages.

It prints a table; nothing is asserted (the tests check behaviour, not speed).
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date as Date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.model.checklists import CuratedChecklist, load_checklist  # noqa: E402
from ingest.model.extract.vocabulary import load_vocabulary  # noqa: E402
from ingest.model.reviews import ActionItem, Answer, new_review, review_file_name, write_review  # noqa: E402

RISK_WEIGHTS = (("high", 8), ("medium", 17), ("none", 55), ("n/a", 5), (None, 15))
STATUS_WEIGHTS = (("open", 5), ("in progress", 2), ("done", 4), ("won't do", 1))
WORDS = ("alarm dashboard replica zone region failover runbook canary rollback quota throttle retry timeout "
         "backoff jitter cache queue shard cell bulkhead breaker load test game day pager owner budget").split()


def generate_reviews(folder: Path, checklist: CuratedChecklist, *, services: int, reviews: int, seed: int = 23,
                     first: Date = Date(2025, 1, 15)) -> list[Path]:
    """SERVICES x REVIEWS review files of every question of `checklist` under `folder`, seeded; their paths."""
    rng = random.Random(seed)
    paths = []
    for s in range(services):
        service = f"service-{s:03d}"
        for r in range(reviews):
            day = first + timedelta(days=91 * r + s % 7)
            review = new_review(checklist, service=service, day=day)
            review = replace(review, owner=f"Owner {s}", participants=(f"Owner {s}", f"Reviewer {r}"),
                             answers=tuple(_answer(rng, a, day) for a in review.answers))
            path = folder / review_file_name(review)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(write_review(review), encoding="utf-8")
            paths.append(path)
    return paths


def _answer(rng: random.Random, blank: Answer, day: Date) -> Answer:
    risk = rng.choices([r for r, _ in RISK_WEIGHTS], [w for _, w in RISK_WEIGHTS])[0]
    if risk is None:
        return blank
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30))).capitalize() + "."
    notes = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 12)))
    actions = ()
    if risk in ("high", "medium"):
        actions = tuple(
            ActionItem(title=f"Add a {rng.choice(WORDS)} for the {rng.choice(WORDS)}", owner=f"Person {rng.randint(1, 9)}",
                       due=day + timedelta(days=rng.randint(14, 150)),
                       status=rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0],
                       link=f"https://tracker.example.org/OPS-{rng.randint(1, 9999)}" if rng.random() < 0.5 else None)
            for _ in range(rng.randint(1, 2)))
    return replace(blank, answer=text, risk=risk, reason="not used by this service" if risk == "n/a" else None,
                   notes=notes.capitalize(), actions=actions)


def _project(work: Path, name: str, reviews_enabled: bool) -> Path:
    """A copy of the project under `work`/`name`, its mkdocs.yml enabling the reviews or not."""
    project = work / name
    if not project.exists():
        project.mkdir(parents=True)
        for folder in ("docs", "overrides", "archive", "checklists"):
            shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns(".lock", ".*.tmp", ".cache"))
        shutil.copy(ROOT / "onboarding.yml", project / "onboarding.yml")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if reviews_enabled:
        config = config.replace("  - resilience-kb:\n", "  - resilience-kb:\n      reviews:\n        enabled: true\n"
                                "        as_of: 2026-04-01\n", 1)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return project


def _timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (children's user + system) of a command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True, env=_env())
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _env() -> dict:
    import os
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=50)
    parser.add_argument("--reviews", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind; the minimum is reported")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="rkb-reviews-"))
    cli = [sys.executable, "-m", "ingest.cli"]
    # Two copies of the project, the same files in both: reviews enabled in one; each keeps its own caches.
    projects = {enabled: _project(work, "with" if enabled else "without", enabled) for enabled in (False, True)}
    checklist = load_checklist(projects[True] / "checklists" / "orr.yml", load_vocabulary())
    started = time.perf_counter()
    paths = generate_reviews(projects[True] / "reviews", checklist, services=args.services, reviews=args.reviews)
    generated = time.perf_counter() - started
    if not (projects[False] / "reviews").exists():
        shutil.copytree(projects[True] / "reviews", projects[False] / "reviews")
    answers = sum(1 for p in paths for line in p.read_text(encoding="utf-8").splitlines() if line.startswith("### "))
    shutil.rmtree(projects[True] / "archive" / ".cache", ignore_errors=True)
    checks = {"cold": _timed([*cli, "review", "check"], projects[True]),
              "warm": _timed([*cli, "review", "check"], projects[True])}
    builds: dict[tuple[str, bool], list[tuple[float, float]]] = {}
    pages: dict[str, int] = {}
    for _ in range(args.runs):
        for state in ("cold", "warm"):
            for enabled in (False, True):  # alternated, so a busier moment of the machine falls on both
                project = projects[enabled]
                if state == "cold":  # no analysis, search or review cache: the first build of a clone
                    shutil.rmtree(project / "archive" / ".cache", ignore_errors=True)
                else:  # the caches of an earlier build of the same files: the scheduled job's steady state
                    subprocess.run([*cli, "build", "--site-dir", str(work / "site-warmup")], cwd=project,
                                   check=True, capture_output=True, env=_env())
                site = work / f"site-{enabled}-{time.monotonic_ns()}"
                builds.setdefault((state, enabled), []).append(
                    _timed([*cli, "build", "--site-dir", str(site)], project))
                if enabled and not pages:
                    pages = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
                shutil.rmtree(site)
    shutil.rmtree(work / "site-warmup", ignore_errors=True)
    review_pages = {p: s for p, s in pages.items() if p.startswith("reviews/")}
    largest = max(pages.items(), key=lambda kv: kv[1])
    largest_review = max(review_pages.items(), key=lambda kv: kv[1])
    rows = [
        ("review files / answers written", f"{len(paths):,} / {answers:,} ({generated:.1f} s)"),
        *((f"`review check` of every review, {state}", f"{wall:.2f} s, CPU {cpu:.2f} s")
          for state, (wall, cpu) in checks.items()),
    ]
    for state in ("cold", "warm"):
        off, on = (min(cpu for _, cpu in builds[state, enabled]) for enabled in (False, True))
        off_wall, on_wall = (min(wall for wall, _ in builds[state, enabled]) for enabled in (False, True))
        rows += [(f"{state} build without reviews (min of {args.runs})", f"{off_wall:.1f} s, CPU {off:.2f} s"),
                 (f"{state} build with reviews (min of {args.runs})", f"{on_wall:.1f} s, CPU {on:.2f} s"),
                 (f"{state}: with / without", f"wall {on_wall / off_wall - 1:+.1%}, CPU {on / off - 1:+.1%}")]
    rows += [
        ("Reviews pages", f"{len(review_pages)}, largest {largest_review[1] / 1024:.0f} KB "
                          f"({largest_review[0]})"),
        ("largest page of the site", f"{largest[1] / 1024:.0f} KB ({largest[0]})"),
    ]
    print(f"| {args.services} services x {args.reviews} reviews x {len(checklist.items)} questions | |")
    print("|---|---:|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
