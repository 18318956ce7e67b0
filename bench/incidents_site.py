"""Benchmark of incidents: 300 incidents beside the reviews' benchmark, checked and built into the site.

    python bench/incidents_site.py                                # 300 incidents, 50 services x 4 reviews
    python bench/incidents_site.py --incidents 60 --services 10   # smaller

It copies the project into a work folder three times (each keeping its own
caches) and writes into each the same SERVICES x REVIEWS review files of
bench/reviews_site.py's generate_reviews() and INCIDENTS incident files of
generate_incidents() (facts, a write-up, factors linking patterns, biases and
checklist questions, action items tied to factors and questions, timelines; the
same for the same seed), for the reviewed services. It then measures:

- `resilience-kb incident check` of every incident (it checks and suggests
  links), wall and CPU seconds;
- `resilience-kb build` of the site without reviews and incidents, with the
  reviews only, and with both, cold (the archive's .cache removed) and warm
  (after a build of the same files), alternated, each RUNS times into a new
  site folder; the minimum of each, wall and CPU (the build process's and its
  children's, user + system), and with both against without;
- the size of every page of the site with both, the largest overall and the
  largest of the Incidents pages.

It prints a table; nothing is asserted (the tests check behaviour, not speed).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date as Date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from reviews_site import _env, _timed, generate_reviews  # noqa: E402

from ingest.model.checklists import CuratedChecklist, load_checklist  # noqa: E402
from ingest.model.extract.vocabulary import Vocabulary, load_vocabulary  # noqa: E402
from ingest.model.incident_types import FACTOR_KINDS, SEVERITIES, TYPES, Factor, IncidentAction, TimelineEntry  # noqa: E402
from ingest.model.incidents import bias_ids, incident_file_name, new_incident, write_incident  # noqa: E402
from ingest.model.review_format import ActionItem  # noqa: E402

WORDS = ("alarm dashboard replica zone region failover runbook canary rollback quota throttle retry timeout "
         "backoff jitter cache queue shard cell bulkhead breaker load test game day pager owner budget "
         "deploy config certificate disk memory leak lock database index migration dns").split()
WHAT = ("slowed down", "returned errors", "lost writes", "served stale data", "went down", "timed out",
        "ran out of disk", "paged nobody", "failed over late", "dropped messages")
WHY = ("after a deploy", "under a retry storm", "when a certificate expired", "during a migration",
       "as a cache emptied", "after a configuration push", "when a zone was lost", "under the sale's load")
STATUSES = (("open", 5), ("in progress", 2), ("done", 6), ("won't do", 1))


def generate_incidents(folder: Path, postmortem: CuratedChecklist, questions: list[str], vocabulary: Vocabulary,
                       services: list[str], *, count: int, seed: int = 24,
                       first: Date = Date(2025, 1, 10)) -> list[Path]:
    """`count` incident files of `services` under `folder`, seeded, spread over 15 months; their paths."""
    rng = random.Random(seed)
    patterns = sorted(p.id for p in vocabulary.patterns)
    biases = sorted(bias_ids(vocabulary))
    paths = []
    for n in range(count):
        day = first + timedelta(days=n * 450 // count + rng.randint(0, 2))
        touched = tuple(rng.sample(services, rng.choices((1, 2, 3), (6, 3, 1))[0]))
        title = f"{touched[0]} {rng.choice(WHAT)} {rng.choice(WHY)} ({n})"
        blank = new_incident(postmortem, title=title, day=day)
        start = datetime(day.year, day.month, day.day, rng.randint(0, 22), rng.randint(0, 59), tzinfo=timezone.utc)
        end = start + timedelta(minutes=rng.randint(5, 600))
        factors = tuple(
            Factor(id=f"f{i + 1}", text=_sentence(rng, 8, 24), kind=rng.choice(FACTOR_KINDS),
                   patterns=tuple(rng.sample(patterns, rng.randint(0, 3))),
                   biases=tuple(rng.sample(biases, rng.choices((0, 1, 2), (5, 4, 1))[0])),
                   questions=tuple(rng.sample(questions, rng.choices((0, 1, 2), (3, 5, 2))[0])))
            for i in range(rng.randint(1, 5)))
        actions = tuple(
            IncidentAction(
                item=ActionItem(title=_sentence(rng, 4, 12), owner=f"Person {rng.randint(1, 30)}",
                                due=day + timedelta(days=rng.randint(7, 120)) if rng.random() < 0.8 else None,
                                status=rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0],
                                link=f"https://tracker.example.org/OPS-{rng.randint(1, 9999)}"
                                if rng.random() < 0.5 else None,
                                question=rng.choice(questions) if rng.random() < 0.4 else None),
                factor=rng.choice(factors).id if rng.random() < 0.7 else None)
            for _ in range(rng.randint(0, 5)))
        timeline = tuple(
            TimelineEntry(at=(start + timedelta(minutes=m)).strftime("%Y-%m-%d %H:%M UTC"), text=_sentence(rng, 4, 16))
            for m in sorted(rng.sample(range(0, int((end - start).total_seconds() // 60) + 1),
                                       min(rng.randint(0, 8), 1 + int((end - start).total_seconds() // 60)))))
        sections = tuple((heading, "\n\n".join(_sentence(rng, 10, 40) for _ in range(rng.randint(1, 3)))
                          if rng.random() < 0.9 else "") for heading, _ in blank.sections)
        incident = replace(
            blank, start=start, end=end, severity=rng.choice(SEVERITIES), type=rng.choice(TYPES), services=touched,
            detection=f"the {rng.choice(WORDS)} alert" if rng.random() < 0.8 else "",
            detected_after=f"{rng.randint(1, 90)} min" if rng.random() < 0.8 else "",
            owner=f"Owner {rng.randint(1, 20)}", status=rng.choice(("draft", "reviewed")),
            sections=sections, factors=factors, actions=actions, timeline=timeline)
        path = folder / incident_file_name(incident)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(write_incident(incident), encoding="utf-8")
        paths.append(path)
    return paths


def _sentence(rng: random.Random, least: int, most: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(least, most))).capitalize() + "."


def _project(work: Path, name: str, reviews: bool, incidents: bool) -> Path:
    """A copy of the project under `work`/`name`: reviews (and incidents) enabled or not."""
    project = work / name
    if not project.exists():
        project.mkdir(parents=True)
        for folder in ("docs", "overrides", "archive", "checklists"):
            shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns(".lock", ".*.tmp", ".cache"))
        shutil.copy(ROOT / "onboarding.yml", project / "onboarding.yml")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if reviews:  # incidents are shown under the reviews' switch; "no incidents" is an empty folder
        config = config.replace("  - resilience-kb:\n", "  - resilience-kb:\n      reviews:\n        enabled: true\n"
                                "        as_of: 2026-04-01\n"
                                f"        incidents: {'incidents' if incidents else 'no-incidents'}\n", 1)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return project


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=300)
    parser.add_argument("--services", type=int, default=50)
    parser.add_argument("--reviews", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind; the minimum is reported")
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--keep-site", type=Path, help="copy the first site built with both here (to compare)")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="rkb-incidents-"))
    cli = [sys.executable, "-m", "ingest.cli"]
    kinds = {"without": (False, False), "reviews": (True, False), "both": (True, True)}
    projects = {kind: _project(work, kind, *flags) for kind, flags in kinds.items()}
    both = projects["both"]
    vocabulary = load_vocabulary()
    orr = load_checklist(both / "checklists" / "orr.yml", vocabulary)
    postmortem = load_checklist(both / "checklists" / "postmortem.yml", vocabulary)
    questions = [item.id for item in orr.answered_items]
    if not (both / "reviews").exists():
        generate_reviews(both / "reviews", orr, services=args.services, reviews=args.reviews)
    started = time.perf_counter()
    if not (both / "incidents").exists():
        generate_incidents(both / "incidents", postmortem, questions, vocabulary,
                           [f"service-{s:03d}" for s in range(args.services)], count=args.incidents)
    generated = time.perf_counter() - started
    for kind, project in projects.items():
        for folder in ("reviews", "incidents"):
            if project != both and not (project / folder).exists():
                shutil.copytree(both / folder, project / folder)
    files = sorted((both / "incidents").glob("*.md"))
    factors = sum(1 for p in files for line in p.read_text(encoding="utf-8").splitlines() if line.startswith("### "))
    check = _timed([*cli, "incident", "check"], both)
    builds: dict[tuple[str, str], list[tuple[float, float]]] = {}
    pages: dict[str, int] = {}
    for _ in range(args.runs):
        for state in ("cold", "warm"):
            for kind, project in projects.items():  # alternated, so a busier moment of the machine falls on all
                if state == "cold":
                    shutil.rmtree(project / "archive" / ".cache", ignore_errors=True)
                else:
                    subprocess.run([*cli, "build", "--site-dir", str(work / "site-warmup")], cwd=project,
                                   check=True, capture_output=True, env=_env())
                site = work / f"site-{kind}-{time.monotonic_ns()}"
                builds.setdefault((state, kind), []).append(_timed([*cli, "build", "--site-dir", str(site)], project))
                if kind == "both" and not pages:
                    pages = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
                    if args.keep_site:
                        shutil.rmtree(args.keep_site, ignore_errors=True)
                        shutil.copytree(site, args.keep_site)
                shutil.rmtree(site)
    shutil.rmtree(work / "site-warmup", ignore_errors=True)
    incident_pages = {p: s for p, s in pages.items() if p.startswith("incidents/")}
    largest = max(pages.items(), key=lambda kv: kv[1])
    largest_incident = max(incident_pages.items(), key=lambda kv: kv[1])
    rows = [("incident files / factors written", f"{len(files):,} / {factors:,} ({generated:.1f} s)"),
            ("`incident check` of every incident", f"{check[0]:.2f} s, CPU {check[1]:.2f} s")]
    names = {"without": "without reviews and incidents", "reviews": "with reviews only", "both": "with both"}
    for state in ("cold", "warm"):
        best = {kind: (min(w for w, _ in builds[state, kind]), min(c for _, c in builds[state, kind]))
                for kind in projects}
        rows += [(f"{state} build {names[kind]} (min of {args.runs})", f"{wall:.1f} s, CPU {cpu:.2f} s")
                 for kind, (wall, cpu) in best.items()]
        rows += [(f"{state}: both / without (target ≤ +15%)",
                  f"wall {best['both'][0] / best['without'][0] - 1:+.1%}, CPU {best['both'][1] / best['without'][1] - 1:+.1%}"),
                 (f"{state}: both / reviews only",
                  f"wall {best['both'][0] / best['reviews'][0] - 1:+.1%}, CPU {best['both'][1] / best['reviews'][1] - 1:+.1%}")]
    rows += [("Incidents pages", f"{len(incident_pages)}, largest {largest_incident[1] / 1024:.0f} KB "
                                 f"({largest_incident[0]})"),
             ("largest page of the site", f"{largest[1] / 1024:.0f} KB ({largest[0]})")]
    print(f"| {args.incidents} incidents, {args.services} services x {args.reviews} reviews | |")
    print("|---|---:|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
