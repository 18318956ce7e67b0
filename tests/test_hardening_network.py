"""The network policy against proxies, IPv6 forms of IPv4 addresses, and server text in our output.

Proxies: a real forwarding proxy on 127.0.0.1 (tests/proxyserver.py) and the variables set in the
environment of a fresh `resilience-kb` process, as a user's shell or CI runner sets them.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT, SEED, make_project, point_feed
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
