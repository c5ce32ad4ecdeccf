"""Which process claimed a page's attempt, and whether it still runs.

A claimant is ``host:pid:start``: the OCR process's host name, process id and start time
(clock ticks since boot, from ``/proc``; empty where there is none), so that a process id
the system reused for another process is not taken for the claimant. The embedded queue
(``local``) queues a ``processing`` page again only when its claimant is gone: another
``serve`` or ``import --process`` on the same database keeps the pages it is reading.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def this_process() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_started(pid)}"


def is_running(claimant: str | None) -> bool:
    """Whether the claimant runs on this host (False for None, another host, a bad value)."""
    if claimant is None:
        return False
    parts = claimant.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return False
    host, pid_text, started = parts
    if host != socket.gethostname():
        return False
    pid = int(pid_text)
    if not _exists(pid):
        return False
    return _started(pid) == started


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def _started(pid: int) -> str:
    """The process's start time in clock ticks since boot (``/proc/PID/stat`` field 22)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    fields = stat[stat.rindex(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else ""
