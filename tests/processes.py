"""Which processes are still alive in a session: the test that nothing a command started outlives it."""
from __future__ import annotations

import os


def session_processes(sid: int) -> list[int]:
    """The ids of the live processes of session ``sid`` (a command started with
    ``start_new_session=True`` has its own pid as session id)."""
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.getsid(int(pid)) == sid:
                    out.append(int(pid))
            except OSError:
                continue
    return out
