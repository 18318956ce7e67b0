"""Benchmark: ingest, extraction, build, page sizes and search payload at growing archive sizes.

    python bench/benchmark.py                      # 1,000, 5,000 and 10,000 articles
    python bench/benchmark.py --sizes 500 2000     # other sizes
    python bench/benchmark.py --sizes 10000 --only analysis   # ingest and analysis only, no builds

For each size it generates a synthetic archive from the seed's article shapes
(bench/synthetic.py), then measures, each stage in a process of its own so
that peak memory is that stage's:

- ingest: the feeds parsed and written into an empty archive, in entries/s;
- extraction: the archive loaded, every article cleaned and its notes taken;
- extraction again, with the analysis cache the first run filled;
- build: `resilience-kb build` (strict), each into a site folder that is not there yet
  (as on the runner, whose fresh checkout has none, and as the bare build), cold (no analysis or search cache, as
  the scheduled run after a change of the code), warm (the caches restored,
  nothing changed) and warm after one new article (one more entry filed into
  the archive, as the daily run), each with its wall and CPU seconds (Python and
  Pagefind together), the peak memory of its whole process tree and the seconds
  of each stage; and the same pages built by a bare MkDocs Material
  configuration (no plugin, no extraction, Material's own search) in the same
  run, for the ratio;
- the site: total size, HTML per page, and what a reader downloads to search;
- a scheduled run where no feed changed: fetch answered 304, and fetch of an
  unchanged feed with no validators, against a server on 127.0.0.1.

It prints a table; nothing is asserted (the tests check behaviour, not speed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import write_feeds  # noqa: E402

PYTHON = sys.executable


def run_measured(code: str, cwd: Path = ROOT) -> dict:
    """Run Python `code` in a fresh process; it prints a JSON object; add wall time and peak memory."""
    wrapper = textwrap.dedent("""
        import json, resource, sys, time
        start = time.perf_counter()
        result = {}
        exec(compile(sys.stdin.read(), "<stage>", "exec"))
        result["seconds"] = time.perf_counter() - start
        # The stage's own peak, or its largest worker process's if that was higher.
        result["peak_mb"] = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        print(json.dumps(result))
    """)
    done = subprocess.run([PYTHON, "-c", wrapper], input=code, text=True, capture_output=True, cwd=cwd,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if done.returncode != 0:
        raise SystemExit(f"stage failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def command_measured(args: list[str], cwd: Path) -> dict:
    """Run a command; its wall time and the peak memory of its process."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return {"seconds": seconds, "peak_mb": peak_kb / 1024}


def _tree_rss_kb(root: int) -> int:
    """The resident memory of a process and all its descendants, in KB (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)  # fields[1] is the parent's pid
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def tree_measured(args: list[str], cwd: Path) -> dict:
    """Run a command; its wall and CPU time, its output, and the peak memory of its whole process tree (sampled)."""
    start = time.perf_counter()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(process.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    # The CPU of every process of the tree that was waited for (Pagefind's runs by the build, the build by us).
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{err[-3000:]}")
    return {"seconds": seconds, "cpu_s": cpu, "tree_peak_mb": peak[0] / 1024, "log": out + err}


def stage_seconds(log: str) -> dict[str, float]:
    """The plugin's own timings, from `resilience-kb -v build`."""
    line = next((l for l in log.splitlines() if "stage seconds:" in l), "")
    pairs = [part.strip().rsplit(" ", 1) for part in line.split("stage seconds:", 1)[-1].split(",") if part.strip()]
    return {name: float(value) for name, value in pairs}


def pagefind_runs(log: str) -> str:
    """How many search shards Pagefind indexed (the others came from the search cache), from the build's log."""
    line = next((l for l in log.splitlines() if "Pagefind indexed" in l), "")
    return line.split("; ", 1)[-1].strip() if line else "(no search cache)"


def make_project(folder: Path) -> Path:
    """mkdocs.yml, docs and overrides of the project, without its curated files (they name seed articles)."""
    project = folder / "project"
    project.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    return project


def ingest(feeds: list[Path], archive: Path) -> dict:
    code = f"""
from pathlib import Path
from ingest.archive.store import Archive
from ingest.archive.collect import FetchOptions, collect_source
archive = Archive(Path({str(archive)!r}))
count = 0
for path in {[str(f) for f in feeds]!r}:
    report = collect_source(archive, path, [], FetchOptions(max_bytes=200_000_000), name="synthetic")
    count += report.new
result["entries"] = count
"""
    return run_measured(code)


def extraction(archive: Path) -> dict:
    """Load the archive and analyse every article; the cache is empty on the first call, full on the next."""
    code = f"""
from pathlib import Path
from ingest.model.load import load_knowledge
from ingest.site.urls import article_from_article
knowledge, _ = load_knowledge(Path({str(archive)!r}), local_url=article_from_article())
result["articles"] = len(knowledge.articles)
result["mentions"] = sum(len(n.mentions) for n in knowledge.notes.values())
"""
    return run_measured(code)


def export_bare_pages(project: Path, archive: Path, out: Path) -> int:
    """The pages our plugin generates, written as plain Markdown with their bodies inlined (the pages
    we make as HTML as raw HTML in it)."""
    code = f"""
from pathlib import Path
from ingest.model.load import load_knowledge
from ingest.site.pages import BODY_MARKER, SiteInfo, render_site
from ingest.site.urls import article_from_article
knowledge, _ = load_knowledge(Path({str(archive)!r}), local_url=article_from_article())
docs = Path({str(out)!r}) / "docs"
count = 0
for page in render_site(knowledge, SiteInfo()):
    text = page.markdown
    if page.html is not None:  # a page we make as HTML: the bare site gets the same HTML, as raw HTML
        text += "\\n" + page.html + "\\n"
    if page.body_html is not None:
        text = text.replace(BODY_MARKER, '<div markdown="0">' + page.body_html + "</div>")
    target = docs / page.src_uri
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    count += 1
for name in ("index.md", "about.md"):
    (docs / name).write_text(Path({str(project)!r}, "docs", name).read_text(), encoding="utf-8")
result["pages"] = count
"""
    pages = run_measured(code)["pages"]
    (out / "mkdocs.yml").write_text(textwrap.dedent("""
        site_name: Bare
        theme:
          name: material
          features: [navigation.tabs, navigation.indexes, navigation.prune]
        plugins: [search]
        markdown_extensions: [admonition, attr_list, tables, md_in_html, pymdownx.details, pymdownx.superfences,
                              {toc: {permalink: true}}]
        nav:
          - Home: index.md
          - Articles: articles/index.md
          - Patterns: patterns/index.md
          - Tags: tags/index.md
          - About: about.md
        not_in_nav: |
          /**
    """))
    return pages


def site_numbers(site: Path) -> dict:
    pages = [p for p in site.rglob("*.html")]
    sizes = sorted((p.stat().st_size, p) for p in pages)
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    bundles = [site / "pagefind", *site.glob("pagefind-*")]
    return {
        "pages": len(pages),
        "site_mb": total / 1e6,
        "html_mean_kb": sum(s for s, _ in sizes) / len(sizes) / 1e3,
        "html_max_kb": sizes[-1][0] / 1e3,
        "largest_page": str(sizes[-1][1].relative_to(site)),
        "search_index_mb": sum(p.stat().st_size for b in bundles for p in b.rglob("*") if p.is_file()) / 1e6,
        "search_shards": len(bundles),
        "search_first_query_mb": first_query_download(site, "retries back-off"),
    }


def first_query_download(site: Path, query: str) -> float:
    """MB a reader's browser downloads from the search index to show the first results of `query`."""
    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    loaded: list[int] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("RESILIENCE_KB_CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        page.on("response", lambda r: loaded.append(len(r.body())) if "/pagefind" in r.url else None)
        page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/")
        page.locator(".pagefind-ui__search-input").fill(query)
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        browser.close()
    httpd.shutdown()
    return sum(loaded) / 1e6


def quiet_fetches(project: Path, archive: Path, feed: Path) -> dict:
    """A scheduled run where nothing changed: a 304, and a 200 with the same content."""
    folder = feed.parent

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def end_headers(self):
            self.send_header("ETag", '"same"')
            super().end_headers()

        def do_GET(self):
            if self.path == "/etag" and self.headers.get("If-None-Match") == '"same"':
                self.send_response(304)
                self.end_headers()
                return
            self.path = "/" + feed.name
            super().do_GET()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    config = (project / "mkdocs.yml").read_text()
    start = config.index("      feeds:")
    end = config.index("\nmarkdown_extensions:")
    # The server is on 127.0.0.1, which the network policy refuses unless the project allows it.
    feeds = (f"      allow_private_addresses: true\n"
             f"      feeds:\n        - name: synthetic\n          url: http://127.0.0.1:{port}/etag\n")
    (project / "mkdocs.yml").write_text(config[:start] + feeds + config[end:])
    cli = [PYTHON, "-m", "ingest.cli", "-f", str(project / "mkdocs.yml"), "--archive", str(archive), "fetch"]
    command_measured(cli, ROOT)  # the first run records the feed's ETag
    before = _fingerprint(archive)
    not_modified = command_measured(cli, ROOT)["seconds"]
    unchanged_304 = _fingerprint(archive) == before
    (project / "mkdocs.yml").write_text(config[:start] + feeds.replace("/etag", "/plain") + config[end:])
    command_measured(cli, ROOT)  # the feed's state now names the other URL
    before = _fingerprint(archive)
    identical = command_measured(cli, ROOT)["seconds"]
    unchanged_200 = _fingerprint(archive) == before
    httpd.shutdown()
    return {"fetch_304_s": not_modified, "fetch_same_200_s": identical,
            "writes_nothing": unchanged_304 and unchanged_200}


def _fingerprint(archive: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(archive.rglob("*")):
        if path.is_file() and path.name not in (".lock", ".fetch-report.json"):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def benchmark(size: int, workdir: Path, only_analysis: bool = False) -> dict:
    folder = workdir / f"n{size}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    print(f"\n== {size:,} articles ({folder})", flush=True)
    feeds = write_feeds(folder / "feeds", size)
    archive = folder / "archive"
    numbers: dict = {"size": size}
    stage = ingest(feeds, archive)
    numbers.update(ingest_s=stage["seconds"], ingest_per_s=stage["entries"] / stage["seconds"],
                   ingest_peak_mb=stage["peak_mb"])
    print(f"ingest: {stage['entries']:,} entries in {stage['seconds']:.1f} s", flush=True)
    stage = extraction(archive)
    numbers.update(extract_s=stage["seconds"], extract_peak_mb=stage["peak_mb"])
    print(f"extraction: {stage['seconds']:.1f} s, peak {stage['peak_mb']:.0f} MB", flush=True)
    warm = extraction(archive)
    numbers.update(extract_warm_s=warm["seconds"])
    print(f"extraction again, from the cache: {warm['seconds']:.1f} s", flush=True)
    if only_analysis:
        return numbers
    project = make_project(folder)
    site = folder / "site"
    build = [PYTHON, "-m", "ingest.cli", "-v", "-f", str(project / "mkdocs.yml"), "--archive", str(archive),
             "build", "--site-dir", str(site)]
    # The scheduled run after a change of the code: no analysis cache, no search index cache (both in .cache).
    shutil.rmtree(archive / ".cache", ignore_errors=True)
    cold = runner_build(build, site)
    warm = runner_build(build, site)  # the caches restored, nothing changed
    numbers.update(build_cold_s=cold["seconds"], build_s=warm["seconds"], build_cold_cpu_s=cold["cpu_s"],
                   build_cpu_s=warm["cpu_s"], build_peak_mb=max(cold["tree_peak_mb"], warm["tree_peak_mb"]),
                   cold_stages=stage_seconds(cold["log"]), warm_stages=stage_seconds(warm["log"]))
    print(f"build: cold {cold['seconds']:.1f} s (CPU {cold['cpu_s']:.1f} s), warm {warm['seconds']:.1f} s "
          f"(CPU {warm['cpu_s']:.1f} s), process-tree peak {numbers['build_peak_mb']:.0f} MB; "
          f"stages cold {numbers['cold_stages']}, warm {numbers['warm_stages']}; warm: {pagefind_runs(warm['log'])}",
          flush=True)
    numbers.update(site_numbers(site))
    bare = folder / "bare"
    export_bare_pages(project, archive, bare)
    stage = tree_measured([PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(bare / "mkdocs.yml"), "-d",
                           str(bare / "site")], ROOT)
    numbers.update(bare_build_s=stage["seconds"], bare_peak_mb=stage["tree_peak_mb"],
                   cold_ratio=numbers["build_cold_s"] / stage["seconds"],
                   overhead=numbers["build_s"] / stage["seconds"])
    print(f"bare build: {stage['seconds']:.1f} s, peak {stage['tree_peak_mb']:.0f} MB", flush=True)
    # The bare site's search is Material's single file (useless to download at this size); give it
    # the same Pagefind index ours has, to see the overhead of everything else.
    pagefind = command_measured([PYTHON, "-m", "pagefind", "--site", str(bare / "site")], ROOT)
    numbers.update(bare_pagefind_s=stage["seconds"] + pagefind["seconds"],
                   overhead_same_search=numbers["build_s"] / (stage["seconds"] + pagefind["seconds"]))
    print(f"bare build + Pagefind: {numbers['bare_pagefind_s']:.1f} s", flush=True)
    numbers.update(new_article_build(folder, archive, size, build, site, numbers["bare_build_s"]))
    numbers["build_peak_mb"] = max(numbers["build_peak_mb"], numbers["build_peak_new_mb"])
    quiet_feed = write_feeds(folder / "quiet", 20, per_file=20, seed=2)[0]  # a feed of a usual size
    numbers.update(quiet_fetches(project, archive, quiet_feed))
    return numbers


def runner_build(build: list[str], site: Path) -> dict:
    """A build as the scheduled run makes it: into a site folder that is not there yet (a fresh
    checkout has none), like the bare build, so neither pays for emptying an old site."""
    shutil.rmtree(site, ignore_errors=True)
    return tree_measured(build, ROOT)


def new_article_build(folder: Path, archive: Path, size: int, build: list[str], site: Path, bare_s: float) -> dict:
    """The daily run: one new article filed into the archive (the feed's next item), then a warm build."""
    # The same feed one item longer: its first `size` items are the archived ones, byte for byte.
    new_item = write_feeds(folder / "new", size + 1, per_file=size)[-1]
    filed = ingest([new_item], archive)["entries"]
    if filed != 1:
        raise SystemExit(f"the new article's feed filed {filed} entries, not 1")
    after = runner_build(build, site)
    print(f"build after one new article: {after['seconds']:.1f} s (CPU {after['cpu_s']:.1f} s), "
          f"stages {stage_seconds(after['log'])}; {pagefind_runs(after['log'])}", flush=True)
    return {"build_new_s": after["seconds"], "build_new_cpu_s": after["cpu_s"], "new_ratio": after["seconds"] / bare_s,
            "new_stages": stage_seconds(after["log"]), "build_peak_new_mb": after["tree_peak_mb"]}


def table(rows: list[dict]) -> str:
    columns = [
        ("articles", "size", "{:,}"), ("ingest entries/s", "ingest_per_s", "{:.0f}"),
        ("ingest s", "ingest_s", "{:.1f}"), ("extraction s", "extract_s", "{:.1f}"),
        ("extraction peak MB", "extract_peak_mb", "{:.0f}"), ("extraction, cached s", "extract_warm_s", "{:.1f}"),
        ("cold build s", "build_cold_s", "{:.1f}"), ("cold build CPU s", "build_cold_cpu_s", "{:.1f}"),
        ("warm build s", "build_s", "{:.1f}"), ("warm build CPU s", "build_cpu_s", "{:.1f}"),
        ("warm, one new article s", "build_new_s", "{:.1f}"), ("… CPU s", "build_new_cpu_s", "{:.1f}"),
        ("build process-tree peak MB", "build_peak_mb", "{:.0f}"), ("bare build s", "bare_build_s", "{:.1f}"),
        ("bare peak MB", "bare_peak_mb", "{:.0f}"),
        ("cold / bare", "cold_ratio", "{:.2f}×"), ("warm / bare", "overhead", "{:.2f}×"),
        ("one new article / bare", "new_ratio", "{:.2f}×"), ("bare + Pagefind s", "bare_pagefind_s", "{:.1f}"),
        ("overhead, same search", "overhead_same_search", "{:.2f}×"), ("site MB", "site_mb", "{:.0f}"), ("pages", "pages", "{:,}"),
        ("HTML mean KB", "html_mean_kb", "{:.0f}"), ("HTML max KB", "html_max_kb", "{:.0f}"),
        ("search index MB", "search_index_mb", "{:.1f}"),
        ("first query download MB", "search_first_query_mb", "{:.2f}"),
        ("fetch 304 s", "fetch_304_s", "{:.2f}"), ("fetch unchanged 200 s", "fetch_same_200_s", "{:.2f}"),
        ("quiet fetch writes nothing", "writes_nothing", "{}"),
    ]
    lines = ["| " + " | ".join(title for title, _, _ in columns) + " |",
             "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(fmt.format(row[key]) for _, key, fmt in columns) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "resilience-kb-bench")
    parser.add_argument("--only", choices=["analysis"],
                        help="analysis: only ingest and the first and cached analysis, no builds")
    args = parser.parse_args()
    rows = [benchmark(size, args.workdir, only_analysis=args.only == "analysis") for size in args.sizes]
    if args.only == "analysis":
        print(f"\nMachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {os.uname().machine}\n")
        print("| articles | ingest s | first analysis s | analysis peak MB | analysis, cached s |\n|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['size']:,} | {r['ingest_s']:.1f} | {r['extract_s']:.1f} | {r['extract_peak_mb']:.0f} "
                  f"| {r['extract_warm_s']:.1f} |")
        (args.workdir / "results.json").write_text(json.dumps(rows, indent=2))
        return
    print(f"\nMachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {os.uname().machine}\n")
    print(table(rows))
    print("\nLargest page per size: " + "; ".join(f"{r['size']:,}: {r['largest_page']}" for r in rows))
    for row in rows:
        for build, total_key in (("cold", "build_cold_s"), ("warm", "build_s"), ("new", "build_new_s")):
            stages, total = row[f"{build}_stages"], row[total_key]
            build = "warm after one new article," if build == "new" else build
            shares = ", ".join(f"{name} {seconds:.1f} s ({seconds / total:.0%})" for name, seconds in stages.items())
            print(f"{row['size']:,} {build} build {total:.1f} s: {shares}")
    print(f"\nLoad average at the end (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    (args.workdir / "results.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
