"""Where the site goes and what the environment does to a run: a folder is emptied only when a build of
ours left its mark there, and a full disk, a read-only folder or a closed pipe is one line naming the
path and the cause, never "a bug".

Each case runs the command line in a fresh process bounded in time and memory, in tmp_path only.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from support import make_project, snapshot

MEMORY = 3 * 1024**3


def run(*args: str, cwd: Path, timeout: float = 180, limits=None, **kwargs) -> subprocess.CompletedProcess:
    """`resilience-kb ARGS` in a fresh process limited in memory (and by `limits`, a list of rlimits)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        for which, value in limits or ():
            resource.setrlimit(which, (value, value))

    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=cwd, capture_output=True,
                          timeout=timeout, preexec_fn=limit, **kwargs)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("outputs"))


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "target"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# -- the site folder: only a build of ours may be emptied ------------------------------------------

@pytest.mark.parametrize("files", [
    {"sitemap.xml": "<urlset/>", "sitemap.xml.gz": "", "thesis.tex": "years of work"},  # two common names
    {"sitemap.xml": "<urlset/>", "index.html": "<p>my own site</p>", "notes.txt": "mine"},
    {".resilience-kb-site": "anything", "thesis.tex": "years of work"},  # the mark's name, not its text
])
def test_a_folder_that_is_not_a_site_of_ours_is_not_emptied(project, tmp_path, files):
    folder = _folder(tmp_path, files)
    before = snapshot(folder)
    result = run("build", "--site-dir", str(folder), cwd=project)
    assert result.returncode != 0
    assert snapshot(folder) == before
    message = result.stderr.decode()
    assert str(folder) in message and ("pick" in message or "delete the folder" in message)
    assert "Traceback" not in message


def test_a_mark_that_is_a_link_proves_nothing(project, tmp_path):
    real = _folder(tmp_path, {".resilience-kb-site": "Built by resilience-kb; the next build empties this folder.\n"})
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "thesis.tex").write_text("years of work")
    (folder / ".resilience-kb-site").symlink_to(real / ".resilience-kb-site")
    result = run("build", "--site-dir", str(folder), cwd=project)
    assert result.returncode != 0 and (folder / "thesis.tex").read_text() == "years of work"


def test_a_site_built_before_the_mark_is_refused_with_the_way_out(project, tmp_path):
    """A site from a build that left no mark (plain MkDocs, or an old version): named, and what to do."""
    folder = _folder(tmp_path, {"sitemap.xml": "<urlset/>", "sitemap.xml.gz": "", "index.html": "<html></html>",
                                "404.html": "<html></html>"})
    result = run("build", "--site-dir", str(folder), cwd=project)
    message = result.stderr.decode()
    assert result.returncode != 0 and (folder / "index.html").exists()
    assert "has no .resilience-kb-site file" in message and "delete the folder and build again" in message


# -- the environment: full disks, read-only folders, closed pipes ----------------------------------

def _no_bug(stderr: str) -> None:
    assert "a bug" not in stderr and "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert len([line for line in stderr.splitlines() if line.startswith("ERROR")]) == 1, stderr


def _file_size_limit(size: int):
    """A full disk, unprivileged: past `size` bytes a write fails with EFBIG (SIGXFSZ ignored, so it is an error)."""
    import signal

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    return limit


def test_a_full_disk_while_building_names_the_file(project, tmp_path):
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "ingest.cli", "build", "--site-dir", str(site)], cwd=project,
                            capture_output=True, text=True, timeout=300, preexec_fn=_file_size_limit(50_000))
    assert result.returncode == 1
    _no_bug(result.stderr)
    [line] = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert str(site) in line and "File too large" in line


def test_standard_output_on_a_full_disk_is_named(project, tmp_path):
    with open(tmp_path / "out.json", "wb") as out:
        result = subprocess.run([sys.executable, "-m", "ingest.cli", "export"], cwd=project, stdout=out,
                                stderr=subprocess.PIPE, text=True, timeout=300, preexec_fn=_file_size_limit(20_000))
    assert result.returncode == 1
    _no_bug(result.stderr)
    assert "standard output: File too large" in result.stderr


def test_a_pipe_closed_early_is_one_line(project):
    process = subprocess.Popen([sys.executable, "-m", "ingest.cli", "export"], cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.read(100)  # like `| head`: read a little, then hang up
        process.stdout.close()
        stderr = process.stderr.read()
        status = process.wait(timeout=300)
    finally:
        process.kill()
    assert status == 1
    _no_bug(stderr)
    assert "standard output: Broken pipe" in stderr


def _read_only(folder: Path, command: list[str]) -> list[str]:
    """`command` run with `folder` read-only: by its mode for a user, by a read-only bind mount of its own
    (in a private mount namespace) for root, whom modes do not stop."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return command
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1" && shift && exec "$@"'
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", str(folder), *command]


@pytest.mark.parametrize("built_before", [False, True])
def test_a_read_only_site_folder_is_one_line(project, tmp_path, built_before):
    folder = tmp_path / "read-only"
    folder.mkdir()
    site = folder / "site"
    if built_before:
        assert run("build", "--site-dir", str(site), cwd=project).returncode == 0
    command = _read_only(folder, [sys.executable, "-m", "ingest.cli", "build", "--site-dir", str(site)])
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)
    if "mount:" in result.stderr or "unshare:" in result.stderr:
        pytest.skip(f"cannot make a read-only folder here: {result.stderr.strip()}")
    folder.chmod(0o755)
    assert result.returncode == 1
    _no_bug(result.stderr)
    assert str(site) in result.stderr and ("Read-only file system" in result.stderr
                                           or "Permission denied" in result.stderr)


def test_verbose_shows_the_traceback_of_a_bug(project):
    """-v is what the one-line message of a bug asks for: it must show where the bug is."""
    planted = ("import sys\nfrom ingest import cli, commands\n"
               "def boom(args):\n    raise RuntimeError('planted fault')\n"
               "commands.run_report = boom\nsys.exit(cli.main(sys.argv[1:]))\n")
    quiet = subprocess.run([sys.executable, "-c", planted, "report"], cwd=project, capture_output=True, text=True,
                           timeout=60)
    verbose = subprocess.run([sys.executable, "-c", planted, "-v", "report"], cwd=project, capture_output=True,
                             text=True, timeout=60)
    assert quiet.returncode == verbose.returncode == 1
    assert "run again with -v" in quiet.stderr and "Traceback" not in quiet.stderr
    assert "Traceback (most recent call last)" in verbose.stderr and "in boom" in verbose.stderr
    assert "RuntimeError: planted fault" in verbose.stderr


# Builds, fetches or runs the command line in subprocesses: left out of `make test-fast`.
pytestmark = pytest.mark.slow
