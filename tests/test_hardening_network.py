"""The network policy against proxies, IPv6 forms of IPv4 addresses, and server text in our output.

Proxies: a real forwarding proxy on 127.0.0.1 (tests/proxyserver.py) and the variables set in the
environment of a fresh `resilience-kb` process, as a user's shell or CI runner sets them.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from support import ROOT, SEED, make_project, point_feed
from proxyserver import ForwardingProxy
from ingest.archive.netguard import refused_reason

PUBLIC = "1.2.3.4"  # a public address the proxy "reaches" (it forwards everything to 127.0.0.1)


def fetch_through(project, proxy: ForwardingProxy, *, no_proxy: str = "", timeout: float = 60):
    """`resilience-kb fetch` in a fresh process with HTTP_PROXY and HTTPS_PROXY naming `proxy`."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(HTTP_PROXY=proxy.url, HTTPS_PROXY=proxy.url, NO_PROXY=no_proxy)
    return subprocess.run([sys.executable, "-m", "ingest.cli", "--archive", str(project / "archive"), "fetch"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=timeout)


def project_with(tmp_path, url: str, options: str = ""):
    project = make_project(tmp_path, with_archive=False, allow_private=False)
    point_feed(project, url + "".join(f"\n      {line}" for line in options.splitlines()))
    return project


@pytest.mark.parametrize("target", [
    "http://169.254.169.254/latest/meta-data/", "https://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/feed.xml", "http://[::169.254.169.254]/feed.xml", "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
])
def test_a_proxy_never_carries_a_request_to_a_private_or_metadata_target(tmp_path, server, target):
    # The proxy itself is allowed (its network is listed); what it would be asked to reach is not.
    server.feed("/latest/meta-data/", SEED.read_bytes())
    server.feed("/feed.xml", SEED.read_bytes())
    project = project_with(tmp_path, target, "allow_private_addresses: [127.0.0.0/8]")
    with ForwardingProxy(server.httpd.server_address[1]) as proxy:
        result = fetch_through(project, proxy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "address: refused" in result.stdout
    assert proxy.asked == [] and server.requests == []


def test_a_loopback_proxy_is_refused_by_default_and_the_message_names_it(tmp_path, server):
    server.feed("/feed.xml", SEED.read_bytes())
    project = project_with(tmp_path, f"http://{PUBLIC}/feed.xml")
    with ForwardingProxy(server.httpd.server_address[1]) as proxy:
        result = fetch_through(project, proxy)
        port = proxy.server.server_address[1]
    assert result.returncode == 1
    assert (f"adhorn: error, the proxy 127.0.0.1:{port} (set by HTTP_PROXY) is at 127.0.0.1, a loopback address: "
            f"refused") in result.stdout
    assert "allow_private_proxy: true" in result.stdout
    assert proxy.asked == []


def test_an_allowed_proxy_is_asked_to_tunnel_to_the_checked_address(tmp_path, server):
    server.feed("/feed.xml", SEED.read_bytes())
    project = project_with(tmp_path, f"http://{PUBLIC}/feed.xml", "allow_private_proxy: true")
    with ForwardingProxy(server.httpd.server_address[1]) as proxy:
        result = fetch_through(project, proxy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("adhorn: 200, ")
    assert proxy.asked == [f"CONNECT {PUBLIC}:80"]
    [(path, headers)] = server.requests
    assert (path, headers["Host"]) == ("/feed.xml", PUBLIC)


def test_no_proxy_sends_a_host_straight_to_its_checked_address(tmp_path, server):
    url = server.feed("/feed.xml", SEED.read_bytes())
    project = project_with(tmp_path, url, "allow_private_addresses: true")
    with ForwardingProxy(server.httpd.server_address[1]) as proxy:
        result = fetch_through(project, proxy, no_proxy="127.0.0.1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert proxy.asked == [] and [p for p, _ in server.requests] == ["/feed.xml"]


def test_a_proxy_that_refuses_the_tunnel_is_named_with_its_answer(tmp_path, server):
    project = project_with(tmp_path, f"http://{PUBLIC}/feed.xml", "allow_private_proxy: true")
    with ForwardingProxy(server.httpd.server_address[1], refuse="403 \x1b[31mForbidden\n::error::x") as proxy:
        result = fetch_through(project, proxy)
        port = proxy.server.server_address[1]
    assert result.returncode == 1
    [line] = [l for l in result.stdout.splitlines() if l.startswith("adhorn")]
    assert line.startswith(f"adhorn: error, the proxy 127.0.0.1:{port} (set by HTTP_PROXY) refused to connect to "
                           f"{PUBLIC} ({PUBLIC}:80): 403 \\x1b[31mForbidden")
    assert "\x1b" not in result.stdout + result.stderr


# -- IPv6 addresses that carry an IPv4 address ---------------------------------------------------

@pytest.mark.parametrize("address, refused", [
    ("64:ff9b::7f00:1", "loopback"), ("64:ff9b::a9fe:a9fe", "link-local (cloud metadata)"),
    ("64:ff9b::a00:5", "private"), ("64:ff9b:1::7f00:1", "loopback"), ("64:ff9b:1::808:808", "local-use NAT64"),
    ("2002:7f00:1::", "loopback"), ("2002:a9fe:a9fe::1", "link-local"), ("2002:c0a8:101::", "private"),
    ("::127.0.0.1", "loopback"), ("::169.254.169.254", "link-local"), ("::10.0.0.1", "private"),
    ("::ffff:10.0.0.1", "private"), ("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),
    ("::", "an unspecified address"), ("0.0.0.0", "an unspecified address"),
    ("64:ff9b::808:808", None), ("2002:808:808::1", None), ("::ffff:8.8.8.8", None),
])
def test_ipv6_forms_of_ipv4_addresses_are_judged_by_the_ipv4_address(address, refused):
    # Teredo's client address is stored inverted: 80ff:fffe is 127.0.0.1.
    reason = refused_reason(address)
    assert (reason is None) if refused is None else (refused in (reason or "")), reason



@pytest.mark.parametrize("address, refused", [
    ("224.0.0.1", "a multicast address"), ("239.255.255.250", "a multicast address"),
    ("224.0.1.1", "a multicast address"), ("ff02::1", "a multicast address"), ("ff0e::1", "a multicast address"),
    ("fec0::1", "a site-local address"), ("::ffff:224.0.0.1", "a multicast address"),
    ("8.8.8.8", None), ("2606:4700::1111", None),
])
def test_multicast_and_site_local_addresses_are_refused(address, refused):
    # Python's ipaddress counts 224.0.1.0/24, most of ff0e::/16 and fec0::/10 as global; none is a feed's server.
    assert refused_reason(address) == refused or (refused is not None and refused in (refused_reason(address) or "")), \
        refused_reason(address)

# -- What a server sends, in our output ------------------------------------------------------------

# What a hostile server puts in a reason phrase or header: a GitHub Actions command, ANSI escapes
# (colour, clear screen, a window title ended by BEL), a C1 control, a Unicode line separator.
COMMANDS = "::add-mask::\x1b[31m\x1b[2J\x1b]0;owned\x07 ::stop-commands::tok ##[error]x \x9b2J\u2028::error::y"


def assert_inert(text: str) -> None:
    """Nothing in `text` is a control character, and no line of it starts a workflow command."""
    assert not [c for c in text if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) <= 0x9f or c in "\u2028\u2029"]
    assert not [line for line in text.splitlines() if line.lstrip().startswith("::")]
    assert "##[" not in text


def run_in(project, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ingest.cli", "--archive", str(project / "archive"), *args],
                          cwd=project, capture_output=True, text=True, timeout=timeout)


def raw_reply(status: str, *headers: str, body: bytes = b""):
    """A route handler that writes its status line and headers as given (http.server would check them)."""
    def handle(request):
        head = [f"HTTP/1.1 {status}", *headers, f"Content-Length: {len(body)}", "Connection: close", "", ""]
        request.wfile.write("\r\n".join(head).encode("utf-8") + body)
        request.close_connection = True
    return handle


@pytest.mark.parametrize("route", ["redirect loop", "HTTP error reason", "bad content type"])
def test_server_text_reaches_the_output_and_the_report_as_one_inert_line(tmp_path, server, route):
    from support import Response

    reply = {
        "redirect loop": raw_reply(f"302 {COMMANDS}", "Location: /feed.xml"),
        "HTTP error reason": raw_reply(f"503 {COMMANDS}"),
        "bad content type": raw_reply("200 OK", f"Content-Type: text/html{COMMANDS}", body=b"<html>no feed</html>"),
    }[route]
    server.routes["/feed.xml"] = Response(handler=reply)
    project = project_with(tmp_path, server.url("/feed.xml"), "allow_private_addresses: true")
    result = run_in(project, "fetch")
    assert result.returncode == 1
    [summary] = result.stdout.splitlines()
    assert summary.startswith("adhorn: error, ")
    assert len(result.stderr.splitlines()) == 1  # the one ERROR line of the feed
    markdown, json_report = run_in(project, "report").stdout, run_in(project, "report", "--json").stdout
    for text in (result.stdout, result.stderr, markdown, json_report):
        assert_inert(text)
    if route == "redirect loop":
        assert "more than 5 redirects, or a redirect loop" in summary
    else:
        assert "\\x1b[31m" in summary  # escaped, not dropped: the message still shows what was sent


def test_a_feed_link_in_a_warning_is_one_inert_line(tmp_path, server):
    first = SEED.read_bytes()
    link = "<link>https://dev.to/adhorn</link>"  # the channel's link (the first), then the image's
    url = server.feed("/feed.xml", first)
    project = project_with(tmp_path, url, "allow_private_addresses: true")
    assert run_in(project, "fetch").returncode == 0
    hostile = first.replace(link.encode(), "<link>https://other.example/\n::error::owned \x1b[2J</link>".encode(), 1)
    server.feed("/feed.xml", hostile)
    result = run_in(project, "fetch")
    assert result.returncode == 0
    assert "now describes another site" in result.stderr
    for text in (result.stdout, result.stderr, run_in(project, "report").stdout):
        assert_inert(text)


def test_every_log_record_is_one_inert_line():
    import logging

    from ingest.logs import _Formatter

    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "article %s: %s", ("T\n::error::x", COMMANDS), None)
    line = _Formatter(tracebacks=False).format(record)
    assert line.startswith("WARNING -  article T\\x0a::error::x: ::add-mask::\\x1b[31m")
    assert_inert(line)
    try:  # with -v a record's traceback follows it, each of its lines as inert as the message
        raise ValueError("reason\n::stop-commands::x")
    except ValueError:
        import sys
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "feed %s", ("T\n::error::x",), sys.exc_info())
    lines = _Formatter(tracebacks=True).format(record).split("\n")
    assert lines[0] == "ERROR   -  feed T\\x0a::error::x" and lines[1] == "Traceback (most recent call last):"
    assert any("stop-commands" in line for line in lines) and all(not line.lstrip().startswith("::") for line in lines)


def test_proxy_variables_are_read_as_urllib_reads_them(monkeypatch):
    from ingest.archive.proxy import ProxyFailed, proxy_for

    for name in [k for k in os.environ if k.lower().endswith("_proxy")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")  # for other tools: not ours to use
    assert proxy_for("https", "example.org") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://user:p%40ss@proxy.internal:3128")
    proxy = proxy_for("https", "example.org")
    assert (proxy.host, proxy.port, proxy.variable, proxy.credentials) == ("proxy.internal", 3128, "HTTPS_PROXY",
                                                                            "user:p@ss")
    monkeypatch.setenv("NO_PROXY", ".example.org")
    assert proxy_for("https", "feeds.example.org") is None
    monkeypatch.setenv("HTTPS_PROXY", "socks5://127.0.0.1:1080")
    with pytest.raises(ProxyFailed, match="HTTPS_PROXY is 'socks5://127.0.0.1:1080': only an http:// proxy"):
        proxy_for("https", "other.example")


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow
