"""Who claimed a page's attempt, and whether that process still runs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from ocr_gateway.processing import claimants


def test_this_process_runs() -> None:
    assert claimants.is_running(claimants.this_process())


def test_a_process_that_ended_does_not() -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    assert not claimants.is_running(f"{socket.gethostname()}:{ended.pid}:1")


def test_a_reused_process_id_is_not_the_claimant() -> None:
    host, pid, started = claimants.this_process().rsplit(":", 2)
    assert started, "this machine has /proc: the start time tells a reused id apart"
    assert not claimants.is_running(f"{host}:{pid}:{int(started) + 1}")


def test_another_host_none_and_garbage_are_not_running() -> None:
    _host, pid, started = claimants.this_process().rsplit(":", 2)
    assert not claimants.is_running(f"elsewhere.example:{pid}:{started}")
    assert not claimants.is_running(None)
    assert not claimants.is_running("")
    assert not claimants.is_running("no-pid-here")
    assert not claimants.is_running(f"{socket.gethostname()}:x{os.getpid()}:1")
