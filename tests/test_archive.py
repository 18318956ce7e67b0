"""The archive: ids, atomic batches, the lock, and clear errors on damaged files."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from contextlib import contextmanager

import pytest

from support import ROOT, run_cli, snapshot
from ingest.archive.store import Archive, ArchiveError, ArchiveLocked, FeedState, candidate_ids, entry_id

NOW = "2026-01-01T00:00:00Z"


def test_ids_are_readable_stable_and_safe():
    key = "https://dev.to/aws/ten-lessons-from-twelve-years-of-aws-59b2"
    assert entry_id(key) == entry_id(key)
    assert entry_id(key).startswith("ten-lessons-from-twelve-years-of-aws-59b2-")
    assert entry_id("https://medium.com/p/16f4e8603a33").startswith("16f4e8603a33-")
    assert entry_id("http://ibash.org.ru/quote.php?id=17703").startswith("quote-php-id-17703-")
    assert entry_id("tag:typepad.com,2003:post-61484736").startswith("post-61484736-")


@pytest.mark.parametrize("key", [
    "../../etc/passwd", "/absolute/path", "C:\\Windows\\system32", "CON", "…" * 300,
    "https://example.com/ｐａｓｓ", "https://xn--80ak6aa92e.com/../..", "", " ", "a/../../b",
])
def test_ids_never_leave_the_entries_folder(key):
    for candidate in candidate_ids(key):
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,60}[a-z0-9]", candidate), candidate


def test_a_key_colliding_with_another_entry_gets_the_longer_id(tmp_path):
    archive = Archive(tmp_path)
    key = "https://example.com/notes-on-retries"
    short, long = candidate_ids(key)
    archive.entries_dir.mkdir(parents=True)
    squatter = {"id": short, "key": "https://other.example/notes-on-retries", "feed": "f", "first_seen": NOW, "updated": None,
                "content_hash": "sha256:0", "revisions": [], "entry": {}}
    (archive.entries_dir / f"{short}.json").write_text(json.dumps(squatter))
    with archive.batch() as batch:
        change, record = batch.store({"title": "mine"}, key=key, feed="f", now=NOW)
    assert (change, record.id) == ("new", long)
    assert json.loads((archive.entries_dir / f"{short}.json").read_text())["key"] == \
        "https://other.example/notes-on-retries"


@pytest.mark.parametrize(("key", "title", "start"), [
    ("tag:blogger.com,1999:blog-24599054.post-8307208542654788451", "Chapter 12: Closing Credits",
     "chapter-12-closing-credits-"),
    ("42547605", "Privacy-Preserving Compromised Credential Checking", "privacy-preserving-compromised-credential-"),
    ("0123456789abcdef0123456789abcdef01234567", "Last thoughts on modifier keys", "last-thoughts-on-modifier-keys-"),
    ("http://onefoottsunami.com/?p=14863", "Perverse Incentives", "perverse-incentives-"),
    ("14645@http://i.hoder.com/", "پروژه‌ی هاروارد، قدم دوم", "prwzhhy-hrwrd-qdm-dwm-"),  # anyascii's Persian
    ("urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", "Цитата", "tsitata-"),
    ("https://dev.to/aws/ten-lessons-from-twelve-years-of-aws-59b2", "Another title",
     "ten-lessons-from-twelve-years-of-aws-59b2-"),  # a readable guid keeps its own words
])
def test_an_opaque_guid_gives_an_id_from_the_title(key, title, start):
    assert entry_id(key, title).startswith(start)
    assert entry_id(key, title).endswith(entry_id(key)[-10:])  # the hash of the key, as before


def test_an_archived_entry_keeps_its_id_when_the_rules_or_its_title_change(tmp_path):
    archive = Archive(tmp_path)
    key = "tag:blogger.com,1999:blog-24599054.post-8307208542654788451"
    old_id = entry_id(key)  # the id an older version gave it, from the guid alone
    archive.entries_dir.mkdir(parents=True)
    record = {"id": old_id, "key": key, "feed": "f", "first_seen": NOW, "updated": None,
              "content_hash": "sha256:0", "revisions": [], "entry": {"title": "First title"}}
    (archive.entries_dir / f"{old_id}.json").write_text(json.dumps(record))
    with archive.batch() as batch:
        change, stored = batch.store({"title": "A new title"}, key=key, feed="f", now=NOW)
    assert (change, stored.id) == ("updated", old_id)
    with archive.batch() as batch:
        change, stored = batch.store({"title": "Brand new"}, key=key + "1", feed="f", now=NOW)
        assert stored.id.startswith("brand-new-")
    with archive.batch() as batch:
        change, again = batch.store({"title": "Renamed later"}, key=key + "1", feed="f", now=NOW)
    assert (change, again.id) == ("updated", stored.id)
    assert sorted(p.stem for p in archive.entries_dir.glob("*.json")) == sorted([old_id, stored.id])


def test_a_failed_batch_changes_nothing_and_leaves_no_temporaries(tmp_path):
    archive = Archive(tmp_path)
    with archive.batch() as batch:
        batch.store({"title": "kept"}, key="https://example.com/1", feed="f", now=NOW)
    before = snapshot(tmp_path)
    with pytest.raises(RuntimeError):
        with archive.batch() as batch:
            batch.store({"title": "changed"}, key="https://example.com/1", feed="f", now=NOW)
            batch.store({"title": "new"}, key="https://example.com/2", feed="f", now=NOW)
            raise RuntimeError("disk went away")
    assert snapshot(tmp_path) == before
    assert not list(tmp_path.rglob(".*.tmp"))


def test_unwritable_archive_is_a_clear_error_and_nothing_changes(tmp_path):
    # Permissions do not stop root (as CI runs); a file where a folder should be stops everyone.
    archive = Archive(tmp_path)
    archive.root.mkdir(exist_ok=True)
    archive.feeds_dir.write_text("not a folder")
    before = snapshot(tmp_path)
    with pytest.raises(ArchiveError, match=r"cannot write .*feeds/f\.json: .*(File exists|Not a directory)"):
        with archive.batch() as batch:
            batch.store({"title": "new"}, key="https://example.com/2", feed="f", now=NOW)
            batch.save_feed_state(FeedState(name="f", title="t"))
    assert snapshot(tmp_path) == before


def test_full_disk_is_a_clear_error_and_nothing_changes(tmp_path):
    """A file-size limit makes the write fail as a full disk would (EFBIG instead of ENOSPC)."""
    archive = Archive(tmp_path / "archive")
    with archive.batch() as batch:
        batch.store({"title": "kept"}, key="https://example.com/1", feed="f", now=NOW)
    before = snapshot(archive.root)
    script = textwrap.dedent(f"""
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))
        from ingest.archive.store import Archive, ArchiveError
        archive = Archive({str(archive.root)!r})
        try:
            with archive.batch() as batch:
                batch.store({{"title": "small"}}, key="https://example.com/2", feed="f", now="{NOW}")
                batch.store({{"title": "x" * 5000}}, key="https://example.com/3", feed="f", now="{NOW}")
        except ArchiveError as e:
            print(e)
            sys.exit(3)
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 3, result.stderr
    assert re.fullmatch(r"cannot write .*\.json: File too large\n", result.stdout)
    assert snapshot(archive.root) == before


def test_damaged_entry_file_is_named_in_the_error(tmp_path):
    archive = Archive(tmp_path)
    archive.entries_dir.mkdir(parents=True)
    (archive.entries_dir / "broken-1234567890.json").write_text('{"id": "broken", "entry": ')
    with pytest.raises(ArchiveError, match=r"broken-1234567890\.json: damaged JSON .*restore it with git"):
        [archive.read_entry(path) for path in archive.entry_paths()]


def test_temporaries_of_a_killed_run_are_ignored_and_then_removed(tmp_path):
    archive = Archive(tmp_path)
    with archive.batch() as batch:
        batch.store({"title": "kept"}, key="https://example.com/1", feed="f", now=NOW)
    leftover = archive.entries_dir / ".half-written.json.999-0.tmp"
    leftover.write_text('{"id": ')
    assert [r.entry["title"] for r in [archive.read_entry(path) for path in archive.entry_paths()]] == ["kept"]
    with archive.lock():
        pass
    assert not leftover.exists()


@contextmanager
def lock_held_elsewhere(folder):
    """Another process holding the archive's lock until the block ends (then it is killed)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import time
            from ingest.archive.store import Archive
            with Archive({str(folder)!r}).lock():
                print("locked", flush=True)
                time.sleep(60)
        """)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_second_run_is_refused_while_the_lock_is_held(tmp_path):
    archive = Archive(tmp_path)
    with lock_held_elsewhere(tmp_path) as holder:
        with pytest.raises(ArchiveLocked, match=rf"in use by another resilience-kb run \(pid {holder.pid}\)"):
            with archive.lock():
                pass
    with archive.lock():  # released when its holder died
        pass


def test_cli_reports_the_lock_in_one_line(tmp_path):
    with lock_held_elsewhere(tmp_path):
        result = run_cli("--archive", str(tmp_path), "fetch", "--feed", str(ROOT / "tests/fixtures/adhorn-devto-feed.xml"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "is in use by another resilience-kb run" in result.stderr
    assert not (tmp_path / "entries").exists()
