"""`maillage allocate` on a terminal: its stages and a progress line on
standard error, erased before the results; in a pipe, or with
--no-progress, nothing but the results."""

from __future__ import annotations

import os
import pty
import select
import subprocess

import pytest


def _on_terminal(cmd: list[str]) -> tuple[bytes, bytes, int]:
    """Runs `cmd` with standard error on a pseudo-terminal: (what the
    terminal received, standard output, exit code)."""
    master, slave = pty.openpty()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=slave,
                         env={**os.environ, "TERM": "xterm"})
    os.close(slave)
    received = b""
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        received += chunk
    out, _ = p.communicate(timeout=60)
    os.close(master)
    return received, out, p.returncode


@pytest.fixture(scope="module")
def folder(tmp_path_factory, lyon):
    d = tmp_path_factory.mktemp("progress") / "lyon"
    lyon.write_folder(d)
    return d


def test_a_terminal_sees_the_stages_then_only_the_results(cli, folder, tmp_path):
    received, out, code = _on_terminal(
        [cli, "allocate", str(folder), "--out", str(tmp_path / "plan"), "--verify"])
    assert code == 0
    text = received.decode()
    for stage in ("loading the network", "indexing the services",
                  "ranking the options", "solving the flow problem",
                  "explaining unmatched needs", "verifying the certificate",
                  "writing the plan"):
        assert f"allocate: {stage}" in text, stage
    assert "ranking the options 723/723 needs (100%)" in text
    # Each line rewrites the previous one, and the last is erased.
    assert "\n" not in text.replace("\r\n", "")
    assert text.endswith("\r\x1b[K")
    assert out.decode().startswith("level 1: ")


def test_a_pipe_or_no_progress_sees_nothing_but_the_results(cli, folder, tmp_path):
    piped = subprocess.run([cli, "allocate", str(folder), "--out", str(tmp_path / "a")],
                           capture_output=True)
    assert piped.returncode == 0 and piped.stderr == b""
    received, out, code = _on_terminal(
        [cli, "allocate", str(folder), "--out", str(tmp_path / "b"), "--no-progress"])
    assert code == 0 and received == b""
    # The same results (the levels; the times differ).
    assert out.splitlines()[:4] == piped.stdout.splitlines()[:4]


def test_errors_are_not_mixed_with_the_line(cli, tmp_path):
    bad = tmp_path / "missing"
    received, out, code = _on_terminal([cli, "allocate", str(bad), "--out",
                                        str(tmp_path / "x")])
    assert code == 1
    text = received.decode()
    # The line is erased before the error is printed, which then has its
    # line to itself.
    erased = text.rindex("\r\x1b[K") + len("\r\x1b[K")
    assert text[erased:] == f"{bad}: not a folder\r\n"


def test_gaps_shows_its_stages_on_a_terminal(cli, folder, tmp_path):
    received, out, code = _on_terminal(
        [cli, "gaps", str(folder), "--out", str(tmp_path / "gaps"), "--budget", "3"])
    assert code == 0
    text = received.decode()
    for stage in ("loading the network", "ranking the options",
                  "solving the flow problem", "analysing the gaps"):
        assert f"gaps: {stage}" in text, stage
    assert text.endswith("\r\x1b[K")
    piped = subprocess.run([cli, "gaps", str(folder), "--out", str(tmp_path / "g2"),
                            "--budget", "3"], capture_output=True)
    assert piped.returncode == 0 and piped.stderr == b""
