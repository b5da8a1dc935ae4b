"""The programs a sweep's workers started, found and stopped once the workers are gone.

A worker's children can outlive it: LibreOffice runs in a session of its own (so that its time
limit can kill its whole group), and a worker stopped by the per-file time limit, by Ctrl-C or
from outside (kill -9, the out-of-memory killer) never gets to stop them.  So every worker
carries a mark in its environment, which every program it starts inherits, whatever session
or process group it moves to; when a pool of workers ends, the processes bearing its mark are
killed.  Processes are found through ``/proc`` (Linux); elsewhere none are found.
"""
from __future__ import annotations

import os
import signal

MARK = "AUDITOR_SWEEP_POOL"
_PROC = "/proc"


def new_mark() -> str:
    """A mark no other pool (of this or another command) carries."""
    return f"{os.getpid()}.{os.urandom(8).hex()}"


def mark_this_process(mark: str) -> None:
    """Give every program this process starts from now on the mark (a worker's start-up)."""
    os.environ[MARK] = mark


def marked(mark: str, prefix: bool = False) -> list[int]:
    """The ids of the live processes whose environment carries ``mark`` (or, with ``prefix``, a
    mark that starts with it), not this process."""
    if not os.path.isdir(_PROC):
        return []
    needle = f"{MARK}={mark}".encode()
    found = []
    for name in os.listdir(_PROC):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"{_PROC}/{name}/environ", "rb") as fh:
                env = fh.read().split(b"\0")
        except OSError:                   # gone meanwhile, or another user's
            continue
        if needle in env or (prefix and any(e.startswith(needle) for e in env)):
            found.append(int(name))
    return found


def stop_marked(mark: str, rounds: int = 5, prefix: bool = False) -> int:
    """Kill every process carrying ``mark`` (or a mark starting with it), again until none is
    found (one may start another while it is being killed); → how many were killed."""
    killed = 0
    for _ in range(rounds):
        pids = marked(mark, prefix)
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except OSError:
                pass
    return killed
