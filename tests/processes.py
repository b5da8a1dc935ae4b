"""Which processes are still alive in a session: the test that nothing a command started outlives it."""
from __future__ import annotations

import os
import subprocess


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


def terminate(procs: list[subprocess.Popen], grace: float) -> None:
    """Terminate ``procs``, and kill those still running ``grace`` seconds after."""
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
