"""The theme's parts that pages side by side share are rendered once (ingest/site/fragments.py):
the pages are byte for byte what rendering each in full gives."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from support import ROOT, make_project, run_cli
from ingest.site.fragments import Fragments

pytestmark = pytest.mark.slow

RENDER_EVERYTHING = '''
class _Never:
    """Keeps nothing, so that every page renders every part in full."""

    def get(self, name, page, base_url):
        return None

    def keep(self, name, page, base_url, made):
        return made


def on_env(env, config, files):
    env.globals["rkb_fragments"] = _Never()
    return env
'''


def test_pages_are_the_same_as_when_every_part_is_rendered_in_full(tmp_path, built_site):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8") + "\nhooks:\n  - render_everything.py\n"
    project = make_project(tmp_path, config)
    (project / "render_everything.py").write_text(RENDER_EVERYTHING, encoding="utf-8")
    site = tmp_path / "site"
    result = run_cli("build", "--site-dir", str(site), cwd=project)
    assert result.returncode == 0, result.stderr
    pages = sorted(p.relative_to(site) for p in site.rglob("*.html"))
    assert len(pages) > 80  # the bundled archive's 12 articles, their notes, tags and listings
    assert pages == sorted(p.relative_to(built_site) for p in built_site.rglob("*.html"))
    different = [str(p) for p in pages if (site / p).read_bytes() != (built_site / p).read_bytes()]
    assert different == []


@dataclass(eq=False)
class _Page:
    url: str
    parent: object | None = None


def test_a_part_is_shared_only_by_pages_in_the_same_place_outside_the_navigation():
    home, patterns = _Page(""), _Page("patterns/")
    fragments = Fragments([home, patterns])
    a, b, tag = _Page("articles/a/"), _Page("articles/b/"), _Page("tags/aws/")
    assert fragments.get("tabs", a, "../..") is None
    assert fragments.keep("tabs", a, "../..", "<nav>from a</nav>") == "<nav>from a</nav>"
    assert fragments.get("tabs", b, "../..") == "<nav>from a</nav>"  # articles/ holds both
    assert fragments.get("footer", b, "../..") is None  # another part
    assert fragments.get("tabs", tag, "../..") is None  # another folder
    # Pages in the navigation have an active item: never shared.
    fragments.keep("tabs", patterns, "..", "<nav>from patterns</nav>")
    assert fragments.get("tabs", patterns, "..") is None
    assert fragments.get("tabs", None, ".") is None  # a template that is not a page (404.html)


def test_a_page_above_a_navigation_page_is_rendered_in_full():
    # From sources/ a link to sources/feeds/ is written "feeds/", from tags/ "../sources/feeds/".
    fragments = Fragments([_Page(""), _Page("sources/feeds/")])
    above, beside = _Page("sources/"), _Page("tags/")
    fragments.keep("nav", above, "..", "<nav>from sources</nav>")
    fragments.keep("nav", beside, "..", "<nav>from tags</nav>")
    assert fragments.get("nav", above, "..") is None
    assert fragments.get("nav", _Page("reviews/"), "..") == "<nav>from tags</nav>"


def test_a_part_is_shared_only_under_the_same_parent():
    # Material marks the section a page belongs under active: its tab, its sidebar, its breadcrumb.
    articles, tags = object(), object()
    fragments = Fragments([_Page("")])
    fragments.keep("nav", _Page("articles/a/", articles), "../..", "<nav>Articles active</nav>")
    assert fragments.get("nav", _Page("articles/b/", articles), "../..") == "<nav>Articles active</nav>"
    assert fragments.get("nav", _Page("articles/c/", tags), "../..") is None


def test_a_navigation_page_shares_only_what_does_not_show_it():
    patterns = object()
    first, second, third = (_Page(f"patterns/{name}/", patterns) for name in ("a", "b", "c"))
    fragments = Fragments([_Page(""), first, second, third], linked=["patterns/a/"])
    fragments.keep("tabs", second, "../..", "<nav>tabs</nav>")
    assert fragments.get("tabs", third, "../..") == "<nav>tabs</nav>"  # the same links, the same tab active
    fragments.keep("nav", second, "../..", "<nav>b active</nav>")
    assert fragments.get("nav", third, "../..") is None  # the sidebar marks the page itself
    # The tabs link to patterns/a/: from there the link is "./", from its neighbours "../a/".
    assert fragments.get("tabs", first, "../..") is None
