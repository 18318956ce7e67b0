"""Word sense beyond a list of context words (issue 22): a pattern term used in another topic's sense.

Each class of the issue, seen on real articles, on a short article written for the test:
the article is about running software (servers, failures, latency), so the old rule
read each term below as its pattern. The sense is told by the words next to the term,
in its sentence, around it and in the whole article (extract/senses.py, vocab/senses.yml).
Each article also keeps a mention of the same pattern in its sense, where it has one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.model.html.clean import clean_html
from ingest.model.extract import extract_notes
from ingest.model.extract.vocabulary import VOCAB_DIR as VOCABULARY_DIR, VocabularyError, load_vocabulary

VOCABULARY = load_vocabulary()


def mentions(html: str, vocabulary=VOCABULARY) -> set[tuple[str, str]]:
    return {(m.pattern, m.text) for m in extract_notes(clean_html(html).document, vocabulary).mentions}


def passages(html: str, pattern: str) -> list[str]:
    return sorted(text for p, text in mentions(html) if p == pattern)


ROUTING = """
<p>Our service runs on a fleet of servers in two data centers, and the network between them is a mesh of
routers. When a link fails, the routing protocol converges on another path within a second, and the outage
that a client sees is short.</p>
<p>Each node picks a preferred parent and a backup parent among its neighbors, and keeps a copy of the routes
it learns from both.</p>
<p>When the preferred parent stops answering, the node switches to the backup parent to recover without
waiting for the topology to converge.</p>
<p>We back up the configuration database to object storage every night and restore it in a test cluster each
week.</p>
"""


def test_a_standby_route_or_parent_is_not_a_backup():
    found = passages(ROUTING, "backups")
    assert not any("backup parent" in text for text in found), found
    assert any(text.startswith("We back up the configuration database") for text in found)


PROCESSORS = """
<p>We profiled the request path of our storage servers under production traffic to find where latency goes.
Most of the time is spent in the kernel and the NIC, not in our own code.</p>
<p>A lookup in the hash table misses the L1 and L2 caches of the CPU, and each miss of the last-level cache
costs a hundred cycles while the core waits for DRAM.</p>
<p>Packing the hot fields into one cache line made the lookup twice as fast: the processor now prefetches
the next entry while it works on this one.</p>
<p>In front of the database, a cache of rendered pages answers most requests, so the database sees only the
misses.</p>
"""


def test_processor_caches_are_not_the_caching_pattern():
    found = passages(PROCESSORS, "caching")
    assert not any("L1 and L2" in text or "cache line" in text for text in found), found
    assert any(text.startswith("In front of the database, a cache") for text in found)


BILLING = """
<p>Our billing service is a set of workers that read events from a queue and call the payment provider's
API. Each request has a timeout, and failed requests to the provider are retried with exponential back-off
and an idempotency key, so that a network error never charges a customer twice.</p>
<p>When a subscription renewal fails because the card is declined, we retry the charge three days later,
and again after a week, before the subscription lapses.</p>
<p>Customers whose renewal payment was retried twice get an email asking them to update their card.</p>
"""


def test_charging_a_customer_again_is_not_a_request_retry():
    found = passages(BILLING, "retries")
    assert not any("renewal" in text for text in found), found
    assert any(text.startswith("Each request has a timeout") for text in found)


SENSORS = """
<p>The platform ingests readings from a sensor network of ten thousand devices in the field; the servers
behind it run in one region, and their latency and error rates are on our dashboards.</p>
<p>The sensors monitor the temperature and humidity of the soil, and a battery-powered gateway sends their
readings every minute.</p>
<p>A power dashboard in the control room monitors the energy that each solar panel produces.</p>
<p>At the edge, a firewall monitors incoming packets and drops those that match an intrusion signature.</p>
<p>We monitor the ingestion service's error rate and alarm when it passes one percent.</p>
"""


def test_monitoring_the_physical_world_is_not_monitoring_software():
    found = passages(SENSORS, "monitoring")
    assert not any(word in text for text in found for word in ("soil", "solar", "firewall")), found
    assert any(text.startswith("We monitor the ingestion service") for text in found)


TRANSACTIONS = """
<p>The database behind our service runs in three availability zones, and a failure of one zone costs
clients a few seconds of latency while a replica takes over.</p>
<p>Under serializable isolation, two transactions that read and write the same rows cannot both commit; one
of them aborts and the client sees a serialization failure.</p>
<p>Weaker isolation, such as read committed or snapshot isolation, lets write skew anomalies through.</p>
<p>Each tenant's workers run in their own cells, and that isolation keeps a failure in one tenant from taking
down the others.</p>
"""


def test_transaction_isolation_is_not_fault_isolation():
    found = passages(TRANSACTIONS, "fault-isolation")
    assert not any("serializable" in text or "write skew" in text for text in found), found
    assert any(text.startswith("Each tenant's workers run in their own cells") for text in found)


PROBES = """
<p>We measure the network between our data centers with probes: every server sends a ping to a sample of
other servers each second, and the round-trip time and packet loss go to the monitoring cluster.</p>
<p>The jitter of the probes, the spread of their round-trip times, tells us when a link is congested before
the packet loss shows it.</p>
<p>Clients retry failed requests with exponential back-off and jitter, so that they do not all come back at
once after an outage.</p>
"""


def test_the_jitter_of_network_probes_is_not_back_off_jitter():
    found = passages(PROBES, "back-off")
    assert not any("spread of their round-trip" in text for text in found), found
    assert any(text.startswith("Clients retry failed requests") for text in found)


CREDENTIALS = """
<p>Each service instance fetches its database credentials from the secrets store at start-up, and the
servers renew them before they lapse, so that a failure of the store does not cause an outage at once.</p>
<p>A credential's lease times out after an hour unless the client renews the lease with its token.</p>
<p>To reject replayed requests, the API keeps a cache of the timestamps and nonces it has seen in the last
five minutes, and a signature with a timestamp older than that is refused.</p>
<p>Calls to the secrets store have a timeout of two seconds, and on a timeout the service keeps the
credentials it has.</p>
"""


def test_a_leases_timeout_and_a_store_of_timestamps_are_other_mechanisms():
    assert not any("lease times out" in text for text in passages(CREDENTIALS, "timeouts"))
    assert any(text.startswith("Calls to the secrets store have a timeout") for text in passages(CREDENTIALS,
                                                                                                 "timeouts"))
    assert not any("replayed" in text for text in passages(CREDENTIALS, "caching"))


CHIPS = """
<p>Hardware faults also cause outages in the cloud: a server whose CPU computes wrong results corrupts data
silently, and the failure of a fleet's worth of such chips is hard to find.</p>
<p>Chip makers run fault injection campaigns on their silicon: they glitch the voltage or the clock, or fire
a laser at the die, and record which bit flips the processor survives.</p>
<p>Their fault injection studies show that a soft error in a register can flip the result of a cryptographic
operation.</p>
<p>In our own services, chaos engineering experiments inject failures into dependencies in production to
test how the system copes.</p>
"""


def test_chip_makers_fault_injection_is_not_chaos_engineering():
    found = passages(CHIPS, "chaos-engineering")
    assert not any("silicon" in text or "soft error" in text for text in found), found
    assert any(text.startswith("In our own services, chaos engineering") for text in found)


def _recurring_article() -> str:
    """A long article on a routing protocol that names "backup" in its sense of standby route again and again."""
    sentences = [
        "The routing protocol keeps a backup route for every prefix it learns from its neighbors.",
        "A router installs the backup route in its forwarding table next to the primary path.",
        "When the link to the next hop goes down, traffic moves to the backup path at once.",
        "Each backup next hop is checked with probes so that a dead path is never chosen.",
        "The backup parent of a node in the mesh is the neighbor with the second best link.",
        "We measured how often the backup was used during the failure of a data center uplink.",
        "In that failure, every router had a backup ready and the outage lasted under a second.",
    ]
    return ("<p>Our network serves the traffic of every service in production, across regions and data centers, "
            "and its failures are incidents like any other outage of our infrastructure.</p>"
            + "".join(f"<p>{sentence}</p>" for sentence in sentences))


def test_an_article_that_uses_a_term_in_another_sense_again_and_again_gives_it_no_passage():
    found = passages(_recurring_article(), "backups")
    assert found == [], found


def test_the_topics_are_data_a_user_can_extend(tmp_path):
    folder = Path(VOCABULARY_DIR)
    for name in ("patterns.yml", "biases.yml", "operations.yml"):
        (tmp_path / name).write_text((folder / name).read_text(encoding="utf-8"), encoding="utf-8")
    article = ("<p>Our service runs on servers in production, and its latency, errors and outages are on our "
               "dashboards; each failure is an incident.</p>"
               "<p>The bakery's ovens keep a cache of warm loaves, so the morning rush sees no latency.</p>")
    assert ("caching", "The bakery's ovens keep a cache of warm loaves, so the morning rush sees no latency.") in mentions(
        article, load_vocabulary(tmp_path))
    (tmp_path / "senses.yml").write_text(
        "- id: baking\n  name: Baking\n  terms: [cache]\n  cues: [bakery, oven, ovens, loaves, bread]\n",
        encoding="utf-8")
    assert not any(p == "caching" for p, _ in mentions(article, load_vocabulary(tmp_path)))


@pytest.mark.parametrize("text, message", [
    ("- id: baking\n  name: Baking\n  terms: [croissant]\n  cues: [oven]\n", "'croissant' is not a term"),
    ("- id: baking\n  name: Baking\n  terms: [cache]\n", "missing cues"),
    ("- id: baking\n  name: Baking\n  terms: cache\n  cues: [oven]\n", "must be lists"),
])
def test_a_malformed_topic_names_the_file_and_entry(tmp_path, text, message):
    folder = Path(VOCABULARY_DIR)
    for name in ("patterns.yml", "biases.yml", "operations.yml"):
        (tmp_path / name).write_text((folder / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "senses.yml").write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyError, match=message) as raised:
        load_vocabulary(tmp_path)
    assert "senses.yml: entry 1 (baking)" in str(raised.value)



DESK = """
<p>Our team runs the servers of a small cloud region, and each outage of the infrastructure is an incident
with a postmortem; we monitor the latency of every service and alarm on its error rate.</p>
<p>In the data center, a crash cart with a keyboard and monitor lets an engineer troubleshoot a server whose
network is down.</p>
"""


def test_a_screen_on_a_crash_cart_is_not_monitoring():
    found = passages(DESK, "monitoring")
    assert not any("keyboard" in text for text in found), found
    assert any("we monitor the latency" in text for text in found)


FUNCTIONS = """
<p>Our API runs on servers behind a load balancer, and the background work runs as serverless functions
that read from a queue; a failure of one function never blocks a request.</p>
<p>Functions have a timeout of ten minutes, so a long-running job belongs in a batch worker instead.</p>
<p>Each call from a function to the database has a timeout of two seconds, after which the request fails
fast.</p>
"""


def test_a_functions_cap_on_run_time_is_not_a_callers_timeout():
    found = passages(FUNCTIONS, "timeouts")
    assert not any("ten minutes" in text for text in found), found
    assert any(text.startswith("Each call from a function to the database") for text in found)
