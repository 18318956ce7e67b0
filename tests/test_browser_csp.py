"""The site's Content-Security-Policy, in real headless Chromium: no page of the built site breaks
it (search included), and a script planted in a built page afterwards is refused.

The built site is served from 127.0.0.1 (the site_url fixture); the planted page is a copy in tmp_path.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading

from support import QuietServer

LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def violations(page, url: str) -> list[str]:
    page.goto(url, wait_until="load")
    page.wait_for_timeout(50)
    return page.evaluate("window.__violations")


def test_every_page_carries_the_policy_and_none_breaks_it(browser, built_site, site_url):
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    assert len(pages) > 50
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    broken = {}
    for path in pages:
        html = (built_site / path).read_text(encoding="utf-8")
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert policy, path
        for directive in ("script-src 'self'", "img-src 'self' data:", "media-src 'none'",
                          "object-src 'none'", "base-uri 'none'", "form-action 'none'"):
            assert directive in policy.group(1), (path, directive)
        # Images from elsewhere: only the https origins the page hot-links, each named, never any https host.
        others = re.search(r"img-src 'self' data:([^;]*);", policy.group(1)).group(1).split()
        assert all(re.fullmatch(r"https://[a-z0-9.-]+\.[a-z]+", o) for o in others), (path, others)
        if not path.startswith("articles/"):
            assert others == [], path
        found = violations(page, site_url + path.removesuffix("index.html"))
        if found:
            broken[path] = found
    # Search runs WebAssembly and loads its index: the policy must let it work.
    page.goto(site_url, wait_until="load")
    page.locator(".pagefind-ui__search-input").fill("bulkhead")
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
    found = page.evaluate("window.__violations")
    if found:
        broken["search"] = found
    context.close()
    assert broken == {}


def test_a_script_planted_in_a_built_page_is_blocked(browser, built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    page_file = site / "index.html"
    html = page_file.read_text(encoding="utf-8")
    planted = "<script>document.title = 'rkb-pwned'; window.__planted = true;</script>"
    page_file.write_text(html.replace("</body>", planted + "</body>", 1), encoding="utf-8")
    # and an inline handler, and a plugin object
    page_file.write_text(page_file.read_text().replace(
        "</body>", '<img src="x" onerror="window.__handler = true"><object data="x.swf"></object></body>', 1))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = QuietServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        context = browser.new_context()
        context.add_init_script(LISTEN)
        page = context.new_page()
        found = violations(page, f"http://127.0.0.1:{httpd.server_address[1]}/")
        assert page.evaluate("window.__planted === undefined && window.__handler === undefined")
        assert page.title() != "rkb-pwned"
        assert any(v.startswith("script-src-elem inline") for v in found), found
        assert any(v.startswith("script-src-attr inline") for v in found), found
        assert any(v.startswith("object-src") for v in found), found
        # The theme's own inline scripts (hashed) did run: its palette script reads __md_get, defined inline.
        assert page.evaluate("typeof window.__md_get") == "function"
        context.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
