"""What the build holds in memory and how it writes large files: one copy of each article body,
knowledge.json written in pieces with the same bytes as the whole document."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin

from support import make_project
from ingest.atomic import open_atomic
from ingest.model.export import knowledge_data, write_knowledge_json

pytestmark = pytest.mark.slow

DIGEST_2 = "aws-re-invent-2020-digest-part-2-27pn-46c2c96548"
# A sentence of that article's body, as the feed has it.
SENTENCE = "AWS Fault Injection Simulator is a fully managed chaos engineering service"


class Probe(BasePlugin):
    """Looks at what MkDocs holds once every page has been converted, before any is written."""

    def __init__(self) -> None:
        self.contents: dict[str, str] = {}

    def on_env(self, env, *, config, files):
        self.contents = {f.src_uri: f.page.content for f in files.documentation_pages() if f.page is not None}
        return env


@pytest.fixture(scope="module")
def probed_build(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("memory"))
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"), strict=True)
    probe = Probe()
    config.plugins["probe"] = probe
    config.plugins.run_event("startup", command="build", dirty=False)
    build(config)
    return project, config.plugins["resilience-kb"], probe


def test_mkdocs_holds_no_second_copy_of_an_article_body(probed_build):
    project, plugin, probe = probed_build
    articles = [a for a in plugin.knowledge.articles if a.body.html]
    assert len(articles) == 12
    for article in articles:
        held = probe.contents[f"articles/{article.id}.md"]
        assert article.body.html not in held, article.id
        assert len(held) < len(article.body.html), article.id
    assert SENTENCE not in probe.contents[f"articles/{DIGEST_2}.md"]
    written = (project / "site" / "articles" / DIGEST_2 / "index.html").read_text(encoding="utf-8")
    assert SENTENCE in " ".join(BeautifulSoup(written, "lxml").select_one("article").get_text(" ").split())


def test_site_knowledge_json_written_in_pieces_is_the_whole_document(probed_build):
    project, plugin, _ = probed_build
    whole = json.dumps(knowledge_data(plugin.knowledge), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert (project / "site" / "knowledge.json").read_bytes() == whole.encode("utf-8")
    assert json.loads(whole)["articles"][0]["id"] == plugin.knowledge.articles[0].id


def test_a_failed_streamed_write_leaves_the_old_file_and_no_temporary(probed_build, tmp_path):
    _, plugin, _ = probed_build
    target = tmp_path / "knowledge.json"
    target.write_text("old\n", encoding="utf-8")

    class Full(Exception):
        pass

    with pytest.raises(Full):
        with open_atomic(target) as handle:
            write_knowledge_json(plugin.knowledge, handle)
            raise Full("the disk filled up")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["knowledge.json"]
    with open_atomic(target) as handle:
        write_knowledge_json(plugin.knowledge, handle)
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == 1
