"""``ocr-gateway import`` as a real process, the way cron or CI runs it: plain lines on a
pipe, the exit status, and Ctrl-C (SIGINT) in the middle of a run."""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.bulk_import.conftest import invoice_pdf, rows

REPOSITORY = Path(__file__).resolve().parents[2]
on_sqlite = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "ocr_gateway.cli", "import", *args]


@contextmanager
def killed_after(process: subprocess.Popen[Any], seconds: float) -> Iterator[None]:
    """A read of the process's output ends by ``seconds`` at the latest: a run that hangs is
    killed (the test then fails on its exit status) instead of holding the suite forever."""
    timer = threading.Timer(seconds, process.kill)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


@on_sqlite
def test_a_pipe_gets_a_line_per_file_and_the_exit_status(database_url: str, inbox: Path) -> None:
    done = subprocess.run(
        command(str(inbox), "--group", "March"),
        env=dict(os.environ), cwd=REPOSITORY, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(" ", 2)[1] for line in lines[3:7]] == [
        "imported",
        "imported",
        "failed",
        "imported",
    ]
    assert "\x1b[" not in done.stdout  # no terminal codes on a pipe
    assert lines[-1].startswith("imported 3 files (4 pages), skipped 0 (already imported)")
    assert "Traceback" not in done.stderr


@on_sqlite
@pytest.mark.slow
@pytest.mark.usefixtures("default_sigint")
def test_sigint_stops_the_run_keeping_what_was_imported(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(300):
        (folder / f"inv-{number:03}.pdf").write_bytes(invoice_pdf(f"INV-{number:03}"))
    running = subprocess.Popen(
        command(str(folder), "--group", "Big"),
        env=dict(os.environ), cwd=REPOSITORY, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert running.stdout is not None
    with killed_after(running, 120):
        for line in running.stdout:  # ends at EOF should the run die first
            if line.startswith("[3/300] imported"):
                break
    running.send_signal(signal.SIGINT)
    out, err = running.communicate(timeout=60)
    assert running.returncode == 130, err
    assert "Traceback" not in err
    assert "stopped: the files imported so far stay" in err
    summary = out.splitlines()[-1]
    assert summary.startswith("interrupted: imported ")
    imported = int(summary.split()[2])
    assert 3 <= imported < 300
    found = rows(database_url)
    assert len(found.jobs) == imported == len(found.pages)  # none half made
    again = subprocess.run(
        command(str(folder), "--group", "Big"),
        env=dict(os.environ), cwd=REPOSITORY, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1].startswith(
        f"imported {300 - imported} files ({300 - imported} pages), skipped {imported} "
    )


def read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


@on_sqlite
def test_a_terminal_gets_the_progress_bar(database_url: str, inbox: Path) -> None:
    main, side = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm"}
    running = subprocess.Popen(
        command(str(inbox), "--group", "March"),
        env=env, cwd=REPOSITORY, stdin=subprocess.DEVNULL, stdout=side, stderr=side,
    )  # fmt: skip
    os.close(side)
    with killed_after(running, 120):
        screen = read_all(main)
    os.close(main)
    assert running.wait(timeout=120) == 1
    assert "\x1b[" in screen  # drawn, not printed line by line
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)
    assert re.search(r"files\s.*4/4\s+4 pages created, 0 skipped", screen), screen
    assert "failed " in screen
    # The message names the file by its path: a long temporary path wraps at 120 columns.
    assert "broken.pdf: is not a readable PDF document" in " ".join(screen.split())
    assert "[1/4]" not in screen
    assert "imported 3 files (4 pages), skipped 0 (already imported), failed 1" in screen


def test_two_runs_at_once_import_each_file_once_into_one_group(
    database_url: str, tmp_path: Path
) -> None:
    """Two people importing the same folder into a new group at the same moment: one group,
    one job per file (they take turns per group name and per file)."""
    folder = tmp_path / "shared-inbox"
    folder.mkdir()
    for n in range(12):
        (folder / f"invoice-{n:02d}.pdf").write_bytes(invoice_pdf(f"INV-{n}"))
    runs = [
        subprocess.Popen(
            command(str(folder), "--group", "Shared inbox"),
            env=dict(os.environ),
            cwd=REPOSITORY,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    found = rows(database_url)
    assert [group.name for group in found.groups] == ["Shared inbox"]
    assert sorted(job.name for job in found.jobs) == [f"invoice-{n:02d}.pdf" for n in range(12)]
    summaries = "".join(out for out, _err in outputs)
    assert summaries.count("imported ") >= 2  # each run printed its summary
